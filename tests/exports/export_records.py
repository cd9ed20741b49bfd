"""Records built by hand, as services.record would fill it: three rounds of
versions, amendments adopted, rejected, withdrawn and superseded with per-section votes, a
rationale that tries to break every format, and Turkish and Esperanto letters."""

from __future__ import annotations

from datetime import UTC, datetime

from corep_drafts.domain.record import GENESIS_HASH, chain_hash
from corep_drafts.exports.model import (
    AmendmentRecord,
    DeclarationRecord,
    SectionVote,
    TrackedChange,
    VersionRecord,
    VoteSummary,
)

TITLE = "Joint Declaration on Climate and Labour"

# The text when the last amendment round began (version 3).
ROUND_BASE = """# Joint Declaration on Climate and Labour

## Preamble

The sections of İzmir, Łódź and the Esperanto group meet in Istanbul to agree on a common text.

## Demands

We demand:

- a shorter working week for all workers;
- public transport free at the point of use;
- ĉiuj rajtoj por ĉiuj laboristoj.

This text is provisional.

The sections commit to campaign together until the next congress.
"""

# The last round, as services.record computes it: A3 rewrites a demand, A5 adds a paragraph,
# A6 deletes one.
CHANGES = (
    TrackedChange(0, ROUND_BASE[: ROUND_BASE.index("shorter")]),
    TrackedChange(-1, "shorter", "A3 (France)"),
    TrackedChange(1, "thirty-two hour", "A3 (France)"),
    TrackedChange(0, " working week for all workers"),
    TrackedChange(1, " without loss of pay", "A3 (France)"),
    TrackedChange(
        0, ";\n- public transport free at the point of use;\n- ĉiuj rajtoj por ĉiuj laboristoj.\n\n"
    ),
    TrackedChange(-1, "This text is provisional.\n\n", "A6 (Polska)"),
    TrackedChange(0, "The sections commit to campaign together until the next congress.\n"),
    TrackedChange(
        1,
        "\nThe executive reports every six months, in the languages of the sections: ı, İ, ĉ, ŭ.\n",
        "A5 (Türkiye)",
    ),
)
ADOPTED = "".join(c.text for c in CHANGES if c.op >= 0)

RATIONALE_TRAP = (
    "Workers | employers: the table must hold.\n"
    "<script>alert('pwned')</script>\n\n"
    "Ĉu vi konsentas? **Yes** — and in Turkish: ılık, İzmir."
)

UTC = UTC


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 3, day, hour, 0, tzinfo=UTC)


def _versions() -> tuple[VersionRecord, ...]:
    texts = [
        (
            "initial",
            None,
            ROUND_BASE.replace("in Istanbul ", "").replace(
                "- ĉiuj rajtoj por ĉiuj laboristoj.\n", ""
            ),
        ),
        ("editorial", None, ROUND_BASE.replace("- ĉiuj rajtoj por ĉiuj laboristoj.\n", "")),
        ("amendment", "A1", ROUND_BASE),
        (
            "amendment",
            "A3",
            ROUND_BASE.replace(
                "a shorter working week for all workers",
                "a thirty-two hour working week for all workers without loss of pay",
            ),
        ),
    ]
    after_a5 = texts[-1][2] + (
        "\nThe executive reports every six months, in the languages of the sections: ı, İ, ĉ, ŭ.\n"
    )
    texts.append(("amendment", "A5", after_a5))
    texts.append(("amendment", "A6", ADOPTED))
    assert after_a5.replace("This text is provisional.\n\n", "") == ADOPTED
    versions, previous = [], GENESIS_HASH
    for number, (cause, label, text) in enumerate(texts, start=1):
        digest = chain_hash(previous, text)
        versions.append(VersionRecord(number, cause, at(number), digest, previous, label))
        previous = digest
    return tuple(versions)


def vote(
    outcome: str,
    explanation: str,
    day: int,
    positions: dict[str, tuple[str, int, int, int]],
    rule: str = "majority",
) -> VoteSummary:
    return VoteSummary(
        outcome=outcome,
        explanation=explanation,
        rule=rule,
        closed_at=at(day, 18),
        sections=tuple(SectionVote(name, *counts) for name, counts in positions.items()),
        result_hash=chain_hash(GENESIS_HASH, explanation),
    )


def adopted_record() -> DeclarationRecord:
    versions = _versions()
    final = vote(
        "adopted",
        "Adopted: 3 of 4 sections voting said yes; majority needed 3.",
        7,
        {
            "France": ("yes", 12, 1, 0),
            "Türkiye": ("yes", 9, 0, 2),
            "Polska": ("yes", 5, 2, 1),
            "Esperanujo": ("no", 1, 4, 0),
        },
    )
    amendments = (
        AmendmentRecord(
            "A1",
            "Türkiye",
            ("Esperanujo",),
            "adopted",
            "Add the Esperanto demand: *ĉiuj* rajtoj.",
            vote(
                "adopted",
                "Adopted: 4 of 4 sections voting said yes; majority needed 3.",
                3,
                {
                    "France": ("yes", 10, 0, 1),
                    "Türkiye": ("yes", 11, 0, 0),
                    "Polska": ("yes", 6, 1, 0),
                    "Esperanujo": ("yes", 5, 0, 0),
                },
            ),
            adopted_as_version=3,
        ),
        AmendmentRecord(
            "A2",
            "Esperanujo",
            (),
            "rejected",
            RATIONALE_TRAP,
            vote(
                "rejected",
                "Rejected: 1 of 4 sections voting said yes; majority needed 3.",
                3,
                {
                    "France": ("no", 2, 9, 0),
                    "Türkiye": ("no", 3, 8, 0),
                    "Polska": ("abstain", 2, 2, 3),
                    "Esperanujo": ("yes", 5, 0, 0),
                },
            ),
        ),
        AmendmentRecord(
            "A3",
            "France",
            ("Polska", "Türkiye"),
            "adopted",
            "Thirty-two hours is what the unions ask.",
            vote(
                "adopted",
                "Adopted: 3 of 4 sections voting said yes; majority needed 3.",
                4,
                {
                    "France": ("yes", 12, 0, 0),
                    "Türkiye": ("yes", 7, 3, 1),
                    "Polska": ("yes", 4, 3, 1),
                    "Esperanujo": ("absent", 0, 0, 0),
                },
            ),
            adopted_as_version=4,
        ),
        AmendmentRecord("A4", "Polska", (), "withdrawn", "Withdrawn in favour of A3.", None),
        AmendmentRecord(
            "A5",
            "Türkiye",
            (),
            "adopted",
            "Reports keep everyone informed.",
            vote(
                "adopted",
                "Adopted: 4 of 4 sections voting said yes; majority needed 3.",
                5,
                {
                    "France": ("yes", 8, 0, 0),
                    "Türkiye": ("yes", 12, 0, 0),
                    "Polska": ("yes", 6, 0, 0),
                    "Esperanujo": ("yes", 4, 1, 0),
                },
            ),
            adopted_as_version=5,
        ),
        AmendmentRecord(
            "A6",
            "Polska",
            (),
            "adopted",
            "Nothing provisional in a final text.",
            vote(
                "adopted",
                "Adopted: 3 of 4 sections voting said yes; majority needed 3.",
                6,
                {
                    "France": ("yes", 8, 2, 0),
                    "Türkiye": ("abstain", 3, 3, 5),
                    "Polska": ("yes", 6, 0, 0),
                    "Esperanujo": ("yes", 4, 0, 0),
                },
            ),
            adopted_as_version=6,
        ),
        AmendmentRecord("A7", None, (), "superseded", "", None),
    )
    return DeclarationRecord(
        id=7,
        title=TITLE,
        language="en",
        status="adopted",
        text=ADOPTED,
        version=versions[-1],
        adopted_at=at(7, 18),
        adopting_sections=("France", "Türkiye", "Polska"),
        final_vote=final,
        versions=versions,
        amendments=amendments,
        round_base_text=ROUND_BASE,
        tracked_changes=CHANGES,
        public_url="https://drafts.example.org/d/7",
        verified=True,
    )

"""The scenario of the output-safety tests: every field a person writes, filled with payloads
through the services as the delegates, the executive and the admin would write it."""

from __future__ import annotations

from corep_testing import PASSWORD
from xss_corpus import APP_PAYLOADS, batches, corpus

from corep_drafts.domain.translations import assemble, blocks
from corep_drafts.services import (
    accounts,
    amendments,
    compromises,
    declarations,
    translations,
    votes,
)
from corep_drafts.services.errors import ServiceError

PAYLOADS = corpus()
NAME_LIMIT = 120
# A tag split across a deletion and an insertion (CVE-2024-41673 was XSS on a diff page).
SPLIT_BASE = "Split <img src=x title=a> and <scr ipt>alert(1)</script> here."
SPLIT_AMENDED = "Split <img src=x onerror=alert(1)> and <script>alert(2)</scr ipt> here."


def one_line(payload: str) -> str:
    return " ".join(payload.split()) or "-"


def declaration_text(payloads: list[str]) -> str:
    return (
        "# On work in the heat\n\n"
        "Work stops above a set temperature.\n\n"
        f"{SPLIT_BASE}\n\n"
        + "\n\n".join(one_line(p) for p in payloads)
        + "\n\n"
        + "\n\n".join(APP_PAYLOADS)
        + "\n\nSections report before summer.\n"
    )


def attempt(call, *args, **kwargs):
    """A refusal is a safe outcome for a payload; anything stored must then render inert."""
    try:
        return call(*args, **kwargs)
    except ServiceError:
        return None


class Scenario:
    """Everything the pages will show, written with payloads."""

    def __init__(self, people, sections):
        self.people = people
        executive, a, b = people["executive"], people["delegate_a"], people["delegate_b"]
        text_batches = batches(PAYLOADS, 40)
        self.names_stored = self._names(people, sections)

        # A declaration taken to publication: an amendment adopted, a split-tag one rejected.
        published_text = declaration_text(PAYLOADS[:120])
        self.published = declarations.create_declaration(
            one_line(PAYLOADS[0]) + " " + one_line(PAYLOADS[1]),
            published_text,
            created_by=executive,
        )
        declarations.transition(executive, self.published.id, "amending")
        adopted = amendments.propose(
            a,
            self.published.id,
            1,
            published_text.replace("a set temperature", "\n\n".join(text_batches[1])),
            "\n\n".join(text_batches[2]),
        )
        rejected = amendments.propose(
            b,
            self.published.id,
            1,
            published_text.replace(SPLIT_BASE, SPLIT_AMENDED),
            "\n\n".join(text_batches[3]),
        )
        self._vote(adopted, "yes")
        self._vote(rejected, "no")
        declarations.transition(executive, self.published.id, "voting")
        final = votes.open_final_vote(executive, self.published.id, mode="roll_call")
        votes.cast_ballot(a, final.id, "yes")
        votes.cast_ballot(b, final.id, "yes")
        votes.close_vote(executive, final.id)
        declarations.transition(executive, self.published.id, "published")
        self.final_vote = final
        self.translated = self._translate(self.published, "eo", PAYLOADS[::-1], version=2)
        self._translate(self.published, "de", PAYLOADS[7:], version=1)  # outdated

        # A declaration open for amendments: comments, revisions, compromises, an open vote.
        amending_text = declaration_text(PAYLOADS[120:])
        self.amending = declarations.create_declaration(
            one_line(PAYLOADS[2]), amending_text, created_by=executive
        )
        declarations.transition(executive, self.amending.id, "amending")
        self.inserting = amendments.propose(
            a,
            self.amending.id,
            1,
            amending_text.replace("a set temperature", " ".join(text_batches[4])),
            "\n\n".join(text_batches[5]),
        )
        amendments.cosponsor(b, self.inserting.id)
        self.splitting = amendments.propose(
            b,
            self.amending.id,
            1,
            amending_text.replace(SPLIT_BASE, SPLIT_AMENDED),
            "\n\n".join(text_batches[6]),
        )
        self.deleting = amendments.propose(
            a,
            self.amending.id,
            1,
            amending_text.replace(one_line(PAYLOADS[130]) + "\n\n", ""),
            "",
        )
        amendments.revise(
            a,
            self.deleting.id,
            1,
            amending_text.replace(one_line(PAYLOADS[131]) + "\n\n", ""),
            "\n\n".join(text_batches[0]),
        )
        for number, batch in enumerate(text_batches):
            author = (a, b, executive)[number % 3]
            amendments.add_comment(author, self.inserting.id, "\n\n".join(batch))
        # A compromise drafted by one proposer, waiting for the other: shown on both pages.
        self.proposal = compromises.propose(
            a,
            self.amending.id,
            [self.inserting.id, self.splitting.id],
            amending_text.replace("before summer", " ".join(text_batches[7])),
            "\n\n".join(text_batches[-1]),
        )
        # One made by the executive at once.
        first = amendments.propose(
            a,
            self.amending.id,
            1,
            amending_text.replace("Sections report", "Sections report <b>bold</b>"),
            "",
        )
        second = amendments.propose(
            b,
            self.amending.id,
            1,
            amending_text.replace("before summer", "before <i>summer</i>"),
            "",
        )
        self.compromise = compromises.compromise(
            executive,
            self.amending.id,
            [first.id, second.id],
            amending_text.replace("Sections report before summer.", " ".join(text_batches[8])),
            "\n\n".join(text_batches[-2]),
        )
        self.open_vote = votes.open_amendment_vote(executive, self.deleting.id)
        votes.cast_ballot(a, self.open_vote.id, "yes")

        # A short one, for what the pages reflect from the query string.
        self.small = declarations.create_declaration(
            "Small", "# Small\n\nA text.\n", created_by=executive
        )
        declarations.transition(executive, self.small.id, "amending")

        # A draft, whose edit form puts the title and text in an input and a textarea.
        self.draft = declarations.create_declaration(
            one_line(PAYLOADS[3]), declaration_text(PAYLOADS[::3]), created_by=executive
        )

    def _names(self, people, sections) -> int:
        """People, sections and API tokens named with payloads; returns how many were stored."""
        fits = [p.strip()[:NAME_LIMIT].strip() for p in PAYLOADS]
        fits = [p for p in dict.fromkeys(fits) if p]
        stored = 0
        for name, section in zip(fits[:2], (sections["A"], sections["B"]), strict=True):
            stored += bool(attempt(accounts.update_section, section.id, name, "es", 1))
        for key, name in (("delegate_a", fits[2]), ("delegate_b", fits[3]), ("executive", fits[4])):
            user = people[key]
            stored += bool(
                attempt(
                    accounts.update_user,
                    user.id,
                    user.email,
                    name,
                    sorted(user.roles),
                    section_name=user.section.name if user.section else None,
                )
            )
        for number, name in enumerate(fits[5:], start=1):
            stored += bool(attempt(accounts.add_section, name, "en", 1))
            stored += bool(
                attempt(
                    accounts.add_user,
                    f"payload{number}@example.org",
                    name,
                    ["member"],
                    PASSWORD,
                )
            )
        for name in fits[:60]:
            accounts.create_token(people["delegate_a"], name)
        return stored

    def _vote(self, amendment, choice: str) -> None:
        executive = self.people["executive"]
        vote = votes.open_amendment_vote(executive, amendment.id, mode="roll_call")
        votes.cast_ballot(self.people["delegate_a"], vote.id, choice)
        votes.cast_ballot(self.people["delegate_b"], vote.id, choice)
        votes.close_vote(executive, vote.id)

    def _translate(self, declaration, language: str, contents: list[str], version: int):
        source = next(v for v in declaration.versions if v.number == version).text
        words = []
        for number, block in enumerate(blocks(source)):
            content = one_line(contents[number % len(contents)])
            # A word first, so that a payload cannot change the paragraph's kind.
            words.append(content if block.kind == "heading" else "x " + content)
        translations.save(
            self.people["delegate_a"],
            declaration.id,
            language,
            version,
            assemble(source, words),
        )
        return language

"""Per-section voting: from delegates' ballots to an outcome that explains itself.

Delegates vote, but sections decide. Each section's position is the plurality of its delegates'
ballots; the declaration's rule then weighs the sections' positions. ``tally`` is a pure,
deterministic function, because a closed vote's result is stored as a snapshot
(``Result.to_dict``) and ``declarations verify`` recomputes it later and compares the two.

Definitions (all arithmetic on integers, so no rounding can decide a vote):

- A section's **position** is the choice with strictly more ballots than each other choice; a
  tie for the most ballots is ``abstain``; a section without ballots is ``absent``.
- A section is **voting** if its position is yes or no, and **present** if it is not absent.
- Each section counts with its weight (a positive integer, 1 unless configured).
- ``majority``: yes weight is more than half of the voting weight.
- ``two-thirds``: yes weight is at least two thirds of the voting weight, and at least one
  section said yes.
- ``unanimity``: every present section said yes, and at least one did. An abstaining section is
  present, so it blocks unanimity: a section that wants to let a text pass without endorsing it
  stays away instead.
- The optional **quorum** is a number of present sections, counted without weights: it asks
  whether enough sections took part, not how much they weigh. A vote without quorum is rejected.

With these definitions, a vote adopted under unanimity is adopted under two-thirds, and one
adopted under two-thirds is adopted under majority. Turning a delegate's no into yes never turns
an adopted result into a rejected one. Turning an abstention into yes can: a section split two no
against two abstain abstains, but with one abstainer switching to yes it says no (2 against 1 and
1), and under majority or two-thirds a new no can outweigh the yes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from corep_drafts.domain.errors import DomainError


class Choice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Position(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    ABSENT = "absent"


class Rule(StrEnum):
    MAJORITY = "majority"
    TWO_THIRDS = "two-thirds"
    UNANIMITY = "unanimity"


class Outcome(StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"


DelegateId = int | str


@dataclass(frozen=True)
class Ballot:
    """One delegate's choice for their section.

    ``tally`` takes only each delegate's latest ballot: a changed ballot replaces the earlier
    one before it gets here, so two ballots from one delegate are an error, not a history.
    """

    delegate_id: DelegateId
    section: str
    choice: Choice | str


@dataclass(frozen=True)
class SectionInfo:
    """A section entitled to vote, with its weight."""

    name: str
    weight: int = 1


@dataclass(frozen=True)
class SectionResult:
    name: str
    position: Position
    yes: int
    no: int
    abstain: int
    weight: int
    ballots: tuple[tuple[DelegateId, Choice], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "position": str(self.position),
            "yes": self.yes,
            "no": self.no,
            "abstain": self.abstain,
            "weight": self.weight,
            "ballots": [
                {"delegate_id": delegate_id, "choice": str(choice)}
                for delegate_id, choice in self.ballots
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SectionResult:
        return cls(
            name=data["name"],
            position=Position(data["position"]),
            yes=data["yes"],
            no=data["no"],
            abstain=data["abstain"],
            weight=data["weight"],
            ballots=tuple(
                (ballot["delegate_id"], Choice(ballot["choice"])) for ballot in data["ballots"]
            ),
        )


@dataclass(frozen=True)
class Result:
    """The outcome of a vote, with everything needed to explain and re-verify it.

    ``sections`` are sorted by name. Weights: ``voting_weight`` is yes plus no; ``needed`` is the
    yes weight the rule asked for given who took part.
    """

    outcome: Outcome
    rule: Rule
    quorum: int | None
    quorum_met: bool
    sections: tuple[SectionResult, ...]
    yes_weight: int
    no_weight: int
    abstain_weight: int
    voting_weight: int
    needed: int
    explanation: str

    @property
    def adopted(self) -> bool:
        return self.outcome is Outcome.ADOPTED

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready snapshot; equal results give equal dicts, key order included."""
        return {
            "outcome": str(self.outcome),
            "rule": str(self.rule),
            "quorum": self.quorum,
            "quorum_met": self.quorum_met,
            "yes_weight": self.yes_weight,
            "no_weight": self.no_weight,
            "abstain_weight": self.abstain_weight,
            "voting_weight": self.voting_weight,
            "needed": self.needed,
            "explanation": self.explanation,
            "sections": [section.to_dict() for section in self.sections],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        return cls(
            outcome=Outcome(data["outcome"]),
            rule=Rule(data["rule"]),
            quorum=data["quorum"],
            quorum_met=data["quorum_met"],
            sections=tuple(SectionResult.from_dict(section) for section in data["sections"]),
            yes_weight=data["yes_weight"],
            no_weight=data["no_weight"],
            abstain_weight=data["abstain_weight"],
            voting_weight=data["voting_weight"],
            needed=data["needed"],
            explanation=data["explanation"],
        )


def tally(
    ballots: Iterable[Ballot],
    sections: Sequence[SectionInfo],
    rule: Rule | str,
    *,
    quorum: int | None = None,
) -> Result:
    """Count the latest ballot of each delegate by section and apply ``rule``.

    Every section in ``sections`` is entitled to vote; one without ballots is absent. Raises
    DomainError with code ``invalid_ballot`` for a ballot naming an unknown section or choice, or
    a second ballot from the same delegate. Raises ValueError for an unknown rule, a bad quorum,
    or bad sections, which are the caller's configuration rather than anyone's vote.
    """
    rule = _parse_rule(rule)
    _check_quorum(quorum)
    weights = _weights_by_name(sections)
    choices_by_section = _choices_by_section(ballots, weights)

    section_results = tuple(
        _section_result(name, weights[name], choices_by_section[name]) for name in sorted(weights)
    )
    weight_by_position: Counter[Position] = Counter()
    for section in section_results:
        weight_by_position[section.position] += section.weight
    yes_weight = weight_by_position[Position.YES]
    no_weight = weight_by_position[Position.NO]
    abstain_weight = weight_by_position[Position.ABSTAIN]
    voting_weight = yes_weight + no_weight
    present_weight = voting_weight + abstain_weight
    present_count = sum(1 for s in section_results if s.position is not Position.ABSENT)

    needed = _yes_weight_needed(rule, voting_weight, present_weight)
    quorum_met = quorum is None or present_count >= quorum
    adopted = quorum_met and yes_weight >= needed
    weighted = any(section.weight != 1 for section in section_results)

    return Result(
        outcome=Outcome.ADOPTED if adopted else Outcome.REJECTED,
        rule=rule,
        quorum=quorum,
        quorum_met=quorum_met,
        sections=section_results,
        yes_weight=yes_weight,
        no_weight=no_weight,
        abstain_weight=abstain_weight,
        voting_weight=voting_weight,
        needed=needed,
        explanation=_explain(
            adopted=adopted,
            rule=rule,
            quorum=quorum,
            quorum_met=quorum_met,
            present_count=present_count,
            yes_weight=yes_weight,
            voting_weight=voting_weight,
            present_weight=present_weight,
            needed=needed,
            weighted=weighted,
        ),
    )


def _yes_weight_needed(rule: Rule, voting_weight: int, present_weight: int) -> int:
    # Every rule reads "adopted iff yes weight >= needed", which keeps `needed` honest in the
    # explanation. At least 1 everywhere: nobody saying yes never adopts anything.
    if rule is Rule.MAJORITY:
        return voting_weight // 2 + 1
    if rule is Rule.TWO_THIRDS:
        return max(1, -(-2 * voting_weight // 3))
    return max(1, present_weight)


def _position(counts: Counter[Choice]) -> Position:
    if not counts:
        return Position.ABSENT
    most = max(counts.values())
    leaders = [choice for choice, count in counts.items() if count == most]
    if len(leaders) > 1:
        return Position.ABSTAIN
    return Position(leaders[0])


def _section_result(
    name: str, weight: int, ballots: list[tuple[DelegateId, Choice]]
) -> SectionResult:
    counts = Counter(choice for _, choice in ballots)
    return SectionResult(
        name=name,
        position=_position(counts),
        yes=counts[Choice.YES],
        no=counts[Choice.NO],
        abstain=counts[Choice.ABSTAIN],
        weight=weight,
        ballots=tuple(sorted(ballots, key=lambda ballot: _delegate_sort_key(ballot[0]))),
    )


def _delegate_sort_key(delegate_id: DelegateId) -> tuple[bool, DelegateId]:
    # Ids are ints or strings, which do not compare with each other: ints first, then strings.
    return (isinstance(delegate_id, str), delegate_id)


def _choices_by_section(
    ballots: Iterable[Ballot], weights: Mapping[str, int]
) -> dict[str, list[tuple[DelegateId, Choice]]]:
    by_section: dict[str, list[tuple[DelegateId, Choice]]] = {name: [] for name in weights}
    delegates_seen: set[DelegateId] = set()
    for ballot in ballots:
        if isinstance(ballot.delegate_id, bool) or not isinstance(ballot.delegate_id, int | str):
            raise _invalid_ballot(
                ballot, "invalid_delegate_id", "a delegate id is an integer or a string"
            )
        if ballot.section not in weights:
            raise _invalid_ballot(
                ballot, "unknown_section", f"there is no section '{ballot.section}'"
            )
        try:
            choice = Choice(ballot.choice)
        except ValueError:
            raise _invalid_ballot(
                ballot, "unknown_choice", f"'{ballot.choice}' is not one of yes, no, abstain"
            ) from None
        if ballot.delegate_id in delegates_seen:
            raise _invalid_ballot(ballot, "duplicate_delegate", "that delegate has already voted")
        delegates_seen.add(ballot.delegate_id)
        by_section[ballot.section].append((ballot.delegate_id, choice))
    return by_section


def _invalid_ballot(ballot: Ballot, reason: str, detail: str) -> DomainError:
    return DomainError(
        f"Invalid ballot from delegate {ballot.delegate_id!r} for section "
        f"'{ballot.section}': {detail}.",
        code="invalid_ballot",
        params={
            "reason": reason,
            "delegate_id": ballot.delegate_id,
            "section": ballot.section,
            "choice": str(ballot.choice),
        },
    )


def _weights_by_name(sections: Sequence[SectionInfo]) -> dict[str, int]:
    weights: dict[str, int] = {}
    for section in sections:
        if section.name in weights:
            raise ValueError(f"section '{section.name}' is listed twice")
        if (
            isinstance(section.weight, bool)
            or not isinstance(section.weight, int)
            or section.weight < 1
        ):
            raise ValueError(
                f"section '{section.name}' has weight {section.weight!r}; "
                f"a weight is a positive integer"
            )
        weights[section.name] = section.weight
    return weights


def _parse_rule(rule: Rule | str) -> Rule:
    try:
        return Rule(rule)
    except ValueError:
        known = ", ".join(Rule)
        raise ValueError(f"unknown voting rule {rule!r}; known rules: {known}") from None


def _check_quorum(quorum: int | None) -> None:
    if quorum is None:
        return
    if isinstance(quorum, bool) or not isinstance(quorum, int) or quorum < 1:
        raise ValueError(f"quorum {quorum!r} is not a positive number of sections")


@dataclass(frozen=True)
class Explanation:
    """Why a vote ended as it did: a code and the numbers a sentence needs. The stored result
    keeps an English sentence for the record; pages word this in the reader's language.

    Codes: ``quorum_not_met`` (quorum, present), ``nobody_present`` (unanimity, no section
    present), ``nobody_voting`` (no section said yes or no), ``counted`` (yes, counted,
    taking_part = "voting" | "present", needed, rule, weighted).
    """

    code: str
    adopted: bool
    values: Mapping[str, Any]


def explain(result: Result) -> Explanation:
    """The explanation of a stored result, recomputed from its numbers."""
    present = [s for s in result.sections if s.position is not Position.ABSENT]
    return _facts(
        adopted=result.adopted,
        rule=result.rule,
        quorum=result.quorum,
        quorum_met=result.quorum_met,
        present_count=len(present),
        yes_weight=result.yes_weight,
        voting_weight=result.voting_weight,
        present_weight=result.voting_weight + result.abstain_weight,
        needed=result.needed,
        weighted=any(section.weight != 1 for section in result.sections),
    )


def _facts(
    *,
    adopted: bool,
    rule: Rule,
    quorum: int | None,
    quorum_met: bool,
    present_count: int,
    yes_weight: int,
    voting_weight: int,
    present_weight: int,
    needed: int,
    weighted: bool,
) -> Explanation:
    if not quorum_met:
        return Explanation("quorum_not_met", adopted, {"quorum": quorum, "present": present_count})
    if rule is Rule.UNANIMITY:
        if present_count == 0:
            return Explanation("nobody_present", adopted, {})
        counted, taking_part = present_weight, "present"
    else:
        if voting_weight == 0:
            return Explanation("nobody_voting", adopted, {})
        counted, taking_part = voting_weight, "voting"
    return Explanation(
        "counted",
        adopted,
        {
            "yes": yes_weight,
            "counted": counted,
            "taking_part": taking_part,
            "needed": needed,
            "rule": str(rule),
            "weighted": weighted,
        },
    )


def _explain(**numbers: Any) -> str:
    """The English sentence kept in the stored result (and so in its hash)."""
    facts = _facts(**numbers)
    verdict = "Adopted" if facts.adopted else "Rejected"
    values = facts.values
    if facts.code == "quorum_not_met":
        return (
            f"{verdict}: quorum of {_sections(values['quorum'])} not met ({values['present']} "
            f"present)."
        )
    if facts.code == "nobody_present":
        return f"{verdict}: no section was present."
    if facts.code == "nobody_voting":
        return f"{verdict}: no section voted yes or no."
    if values["weighted"]:
        return (
            f"{verdict}: sections weighing {values['yes']} of a {values['taking_part']} weight of "
            f"{values['counted']} said yes; {values['rule']} needed {values['needed']}."
        )
    return (
        f"{verdict}: {values['yes']} of {_sections(values['counted'])} {values['taking_part']} "
        f"said yes; "
        f"{values['rule']} needed {values['needed']}."
    )


def _sections(count: int | None) -> str:
    return f"{count} section" if count == 1 else f"{count} sections"

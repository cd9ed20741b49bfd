"""Words, in the reader's language, for what the domain reports as codes and values: conflict
reasons, places in a text, why a vote ended as it did, refusals of the state machines.

The domain speaks no language; pages, the API, flashed messages and exports come here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from corep_drafts.domain import tally
from corep_drafts.domain import text as engine
from corep_drafts.domain.errors import DomainError
from corep_drafts.i18n import (
    AMENDMENT_STATUS_LABELS,
    PARAGRAPH_KIND_LABELS,
    RULE_SHORT_LABELS,
    STATUS_LABELS,
    VOTE_STATE_LABELS,
    format_moment,
    label,
)

# --- conflicts --------------------------------------------------------------------------------

ALREADY_CONTAINED = "already_contained"


def stored_conflict(code: str, params: Mapping[str, object] | None = None) -> str:
    """How a conflict is kept in ``Amendment.conflict_reason``: its code and values as JSON."""
    return json.dumps({"code": code, **dict(params or {})}, ensure_ascii=False, sort_keys=True)


def conflict_of(result: engine.Conflict, base_number: int | None = None) -> str:
    """``base_number``: the version the amendment was written for, so that a later version that
    clashed is named by its own number."""
    params = dict(result.params)
    if result.code == "changed_by_later_version" and base_number is not None:
        params["version"] = base_number + int(params["version_step"])
    return stored_conflict(result.code, params)


def conflict_message(stored: str | None) -> str | None:
    """The stored conflict in words; text stored before conflicts had codes is shown as it is."""
    if not stored:
        return None
    try:
        facts = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(facts, dict):
        return stored
    code = facts.get("code")
    if code == "changed_by_adoption":
        return ngettext(
            "The adopted text also changed the passage this amendment changes.",
            "The adopted text also changed %(num)d passages this amendment changes.",
            int(facts.get("passages") or 1),
        )
    if code == "changed_by_later_version":
        if "version" not in facts:
            return _(
                "A version adopted since this amendment was written also changed the passage this "
                "amendment changes."
            )
        return ngettext(
            "Version %(version)d, adopted since this amendment was written, also changed the "
            "passage this "
            "amendment changes.",
            "Of the %(num)d versions adopted since this amendment was written, version "
            "%(version)d also "
            "changed the passage this amendment changes.",
            int(facts.get("versions_since") or 1),
            version=int(facts["version"]),
        )
    if code == ALREADY_CONTAINED:
        return _("The adopted text already contains this change.")
    return stored


# --- places in a text -------------------------------------------------------------------------


def location(text: str, start: int | None, end: int | None) -> str | None:
    """Where a range of ``text`` lies, in words: "paragraph 7, lines 3–4"."""
    if start is None or end is None or not 0 <= start <= end <= len(text):
        return None
    where = engine.locate(text, start, end)
    if where.paragraph_from == where.paragraph_to:
        if where.line_from == where.line_to:
            return _("paragraph %(p)d, line %(l)d", p=where.paragraph_from, l=where.line_from)
        return _(
            "paragraph %(p)d, lines %(a)d–%(b)d",
            p=where.paragraph_from,
            a=where.line_from,
            b=where.line_to,
        )
    return _(
        "from paragraph %(p)d, line %(a)d to paragraph %(q)d, line %(b)d",
        p=where.paragraph_from,
        a=where.line_from,
        q=where.paragraph_to,
        b=where.line_to,
    )


def diff_wording(old_label: str | None = None, new_label: str | None = None) -> engine.Wording:
    """What rendered diffs say to screen readers and in their column headers."""
    return engine.Wording(
        paragraphs=lambda first, last: (
            _("Paragraph %(number)d", number=first)
            if first == last
            else _("Paragraphs %(first)d–%(last)d", first=first, last=last)
        ),
        amendments_to=lambda number: _("Amendments to paragraph %(number)d", number=number),
        old_label=old_label or _("Current text"),
        new_label=new_label or _("Amended text"),
    )


# --- votes ------------------------------------------------------------------------------------


def vote_explanation(result: tally.Result) -> str:
    """Why the vote ended as it did, from the stored result's numbers. In English it is the very
    sentence the result stored."""
    facts = tally.explain(result)
    values = facts.values
    if facts.code == "quorum_not_met":
        return ngettext(
            "Rejected: quorum of %(num)d section not met (%(present)d present).",
            "Rejected: quorum of %(num)d sections not met (%(present)d present).",
            int(values["quorum"] or 0),
            present=values["present"],
        )
    if facts.code == "nobody_present":
        return _("Rejected: no section was present.")
    if facts.code == "nobody_voting":
        return _("Rejected: no section voted yes or no.")
    return _counted(facts.adopted, values)


def _counted(adopted: bool, values: Mapping[str, object]) -> str:
    numbers = {
        "yes": int(values["yes"]),
        "total": int(values["counted"]),
        "needed": int(values["needed"]),
        "rule": label(RULE_SHORT_LABELS, values["rule"]),
    }
    present = values["taking_part"] == "present"
    if values["weighted"]:
        if adopted:
            return (
                _(
                    "Adopted: sections weighing %(yes)d of a present weight of %(total)d said yes; "
                    "%(rule)s needed %(needed)d.",
                    **numbers,
                )
                if present
                else _(
                    "Adopted: sections weighing %(yes)d of a voting weight of %(total)d said yes; "
                    "%(rule)s needed %(needed)d.",
                    **numbers,
                )
            )
        return (
            _(
                "Rejected: sections weighing %(yes)d of a present weight of %(total)d said yes; "
                "%(rule)s needed %(needed)d.",
                **numbers,
            )
            if present
            else _(
                "Rejected: sections weighing %(yes)d of a voting weight of %(total)d said yes; "
                "%(rule)s needed %(needed)d.",
                **numbers,
            )
        )
    count = numbers.pop("total")
    if adopted:
        if present:
            return ngettext(
                "Adopted: %(yes)d of %(num)d section present said yes; %(rule)s needed %(needed)d.",
                "Adopted: %(yes)d of %(num)d sections present said yes; %(rule)s needed "
                "%(needed)d.",
                count,
                **numbers,
            )
        return ngettext(
            "Adopted: %(yes)d of %(num)d section voting said yes; %(rule)s needed %(needed)d.",
            "Adopted: %(yes)d of %(num)d sections voting said yes; %(rule)s needed %(needed)d.",
            count,
            **numbers,
        )
    if present:
        return ngettext(
            "Rejected: %(yes)d of %(num)d section present said yes; %(rule)s needed %(needed)d.",
            "Rejected: %(yes)d of %(num)d sections present said yes; %(rule)s needed %(needed)d.",
            count,
            **numbers,
        )
    return ngettext(
        "Rejected: %(yes)d of %(num)d section voting said yes; %(rule)s needed %(needed)d.",
        "Rejected: %(yes)d of %(num)d sections voting said yes; %(rule)s needed %(needed)d.",
        count,
        **numbers,
    )


# --- refusals of the domain -------------------------------------------------------------------

_STATE_LABELS = {
    "declaration": STATUS_LABELS,
    "amendment": AMENDMENT_STATUS_LABELS,
    "vote": VOTE_STATE_LABELS,
}


def domain_error(error: DomainError) -> str:
    """A domain refusal in words, from its code and params."""
    params = error.params
    if error.code == "adoption_needs_final_vote":
        return _(
            "A declaration is adopted only by a final vote that passes; it cannot be moved there "
            "by hand."
        )
    if error.code == "illegal_transition":
        states = _STATE_LABELS.get(str(params.get("kind")), {})
        current, target = label(states, params.get("current")), label(states, params.get("target"))
        allowed = ", ".join(label(states, state) for state in params.get("allowed") or ())
        if allowed:
            return _(
                "This cannot go from “%(current)s” to “%(target)s”; from here it can become: "
                "%(allowed)s.",
                current=current,
                target=target,
                allowed=allowed,
            )
        return _(
            "This cannot go from “%(current)s” to “%(target)s”: “%(current)s” is final.",
            current=current,
            target=target,
        )
    if error.code == "amendment_period_closed":
        return _(
            "New amendments are accepted only during the amendment period; this declaration is: "
            "%(status)s.",
            status=label(STATUS_LABELS, params.get("status")),
        )
    if error.code == "deadline_passed":
        deadline = datetime.fromisoformat(str(params.get("deadline")))
        return _(
            "The amendment deadline has passed: %(deadline)s. New amendments are refused.",
            deadline=format_moment(deadline),
        )
    if error.code == "translation_misaligned":
        return ngettext(
            "The source has %(num)d paragraph and the translation %(translation)d: each paragraph "
            "of the "
            "source needs exactly one in the translation, in the same order.",
            "The source has %(num)d paragraphs and the translation %(translation)d: each "
            "paragraph of the "
            "source needs exactly one in the translation, in the same order.",
            int(params.get("source_paragraphs") or 0),
            translation=int(params.get("translation_paragraphs") or 0),
        )
    if error.code == "translation_kind_mismatch":
        return _(
            "Paragraph %(number)d is not of the same kind as in the source (source: "
            "%(source_kind)s; "
            "translation: %(translation_kind)s).",
            number=int(params.get("paragraph") or 0),
            source_kind=label(PARAGRAPH_KIND_LABELS, params.get("source_kind")),
            translation_kind=label(PARAGRAPH_KIND_LABELS, params.get("translation_kind")),
        )
    if error.code == "invalid_ballot":
        return _("This ballot cannot be counted.")
    if error.code in ("invalid_text", "invalid_value"):
        return input_refusal(error)
    return _("This is not possible in the current state.")


def input_refusal(error: DomainError) -> str:
    """Why a typed value was refused (domain/text_input.py, domain/input_values.py)."""
    params = error.params
    if params.get("problem") == "nul":
        return _("The text contains a NUL character.")
    if params.get("problem") == "surrogate":
        return _("The text contains an invalid character (a lone surrogate).")
    if params.get("problem") == "bidi_control":
        return _(
            "A name cannot contain characters that change the direction of the text "
            "(U+202A–U+202E, U+2066–U+2069)."
        )
    if params.get("kind") == "moment":
        return _(
            "That is not a date and time between the years %(earliest)d and %(latest)d.",
            earliest=int(params.get("earliest") or 0),
            latest=int(params.get("latest") or 0),
        )
    return _(
        "Enter a whole number from %(minimum)s to %(maximum)s.",
        minimum=params.get("minimum"),
        maximum=params.get("maximum"),
    )

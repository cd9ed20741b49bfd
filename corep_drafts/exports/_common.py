"""What every export says the same way: labels, dates, hashes, who proposed what.

Labels go through the ``_`` the caller passes (Flask-Babel's ``gettext`` in a request, identity
on the command line); the msgids are the ones the web pages use, so one catalogue serves both.
``_`` is only ever called with the bare msgid; placeholders are filled here with ``%``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from corep_drafts.exports.model import AmendmentRecord, DeclarationRecord, VoteSummary
from corep_drafts.i18n import (
    AMENDMENT_STATUS_LABELS,
    CAUSE_LABELS,
    POSITION_LABELS,
    RULE_LABELS,
    STATUS_LABELS,
    label,
    language_name,
)

Translate = Callable[[str], str]

SHORT_HASH = 12


def identity(message: str) -> str:
    return message


def format_datetime(moment: datetime | None) -> str:
    """``2025-03-14 10:30 UTC``: the same in every language, sortable, unambiguous. A naive
    datetime is taken to be UTC already (the database keeps UTC)."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def format_date(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d")


def short_hash(value: str) -> str:
    return value[:SHORT_HASH]


@dataclass(frozen=True)
class Labels:
    """The words of the record appendix in the reader's language."""

    _: Translate

    # Codes are worded by the interface's own labels (corep_drafts.i18n), in the current locale.

    def status(self, status: str) -> str:
        return label(STATUS_LABELS, status) if status else ""

    def cause(self, cause: str) -> str:
        return label(CAUSE_LABELS, cause)

    def outcome(self, status: str) -> str:
        """An amendment's status, as the drafting pages name it."""
        return label(AMENDMENT_STATUS_LABELS, status)

    def position(self, position: str) -> str:
        return label(POSITION_LABELS, position)

    def rule(self, rule: str) -> str:
        return label(RULE_LABELS, rule)

    def text_state(self, record: DeclarationRecord) -> str:
        """What this document's text is: the authoritative one, or a translation and its state."""
        _ = self._
        if record.text_status == "authoritative":
            return _("The authoritative text, in %(language)s.") % {
                "language": language_name(record.language, in_sentence=True)
            }
        values = {
            "language": language_name(record.language, in_sentence=True),
            "number": record.translated_version,
            "source": language_name(record.source_language or "", in_sentence=True),
        }
        if record.text_status == "current":
            return (
                _(
                    "Translation into %(language)s of version %(number)d (%(source)s original); "
                    "it is current."
                )
                % values
            )
        return (
            _(
                "Translation into %(language)s of version %(number)d (%(source)s original); it is "
                "outdated: the text has changed since, and the authoritative text prevails."
            )
            % values
        )

    def proposer(self, amendment: AmendmentRecord) -> str:
        return amendment.section if amendment.section else self._("the executive")

    def cosponsors(self, amendment: AmendmentRecord) -> str:
        return ", ".join(amendment.cosponsors)

    def verified(self, verified: bool | None) -> str:
        if verified is None:
            return self._("not checked")
        return self._("intact") if verified else self._("BROKEN: the stored hashes do not match")

    def facts(self, record: DeclarationRecord) -> list[tuple[str, str, str]]:
        """The record's head: (key, label, value), values plain text."""
        _ = self._
        adopted = format_datetime(record.adopted_at) if record.adopted_at else _("not yet")
        rows = [
            ("title", _("Title"), record.title),
            (
                "language",
                _("Language"),
                f"{language_name(record.language)} ({record.language})",
            ),
            ("text_state", _("Text of this document"), self.text_state(record)),
            ("status", _("Status"), self.status(record.status)),
            ("version", _("Version"), str(record.version.number)),
            ("adopted", _("Adopted on"), adopted),
            ("adopted_by", _("Adopted by"), ", ".join(record.adopting_sections) or "—"),
            ("hash", _("Hash of this version (SHA-256)"), record.version.hash),
        ]
        if record.verified is not None:
            rows.append(("chain", _("Hash chain"), self.verified(record.verified)))
        if record.chain_head:
            rows.append(("chain_head", _("Head of the audit chain"), record.chain_head))
        if record.public_url:
            rows.append(("public_url", _("Public address"), record.public_url))
        return rows

    def version_header(self) -> tuple[str, ...]:
        _ = self._
        return (_("Version"), _("Cause"), _("Date"), _("Amendment"), _("Hash"))

    def version_rows(self, record: DeclarationRecord) -> list[tuple[str, ...]]:
        return [
            (
                str(v.number),
                self.cause(v.cause),
                format_datetime(v.created_at),
                v.amendment_label or "",
                short_hash(v.hash),
            )
            for v in record.versions
        ]

    def amendment_header(self) -> tuple[str, ...]:
        _ = self._
        return (
            _("Amendment"),
            _("Proposed by"),
            _("Co-sponsors"),
            _("Outcome"),
            _("Became version"),
        )

    def amendment_row(self, amendment: AmendmentRecord) -> tuple[str, ...]:
        return (
            amendment.label,
            self.proposer(amendment),
            self.cosponsors(amendment),
            self.outcome(amendment.status),
            "" if amendment.adopted_as_version is None else str(amendment.adopted_as_version),
        )

    def vote_header(self) -> tuple[str, ...]:
        _ = self._
        return (_("Section"), _("Position"), _("Yes"), _("No"), _("Abstain"))

    def vote_rows(self, vote: VoteSummary) -> list[tuple[str, ...]]:
        return [
            (s.name, self.position(s.position), str(s.yes), str(s.no), str(s.abstain))
            for s in vote.sections
        ]

    def vote_facts(self, vote: VoteSummary) -> list[tuple[str, str]]:
        _ = self._
        return [
            (_("Result"), self.position(vote.outcome)),
            (_("Rule"), self.rule(vote.rule)),
            (_("Closed"), format_datetime(vote.closed_at)),
            (_("Result hash"), short_hash(vote.result_hash)),
        ]

    def amendment_heading(self, amendment: AmendmentRecord) -> str:
        return f"{amendment.label} — {self.proposer(amendment)}"


def voted(record: DeclarationRecord) -> list[AmendmentRecord]:
    return [a for a in record.amendments if a.vote is not None]

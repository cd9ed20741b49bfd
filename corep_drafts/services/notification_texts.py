"""The words of a notification, written when it is shown or mailed, in the reader's language
and time zone (the zone named), from the data its row holds.

The same words serve the site's list (the reader's interface language and zone) and the mail
(the recipient's account settings), so the two never say different things.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import force_locale, pgettext
from flask_babel import gettext as _

from corep_drafts import i18n, wording
from corep_drafts.domain import tally
from corep_drafts.extensions import db
from corep_drafts.models import Notification, NotificationKind, User, Vote


@dataclass(frozen=True)
class Words:
    subject: str  # the mail's subject, and the line on the site
    body: str  # plain text paragraphs, without the link
    link_endpoint: str
    link_values: dict


def language_of(user: User) -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = user.preferred_language
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def zone_of(user: User) -> ZoneInfo:
    return i18n.iana_zone(user.time_zone)


def words_for(notification: Notification, language: str, zone: ZoneInfo) -> Words:
    with force_locale(language):
        return _WRITERS[NotificationKind(notification.kind)](notification, language, zone)


def link_path(words: Words) -> str:
    return url_for(words.link_endpoint, **words.link_values)


def _vote_subject(parameters: dict) -> str:
    """What a vote decides, as it stands after "on" in "a vote on ..." (the final vote is on
    the whole text)."""
    if parameters.get("amendment"):
        # TRANSLATORS: what a vote is on; it follows "on" in "Result of the vote on ...".
        return pgettext("vote subject", "the amendment %(label)s", label=parameters["amendment"])
    # TRANSLATORS: what the final vote is on; it follows "on" in "Result of the vote on ...".
    return pgettext("vote subject", "the whole text")


def _vote_link(notification: Notification) -> tuple[str, dict]:
    return "votes.show", {"vote_id": notification.vote_id}


def _amendment_link(notification: Notification) -> tuple[str, dict]:
    return "amendments.show", {"amendment_id": notification.amendment_id}


def _vote_opened(notification: Notification, language: str, zone: ZoneInfo) -> Words:
    parameters = notification.parameters
    title, subject = parameters["declaration_title"], _vote_subject(parameters)
    lines = [
        _(
            "A vote is open on %(subject)s of “%(title)s”. Vote for your section on its page.",
            subject=subject,
            title=title,
        )
    ]
    closes_at = closing_time(notification)
    if closes_at is not None:
        lines.append(
            _(
                "It closes on %(moment)s.",
                moment=i18n.format_moment_in(closes_at, language, zone, "full"),
            )
        )
    else:
        lines.append(_("It has no closing time: the executive committee closes it."))
    return Words(
        _("Vote open: %(subject)s (%(title)s)", subject=subject, title=title),
        "\n\n".join(lines),
        *_vote_link(notification),
    )


def _vote_closed(notification: Notification, language: str, zone: ZoneInfo) -> Words:
    parameters = notification.parameters
    title, subject = parameters["declaration_title"], _vote_subject(parameters)
    vote = db.session.get(Vote, notification.vote_id)
    outcome = i18n.label(i18n.POSITION_LABELS, parameters.get("outcome"))
    lines = [_("The vote on %(subject)s of “%(title)s” is closed.", subject=subject, title=title)]
    if vote is not None and vote.result_json:
        result = tally.Result.from_dict(json.loads(vote.result_json))
        lines.append(wording.vote_explanation(result))
        lines.append(
            "\n".join(
                _(
                    "%(section)s: %(position)s (yes %(yes)d, no %(no)d, abstain %(abstain)d)",
                    section=section.name,
                    position=i18n.label(i18n.POSITION_LABELS, section.position),
                    yes=section.yes,
                    no=section.no,
                    abstain=section.abstain,
                )
                for section in result.sections
            )
        )
    return Words(
        _(
            "Result of the vote on %(subject)s: %(outcome)s (%(title)s)",
            subject=subject,
            outcome=outcome,
            title=title,
        ),
        "\n\n".join(lines),
        *_vote_link(notification),
    )


def _amendment_words(subject: str, body: str, notification: Notification) -> Words:
    return Words(subject, body, *_amendment_link(notification))


def _conflicted(notification: Notification, language: str, zone: ZoneInfo) -> Words:
    p = notification.parameters
    return _amendment_words(
        _("Your amendment %(label)s is now conflicted", label=p["amendment"]),
        _(
            "Version %(version)d of “%(title)s” changed the words your amendment %(label)s "
            "changes, so it could not be carried onto it. Its page shows what changed "
            "underneath it; revise it on the current text to put it back on the table.",
            version=p["version"],
            title=p["declaration_title"],
            label=p["amendment"],
        ),
        notification,
    )


def _carried(notification: Notification, language: str, zone: ZoneInfo) -> Words:
    p = notification.parameters
    return _amendment_words(
        _(
            "Your amendment %(label)s was carried onto version %(version)d",
            label=p["amendment"],
            version=p["version"],
        ),
        _(
            "A change was adopted in “%(title)s”; your amendment %(label)s was carried onto "
            "version %(version)d and is still on the table.",
            version=p["version"],
            title=p["declaration_title"],
            label=p["amendment"],
        ),
        notification,
    )


def _adopted(notification: Notification, language: str, zone: ZoneInfo) -> Words:
    p = notification.parameters
    return _amendment_words(
        _("Your amendment %(label)s was adopted", label=p["amendment"]),
        _(
            "The vote adopted your amendment %(label)s: it is now part of the text of “%(title)s”.",
            label=p["amendment"],
            title=p["declaration_title"],
        ),
        notification,
    )


def _rejected(notification: Notification, language: str, zone: ZoneInfo) -> Words:
    p = notification.parameters
    return _amendment_words(
        _("Your amendment %(label)s was rejected", label=p["amendment"]),
        _(
            "The vote rejected your amendment %(label)s to “%(title)s”.",
            label=p["amendment"],
            title=p["declaration_title"],
        ),
        notification,
    )


def _superseded(notification: Notification, language: str, zone: ZoneInfo) -> Words:
    p = notification.parameters
    return _amendment_words(
        _(
            "Your amendment %(label)s was merged into the compromise %(compromise)s",
            label=p["amendment"],
            compromise=p["compromise"],
        ),
        _(
            "Your amendment %(label)s to “%(title)s” was merged into the compromise amendment "
            "%(compromise)s, which takes its place.",
            label=p["amendment"],
            compromise=p["compromise"],
            title=p["declaration_title"],
        ),
        notification,
    )


_WRITERS = {
    NotificationKind.VOTE_OPENED: _vote_opened,
    NotificationKind.VOTE_CLOSED: _vote_closed,
    NotificationKind.AMENDMENT_CONFLICTED: _conflicted,
    NotificationKind.AMENDMENT_CARRIED: _carried,
    NotificationKind.AMENDMENT_ADOPTED: _adopted,
    NotificationKind.AMENDMENT_REJECTED: _rejected,
    NotificationKind.AMENDMENT_SUPERSEDED: _superseded,
}


def closing_time(notification: Notification) -> datetime | None:
    value = (notification.parameters or {}).get("closes_at")
    return datetime.fromisoformat(value) if value else None


# --- iCalendar --------------------------------------------------------------------------------


def _ics_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newline escaped."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _ics_fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space (RFC 5545, 3.1), never inside a
    UTF-8 sequence."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def _ics_moment(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def closing_calendar(notification: Notification, words: Words, link: str, now: datetime) -> str:
    """An iCalendar file with one event at the vote's close (in UTC: every calendar shows it in
    its own zone), to add to one's calendar; its UID is the vote's, so a second copy replaces
    the first."""
    closes_at = closing_time(notification)
    host = (current_app.config.get("COREP_PUBLIC_URL") or "corep-drafts").split("//")[-1]
    host = host.strip("/").replace("/", ".") or "corep-drafts"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//corep-drafts//notifications//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:vote-{notification.vote_id}-close@{host}",
        f"DTSTAMP:{_ics_moment(now)}",
        f"DTSTART:{_ics_moment(closes_at)}",
        f"DTEND:{_ics_moment(closes_at)}",
        f"SUMMARY:{_ics_text(words.subject)}",
        f"DESCRIPTION:{_ics_text(words.body + chr(10) + chr(10) + link)}",
        f"URL:{link}" if link.startswith("http") else None,
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{_ics_text(words.subject)}",
        "TRIGGER:-PT1H",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_ics_fold(line) for line in lines if line is not None) + "\r\n"


def public_link(endpoint: str, **values) -> str:
    """An absolute link for a mail, made outside any request: COREP_PUBLIC_URL and the path
    (the path alone when COREP_PUBLIC_URL is unset)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    base = current_app.config.get("COREP_PUBLIC_URL") or ""
    return base.rstrip("/") + path if base else path


def calendar_note(language: str) -> str:
    with force_locale(language):
        return _("The attached calendar entry marks the close.")


def mail_footer(language: str, list_link: str) -> str:
    with force_locale(language):
        return "-- \n" + _(
            "You receive this mail because you have an account on corep-drafts. All your "
            "notifications: %(link)s",
            link=list_link,
        )

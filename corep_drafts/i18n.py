"""The reader's language and time zone, and the words for the codes the models store.

Language: the one chosen in the footer, then the account's preference, then the browser's
``Accept-Language``, then English; the API answers in the request's ``Accept-Language`` (then
the token holder's preference). Time zone: the account's, then the one the browser reported
(a cookie ``tz`` set by ``static/js/local-time.js``), then UTC; every time shown names its zone.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from urllib.parse import unquote
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel.dates import get_datetime_format, get_timezone_name
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, get_locale, get_timezone, lazy_pgettext
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LANGUAGE_NAMES = {
    "en": "English",
    "es": "Español",
    "de": "Deutsch",
    "fr": "Français",
    "tr": "Türkçe",
    "eo": "Esperanto",
}

TIMEZONE_COOKIE = "tz"

# Statuses are words standing beside a declaration, an amendment or a vote; the context lets
# languages that inflect (a declaration adoptée, an amendement adopté) agree with each.
STATUS_LABELS = {
    "draft": lazy_pgettext("declaration status", "draft"),
    "amending": lazy_pgettext("declaration status", "open for amendments"),
    "voting": lazy_pgettext("declaration status", "voting"),
    "adopted": lazy_pgettext("declaration status", "adopted"),
    "published": lazy_pgettext("declaration status", "published"),
    "withdrawn": lazy_pgettext("declaration status", "withdrawn"),
}

AMENDMENT_STATUS_LABELS = {
    "submitted": lazy_pgettext("amendment status", "submitted"),
    "conflicted": lazy_pgettext("amendment status", "conflicted"),
    "withdrawn": lazy_pgettext("amendment status", "withdrawn"),
    "voting": lazy_pgettext("amendment status", "in the vote"),
    "adopted": lazy_pgettext("amendment status", "adopted"),
    "rejected": lazy_pgettext("amendment status", "rejected"),
    "superseded": lazy_pgettext("amendment status", "superseded"),
}

REVISION_KIND_LABELS = {
    "proposed": _l("proposed"),
    "revised": _l("revised"),
    "rebased": _l("carried onto a new version"),
    "conflicted": _l("conflicted with an adopted change"),
    "compromise": _l("written as a compromise"),
}

ROLE_LABELS = {
    "member": _l("member"),
    "delegate": _l("delegate"),
    "executive": _l("executive"),
    "admin": _l("admin"),
}

CAUSE_LABELS = {
    "initial": _l("first draft"),
    "editorial": _l("editorial change"),
    "amendment": _l("amendment adopted"),
    "final": _l("final adoption"),
}

POSITION_LABELS = {
    "yes": _l("Yes"),
    "no": _l("No"),
    "abstain": _l("Abstain"),
    "absent": _l("Absent"),
    "adopted": lazy_pgettext("vote outcome", "adopted"),
    "rejected": lazy_pgettext("vote outcome", "rejected"),
}

RULE_LABELS = {
    "majority": _l("simple majority of sections voting"),
    "two-thirds": _l("two-thirds of sections voting"),
    "unanimity": _l("unanimity of sections present"),
}

# The rule's name inside a sentence about a result: "...; majority needed 3."
RULE_SHORT_LABELS = {
    "majority": _l("majority"),
    "two-thirds": _l("two-thirds"),
    "unanimity": _l("unanimity"),
}

VOTE_STATE_LABELS = {
    "open": lazy_pgettext("vote state", "open"),
    "closed": lazy_pgettext("vote state", "closed"),
}

PARAGRAPH_KIND_LABELS = {
    "heading": _l("heading"),
    "list_item": _l("list item"),
    "paragraph": _l("paragraph"),
}

TRANSLATION_STATUS_LABELS = {
    "current": lazy_pgettext("translation status", "current"),
    "outdated": lazy_pgettext("translation status", "outdated"),
    "authoritative": lazy_pgettext("translation status", "authoritative text"),
}

AUDIT_ACTION_LABELS = {
    "declaration.created": _l("declaration created"),
    "declaration.transition": _l("declaration moved to a new stage"),
    "declaration.deadline": _l("amendment deadline set"),
    "declaration.adopted": _l("declaration adopted"),
    "version.created": _l("new version"),
    "amendment.proposed": _l("amendment proposed"),
    "amendment.revised": _l("amendment revised"),
    "amendment.withdrawn": _l("amendment withdrawn"),
    "amendment.carried": _l("amendment carried onto a new version"),
    "amendment.cosponsored": _l("amendment co-sponsored"),
    "amendment.cosponsorship_withdrawn": _l("co-sponsorship withdrawn"),
    "amendment.adopted": _l("amendment adopted"),
    "amendment.rejected": _l("amendment rejected"),
    "amendment.superseded": _l("amendment superseded by a compromise"),
    "amendment.compromise": _l("compromise amendment created"),
    "compromise.drafted": _l("compromise drafted"),
    "compromise.agreed": _l("compromise agreed by a proposer"),
    "compromise.made": _l("compromise made"),
    "compromise.lapsed": _l("compromise lapsed"),
    "vote.opened": _l("vote opened"),
    "vote.closed": _l("vote closed"),
    "translation.saved": _l("translation saved"),
    "setting.second_factor_required": _l("second factor required for executives and admins"),
    "setting.second_factor_optional": _l("second factor made optional"),
    "user.second_factor_reset": _l("second factor turned off by an admin"),
}

OBJECT_LABELS = {
    "declaration": _l("declaration"),
    "amendment": _l("amendment"),
    "vote": _l("vote"),
    "version": _l("version"),
    "compromiseproposal": _l("compromise"),
    "translation": _l("translation"),
    "sitesetting": _l("site setting"),
    "user": _l("account"),
}

DETAIL_LABELS = {
    "number": _l("number"),
    "base_version": _l("base version"),
    "version": _l("version"),
    "revision": _l("revision"),
    "section": _l("section"),
    "deadline": _l("deadline"),
    "title": _l("title"),
    "language": _l("language"),
    "outcome": _l("outcome"),
    "mode": _l("mode"),
    "hash": _l("hash"),
    "amendments": _l("amendments"),
    "cause": _l("cause"),
    "merges": _l("merged amendments"),
    "amendment": _l("amendment"),
    "result_hash": _l("result hash"),
    "kind": _l("kind of vote"),
    "by": _l("superseded by"),
}


# The values of audit details that are codes, worded like everywhere else.
DETAIL_VALUE_LABELS = {
    "kind": {
        "amendment": lazy_pgettext("kind of vote", "vote on an amendment"),
        "final": lazy_pgettext("kind of vote", "final vote"),
    },
    "mode": {"secret": _l("secret per section"), "roll_call": _l("roll call")},
    "outcome": POSITION_LABELS,
    "cause": CAUSE_LABELS,
}


def detail_value(key: str, value) -> str:
    """An audit detail's value: a code worded, anything else as it is."""
    labels = DETAIL_VALUE_LABELS.get(key)
    return label(labels, value) if labels is not None and isinstance(value, str) else str(value)


def state_label(object_type: str, state: str) -> str:
    """A state in the audit log, worded for the kind of object it belongs to."""
    labels = {
        "declaration": STATUS_LABELS,
        "amendment": AMENDMENT_STATUS_LABELS,
        "vote": VOTE_STATE_LABELS,
    }.get(object_type, {})
    return label(labels, state)


def label(labels: dict, code) -> str:
    """The words for a stored code; an unknown code is shown as it is."""
    found = labels.get(str(code))
    return str(found) if found is not None else str(code)


# --- language ---------------------------------------------------------------------------------


def select_locale() -> str:
    if not has_request_context():  # the command line speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    account = current_user.preferred_language if _signed_in() else None
    browser = browser_language(request.accept_languages, languages)
    if request.blueprint == "api":
        return browser or (
            account if account in languages else current_app.config["BABEL_DEFAULT_LOCALE"]
        )
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    if account in languages:
        return account
    return browser or current_app.config["BABEL_DEFAULT_LOCALE"]


def browser_language(accepted, languages) -> str | None:
    """The first language the browser asks for, by its quality, that the interface speaks:
    "tr-TR, en;q=0.5" is Turkish (a regional tag counts for its language), not English."""
    for value, quality in accepted:
        primary = value.lower().replace("_", "-").split("-")[0]
        if quality > 0 and primary in languages:
            return primary
    return None


def _signed_in() -> bool:
    return bool(current_user) and current_user.is_authenticated


@lru_cache(maxsize=256)
def _locale(code: str) -> Locale | None:
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def text_direction(code: str | None) -> str:
    """``rtl`` for languages written right to left (Arabic, Hebrew...), else ``ltr``."""
    locale = _locale(str(code)) if code else None
    return "rtl" if locale is not None and locale.character_order == "right-to-left" else "ltr"


def language_name(code: str, in_language: str | None = None, *, in_sentence: bool = False) -> str:
    """A language's name in the reader's language (``in_language``, default the interface's):
    standing alone (a menu, a column) with a capital; ``in_sentence`` as that language writes it
    inside a sentence ("allemand", "Almanca", "Deutsch")."""
    locale = _locale(code)
    reader = in_language or str(get_locale() or "en")
    name = locale.get_display_name(reader) if locale is not None else None
    if not name:
        return code
    return name if in_sentence else name[:1].upper() + name[1:]


def language_in_sentence(code: str) -> str:
    return language_name(code, in_sentence=True)


# --- time zone --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def known_time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_time_zone(name: str | None) -> bool:
    return bool(name) and name in known_time_zones()


def select_timezone() -> str | None:
    if not has_request_context():
        return None
    if _signed_in() and is_time_zone(getattr(current_user, "time_zone", None)):
        return current_user.time_zone
    reported = unquote(request.cookies.get(TIMEZONE_COOKIE, ""))
    return reported if is_time_zone(reported) else None


def zone_known() -> bool:
    """Whether the page can show times in the reader's zone (else it shows UTC, named)."""
    return select_timezone() is not None


def format_moment(moment: datetime | None, width: str = "medium") -> str:
    """A date and time in the interface language, in the reader's time zone, with the zone named:
    ``29 Kas 2026 15:00 (Türkiye Standart Saati)``. ``width`` is the date's: short, medium,
    long or full; the time is always hours and minutes."""
    if moment is None:
        return ""
    return format_moment_in(moment, get_locale(), get_timezone(), width)


def format_moment_in(moment: datetime, locale, zone, width: str = "medium") -> str:
    """The same, in a given language and zone (a mail is written in its recipient's)."""
    locale = Locale.parse(locale) if isinstance(locale, str) else locale
    local = moment.astimezone(zone)
    pattern = get_datetime_format(width, locale=locale).replace("'", "")
    text = pattern.replace("{0}", babel_dates.format_time(local, "short", locale=locale)).replace(
        "{1}", babel_dates.format_date(local.date(), width, locale=locale)
    )
    return f"{text} ({get_timezone_name(local, 'long', locale=locale)})"


def iana_zone(zone: str | None) -> ZoneInfo:
    return ZoneInfo(zone) if is_time_zone(zone) else ZoneInfo("UTC")


def init_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        language_names=LANGUAGE_NAMES,
        language_name=language_name,
        language_in_sentence=language_in_sentence,
        text_direction=text_direction,
        format_date=format_date,
        format_datetime=format_moment,
        babel_format_datetime=babel_format_datetime,
        get_locale=get_locale,
        zone_known=zone_known,
        status_label=lambda status: label(STATUS_LABELS, status),
        amendment_status_label=lambda status: label(AMENDMENT_STATUS_LABELS, status),
        cause_label=lambda cause: label(CAUSE_LABELS, cause),
        position_label=lambda position: label(POSITION_LABELS, position),
        rule_label=lambda rule: label(RULE_LABELS, rule),
        vote_state_label=lambda state: label(VOTE_STATE_LABELS, state),
        revision_kind_label=lambda kind: label(REVISION_KIND_LABELS, kind),
        translation_status_label=lambda status: label(TRANSLATION_STATUS_LABELS, status),
        audit_action_label=lambda action: label(AUDIT_ACTION_LABELS, action),
        object_label=lambda object_type: label(OBJECT_LABELS, object_type),
        detail_label=lambda key: label(DETAIL_LABELS, key),
        detail_value=detail_value,
        state_label=state_label,
    )
    app.jinja_env.filters["role_label"] = lambda role: label(ROLE_LABELS, role)

"""Interface language: the chosen one, then the account's preference, then the browser's."""
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, get_locale
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

STATUS_LABELS = {
    "draft": _l("draft"),
    "amending": _l("open for amendments"),
    "voting": _l("voting"),
    "adopted": _l("adopted"),
    "published": _l("published"),
    "withdrawn": _l("withdrawn"),
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
    "adopted": _l("adopted"),
    "rejected": _l("rejected"),
}

RULE_LABELS = {
    "majority": _l("simple majority of sections voting"),
    "two-thirds": _l("two-thirds of sections voting"),
    "unanimity": _l("unanimity of sections present"),
}


def select_locale() -> str:
    if not has_request_context():  # the command line speaks the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("language")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.preferred_language in languages:
        return current_user.preferred_language
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str | None:
    return session.get("timezone") if has_request_context() else None


def init_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        language_names=LANGUAGE_NAMES,
        format_date=format_date,
        get_locale=get_locale,
        format_datetime=format_datetime,
        status_label=lambda status: STATUS_LABELS.get(status, status),
        cause_label=lambda cause: CAUSE_LABELS.get(cause, cause),
        position_label=lambda position: POSITION_LABELS.get(str(position), position),
        rule_label=lambda rule: RULE_LABELS.get(str(rule), rule),

    )
    app.jinja_env.filters["role_label"] = lambda role: ROLE_LABELS.get(role, role)

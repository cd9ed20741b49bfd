"""The demo: five sections, one account per role and section, a draft declaration open for
amendments (a few proposed, two competing), and a short statement in Spanish adopted and
published, translated into the other five languages (the German translation left outdated)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from importlib import resources

from flask_babel import gettext as _
from sqlalchemy import func, select

from corep_drafts.domain.workflow import DeclarationStatus
from corep_drafts.extensions import db
from corep_drafts.models import Section, User
from corep_drafts.services import accounts, amendments, declarations, translations, votes
from corep_drafts.services.errors import StateConflict

DEMO_SECTIONS = (
    ("Argentina", "es", "Lucía Fernández"),
    ("Austria", "de", "Johanna Gruber"),
    ("France", "fr", "Camille Martin"),
    ("Spanish State", "es", "Marta Iglesias"),
    ("Türkiye", "tr", "Deniz Yılmaz"),
)
DEMO_EMAIL_DOMAIN = "demo.corep-drafts.test"
DEMO_TITLE = "Joint Declaration on Work in a Heating World"
PUBLISHED_TITLE = "Declaración sobre la libertad de reunión"
# The adopted amendment, as each translation words it: a translator saved against the amended
# version carries it; the German translation was saved before the vote and is left outdated.
ADOPTED_IN_TRANSLATION = {
    "en": ("dispersed with gas and fines", "dispersed with gas, rubber bullets and fines"),
    "fr": (
        "dispersés à coups de gaz et d’amendes",
        "dispersés à coups de gaz, de balles en caoutchouc et d’amendes",
    ),
    "tr": ("gaz ve para cezalarıyla dağıtıldı", "gaz, plastik mermi ve para cezalarıyla dağıtıldı"),
    "eo": ("disigitaj per gaso kaj monpunoj", "disigitaj per gaso, kaŭĉukaj kugloj kaj monpunoj"),
}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    roles: tuple[str, ...]
    section: str | None


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(User)) and not db.session.scalar(
        select(func.count()).select_from(Section)
    )


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-").replace("ü", "u")


def load_demo() -> list[DemoLogin]:
    """Load the demo into an empty database; return the logins with their one-time passwords."""
    if not database_is_empty():
        raise StateConflict(
            _("The database already holds data; the demo loads only into an empty one.")
        )
    logins: list[DemoLogin] = []

    def add(email, name, roles, section=None, language=None):
        password = secrets.token_urlsafe(12)
        accounts.add_user(
            email, name, roles, password, section_name=section, preferred_language=language
        )
        logins.append(DemoLogin(email, password, tuple(roles), section))

    for section_name, language, _name in DEMO_SECTIONS:
        accounts.add_section(section_name, language=language)
    add(f"admin@{DEMO_EMAIL_DOMAIN}", "Ada Admin", ["admin"], language="en")
    add(f"executive@{DEMO_EMAIL_DOMAIN}", "Esra Kaya", ["executive", "member"], language="tr")
    add(f"member@{DEMO_EMAIL_DOMAIN}", "Mateo Rossi", ["member"], language="es")
    for section_name, language, person in DEMO_SECTIONS:
        add(
            f"delegate.{_slug(section_name)}@{DEMO_EMAIL_DOMAIN}",
            person,
            ["delegate", "member"],
            section=section_name,
            language=language,
        )

    delegates = {
        section: accounts.find_user_by_email(f"delegate.{_slug(section)}@{DEMO_EMAIL_DOMAIN}")
        for section, _language, _name in DEMO_SECTIONS
    }
    executive = accounts.find_user_by_email(f"executive@{DEMO_EMAIL_DOMAIN}")
    _load_published_statement(executive, delegates)
    _load_draft_with_amendments(executive, delegates)
    return logins


def _demo_text(name: str) -> str:
    return resources.files("corep_drafts.demo").joinpath(name).read_text("utf-8")


def _amend(text: str, old: str, new: str) -> str:
    if old not in text:
        raise ValueError(f"the demo text lacks {old!r}")
    return text.replace(old, new, 1)


def _load_draft_with_amendments(executive, delegates) -> None:
    """The heat declaration, open for amendments, with a few of them (two compete)."""
    text = _demo_text("declaration.md")
    declaration = declarations.create_declaration(
        DEMO_TITLE, text, rule="majority", language="en", created_by=executive
    )
    declarations.transition(executive, declaration.id, DeclarationStatus.AMENDING)
    amendments.propose(
        delegates["Argentina"],
        declaration.id,
        1,
        _amend(
            text,
            "Paid breaks in shade and access to drinking water",
            "Paid breaks in shade, cool rest rooms and access to drinking water",
        ),
        "Shade alone is not enough in a heatwave: workers need somewhere cool to recover.",
    )
    joint = amendments.propose(
        delegates["France"],
        declaration.id,
        1,
        _amend(
            text,
            "A binding maximum temperature for work, indoors and outdoors,",
            "A binding maximum temperature for work, indoors and outdoors, set by law and not by "
            "employers,",
        ),
        "Limits left to employers are not limits.",
    )
    amendments.cosponsor(delegates["Austria"], joint.id)
    amendments.propose(
        delegates["Türkiye"],
        declaration.id,
        1,
        _amend(
            text,
            "A binding maximum temperature for work, indoors and outdoors,",
            "A binding maximum temperature for work, indoors and outdoors, of 32 °C at most,",
        ),
        "A figure that every worker can check against a thermometer.",
    )


def _load_published_statement(executive, delegates) -> None:
    """A short statement taken through a whole round, adopted and published, for members and
    readers to see the record; translated, the German translation a version behind."""
    text = _demo_text("published.md")
    declaration = declarations.create_declaration(
        PUBLISHED_TITLE, text, rule="two-thirds", language="es", created_by=executive
    )
    declarations.transition(executive, declaration.id, DeclarationStatus.AMENDING)
    translations.save(
        delegates["Austria"], declaration.id, "de", 1, _demo_text("translations/published.de.md")
    )
    adopted = amendments.propose(
        delegates["Spanish State"],
        declaration.id,
        1,
        _amend(
            text, "dispersado con gases y multas", "dispersado con gases, balas de goma y multas"
        ),
        "La policía del Estado español sigue usando balas de goma contra las concentraciones.",
    )
    amendments.cosponsor(delegates["France"], adopted.id)
    rejected = amendments.propose(
        delegates["Austria"],
        declaration.id,
        1,
        _amend(text, "en el plazo de una semana", "en el plazo de tres días"),
        "Eine Woche ist zu langsam, um etwas zu bewirken.",
    )
    for amendment, choices in (
        (adopted, ("yes", "yes", "yes", "yes", "abstain")),
        (rejected, ("yes", "no", "no", "abstain", "no")),
    ):
        vote = votes.open_amendment_vote(executive, amendment.id)
        for delegate, choice in zip(delegates.values(), choices, strict=True):
            votes.cast_ballot(delegate, vote.id, choice)
        votes.close_vote(executive, vote.id)
    declarations.transition(executive, declaration.id, DeclarationStatus.VOTING)
    final = votes.open_final_vote(executive, declaration.id)
    for delegate in delegates.values():
        votes.cast_ballot(delegate, final.id, "yes")
    votes.close_vote(executive, final.id)
    translators = {
        "en": executive,
        "fr": delegates["France"],
        "tr": delegates["Türkiye"],
        "eo": executive,
    }
    for language, (old, new) in ADOPTED_IN_TRANSLATION.items():
        translated = _amend(_demo_text(f"translations/published.{language}.md"), old, new)
        translations.save(translators[language], declaration.id, language, 2, translated)
    declarations.transition(executive, declaration.id, DeclarationStatus.PUBLISHED)

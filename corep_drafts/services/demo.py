"""The demo: five sections, one account per role and section, a real draft declaration."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from importlib import resources

from flask_babel import gettext as _
from sqlalchemy import func, select

from corep_drafts.extensions import db
from corep_drafts.models import Section, User
from corep_drafts.services import accounts, declarations
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
        raise StateConflict(_("The database already holds data; the demo loads only into an empty one."))
    logins: list[DemoLogin] = []

    def add(email, name, roles, section=None, language=None):
        password = secrets.token_urlsafe(12)
        accounts.add_user(email, name, roles, password, section_name=section, preferred_language=language)
        logins.append(DemoLogin(email, password, tuple(roles), section))

    for section_name, language, _name in DEMO_SECTIONS:
        accounts.add_section(section_name, language=language)
    add(f"admin@{DEMO_EMAIL_DOMAIN}", "Ada Admin", ["admin"], language="en")
    add(f"executive@{DEMO_EMAIL_DOMAIN}", "Esra Kaya", ["executive", "member"], language="tr")
    add(f"member@{DEMO_EMAIL_DOMAIN}", "Mateo Rossi", ["member"], language="es")
    for section_name, language, person in DEMO_SECTIONS:
        add(f"delegate.{_slug(section_name)}@{DEMO_EMAIL_DOMAIN}", person, ["delegate", "member"],
            section=section_name, language=language)

    executive = accounts.find_user_by_email(f"executive@{DEMO_EMAIL_DOMAIN}")
    text = resources.files("corep_drafts.demo").joinpath("declaration.md").read_text("utf-8")
    declarations.create_declaration(DEMO_TITLE, text, rule="majority", language="en", created_by=executive)
    return logins

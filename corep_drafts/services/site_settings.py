"""Settings the admin changes on the admin pages, kept in the database (not deployment
settings, which come from the environment)."""

from __future__ import annotations

from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import SiteSetting
from corep_drafts.services import audit

SECOND_FACTOR_REQUIRED = "second_factor_required"


def _setting(key: str) -> SiteSetting | None:
    return db.session.scalar(select(SiteSetting).where(SiteSetting.key == key))


def second_factor_required() -> bool:
    """Whether executives and admins must have a second factor (off until the admin says so)."""
    setting = _setting(SECOND_FACTOR_REQUIRED)
    return setting is not None and setting.value == "yes"


def require_second_factor(actor, required: bool) -> None:
    """Turn the requirement on or off; the change is audited with who made it."""
    if required == second_factor_required():
        return
    setting = _setting(SECOND_FACTOR_REQUIRED)
    if setting is None:
        setting = SiteSetting(key=SECOND_FACTOR_REQUIRED, value="no")
        db.session.add(setting)
    setting.value = "yes" if required else "no"
    db.session.flush()
    action = "setting.second_factor_required" if required else "setting.second_factor_optional"
    audit.record(action, setting, actor=actor)
    db.session.commit()

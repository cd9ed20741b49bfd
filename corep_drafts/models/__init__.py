"""Database models (SQLAlchemy 2 typed). Models hold data and invariants; services commit."""

from corep_drafts.models.accounts import ROLES, ApiToken, Section, User, UserRole
from corep_drafts.models.amendments import (
    Amendment,
    AmendmentRange,
    AmendmentRevision,
    AuditEvent,
    Comment,
    CompromiseConsent,
    CompromiseProposal,
    Cosponsorship,
)
from corep_drafts.models.declarations import Declaration, Version
from corep_drafts.models.notifications import MailState, Notification, NotificationKind
from corep_drafts.models.security import Invitation, RecoveryCode, SignInChallenge, SiteSetting
from corep_drafts.models.translations import Translation, TranslationRevision
from corep_drafts.models.votes import Ballot, Vote

__all__ = [
    "ROLES",
    "Amendment",
    "AmendmentRange",
    "AmendmentRevision",
    "ApiToken",
    "AuditEvent",
    "Ballot",
    "Comment",
    "CompromiseConsent",
    "CompromiseProposal",
    "Cosponsorship",
    "Declaration",
    "Invitation",
    "MailState",
    "Notification",
    "NotificationKind",
    "RecoveryCode",
    "Section",
    "SignInChallenge",
    "SiteSetting",
    "Translation",
    "TranslationRevision",
    "User",
    "UserRole",
    "Version",
    "Vote",
]

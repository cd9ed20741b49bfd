"""The mail outbox: `flask notifications send` mails the notifications that are due, by SMTP.

Nothing is mailed from inside a request. A sender claims rows with one atomic UPDATE that
re-checks their state (PostgreSQL also skips rows another sender holds locked), so two senders
at once never mail one notification twice; the claim is a lease, so the rows of a sender that
died are taken up again once it lapses (the one message that sender had in flight may then go
twice: SMTP cannot say whether it arrived). A message the server refuses is kept and retried
with a back-off (1 min, doubling, at most 6 h) and fails for good after MAX_ATTEMPTS; when the
server cannot be reached at all, nothing is counted against the messages: they wait for the
next run. A deactivated recipient is never mailed. Without SMTP_HOST nothing is sent and the
rows stay on the site.
"""

from __future__ import annotations

import contextlib
import secrets
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from corep_drafts.extensions import db
from corep_drafts.models import MailState, Notification, NotificationKind, User
from corep_drafts.models.base import utcnow
from corep_drafts.services import notification_texts as texts

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)
LEASE = timedelta(minutes=10)
BATCH = 50
SMTP_TIMEOUT = 30
SECURITY_MODES = ("none", "starttls", "tls")
DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}


class MailNotConfigured(Exception):
    """SMTP_HOST is set but the rest cannot make a working sender (the message says why)."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str
    username: str | None
    password: str | None
    sender: str


def mail_settings(config=None) -> MailSettings | None:
    """The SMTP settings from the app's config (CONTRACT.md); None when SMTP_HOST is unset."""
    config = config if config is not None else current_app.config
    host = (config.get("SMTP_HOST") or "").strip()
    if not host:
        return None
    security = (config.get("SMTP_SECURITY") or "none").strip().lower()
    if security not in SECURITY_MODES:
        raise MailNotConfigured(f"SMTP_SECURITY is {security!r}; use none, starttls or tls")
    port = str(config.get("SMTP_PORT") or DEFAULT_PORTS[security]).strip()
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise MailNotConfigured(f"SMTP_PORT is {port!r}; use a port number")
    sender = (config.get("MAIL_FROM") or "").strip()
    if "@" not in parseaddr(sender)[1]:
        raise MailNotConfigured("MAIL_FROM is not an e-mail address; set it with SMTP_HOST")
    return MailSettings(
        host=host,
        port=int(port),
        security=security,
        username=config.get("SMTP_USERNAME") or None,
        password=config.get("SMTP_PASSWORD") or None,
        sender=sender,
    )


@dataclass
class SendReport:
    configured: bool = True
    sent: int = 0
    kept_for_retry: int = 0
    failed_for_good: int = 0
    unreachable: str | None = None  # why the server could not be reached, if it could not
    withheld: int = 0


def retry_delay(attempts: int) -> timedelta:
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _due(now: datetime):
    return or_(
        and_(Notification.mail_state == MailState.PENDING, Notification.next_attempt_at <= now),
        and_(Notification.mail_state == MailState.SENDING, Notification.claimed_until < now),
    )


def claim(token: str, now: datetime, limit: int = BATCH) -> list[int]:
    """Claim up to ``limit`` due rows for this sender and commit the claim. The outer WHERE
    repeats the due condition, so a row another sender claimed meanwhile is left to it (on
    PostgreSQL the row's new state is re-checked after its lock is released)."""
    candidates = (
        select(Notification.id)
        .where(_due(now))
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_(candidates.scalar_subquery()), _due(now))
        .values(mail_state=MailState.SENDING, claim_token=token, claimed_until=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(Notification.id)
            .where(Notification.claim_token == token, Notification.mail_state == MailState.SENDING)
            .order_by(Notification.id)
        )
    )


def _settle(notification_id: int, token: str, **values) -> None:
    """Write a claimed row's outcome, only while this sender still holds the claim."""
    db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.claim_token == token)
        .values(claim_token=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _connect(settings: MailSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if settings.security == "tls":
        connection = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=SMTP_TIMEOUT, context=context
        )
    else:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT)
        if settings.security == "starttls":
            connection.starttls(context=context)
    if settings.username:
        connection.login(settings.username, settings.password or "")
    return connection


def build_message(notification: Notification, settings: MailSettings, now: datetime):
    """The mail, in the recipient's language and time zone; a vote with a closing time brings
    an .ics of the close. List-Unsubscribe comes with the per-kind settings (issue 12, part 2)."""
    recipient = notification.recipient
    language = texts.language_of(recipient)
    words = texts.words_for(notification, language, texts.zone_of(recipient))
    link = texts.public_link(words.link_endpoint, **words.link_values)
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = formataddr((recipient.name, recipient.email))
    message["Subject"] = words.subject
    message["Date"] = format_datetime(now)
    domain = parseaddr(settings.sender)[1].rpartition("@")[2]
    # The same id for every attempt, so a mail system that got it once can drop a second copy.
    message["Message-ID"] = f"<notification-{notification.id}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"
    with_calendar = (
        notification.kind == NotificationKind.VOTE_OPENED
        and texts.closing_time(notification) is not None
    )
    body = [words.body, texts.calendar_note(language)] if with_calendar else [words.body]
    footer = texts.mail_footer(language, texts.public_link("notifications.index"))
    message.set_content("\n\n".join([*body, link, footer]) + "\n")
    if with_calendar:
        message.add_attachment(
            texts.closing_calendar(notification, words, link, now),
            subtype="calendar",
            filename=f"vote-{notification.vote_id}-close.ics",
            params={"method": "PUBLISH"},
        )
    # Last: adding the attachment moves every Content-* header into the text part.
    message["Content-Language"] = language
    return message


@dataclass
class _Run:
    settings: MailSettings
    now: datetime
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    report: SendReport = field(default_factory=SendReport)
    connection: smtplib.SMTP | None = None


def send_due(now: datetime | None = None, settings: MailSettings | None = None) -> SendReport:
    """Mail every due notification once; returns what happened."""
    settings = settings or mail_settings()
    if settings is None:
        return SendReport(configured=False)
    run = _Run(settings, now or utcnow())
    try:
        while run.report.unreachable is None:
            claimed = claim(run.token, run.now)
            if not claimed:
                break
            for position, notification_id in enumerate(claimed):
                if not _send_one(run, notification_id):
                    _release(run, claimed[position + 1 :])
                    break
    finally:
        if run.connection is not None:
            # The messages are settled already; a lost goodbye changes nothing.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                run.connection.quit()
    return run.report


def _send_one(run: _Run, notification_id: int) -> bool:
    """Mail one claimed row and settle it; False when the server cannot be reached."""
    notification = db.session.get(Notification, notification_id)
    recipient = db.session.get(User, notification.recipient_id)
    if not recipient.active:
        _settle(notification_id, run.token, mail_state=MailState.WITHHELD)
        run.report.withheld += 1
        return True
    message = build_message(notification, run.settings, run.now)
    if run.connection is None:
        try:
            run.connection = _connect(run.settings)
        except OSError as error:  # refused, timed out, TLS or login failed: no message's fault
            return _unreachable(run, notification_id, error)
    try:
        run.connection.send_message(message)
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as error:
        return _unreachable(run, notification_id, error)
    except smtplib.SMTPException as error:  # this message refused; the server is there
        _count_failure(run, notification, _describe(error))
        return True
    except OSError as error:  # (SMTPException is one too, hence the order)
        return _unreachable(run, notification_id, error)
    _settle(
        notification_id,
        run.token,
        mail_state=MailState.SENT,
        sent_at=run.now,
        mail_attempts=notification.mail_attempts + 1,
        last_error=None,
    )
    run.report.sent += 1
    return True


def _unreachable(run: _Run, notification_id: int, error: Exception) -> bool:
    run.connection = None
    run.report.unreachable = _describe(error)
    _release(run, [notification_id])
    return False


def _count_failure(run: _Run, notification: Notification, error: str) -> None:
    attempts = notification.mail_attempts + 1
    if attempts >= MAX_ATTEMPTS:
        values = {"mail_state": MailState.FAILED}
        run.report.failed_for_good += 1
    else:
        values = {
            "mail_state": MailState.PENDING,
            "next_attempt_at": run.now + retry_delay(attempts),
        }
        run.report.kept_for_retry += 1
    _settle(notification.id, run.token, mail_attempts=attempts, last_error=error, **values)


def _release(run: _Run, notification_ids: list[int]) -> None:
    """Give claimed rows back untried (the server is unreachable): no attempt is counted, and
    they are due again at the next run."""
    for notification_id in notification_ids:
        _settle(
            notification_id,
            run.token,
            mail_state=MailState.PENDING,
            last_error=run.report.unreachable,
        )
        run.report.kept_for_retry += 1


def _describe(error: Exception) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()))
        return f"{code} {reply.decode('utf-8', 'replace')}"[:500]
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        return f"{error.smtp_code} {text}"[:500]
    return f"{type(error).__name__}: {error}"[:500]


# --- the admin's view -------------------------------------------------------------------------


@dataclass(frozen=True)
class OutboxState:
    configured: bool
    problem: str | None  # why the settings cannot work, when SMTP_HOST is set
    pending: int
    oldest_pending_at: datetime | None
    pending_error: str | None  # the last error among those still waiting (server down...)
    sent: int
    failed_count: int
    failed: list[Notification]  # the newest of them, with their last error


def outbox_state(failed_limit: int = 50) -> OutboxState:
    try:
        configured, problem = mail_settings() is not None, None
    except MailNotConfigured as error:
        configured, problem = True, str(error)
    waiting = Notification.mail_state.in_((MailState.PENDING, MailState.SENDING))
    pending, oldest = db.session.execute(
        select(func.count(), func.min(Notification.created_at)).where(waiting)
    ).one()
    pending_error = db.session.scalar(
        select(Notification.last_error)
        .where(waiting, Notification.last_error.is_not(None))
        .order_by(Notification.id.desc())
        .limit(1)
    )
    counts = dict(
        db.session.execute(
            select(Notification.mail_state, func.count())
            .where(Notification.mail_state.in_((MailState.SENT, MailState.FAILED)))
            .group_by(Notification.mail_state)
        ).all()
    )
    failed = list(
        db.session.scalars(
            select(Notification)
            .where(Notification.mail_state == MailState.FAILED)
            .order_by(Notification.id.desc())
            .limit(failed_limit)
        )
    )
    return OutboxState(
        configured,
        problem,
        pending,
        oldest,
        pending_error,
        counts.get(MailState.SENT, 0),
        counts.get(MailState.FAILED, 0),
        failed,
    )


def waiting_for(since: datetime | None, now: datetime | None = None) -> tuple[int, int]:
    """How long the oldest waiting notification has waited: (hours, minutes)."""
    if since is None:
        return 0, 0
    minutes = max(int(((now or utcnow()) - since).total_seconds() // 60), 0)
    return divmod(minutes, 60)

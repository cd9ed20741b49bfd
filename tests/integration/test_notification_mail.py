"""Notifications mailed by `flask notifications send` to a real SMTP server on 127.0.0.1: each
in its recipient's language and time zone, retried when the server refuses or is down, never
twice, never to a deactivated account, and nothing at all without SMTP_HOST."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import smtp_support
from babel.dates import get_timezone_name
from sqlalchemy import func, select

from corep_drafts.extensions import db
from corep_drafts.models import MailState, Notification
from corep_drafts.models.base import utcnow
from corep_drafts.services import accounts, amendments, declarations, outbox, votes

TEXT = "Work stops above a set temperature.\n\nBreaks in the shade are paid.\n"
CLOSES_AT = datetime(2030, 3, 2, 15, 0, tzinfo=UTC)

smtp_server = smtp_support.smtp_server
mail_settings = smtp_support.mail_settings


@pytest.fixture
def amendment(people):
    executive = people["executive"]
    declaration = declarations.create_declaration("On work in the heat", TEXT, created_by=executive)
    declarations.transition(executive, declaration.id, "amending")
    return amendments.propose(
        people["delegate_a"], declaration.id, 1, TEXT.replace("a set", "30 °C, a"), "why"
    )


@pytest.fixture
def speaking_two_languages(people):
    """Delegate A reads Spanish in Buenos Aires, delegate B German in Vienna."""
    accounts.update_preferences(people["delegate_a"], "es", "America/Argentina/Buenos_Aires")
    accounts.update_preferences(people["delegate_b"], "de", "Europe/Vienna")
    return people


def open_vote(people, amendment, closes_at=CLOSES_AT):
    return votes.open_amendment_vote(people["executive"], amendment.id, closes_at=closes_at)


def states() -> dict[str, int]:
    return dict(
        db.session.execute(
            select(Notification.mail_state, func.count()).group_by(Notification.mail_state)
        ).all()
    )


def test_a_vote_opened_reaches_each_delegate_in_their_language_and_zone_with_the_close_as_ics(
    mail_settings, speaking_two_languages, amendment
):
    people = speaking_two_languages
    vote = open_vote(people, amendment)

    report = outbox.send_due()

    assert (report.sent, report.kept_for_retry, report.failed_for_good) == (2, 0, 0)
    mailbox = mail_settings.mailbox
    for person, language, zone, local_time, words in (
        ("delegate_a", "es", "America/Argentina/Buenos_Aires", "12:00", "Votación abierta"),
        ("delegate_b", "de", "Europe/Vienna", "16:00", "Abstimmung offen"),
    ):
        (message,) = mailbox.to(people[person].email)
        assert message["Subject"].startswith(words), message["Subject"]
        assert "A1" in message["Subject"]
        assert message["From"] == "corep-drafts <drafts@example.org>"
        assert message["Date"] and message["Message-ID"]
        assert message["Content-Language"] == language
        body = message.get_body(("plain",)).get_content()
        zone_name = get_timezone_name(CLOSES_AT.astimezone(ZoneInfo(zone)), "long", locale=language)
        assert local_time in body and f"({zone_name})" in body, body
        assert f"https://drafts.example.org/votes/{vote.id}" in body
        (attachment,) = list(message.iter_attachments())
        assert attachment.get_content_type() == "text/calendar"
        calendar = icalendar.Calendar.from_ical(attachment.get_content())
        (event,) = calendar.walk("VEVENT")
        assert event.decoded("DTSTART") == CLOSES_AT
        assert "A1" in str(event.get("SUMMARY"))
    assert states() == {"sent": 2}


def test_a_result_is_mailed_with_the_per_section_table_in_the_recipients_language(
    mail_settings, speaking_two_languages, amendment
):
    people = speaking_two_languages
    vote = open_vote(people, amendment, closes_at=None)
    votes.cast_ballot(people["delegate_a"], vote.id, "yes")
    votes.cast_ballot(people["delegate_b"], vote.id, "no")
    votes.close_vote(people["executive"], vote.id)
    outbox.send_due()

    results = [m for m in mail_settings.mailbox.messages if "A1" in m["Subject"]]
    german = next(m for m in results if m["Subject"].startswith("Ergebnis der Abstimmung"))
    assert german["To"].endswith(f"<{people['delegate_b'].email}>")
    body = german.get_body(("plain",)).get_content()
    assert "Argentina: Ja (Ja 1, Nein 0, Enthaltung 0)" in body
    assert "Austria: Nein (Ja 0, Nein 1, Enthaltung 0)" in body
    spanish = [m for m in results if m["Subject"].startswith("Resultado de la votación")]
    assert len(spanish) == 1
    proposer = [m for m in mail_settings.mailbox.to(people["delegate_a"].email)]
    assert any(m["Subject"] == "Tu enmienda A1 fue rechazada" for m in proposer)


def test_a_vote_without_closing_time_is_mailed_without_a_calendar_entry(
    mail_settings, people, amendment
):
    open_vote(people, amendment, closes_at=None)
    outbox.send_due()
    (message,) = mail_settings.mailbox.to(people["delegate_b"].email)
    assert list(message.iter_attachments()) == []
    assert "no closing time" in message.get_body(("plain",)).get_content()


def test_a_refused_message_is_kept_and_sent_once_when_the_server_accepts_it_again(
    mail_settings, people, amendment
):
    open_vote(people, amendment)
    mail_settings.mailbox.refusal = "451 4.3.0 Try again later"

    first = outbox.send_due()

    assert (first.sent, first.kept_for_retry, first.failed_for_good) == (0, 2, 0)
    kept = db.session.scalars(select(Notification)).all()
    assert {n.mail_state for n in kept} == {MailState.PENDING}
    assert {n.mail_attempts for n in kept} == {1}
    assert all("451" in n.last_error for n in kept)
    assert all(n.next_attempt_at > utcnow() for n in kept)

    mail_settings.mailbox.refusal = None
    assert outbox.send_due().sent == 0  # not due yet: the back-off holds
    later = outbox.send_due(now=utcnow() + timedelta(minutes=2))
    assert later.sent == 2
    assert outbox.send_due(now=utcnow() + timedelta(hours=1)).sent == 0
    assert len(mail_settings.mailbox.messages) == 2
    assert states() == {"sent": 2}


def test_a_message_refused_at_every_attempt_fails_for_good(mail_settings, people, amendment):
    open_vote(people, amendment)
    mail_settings.mailbox.refusal = "451 4.3.0 Try again later"
    now, failed = utcnow(), 0
    for _ in range(outbox.MAX_ATTEMPTS):
        report = outbox.send_due(now=now)
        failed += report.failed_for_good
        now += outbox.LONGEST_RETRY
    assert failed == 2
    assert states() == {"failed": 2}
    mail_settings.mailbox.refusal = None
    assert outbox.send_due(now=now + timedelta(days=1)).sent == 0


def test_nothing_is_lost_while_the_server_is_down_and_each_is_sent_once_after(
    mail_settings, people, amendment
):
    open_vote(people, amendment)
    mail_settings.stop()

    down = outbox.send_due()

    assert down.sent == 0 and down.unreachable
    assert states() == {"pending": 2}
    assert {n.mail_attempts for n in db.session.scalars(select(Notification))} == {0}

    mail_settings.start()
    assert outbox.send_due().sent == 2
    assert outbox.send_due().sent == 0
    assert len(mail_settings.mailbox.messages) == 2


def test_two_senders_at_once_never_send_one_notification_twice(
    app, mail_settings, sections, make_user, people, amendment
):
    for number in range(28):
        make_user("delegate", section=sections["AB"[number % 2]])
    open_vote(people, amendment)
    total = db.session.scalar(select(func.count()).select_from(Notification))
    assert total == 30
    reports, start = [], threading.Barrier(2)

    def sender():
        with app.app_context():
            start.wait()
            reports.append(outbox.send_due())
            db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not any(thread.is_alive() for thread in threads)
    assert sum(report.sent for report in reports) == 30
    recipients = [message["To"] for message in mail_settings.mailbox.messages]
    assert len(recipients) == 30 and len(set(recipients)) == 30
    assert states() == {"sent": 30}


def test_a_deactivated_account_is_never_mailed(mail_settings, people, amendment):
    open_vote(people, amendment)
    accounts.set_user_active(people["delegate_b"].id, False, people["admin"].id)

    report = outbox.send_due()

    assert report.sent == 1 and report.withheld == 1
    assert mail_settings.mailbox.to(people["delegate_b"].email) == []
    assert len(mail_settings.mailbox.to(people["delegate_a"].email)) == 1


def test_a_deactivated_account_is_not_even_notified(people, amendment):
    accounts.set_user_active(people["delegate_b"].id, False, people["admin"].id)
    open_vote(people, amendment)
    recipients = set(db.session.scalars(select(Notification.recipient_id)))
    assert recipients == {people["delegate_a"].id}


def test_without_smtp_host_nothing_is_sent_and_the_notifications_stay_on_the_site(
    app, runner, smtp_server, people, amendment
):
    app.config.pop("SMTP_HOST", None)
    open_vote(people, amendment)

    result = runner.invoke(args=["notifications", "send"])

    assert result.exit_code == 0
    assert "Mail is not configured" in result.output and "nothing was sent" in result.output
    assert smtp_server.mailbox.messages == []
    assert states() == {"pending": 2}


def test_the_send_command_prints_what_was_sent_kept_and_failed(
    runner, mail_settings, people, amendment
):
    open_vote(people, amendment)
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0, result.output
    assert "Sent 2, kept 0 for retry, 0 failed for good." in result.output


def test_a_bad_mail_setting_is_one_line_and_sends_nothing(app, runner, mail_settings, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_SECURITY", "ssl3")
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: SMTP_SECURITY is 'ssl3'; use none, starttls or tls"
    ]

"""The TOTP second factor through the pages: enrolment, signing in with a code, no replay, the
limit of wrong codes, the expiry of a sign-in awaiting its code, recovery codes, switching it
off, and the admin's requirement for executives and admins. The clock is injected."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from corep_testing import AuthActions
from sqlalchemy import select

from corep_drafts.extensions import db
from corep_drafts.models import AuditEvent, RecoveryCode
from corep_drafts.services import second_factor

START = datetime(2026, 11, 29, 9, 0, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(second_factor, "utcnow", clock)
    return clock


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def enrol(client, auth, clock) -> tuple[str, list[str]]:
    """Set up the second factor through the profile pages; returns the key and recovery codes."""
    page = client.get("/profile/second-factor").get_data(as_text=True)
    secret = re.search(r'id="second-factor-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    response = auth.post(
        "/profile/second-factor",
        {"code": code_at(secret, clock.now)},
        token_page="/profile/second-factor",
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", response.get_data(as_text=True))
    return secret, codes


def post_code(auth, code: str):
    return auth.post("/login/code", {"code": code}, token_page="/login/code")


@pytest.fixture
def enrolled(client, auth, people, clock):
    """The delegate of A with a second factor set up, signed out again; (user, key, codes)."""
    user = people["delegate_a"]
    auth.login(user.email)
    secret, codes = enrol(client, auth, clock)
    auth.logout()
    clock.advance(seconds=30)  # the enrolment used the current step's code
    return user, secret, codes


def test_enrolling_shows_the_key_and_a_qr_code_and_a_current_code_turns_it_on(
    client, auth, people, clock
):
    auth.login(people["delegate_a"].email)
    page = client.get("/profile/second-factor").get_data(as_text=True)
    assert '<svg width="' in page and 'class="qr-code"' in page
    secret = re.search(r'id="second-factor-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")

    wrong = auth.post(
        "/profile/second-factor",
        {"code": code_at(secret, clock.now - timedelta(minutes=5))},
        token_page="/profile/second-factor",
    )
    assert wrong.status_code == 422
    assert not people["delegate_a"].has_second_factor

    secret_again, codes = enrol(client, auth, clock)
    assert secret_again == secret  # the same key until it is confirmed
    assert people["delegate_a"].has_second_factor
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(db.session.scalars(select(RecoveryCode.code_hash)))
    assert stored == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}
    assert "recovery-codes" not in client.get("/profile/second-factor").get_data(as_text=True)


def test_signing_in_asks_for_the_code_after_the_password(client, auth, enrolled, clock):
    user, secret, _codes = enrolled
    response = auth.login(user.email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/code")
    assert client.get("/profile").status_code == 302  # not signed in yet
    response = post_code(auth, code_at(secret, clock.now))
    assert response.status_code == 302
    page = client.get("/profile")
    assert page.status_code == 200 and user.name in page.get_data(as_text=True)


def test_a_code_one_step_off_is_accepted_but_never_twice(client, auth, enrolled, clock):
    user, secret, _codes = enrolled
    auth.login(user.email)
    code = code_at(secret, clock.now + timedelta(seconds=30))  # the phone's clock runs ahead
    assert post_code(auth, code).status_code == 302
    auth.logout()

    auth.login(user.email)
    assert post_code(auth, code).status_code == 422  # the same code again
    # nor an earlier step's code, though still within the window
    assert post_code(auth, code_at(secret, clock.now)).status_code == 422
    clock.advance(seconds=60)
    assert post_code(auth, code_at(secret, clock.now)).status_code == 302


def test_a_code_two_steps_off_is_refused(client, auth, enrolled, clock):
    user, secret, _codes = enrolled
    auth.login(user.email)
    response = post_code(auth, code_at(secret, clock.now - timedelta(seconds=60)))
    assert response.status_code == 422
    assert "not right" in response.get_data(as_text=True)


def test_the_fifth_wrong_code_ends_the_sign_in_even_for_a_replayed_cookie(
    app, client, auth, enrolled, clock
):
    user, secret, _codes = enrolled
    auth.login(user.email)
    cookie = client.get_cookie("session").value  # what an attacker would keep and replay
    for tries_left in (4, 3, 2, 1):
        response = post_code(auth, "000000")
        assert response.status_code == 422
        assert f"{tries_left} tr" in response.get_data(as_text=True)
    response = post_code(auth, "000000")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")

    client.set_cookie("session", cookie)
    app.config["WTF_CSRF_ENABLED"] = False  # the old cookie's form token is not the point here
    response = client.post("/login/code", data={"code": code_at(secret, clock.now)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.get("/profile").status_code == 302  # still not signed in
    # starting over with the password gives five tries again
    app.config["WTF_CSRF_ENABLED"] = True
    auth.login(user.email)
    assert post_code(auth, code_at(secret, clock.now)).status_code == 302


def test_a_sign_in_awaiting_its_code_expires_after_five_minutes(client, auth, enrolled, clock):
    user, secret, _codes = enrolled
    auth.login(user.email)
    clock.advance(minutes=5, seconds=1)
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.get("/profile").status_code == 302


def test_a_recovery_code_signs_in_once(client, auth, enrolled, clock):
    user, _secret, codes = enrolled
    auth.login(user.email)
    assert post_code(auth, codes[3].upper()).status_code == 302
    assert "You used a recovery code; 9 are left." in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(user.email)
    assert post_code(auth, codes[3]).status_code == 422
    assert second_factor.recovery_codes_left(user) == 9


def test_turning_it_off_needs_the_password_and_a_current_code(client, auth, enrolled, clock):
    user, secret, _codes = enrolled
    auth.login(user.email)
    post_code(auth, code_at(secret, clock.now))
    clock.advance(seconds=30)
    page = "/profile/second-factor"
    wrong_password = auth.post(
        "/profile/second-factor/disable",
        {"password": "not the password", "code": code_at(secret, clock.now)},
        token_page=page,
    )
    assert wrong_password.status_code == 422 and user.has_second_factor
    wrong_code = auth.post(
        "/profile/second-factor/disable",
        {"password": "correct horse battery staple", "code": "123456"},
        token_page=page,
    )
    assert wrong_code.status_code == 422 and user.has_second_factor
    response = auth.post(
        "/profile/second-factor/disable",
        {"password": "correct horse battery staple", "code": code_at(secret, clock.now)},
        token_page=page,
    )
    assert response.status_code == 302
    assert not user.has_second_factor
    assert db.session.scalars(select(RecoveryCode)).all() == []
    auth.logout()
    assert auth.login(user.email).headers["Location"] == "/"  # no code asked any more


def sign_out_while_held(auth):
    """Signing out stays open to whoever is held at the enrolment page."""
    response = auth.post("/logout", token_page="/profile/second-factor")
    assert response.status_code == 302


def require_second_factor(auth, required: bool):
    data = {"second_factor_required": "y"} if required else {}
    response = auth.post("/admin/security", data, token_page="/admin/security")
    assert response.status_code == 302


def test_when_the_admin_requires_it_an_executive_must_enrol_before_any_other_page(
    client, auth, people, clock
):
    auth.login(people["admin"].email)
    require_second_factor(auth, True)
    events = db.session.scalars(select(AuditEvent)).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("setting.second_factor_required", people["admin"].id)
    ]
    # the admin, without a second factor, is held at the enrolment page at once
    assert client.get("/admin/users").headers["Location"].endswith("/profile/second-factor")
    sign_out_while_held(auth)

    auth.login(people["executive"].email)
    for path in ("/", "/profile", "/audit", "/declarations/new"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].endswith("/profile/second-factor"), path
    page = client.get("/profile/second-factor").get_data(as_text=True)
    assert "require a second factor for your role" in page
    enrol(client, auth, clock)
    assert client.get("/").status_code == 200
    assert client.get("/audit").status_code == 200


def test_the_requirement_leaves_delegates_and_members_free(client, auth, people):
    auth.login(people["admin"].email)
    require_second_factor(auth, True)
    sign_out_while_held(auth)
    for role in ("delegate_a", "member"):
        auth.login(people[role].email)
        assert client.get("/").status_code == 200
        auth.logout()


def test_the_requirement_is_off_until_the_admin_turns_it_on_and_off_again(client, auth, people):
    auth.login(people["executive"].email)
    assert client.get("/").status_code == 200
    auth.logout()
    auth.login(people["admin"].email)
    page = client.get("/admin/security").get_data(as_text=True)
    assert 'name="second_factor_required"' in page and "checked" not in page
    require_second_factor(auth, True)
    client.get("/profile/second-factor")  # held here; the admin page itself is closed now
    assert second_factor.must_enrol(people["admin"])
    sign_out_while_held(auth)
    # another admin (with a second factor of their own) would turn it off; the service does here
    from corep_drafts.services import site_settings

    site_settings.require_second_factor(people["admin"], False)
    assert not second_factor.must_enrol(people["admin"])
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["setting.second_factor_required", "setting.second_factor_optional"]


def test_an_admin_turns_off_the_second_factor_of_someone_who_lost_it(
    app, client, auth, enrolled, people, clock
):
    user, secret, _codes = enrolled
    auth.login(user.email)
    post_code(auth, code_at(secret, clock.now))
    assert client.get("/profile").status_code == 200

    admin_client = app.test_client()
    admin = AuthActions(admin_client)
    admin.login(people["admin"].email)
    page = f"/admin/users/{user.id}"
    assert "Turn off their second factor" in admin_client.get(page).get_data(as_text=True)
    response = admin.post(f"{page}/second-factor/reset", token_page=page)
    assert response.status_code == 302
    assert not user.has_second_factor
    assert second_factor.recovery_codes_left(user) == 0
    event = db.session.scalars(select(AuditEvent)).one()
    assert (event.action, event.object_id, event.actor_id) == (
        "user.second_factor_reset",
        user.id,
        people["admin"].id,
    )
    assert "Turn off their second factor" not in admin_client.get(page).get_data(as_text=True)

    assert client.get("/profile").status_code == 302  # their session from before has ended
    assert auth.login(user.email).headers["Location"] == "/"  # and no code is asked


def test_after_the_code_one_is_sent_to_the_page_one_asked_for_but_never_off_site(
    client, auth, enrolled, clock
):
    user, secret, _codes = enrolled
    for asked, expected in (("/profile", "/profile"), ("https://evil.example.com/", "/")):
        response = client.post(
            "/login?next=" + asked,
            data={
                "email": user.email,
                "password": "correct horse battery staple",
                "csrf_token": auth.csrf_token("/login"),
            },
        )
        assert response.headers["Location"].endswith("/login/code")
        response = post_code(auth, code_at(secret, clock.now))
        assert response.headers["Location"] == expected
        auth.logout()
        clock.advance(seconds=30)

"""Cookies (HttpOnly, SameSite=Lax, Secure by setting) and session lifetimes (idle and absolute),
on a clock the tests move by hand."""

import pytest
from corep_testing import config_for_tests

from corep_drafts import create_app, session_policy
from corep_drafts.config import settings_from_environment

START = 1_800_000_000


@pytest.fixture
def clock(monkeypatch):
    now = {"t": float(START)}
    monkeypatch.setattr(session_policy, "current_time", lambda: now["t"])

    def advance(minutes: float) -> None:
        now["t"] += minutes * 60

    return advance


def expect_sent_to_sign_in(response, next_page="/profile"):
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert next_page in response.headers["Location"]


def test_a_session_idle_longer_than_the_setting_ends_with_a_message(client, auth, people, clock):
    auth.login("member@example.org")
    clock(119)
    assert client.get("/profile").status_code == 200  # activity: the idle time starts again
    clock(119)
    assert client.get("/profile").status_code == 200
    clock(121)
    expect_sent_to_sign_in(client.get("/profile"))
    page = client.get("/login?next=/profile").get_data(as_text=True)
    assert "Your session has expired" in page
    assert client.get("/profile").status_code == 302  # really signed out


def test_a_session_ends_at_the_absolute_lifetime_even_when_active(client, auth, people, clock):
    auth.login("member@example.org")
    for _ in range(11):
        clock(60)
        assert client.get("/profile").status_code == 200
    clock(61)
    expect_sent_to_sign_in(client.get("/profile"))


def test_the_lifetimes_are_settings(app, client, auth, people, clock, monkeypatch):
    monkeypatch.setitem(app.config, "COREP_SESSION_IDLE_MINUTES", 5)
    auth.login("member@example.org")
    clock(6)
    expect_sent_to_sign_in(client.get("/profile"))

    monkeypatch.setitem(app.config, "COREP_SESSION_MAX_HOURS", 1)
    auth.login("member@example.org")
    for _ in range(15):
        clock(4)
        assert client.get("/profile").status_code == 200
    clock(1)
    expect_sent_to_sign_in(client.get("/profile"))


def test_a_session_without_the_times_is_ended(app, client, auth, people, clock):
    auth.login("member@example.org")
    with client.session_transaction() as session:
        del session[session_policy.SIGNED_IN_AT]
    expect_sent_to_sign_in(client.get("/profile"))


def test_the_api_is_not_touched_by_session_lifetimes(api, people, clock):
    clock(60 * 24 * 30)
    assert api("member", "GET", "/declarations").status_code == 200


def session_cookie_header(response) -> str:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert headers, "no session cookie set"
    return headers[-1]


def test_the_session_cookie_is_httponly_and_samesite_lax_and_not_secure_when_set_off(
    client, auth, people
):
    cookie = session_cookie_header(auth.login("member@example.org"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_the_session_cookie_is_secure_by_default(app, people):
    settings = config_for_tests(app.config["SQLALCHEMY_DATABASE_URI"])
    del settings["COREP_SECURE_COOKIES"]
    secure_app = create_app(settings)
    client = secure_app.test_client()
    response = client.get("/login", base_url="https://localhost")
    cookie = session_cookie_header(response)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert secure_app.config["REMEMBER_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    "environment, secure",
    [({}, True), ({"COREP_ENV": "development"}, False), ({"COREP_SECURE_COOKIES": "0"}, False)],
)
def test_secure_cookies_are_on_unless_in_development_or_turned_off(
    monkeypatch, tmp_path, environment, secure
):
    for name in ("COREP_ENV", "FLASK_DEBUG", "COREP_SECURE_COOKIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert settings_from_environment(str(tmp_path))["COREP_SECURE_COOKIES"] is secure

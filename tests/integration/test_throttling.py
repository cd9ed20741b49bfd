"""Throttling: sign-in per account and per address, failed API tokens per address (Flask-Limiter).

The suite runs with throttling off; each test here makes its own app with it on, over the same
database, so its counters start empty."""

import os
import socket
import uuid

import pytest
from corep_testing import PASSWORD, config_for_tests, csrf_token_from

from corep_drafts import create_app
from corep_drafts.extensions import db
from corep_drafts.services import accounts

VENUE = "192.0.2.10"  # documentation addresses (RFC 5737): only strings in the WSGI environ here
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def make_throttled_app(app):
    made = []

    def make(**settings):
        throttled = create_app(
            config_for_tests(app.config["SQLALCHEMY_DATABASE_URI"])
            | {"RATELIMIT_ENABLED": True}
            | settings
        )
        throttled.test_client_class = app.test_client_class
        made.append(throttled)
        return throttled

    yield make
    for throttled in made:
        with throttled.app_context():
            db.engine.dispose()


@pytest.fixture
def throttled_app(make_throttled_app):
    return make_throttled_app()


def sign_in(client, email, password, address=VENUE):
    environ = {"REMOTE_ADDR": address}
    token = csrf_token_from(client.get("/login", environ_base=environ).get_data(as_text=True))
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base=environ,
    )


def test_25_wrong_passwords_for_one_account_are_throttled_long_before_the_25th(
    throttled_app, people
):
    client = throttled_app.test_client()
    statuses = [
        sign_in(client, "member@example.org", f"wrong password {n}").status_code for n in range(25)
    ]
    first_refusal = statuses.index(429)
    assert first_refusal == 5 and set(statuses[first_refusal:]) == {429}

    response = sign_in(client, "MEMBER@example.org", "wrong password again")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 3600
    body = response.get_data(as_text=True)
    assert "Too many attempts" in body and 'name="password"' in body  # the sign-in page again
    # While throttled, even the right password does not get through.
    assert sign_in(client, "member@example.org", PASSWORD).status_code == 429


def test_another_account_from_another_address_is_not_affected(throttled_app, people):
    attacker = throttled_app.test_client()
    for n in range(8):
        sign_in(attacker, "member@example.org", f"wrong password {n}")

    delegate = throttled_app.test_client()
    response = sign_in(delegate, "delegate.a@example.org", PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302
    assert delegate.get("/profile", environ_base={"REMOTE_ADDR": ELSEWHERE}).status_code == 200


def test_successful_sign_ins_spend_nothing_so_a_whole_room_signs_in_from_one_address(
    make_throttled_app, people, make_user
):
    throttled_app = make_throttled_app(COREP_SIGN_IN_LIMIT_PER_ADDRESS="10/minute")
    room = [make_user("member") for _ in range(15)]
    for person in room:
        assert sign_in(throttled_app.test_client(), person.email, PASSWORD).status_code == 302
    for _ in range(8):  # one person signing in again and again
        assert sign_in(throttled_app.test_client(), room[0].email, PASSWORD).status_code == 302


def test_one_address_failing_on_many_accounts_is_throttled(make_throttled_app, people):
    throttled_app = make_throttled_app(COREP_SIGN_IN_LIMIT_PER_ADDRESS="10/minute")
    client = throttled_app.test_client()
    statuses = [
        sign_in(client, f"nobody{n}@example.org", "wrong password!!").status_code for n in range(12)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]
    assert sign_in(client, "member@example.org", PASSWORD, address=ELSEWHERE).status_code == 302


def test_repeated_bad_api_tokens_get_429_rate_limited_with_retry_after(throttled_app, people):
    client = throttled_app.test_client()
    good = accounts.create_token(people["member"])

    def call(token, address=VENUE):
        return client.get(
            "/api/v1/declarations",
            headers={"Authorization": f"Bearer {token}"},
            environ_base={"REMOTE_ADDR": address},
        )

    statuses = [call(f"cdt_guess{n}").status_code for n in range(32)]
    assert statuses[:30] == [401] * 30 and statuses[30:] == [429, 429]
    refused = call("cdt_another_guess")
    assert refused.status_code == 429
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert refused.get_json()["error"]["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert call(good, address=ELSEWHERE).status_code == 200


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(
    not redis_reachable() and not os.environ.get("COREP_REQUIRE_REDIS"),
    reason="no Redis on 127.0.0.1:6379",
)
def test_the_counters_can_live_in_redis(make_throttled_app, people):
    prefix = f"corep-test-{uuid.uuid4().hex[:12]}"
    throttled_app = make_throttled_app(
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0", RATELIMIT_KEY_PREFIX=prefix
    )
    statuses = [
        sign_in(
            throttled_app.test_client(), "member@example.org", f"wrong {n} password"
        ).status_code
        for n in range(7)
    ]
    assert statuses == [200] * 5 + [429, 429]

    # A second process (another app, sharing only Redis) sees the same counters.
    second = make_throttled_app(
        RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0", RATELIMIT_KEY_PREFIX=prefix
    )
    assert sign_in(second.test_client(), "member@example.org", PASSWORD).status_code == 429

    import redis

    connection = redis.Redis(host="127.0.0.1", port=6379)
    keys = list(connection.scan_iter(f"*{prefix}*"))
    assert keys
    connection.delete(*keys)


def test_behind_a_trusted_proxy_each_client_is_throttled_by_its_own_address(
    make_throttled_app, people
):
    throttled_app = make_throttled_app(
        COREP_TRUSTED_PROXIES=1, COREP_SIGN_IN_LIMIT_PER_ADDRESS="3/minute"
    )
    client = throttled_app.test_client()

    def through_proxy(client_address, email):
        environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": client_address}
        token = csrf_token_from(client.get("/login", environ_base=environ).get_data(as_text=True))
        return client.post(
            "/login",
            data={"email": email, "password": "wrong password!!", "csrf_token": token},
            environ_base=environ,
        ).status_code

    assert [through_proxy(VENUE, f"x{n}@example.org") for n in range(4)] == [200, 200, 200, 429]
    assert through_proxy(ELSEWHERE, "y@example.org") == 200


def test_with_its_redis_unreachable_sign_in_is_still_throttled_in_memory_and_nothing_fails(
    make_throttled_app, people
):
    # Port 1 of this machine: nothing listens there, so the connection is refused at once.
    throttled_app = make_throttled_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    client = throttled_app.test_client()
    statuses = [
        sign_in(client, "member@example.org", f"wrong {n} password").status_code for n in range(7)
    ]
    assert statuses == [200] * 5 + [429, 429]
    response = client.get("/api/v1/declarations", headers={"Authorization": "Bearer cdt_bad"})
    assert response.status_code == 401


def test_wrong_second_factor_codes_spend_the_accounts_sign_in_budget(throttled_app, people):
    """Whoever knows the password cannot start sign-in after sign-in to try codes without end:
    five wrong codes use up the account's budget, and the next sign-in is refused with 429."""
    import pyotp

    from corep_drafts.services import second_factor

    with throttled_app.app_context():
        user = db.session.get(type(people["delegate_a"]), people["delegate_a"].id)
        secret = second_factor.enrolment_secret(user)
        second_factor.confirm_enrolment(user, pyotp.TOTP(secret).now())
        email = user.email
    client = throttled_app.test_client()
    environ = {"REMOTE_ADDR": VENUE}
    assert sign_in(client, email, PASSWORD).headers["Location"].endswith("/login/code")
    for attempt in range(5):
        page = client.get("/login/code", environ_base=environ).get_data(as_text=True)
        response = client.post(
            "/login/code",
            data={"code": "000000", "csrf_token": csrf_token_from(page)},
            environ_base=environ,
        )
        assert response.status_code in (302, 422), attempt

    refused = sign_in(client, email, PASSWORD)
    assert refused.status_code == 429 and "Retry-After" in refused.headers

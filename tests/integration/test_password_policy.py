"""The password policy (ASVS 5.0 level 2): 12 to 128 characters, no composition rules, common
passwords refused, Unicode normalised (NFKC), wherever a password is set."""

import re

import pytest
from corep_testing import PASSWORD

from corep_drafts.services import accounts, passwords
from corep_drafts.services.errors import InvalidInput


@pytest.mark.parametrize(
    "password, refusal",
    [
        ("short pass", "at least 12 characters"),
        ("x" * 129, "at most 128 characters"),
        ("qwerty123456", "list of common passwords"),
        ("QWERTY123456", "list of common passwords"),
        ("1qaz2wsx3edc", "list of common passwords"),
        ("password1234", "list of common passwords"),
    ],
)
def test_a_short_long_or_common_password_is_refused_with_the_reason(app, password, refusal):
    with pytest.raises(InvalidInput, match=refusal) as refused:
        passwords.check_policy(password, field="new_password")
    assert refused.value.field == "new_password"


@pytest.mark.parametrize(
    "password",
    [
        "twelve chars",  # no digit, no capital, no symbol: no composition rules
        "x" * 128,
        "ğüşöçİğüşöçİ",  # 12 characters, 24 bytes: length counts characters
        "日本語のパスワードです。はい",
        PASSWORD,
    ],
)
def test_a_long_enough_uncommon_password_is_accepted_whatever_it_is_made_of(app, password):
    passwords.check_policy(password)


def test_the_common_password_list_is_shipped_and_large(app):
    common = passwords.common_passwords()
    assert len(common) >= 10_000
    assert {"123456", "password", "qwerty123456"} <= common


def test_a_password_is_normalised_so_any_keyboard_signs_in(app, people, make_user):
    composed = "caf\u00e9 au lait sans sucre"  # é as one character
    decomposed = "cafe\u0301 au lait sans sucre"  # e and a combining accent
    user = make_user("member", email="cafe@example.org")
    accounts.change_password(user, PASSWORD, composed)
    assert accounts.authenticate("cafe@example.org", decomposed) == user
    full_width = "ｆｕｌｌ ｗｉｄｔｈ ｐａｓｓ"  # NFKC: "full width pass"
    accounts.change_password(user, decomposed, full_width)
    assert accounts.authenticate("cafe@example.org", "full width pass") == user


def test_a_hash_of_a_password_as_typed_before_normalisation_still_signs_in_and_is_renewed(
    app, people, make_user
):
    from argon2 import PasswordHasher

    user = make_user("member", email="old@example.org")
    typed = "cafe\u0301 au lait sans sucre"
    config = app.config
    user.password_hash = PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    ).hash(typed)
    accounts.db.session.commit()
    assert accounts.authenticate("old@example.org", typed) == user
    assert passwords.is_normalised_hash(user.password_hash, typed)


def test_the_profile_refuses_a_common_new_password_beside_its_field(client, auth, people):
    auth.login("member@example.org")
    response = auth.post(
        "/profile/password",
        {
            "current_password": PASSWORD,
            "new_password": "Qwerty123456",
            "confirm_password": "Qwerty123456",
        },
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="new_password-error"' in body and "list of common passwords" in body
    assert accounts.authenticate("member@example.org", PASSWORD) is not None


def test_an_invited_person_cannot_choose_a_common_password(client, auth, people):
    """Admins no longer set passwords: the invited person chooses one, under the same policy."""
    auth.login("admin@example.org")
    shown = auth.post(
        "/admin/users/new",
        {
            "email": "new@example.org",
            "name": "New",
            "roles": ["member"],
            "section": "",
            "preferred_language": "",
        },
        token_page="/admin/users/new",
    ).get_data(as_text=True)
    link = re.search(r"/invitations/[A-Za-z0-9_-]+", shown).group(0)
    auth.logout()
    common = "1q2w3e4r5t6y"
    response = auth.post(
        link, {"new_password": common, "confirm_password": common}, token_page=link
    )
    assert response.status_code == 422
    assert "list of common passwords" in response.get_data(as_text=True)
    assert accounts.authenticate("new@example.org", common) is None
    assert client.get(link).status_code == 200  # the link still works for a better password


def test_the_command_line_refuses_a_common_or_overlong_password_and_adds_nobody(runner, app):
    for password in ("qwertyuiop123\n", "y" * 129 + "\n"):
        result = runner.invoke(
            args=["users", "add", "n@example.org", "--name", "N", "--role", "member"]
            + ["--password-stdin"],
            input=password,
        )
        assert result.exit_code == 1
        assert result.output.startswith("Error: ") and "password" in result.output
    assert accounts.find_user_by_email("n@example.org") is None

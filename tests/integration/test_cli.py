"""The command line of CONTRACT.md, bad input included: one line, non-zero, nothing changed."""

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from corep_drafts.extensions import db
from corep_drafts.models import ApiToken, Declaration, Section, User
from corep_drafts.services import accounts, amendments

PASSWORD_LINE = "a long enough password\n"


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def assert_one_line_failure(result):
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")


def test_sections_add_creates_a_section_with_its_language_and_weight(runner):
    result = runner.invoke(args=["sections", "add", "Türkiye", "--language", "tr", "--weight", "2"])
    assert result.exit_code == 0, result.output
    section = accounts.find_section_by_name("Türkiye")
    assert (section.language, section.weight) == ("tr", 2)


@pytest.mark.parametrize(
    "args",
    [
        ["sections", "add", "Argentina"],  # duplicate
        ["sections", "add", "Chile", "--weight", "0"],
        ["sections", "add", "Chile", "--weight", "many"],
        ["sections", "add", "Chile", "--language", "not a code"],
        ["sections", "add", "   "],
    ],
)
def test_sections_add_refuses_bad_input_with_one_line_and_changes_nothing(runner, sections, args):
    before = count(Section)
    result = runner.invoke(args=args)
    assert_one_line_failure(result)
    assert count(Section) == before


def test_users_add_reads_the_password_from_standard_input(runner, sections, app):
    result = runner.invoke(
        args=[
            "users",
            "add",
            "Lucia@Example.org",
            "--name",
            "Lucía",
            "--role",
            "delegate",
            "--role",
            "member",
            "--section",
            "Argentina",
            "--password-stdin",
        ],
        input=PASSWORD_LINE,
    )
    assert result.exit_code == 0, result.output
    user = accounts.find_user_by_email("lucia@example.org")
    assert user.roles == {"delegate", "member"}
    assert user.section.name == "Argentina"
    assert accounts.authenticate("lucia@example.org", PASSWORD_LINE.strip()) == user
    assert "a long enough password" not in result.output


@pytest.mark.parametrize(
    "args, password",
    [
        (
            ["users", "add", "member@example.org", "--name", "Again", "--role", "member"],
            PASSWORD_LINE,
        ),
        (
            ["users", "add", "MEMBER@example.org", "--name", "Again", "--role", "member"],
            PASSWORD_LINE,
        ),
        (["users", "add", "new@example.org", "--name", "N", "--role", "delegate"], PASSWORD_LINE),
        (
            [
                "users",
                "add",
                "new@example.org",
                "--name",
                "N",
                "--role",
                "member",
                "--section",
                "Narnia",
            ],
            PASSWORD_LINE,
        ),
        (["users", "add", "new@example.org", "--name", "N", "--role", "emperor"], PASSWORD_LINE),
        (["users", "add", "new@example.org", "--name", "N", "--role", "member"], "short\n"),
        (["users", "add", "not-an-email", "--name", "N", "--role", "member"], PASSWORD_LINE),
        (["users", "add", "new@example.org", "--role", "member"], PASSWORD_LINE),
    ],
)
def test_users_add_refuses_bad_input_with_one_line_and_changes_nothing(
    runner, people, args, password
):
    before = count(User)
    result = runner.invoke(args=[*args, "--password-stdin"], input=password)
    assert_one_line_failure(result)
    assert count(User) == before


def test_users_add_without_password_stdin_and_without_a_terminal_refuses(runner, sections):
    result = runner.invoke(
        args=["users", "add", "x@example.org", "--name", "X", "--role", "member"]
    )
    assert_one_line_failure(result)
    assert count(User) == 0


def test_users_token_prints_the_token_alone_and_stores_only_its_hash(runner, people):
    result = runner.invoke(args=["users", "token", "member@example.org"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert result.output == token + "\n"
    assert accounts.user_for_token(token) == people["member"]
    stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert token not in stored and len(stored) == 1


def test_users_token_for_an_unknown_email_fails(runner, people):
    assert_one_line_failure(runner.invoke(args=["users", "token", "nobody@example.org"]))
    assert count(ApiToken) == 0


def test_declarations_import_stores_the_file_byte_for_byte_and_prints_the_id(runner, tmp_path, app):
    text = "# Título\r\n\r\nPárrafo con «comillas» — y ĉ ĝ ŭ, İ ı.\r\n\n\nEnd without newline"
    path = tmp_path / "draft.md"
    path.write_bytes(text.encode("utf-8"))
    result = runner.invoke(
        args=[
            "declarations",
            "import",
            str(path),
            "--title",
            "Declaración",
            "--rule",
            "two-thirds",
            "--quorum",
            "3",
            "--language",
            "es",
        ]
    )
    assert result.exit_code == 0, result.output
    declaration = db.session.get(Declaration, int(result.output.strip()))
    assert result.output == f"{declaration.id}\n"
    assert declaration.versions[0].text == text
    assert (declaration.status, declaration.rule, declaration.quorum, declaration.language) == (
        "draft",
        "two-thirds",
        3,
        "es",
    )


@pytest.mark.parametrize(
    "content, extra",
    [
        (b"caf\xe9 au lait", []),  # Latin-1, not UTF-8
        (b"", []),
        (b"text", ["--rule", "plurality"]),
        (b"text", ["--quorum", "0"]),
        (b"text", ["--language", "Spanish!"]),
        (b"text", ["--title", "  "]),
        (b"nul \x00 inside", []),
    ],
)
def test_declarations_import_refuses_bad_input_and_changes_nothing(
    runner, tmp_path, app, content, extra
):
    path = tmp_path / "draft.md"
    path.write_bytes(content)
    args = ["declarations", "import", str(path), "--title", "T", *extra]
    assert_one_line_failure(runner.invoke(args=args))
    assert count(Declaration) == 0


def test_declarations_import_of_a_missing_file_fails(runner, tmp_path, app):
    assert_one_line_failure(
        runner.invoke(args=["declarations", "import", str(tmp_path / "nope.md"), "--title", "T"])
    )
    assert count(Declaration) == 0


def test_demo_loads_sections_accounts_and_a_draft_then_refuses_a_second_load(runner, app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert {s.name for s in accounts.list_sections()} == {
        "Argentina",
        "Austria",
        "France",
        "Spanish State",
        "Türkiye",
    }
    roles = {role for user in accounts.list_users() for role in user.roles}
    assert roles == {"member", "delegate", "executive", "admin"}
    delegates = [u for u in accounts.list_users() if "delegate" in u.roles]
    assert sorted(u.section.name for u in delegates) == sorted(
        s.name for s in accounts.list_sections()
    )
    draft, published = sorted(db.session.scalars(select(Declaration)), key=lambda d: d.status)
    assert (draft.status, published.status) == ("amending", "published")
    paragraphs = [p for p in draft.versions[0].text.split("\n\n") if p and not p.startswith("#")]
    assert 6 <= len(paragraphs) <= 12
    assert [a.label for a in draft.amendments] == ["A1", "A2", "A3"]
    assert [[c.section.name for c in a.cosponsors] for a in draft.amendments] == [
        [],
        ["Austria"],
        [],
    ]
    a1, a2, a3 = draft.amendments
    assert amendments.competing_with(a2) == [a3.id] and amendments.competing_with(a1) == []
    assert [a.status for a in published.amendments] == ["adopted", "rejected"]
    assert runner.invoke(args=["declarations", "verify", str(published.id)]).output.startswith(
        "ok "
    )
    # every printed password signs its account in
    for line in result.output.splitlines()[1:]:
        email, password = line.split()[:2]
        assert accounts.authenticate(email, password) is not None

    users_before = count(User)
    assert_one_line_failure(runner.invoke(args=["demo"]))
    assert count(User) == users_before
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    assert count(User) == users_before


@pytest.fixture
def cli_environment(tmp_path):
    """The real `flask --app app` process, on a database of its own."""
    import os

    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "COREP_ENV")
    }
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'cli.sqlite3'}", SECRET_KEY="s" * 40)
    return env


def flask(env, *args, input=None):
    repo = Path(__file__).resolve().parents[2]
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=repo,
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_real_command_line_migrates_adds_and_imports_on_a_fresh_database(
    cli_environment, tmp_path
):
    assert flask(cli_environment, "db", "upgrade").returncode == 0
    assert flask(cli_environment, "sections", "add", "France", "--language", "fr").returncode == 0
    added = flask(
        cli_environment,
        "users",
        "add",
        "c@example.org",
        "--name",
        "Camille",
        "--role",
        "delegate",
        "--section",
        "France",
        "--password-stdin",
        input="twelve chars or more\n",
    )
    assert added.returncode == 0, added.stderr
    token = flask(cli_environment, "users", "token", "c@example.org")
    assert (
        token.returncode == 0 and token.stdout.count("\n") == 1 and token.stdout.startswith("cdt_")
    )
    draft = tmp_path / "d.md"
    draft.write_text("Un texte.\n", encoding="utf-8")
    imported = flask(cli_environment, "declarations", "import", str(draft), "--title", "T")
    assert imported.returncode == 0 and imported.stdout.strip().isdigit()
    bad = flask(cli_environment, "sections", "add", "France")
    assert bad.returncode == 1 and bad.stderr.strip().count("\n") == 0 and "France" in bad.stderr


def test_without_secret_key_outside_development_the_app_refuses_to_start(cli_environment):
    del cli_environment["SECRET_KEY"]
    result = flask(cli_environment, "db", "upgrade")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr

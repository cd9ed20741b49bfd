"""`flask backup create|restore`: a restored database verifies against the heads kept before the
backup and serves the same declarations; bad input and a non-empty target change nothing."""

import sqlite3
import stat
import subprocess
import threading
import time

import pytest
from corep_testing import HEAT_TEXT, adopt_a_declaration, config_for_tests
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from corep_drafts import create_app
from corep_drafts.extensions import db
from corep_drafts.models import AuditEvent, Declaration, Vote
from corep_drafts.services import accounts, backups, declarations


@pytest.fixture
def record(people):
    """An adopted declaration with its votes, a draft beside it, and a token to read them."""
    adopted, _amendments = adopt_a_declaration(people)
    draft = declarations.create_declaration("A draft", HEAT_TEXT, created_by=people["executive"])
    return {
        "ids": [adopted.id, draft.id],
        "votes": list(db.session.scalars(select(Vote.id).order_by(Vote.id))),
        "token": accounts.create_token(people["executive"]),
    }


def invoke(app, *args):
    """Run a command on ``app``: the test holds the suite's app context, which the command line
    would otherwise use."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def one_line_failure(result) -> bool:
    return (
        result.exit_code == 1
        and result.output.startswith("Error: ")
        and result.output.count("\n") == 1
    )


def what_the_api_serves(client, token, record) -> list:
    headers = {"Authorization": f"Bearer {token}"}
    paths = ["/declarations"]
    for declaration_id in record["ids"]:
        paths += [f"/declarations/{declaration_id}", f"/declarations/{declaration_id}/versions"]
        paths += [f"/declarations/{declaration_id}/versions/1"]
    paths += [f"/votes/{vote_id}" for vote_id in record["votes"]]
    served = []
    for path in paths:
        response = client.get("/api/v1" + path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
        served.append(response.get_json())
    return served


@pytest.fixture
def empty_app(fresh_database_url):
    """A second app on an empty database of the same engine (nothing created in it)."""
    app = create_app(config_for_tests(fresh_database_url("restored")))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_restored_database_verifies_and_serves_the_same_declarations(
    app, runner, client, record, empty_app, tmp_path
):
    kept_heads = {}
    for declaration_id in record["ids"]:
        printed = runner.invoke(args=["declarations", "verify", str(declaration_id)])
        assert printed.exit_code == 0, printed.output
        kept_heads[declaration_id] = printed.output.split()[1]
    served_before = what_the_api_serves(client, record["token"], record)
    backup = tmp_path / "corep.backup"

    made = runner.invoke(args=["backup", "create", str(backup)])
    assert made.exit_code == 0, made.output
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # it holds password hashes

    restored = invoke(empty_app, "backup", "restore", str(backup))
    assert restored.exit_code == 0, restored.output
    for declaration_id, head in kept_heads.items():
        checked = invoke(empty_app, "declarations", "verify", str(declaration_id), "--expect", head)
        assert checked.output == f"ok {head}\n"
    assert what_the_api_serves(empty_app.test_client(), record["token"], record) == served_before
    with empty_app.app_context():
        # the ids carry on after the restored ones (PostgreSQL: the sequences came along)
        later = declarations.create_declaration("Later", HEAT_TEXT)
        assert later.id > max(record["ids"])


def test_restore_refuses_a_database_that_is_not_empty_and_changes_nothing(runner, record, tmp_path):
    backup = tmp_path / "corep.backup"
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    declarations.create_declaration("After the backup", HEAT_TEXT)
    result = runner.invoke(args=["backup", "restore", str(backup)])
    assert one_line_failure(result) and "not empty" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Declaration)) == 3
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) > events


def other_engines_backup(engine: str, path):
    if engine == "sqlite":
        path.write_bytes(b"PGDMP" + bytes(200))
    else:
        sqlite3.connect(path).execute("CREATE TABLE declaration (id INTEGER)").connection.close()


@pytest.mark.parametrize("bad", ["missing", "text", "other engine", "foreign database"])
def test_restore_refuses_bad_input_in_one_line_and_leaves_the_database_empty(
    empty_app, tmp_path, bad
):
    backup = tmp_path / "bad.backup"
    engine = make_url(empty_app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name()
    if bad == "text":
        backup.write_text("Not a backup at all.\n")
    elif bad == "other engine":
        other_engines_backup(engine, backup)
    elif bad == "foreign database":
        other_engines_backup("postgresql" if engine == "sqlite" else "sqlite", backup)
        if engine == "postgresql":
            backup.write_bytes(b"PGDMP" + bytes(200))  # pg_restore --list refuses it
    result = invoke(empty_app, "backup", "restore", str(backup))
    assert one_line_failure(result), result.output
    with empty_app.app_context():
        assert db.inspect(db.engine).get_table_names() == []


def test_create_refuses_a_directory_that_does_not_exist(runner, app, tmp_path):
    result = runner.invoke(args=["backup", "create", str(tmp_path / "no" / "such.backup")])
    assert one_line_failure(result)


def test_the_password_reaches_pg_dump_through_its_environment_not_its_arguments(monkeypatch):
    seen = {}

    def run(arguments, **options):
        seen.update(arguments=arguments, env=options["env"])
        return subprocess.CompletedProcess(arguments, 0, "", "")

    monkeypatch.setattr(backups.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(backups.subprocess, "run", run)
    url = make_url("postgresql+psycopg://corep:s3cret@db.internal:5433/corep?sslmode=require")
    backups._run_pg_tool(["pg_dump", "--format=custom", "--file=x"], url)
    assert not any("s3cret" in argument for argument in seen["arguments"])
    assert seen["env"]["PGPASSWORD"] == "s3cret" and seen["env"]["PGSSLMODE"] == "require"
    assert (seen["env"]["PGHOST"], seen["env"]["PGPORT"]) == ("db.internal", "5433")
    assert (seen["env"]["PGUSER"], seen["env"]["PGDATABASE"]) == ("corep", "corep")
    with pytest.raises(backups.BackupError, match="unknown_setting"):
        backups.libpq_environment(make_url("postgresql://h/db?unknown_setting=1"))


def test_a_backup_taken_while_declarations_are_being_written_is_consistent(
    app, runner, people, empty_app, tmp_path
):
    """A writer keeps creating declarations (each a declaration, a version and two events in
    one transaction) while the backup runs: every declaration in the copy verifies."""
    written = []
    stop = threading.Event()

    def write():
        with app.app_context():
            for number in range(60):
                if stop.is_set():
                    break
                written.append(declarations.create_declaration(f"D{number}", HEAT_TEXT).id)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        deadline = time.monotonic() + 30
        while len(written) < 3 and writer.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)  # polling for the writer to be under way, bounded
        backup = tmp_path / "during.backup"
        made = runner.invoke(args=["backup", "create", str(backup)])
    finally:
        stop.set()
        writer.join(timeout=60)
    assert made.exit_code == 0, made.output
    assert invoke(empty_app, "backup", "restore", str(backup)).exit_code == 0
    with empty_app.app_context():
        copied = list(db.session.scalars(select(Declaration.id).order_by(Declaration.id)))
    assert len(copied) >= 3 and copied == written[: len(copied)]
    for declaration_id in copied:
        result = invoke(empty_app, "declarations", "verify", str(declaration_id))
        assert result.exit_code == 0, result.output

"""The command line of CONTRACT.md: `flask --app app sections|users|declarations|demo ...`.

Every command either does all it says or changes nothing and exits non-zero with one line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from corep_drafts import exports
from corep_drafts.domain.limits import MAX_ID
from corep_drafts.domain.record import ChainHead, MalformedHead
from corep_drafts.extensions import db
from corep_drafts.models.accounts import ROLES
from corep_drafts.models.declarations import VOTING_RULES
from corep_drafts.services import accounts, backups, declarations, demo, outbox, record, votes
from corep_drafts.services.errors import ServiceError


class OneLineErrorsCommand(click.Command):
    """Bad arguments end in one line (`Error: ...`, exit 1) rather than a usage block."""

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            if isinstance(error, click.exceptions.NoArgsIsHelpError):
                raise
            raise click.ClickException(error.format_message()) from error


class CommandGroup(AppGroup):
    command_class = OneLineErrorsCommand


# Ids, weights and quorums are INTEGER columns: a larger number is refused as bad input, in one
# line, before it reaches the database.
ID = click.IntRange(min=1, max=MAX_ID)
COUNT = click.IntRange(min=1, max=MAX_ID)

sections_cli = CommandGroup("sections", help="Manage the sections of the organization.")
users_cli = CommandGroup("users", help="Manage accounts and API tokens.")
declarations_cli = CommandGroup("declarations", help="Import, verify and export declarations.")
votes_cli = CommandGroup("votes", help="Votes that need the clock.")
notifications_cli = CommandGroup("notifications", help="Mail the notifications in the outbox.")
backup_cli = CommandGroup("backup", help="Back up the whole database, or restore a backup.")


def fail(message: str) -> None:
    db.session.rollback()
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@sections_cli.command("add")
@click.argument("name")
@click.option("--language", default="en", show_default=True, help="ISO 639 code of its language.")
@click.option("--weight", default=1, type=COUNT, show_default=True, help="Its weight in votes.")
def add_section_command(name: str, language: str, weight: int) -> None:
    """Add a section; NAME is unique."""
    try:
        section = accounts.add_section(name, language=language, weight=weight)
    except ServiceError as error:
        fail(error.message)
    click.echo(f"Added section {section.name} ({section.language}, weight {section.weight}).")


def read_password(password_stdin: bool) -> str:
    if password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if not sys.stdin.isatty():
        fail("no password given: pass --password-stdin and write it on standard input")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@users_cli.command("add")
@click.argument("email")
@click.option("--name", required=True, help="The person's name as others will see it.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(ROLES),
    help="A role; repeat for several.",
)
@click.option("--section", default=None, help="The section's name (required for a delegate).")
@click.option("--language", default=None, help="Preferred language of the interface.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add_user_command(email, name, roles, section, language, password_stdin) -> None:
    """Add an account. The password comes from standard input, never from an argument."""
    password = read_password(password_stdin)
    try:
        user = accounts.add_user(
            email, name, roles, password, section_name=section, preferred_language=language
        )
    except ServiceError as error:
        fail(error.message)
    click.echo(f"Added {user.email} ({', '.join(sorted(user.roles))}).")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="command line", help="A label for the token.")
def create_token_command(email: str, name: str) -> None:
    """Create an API token for EMAIL and print it alone on one line."""
    try:
        token = accounts.create_token_for_email(email, name)
    except ServiceError as error:
        fail(error.message)
    click.echo(token)


@declarations_cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", required=True)
@click.option("--rule", default="majority", show_default=True, type=click.Choice(VOTING_RULES))
@click.option("--quorum", default=None, type=COUNT, help="Sections that must take part.")
@click.option(
    "--language", default="en", show_default=True, help="Authoritative language (ISO 639)."
)
def import_declaration_command(file: Path, title, rule, quorum, language) -> None:
    """Create a draft declaration whose first version is FILE (UTF-8 Markdown), byte for byte."""
    try:
        raw = file.read_bytes()
    except OSError as error:
        fail(f"cannot read {file}: {error.strerror or error}")
    try:
        declaration = declarations.create_declaration(
            title, declarations.decode_text(raw), rule=rule, quorum=quorum, language=language
        )
    except ServiceError as error:
        fail(f"{file}: {error.message}")
    click.echo(declaration.id)


@click.command("demo", cls=OneLineErrorsCommand)
@click.option(
    "--if-empty", is_flag=True, help="Do nothing (and succeed) when data is already there."
)
@click.option(
    "--logins-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the demo logins to this file (mode 600).",
)
def demo_command(if_empty: bool, logins_file: Path | None) -> None:
    """Load the demo: sections, one account per role and section, a draft declaration."""
    if if_empty and not demo.database_is_empty():
        click.echo("The database already holds data; the demo was not loaded again.")
        return
    try:
        logins = demo.load_demo()
    except ServiceError as error:
        fail(error.message)
    lines = ["Demo logins (passwords are shown this once):"]
    for login in logins:
        where = f", {login.section}" if login.section else ""
        lines.append(f"  {login.email:48} {login.password:18} ({'+'.join(login.roles)}{where})")
    text = "\n".join(lines)
    click.echo(text)
    if logins_file is not None:
        logins_file.parent.mkdir(parents=True, exist_ok=True)
        logins_file.write_text(text + "\n")
        logins_file.chmod(0o600)


class ChainHeadParam(click.ParamType):
    name = "HASH:LENGTH"

    def convert(self, value, param, ctx):
        if isinstance(value, ChainHead):
            return value
        try:
            return ChainHead.parse(value)
        except MalformedHead as error:
            self.fail(str(error), param, ctx)


@declarations_cli.command("verify")
@click.argument("declaration_id", type=ID)
@click.option(
    "--expect",
    "expected_head",
    type=ChainHeadParam(),
    default=None,
    help="A head printed earlier (HASH:LENGTH): fail unless the audit chain still holds it.",
)
def verify_command(declaration_id: int, expected_head: ChainHead | None) -> None:
    """Recompute the version chain, every stored vote result and the audit chain, and print
    `ok HASH:LENGTH`, the audit chain's head: keep it elsewhere, and pass it to --expect later
    to see whether the newest events were cut off."""
    try:
        verification = record.verify_declaration(declaration_id, expected_head)
    except ServiceError as error:
        fail(error.message)
    if not verification.ok:
        fail(f"declaration {declaration_id}: {verification.problem}")
    click.echo(f"ok {verification.head}")


@declarations_cli.command("export")
@click.argument("declaration_id", type=ID)
@click.option("--format", "fmt", required=True, type=click.Choice(["md", "html", "pdf", "odt"]))
@click.option("--language", default=None, help="Export this translation (ISO 639 code) instead.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_command(declaration_id: int, fmt: str, language: str | None, out: Path) -> None:
    """Write the current (or adopted) text with its record as Markdown, HTML, PDF or ODT; with
    --language, a translation, its record worded in that language where the interface speaks it."""
    labels = (
        language
        if language in current_app.config["LANGUAGES"]
        else current_app.config["BABEL_DEFAULT_LOCALE"]
    )
    try:
        with force_locale(labels):
            data = exports.export(
                record.build_record(None, declaration_id, language=language),
                fmt,
                _=gettext,
                ui_language=labels,
            )
    except ServiceError as error:
        fail(error.message)
    try:
        out.write_bytes(data)
    except OSError as error:
        fail(f"cannot write {out}: {error.strerror or error}")
    click.echo(f"Wrote {out} ({len(data):,} bytes).")


@votes_cli.command("close-due")
def close_due_command() -> None:
    """Close every open vote whose closing time has passed (for cron, e.g. every minute)."""
    closed = votes.close_due_votes()
    for vote in closed:
        subject = vote.amendment.label if vote.amendment else "final vote"
        click.echo(f"Closed vote {vote.id} ({subject}): {vote.outcome}.")
    if not closed:
        click.echo("No vote was due.")


@notifications_cli.command("send")
def send_notifications_command() -> None:
    """Mail every notification that is due (for cron, e.g. every minute); prints how many were
    sent, kept for retry, and failed for good."""
    try:
        report = outbox.send_due()
    except outbox.MailNotConfigured as error:
        fail(str(error))
    if not report.configured:
        click.echo(
            "Mail is not configured (SMTP_HOST is unset): nothing was sent; "
            "the notifications stay on the site."
        )
        return
    if report.unreachable:
        click.echo(f"The mail server could not be reached: {report.unreachable}", err=True)
    click.echo(
        f"Sent {report.sent}, kept {report.kept_for_retry} for retry, "
        f"{report.failed_for_good} failed for good."
    )


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def create_backup_command(file: Path) -> None:
    """Write a consistent copy of the whole database to FILE (mode 600), while the app runs."""
    try:
        done = backups.create_backup(file)
    except backups.BackupError as error:
        fail(error.message)
    click.echo(f"Backed up the {done.engine_name} database to {done.path} ({done.size:,} bytes).")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def restore_backup_command(file: Path) -> None:
    """Restore FILE, made by `backup create`, into the empty database of DATABASE_URL."""
    try:
        done = backups.restore_backup(file)
    except backups.BackupError as error:
        fail(error.message)
    click.echo(f"Restored {done.path} into the {done.engine_name} database.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(sections_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(declarations_cli)
    app.cli.add_command(votes_cli)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(demo_command)

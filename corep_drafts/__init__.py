"""corep-drafts: draft a joint declaration together, amend it, vote on it per section."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from corep_drafts import (
    auth_setup,
    cli,
    database,
    i18n,
    live_updates,
    permissions,
    read_replica,
    security_headers,
    session_policy,
    throttling,
    wording,
)
from corep_drafts.config import BaseConfig, settings_from_environment
from corep_drafts.domain import workflow
from corep_drafts.domain.text import heading_text
from corep_drafts.extensions import babel, csrf, db, migrate
from corep_drafts.json_bodies import StrictJSONProvider
from corep_drafts.rendering import (
    render_declaration,
    render_markdown,
    render_paragraph,
    render_passage,
)
from corep_drafts.services import notifications as notification_service
from corep_drafts.views import (
    admin,
    amendments,
    api,
    auth,
    declarations,
    errors,
    invitations,
    main,
    notifications,
    record,
    request_checks,
    second_factor,
    translations,
    votes,
)
from corep_drafts.views.converters import IdConverter
from corep_drafts.views.links import absolute_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """The application factory. `config` (tests) replaces what the environment would give."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    # Before any route is added: every `<int:...>` in the app is bounded by MAX_ID (converters.py).
    app.url_map.converters["int"] = IdConverter
    app.json = StrictJSONProvider(app)
    app.config.from_object(BaseConfig)
    if config is None:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config.update(settings_from_environment(app.instance_path))
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(config)

    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    throttling.init_app(app)
    security_headers.init_app(app)
    errors.register(app)
    request_checks.register(app)
    cli.register_commands(app)
    return app


def trust_proxies(app: Flask) -> None:
    """Behind COREP_TRUSTED_PROXIES reverse proxies, the client's address (for throttling) and
    scheme (for HSTS) are read from their X-Forwarded-For and X-Forwarded-Proto."""
    count = app.config.get("COREP_TRUSTED_PROXIES", 0)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    database.configure_engine_events(app)
    read_replica.init_app(app)
    live_updates.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    session_policy.init_app(app)  # before the endpoint check that auth_setup adds
    auth_setup.init_login(app)
    i18n.init_template_helpers(app)
    app.jinja_env.globals.update(
        render_markdown=render_markdown,
        render_declaration=render_declaration,
        render_paragraph=render_paragraph,
        render_passage=render_passage,
        vote_explanation=wording.vote_explanation,
        conflict_message=wording.conflict_message,
        workflow=workflow,
        heading_text=heading_text,
        absolute_url=absolute_url,
        may_manage_users=lambda: permissions.may(current_user, permissions.Action.MANAGE_USERS),
        unread_notifications=unread_notifications,
    )


def unread_notifications() -> int:
    """The count in every page's header: one COUNT on an index, for a signed-in person only."""
    if not current_user.is_authenticated:
        return 0
    return notification_service.unread_count(current_user.id)


def register_blueprints(app: Flask) -> None:
    for blueprint in (
        main.bp,
        auth.bp,
        second_factor.bp,
        invitations.bp,
        declarations.bp,
        amendments.bp,
        votes.bp,
        record.bp,
        translations.bp,
        notifications.bp,
        admin.bp,
        api.bp,
    ):
        app.register_blueprint(blueprint)

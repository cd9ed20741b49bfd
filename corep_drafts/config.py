"""Settings from the environment (CONTRACT.md), with an optional `instance/config.py` on top."""

import os
import secrets
from pathlib import Path

from corep_drafts import read_replica

SUPPORTED_LANGUAGES = ("en", "es", "de", "fr", "tr", "eo")


class ConfigurationError(RuntimeError):
    """Raised at start-up when the settings cannot give a safe, working app."""


def is_development() -> bool:
    return os.environ.get("COREP_ENV") == "development" or os.environ.get("FLASK_DEBUG") == "1"


def default_database_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "corep-drafts.sqlite3")


def development_secret_key(instance_path: str) -> str:
    """A key made once and kept under instance/, so sessions survive restarts in development."""
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def settings_from_environment(instance_path: str) -> dict:
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if not is_development():
            raise ConfigurationError(
                "SECRET_KEY is not set. Set it in the environment (for example "
                "`export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')`), "
                "or set COREP_ENV=development to generate one under instance/."
            )
        secret_key = development_secret_key(instance_path)
    return {
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL")
        or default_database_url(instance_path),
        "COREP_PUBLIC_URL": os.environ.get("COREP_PUBLIC_URL", ""),
        "COREP_SECURE_COOKIES": _flag("COREP_SECURE_COOKIES", default=not is_development()),
        **_present(
            "RATELIMIT_STORAGE_URI",
            "COREP_SIGN_IN_LIMIT_PER_ACCOUNT",
            "COREP_SIGN_IN_LIMIT_PER_ADDRESS",
            "COREP_API_TOKEN_FAILURE_LIMIT",
            # Mail (services/outbox.py checks them when it sends; without SMTP_HOST, none).
            "SMTP_HOST",
            "SMTP_PORT",
            "SMTP_USERNAME",
            "SMTP_PASSWORD",
            "SMTP_SECURITY",
            "MAIL_FROM",
        ),
        **{name: _positive_number(name) for name in SESSION_LIFETIMES if os.environ.get(name)},
        **{
            name: _positive_number(name)
            for name in ("COREP_LIVE_STREAMS_PER_WORKER",)
            if os.environ.get(name)
        },
        "COREP_TRUSTED_PROXIES": _positive_number("COREP_TRUSTED_PROXIES", minimum=0)
        if os.environ.get("COREP_TRUSTED_PROXIES")
        else 0,
        **read_replica.settings(
            os.environ.get("COREP_READ_REPLICA_URL"),
            _positive_number("COREP_REPLICA_LAG_SECONDS", minimum=0)
            if os.environ.get("COREP_REPLICA_LAG_SECONDS")
            else None,
        ),
        # Flask answers 400 to a request whose Host header is not one of these (views/links.py).
        "TRUSTED_HOSTS": trusted_hosts(os.environ.get("COREP_TRUSTED_HOSTS", "")),
    }


def trusted_hosts(setting: str) -> list[str] | None:
    """`COREP_TRUSTED_HOSTS`, comma-separated (`drafts.example.org,.example.org`); None: unset."""
    hosts = [host.strip() for host in setting.split(",") if host.strip()]
    return hosts or None


SESSION_LIFETIMES = ("COREP_SESSION_IDLE_MINUTES", "COREP_SESSION_MAX_HOURS")


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name} is {value!r}; use 1 or 0.")


def _positive_number(name: str, minimum: int = 1) -> int:
    value = os.environ[name].strip()
    if not value.isdigit() or int(value) < minimum:
        raise ConfigurationError(f"{name} is {value!r}; use a whole number of at least {minimum}.")
    return int(value)


def _present(*names: str) -> dict:
    return {name: os.environ[name] for name in names if os.environ.get(name)}


class BaseConfig:
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Cookies and session lifetimes: corep_drafts/session_policy.py.
    COREP_SECURE_COOKIES = True
    COREP_SESSION_IDLE_MINUTES = 120
    COREP_SESSION_MAX_HOURS = 12
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; logout ends both
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = "translations"
    LANGUAGES = SUPPORTED_LANGUAGES
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    # argon2id parameters (RFC 9106 second recommended option); tests lower them for speed.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024
    ARGON2_PARALLELISM = 4
    MIN_PASSWORD_LENGTH = 12
    # Throttling (corep_drafts/throttling.py): only failures count. A congress signs in from one
    # venue's address, so that limit is generous; one account's is strict.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    # If Redis goes away, count in this process's memory rather than refuse every sign-in.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    COREP_SIGN_IN_LIMIT_PER_ACCOUNT = "5/minute;20/hour"
    COREP_SIGN_IN_LIMIT_PER_ADDRESS = "100/minute;1000/hour"
    COREP_API_TOKEN_FAILURE_LIMIT = "30/minute;300/hour"
    MAX_PASSWORD_LENGTH = 128
    # Live vote pages (views/votes.py): each open event stream holds one of a gthread worker's
    # threads; past this many in one process, a page polls instead, so that the other threads
    # stay free for ordinary requests (`make run` gives each worker 64 threads).
    COREP_LIVE_STREAMS_PER_WORKER = 48

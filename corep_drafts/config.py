"""Settings from the environment (CONTRACT.md), with an optional `instance/config.py` on top."""

import os
import secrets
from pathlib import Path

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
        # Flask answers 400 to a request whose Host header is not one of these (views/links.py).
        "TRUSTED_HOSTS": trusted_hosts(os.environ.get("COREP_TRUSTED_HOSTS", "")),
    }


def trusted_hosts(setting: str) -> list[str] | None:
    """`COREP_TRUSTED_HOSTS`, comma-separated (`drafts.example.org,.example.org`); None: unset."""
    hosts = [host.strip() for host in setting.split(",") if host.strip()]
    return hosts or None


class BaseConfig:
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
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

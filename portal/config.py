"""Settings: environment variables to Flask config, with the documented defaults."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from portal.timestamps import NORWAY

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production, see load_config


PORTAL_ENVS = ("development", "production")


def is_loopback_url(url: str) -> bool:
    """True when ``url``'s host is this machine only (localhost, 127.0.0.0/8, ::1)."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ConfigError(RuntimeError):
    """The environment does not describe a portal that may start."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _number(env: Mapping[str, str], name: str, default, parse: type, kind: str):
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be {kind}, not {raw!r}") from exc


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    return _number(env, name, default, int, "a whole number")


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    return _number(env, name, default, float, "a number")


def _not_negative(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value < 0:
        raise ConfigError(f"{name} must be 0 or more")
    return value


def _cache_type(redis_url: str | None, debug: bool) -> str:
    if redis_url:
        return "RedisCache"
    return "NullCache" if debug else "SimpleCache"


def load_config(env: Mapping[str, str], instance_path: str) -> dict:
    """Build the Flask config from ``env`` (normally ``os.environ``).

    Raises ConfigError when ``PORTAL_ENV=production`` lacks a real ``SECRET_KEY``
    or a value cannot be parsed.
    """
    portal_env = (env.get("PORTAL_ENV", "development").strip() or "development").casefold()
    if portal_env not in PORTAL_ENVS:
        # Fail closed: a typo such as "prod" must not start a portal with development settings.
        raise ConfigError(f"PORTAL_ENV must be development or production, not {portal_env!r}")
    production = portal_env == "production"
    secret_key = env.get("SECRET_KEY") or DEV_SECRET_KEY
    if production and (secret_key == DEV_SECRET_KEY or len(secret_key) < 32):
        raise ConfigError(
            "PORTAL_ENV=production needs SECRET_KEY set to a random value of 32+ characters"
        )
    public_base_url = env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    if secret_key == DEV_SECRET_KEY and not is_loopback_url(public_base_url):
        raise ConfigError(
            "SECRET_KEY must be set when PUBLIC_BASE_URL is not a loopback address "
            "(the development key is public)"
        )
    https = urlsplit(public_base_url).scheme == "https"
    database_url = env.get("DATABASE_URL") or (
        "sqlite:///" + str(Path(instance_path) / "portal.sqlite3")
    )
    mail_server = env.get("MAIL_SERVER") or None
    database_timeout = _float(env, "DATABASE_TIMEOUT_SECONDS", 5)
    if database_timeout <= 0:
        raise ConfigError("DATABASE_TIMEOUT_SECONDS must be more than 0")
    cache_redis_url = env.get("CACHE_REDIS_URL") or None
    debug = False if production else _flag(env.get("FLASK_DEBUG"))
    config = {
        "PORTAL_ENV": portal_env,
        "DEBUG": debug,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "DATABASE_TIMEOUT_SECONDS": database_timeout,
        "PUBLIC_BASE_URL": public_base_url,
        "PUBLIC_HTTPS": https,
        "PROXY_COUNT": _int(env, "PROXY_COUNT", 0),
        # Mail: Flask-Mail settings; without MAIL_SERVER the outbox writes .eml files.
        "MAIL_SERVER": mail_server,
        "MAIL_PORT": _int(env, "MAIL_PORT", 25),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS")),
        "MAIL_USE_SSL": _flag(env.get("MAIL_USE_SSL")),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "SESAM <noreply@localhost>"),
        "MAIL_FILE_DIR": str(Path(instance_path) / "mail"),
        "STAFF_NOTIFY_EMAIL": env.get("STAFF_NOTIFY_EMAIL") or None,
        "CONTACT_EMAIL": env.get("CONTACT_EMAIL") or None,
        # The conversation: the portal's own mailbox (plus-addressed reply and bounce tokens),
        # where `mail fetch` reads it, and how much one kept inbound message may weigh.
        "INBOUND_ADDRESS": env.get("INBOUND_ADDRESS") or None,
        "IMAP_URL": env.get("IMAP_URL") or None,
        "INBOUND_MAX_BYTES": _int(env, "INBOUND_MAX_BYTES", 10 * 1024 * 1024),
        "FILM_URL": env.get("FILM_URL") or None,
        "FILM_TRANSCRIPT_URL": env.get("FILM_TRANSCRIPT_URL") or None,
        "HANDBOOK_URL": env.get("HANDBOOK_URL") or None,
        "SESAM_HOME_URL": env.get("SESAM_HOME_URL") or None,
        "EMBED_ALLOWED_ORIGINS": (env.get("EMBED_ALLOWED_ORIGINS") or "").split(),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        # The application cache (Flask-Caching): one process's memory by default, Redis shared by
        # every instance in production, so an invalidation reaches all of them; none in debug,
        # where a changed template or catalogue must show at once.
        "CACHE_TYPE": _cache_type(cache_redis_url, debug),
        "CACHE_NO_NULL_WARNING": True,
        "CACHE_REDIS_URL": cache_redis_url,
        "CACHE_KEY_PREFIX": "sesam:",
        "SUBMIT_RATE_LIMIT": env.get("SUBMIT_RATE_LIMIT", "5 per minute;30 per day"),
        "RECEIPT_RATE_LIMIT": env.get("RECEIPT_RATE_LIMIT", "3 per day"),
        "FORM_MIN_FILL_SECONDS": _float(env, "FORM_MIN_FILL_SECONDS", 3),
        "FORM_MAX_AGE_HOURS": _float(env, "FORM_MAX_AGE_HOURS", 24),
        "OUTBOX_MAX_ATTEMPTS": _int(env, "OUTBOX_MAX_ATTEMPTS", 12),
        "OUTBOX_BACKOFF_SECONDS": _float(env, "OUTBOX_BACKOFF_SECONDS", 60),
        "OUTBOX_LEASE_SECONDS": _float(env, "OUTBOX_LEASE_SECONDS", 300),
        "MAIL_TIMEOUT": _float(env, "MAIL_TIMEOUT", 30),
        "FIRST_RESPONSE_WORKING_DAYS": _int(env, "FIRST_RESPONSE_WORKING_DAYS", 3),
        "RETENTION_MONTHS": _not_negative(env, "RETENTION_MONTHS", 36),
        "SPAM_RETENTION_DAYS": _not_negative(env, "SPAM_RETENTION_DAYS", 30),
        # Fixed policy, not configuration.
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "PRIVACY_NOTICE_VERSION": "2026-11-28",
        "BABEL_DEFAULT_LOCALE": "nb",
        "BABEL_DEFAULT_TIMEZONE": NORWAY.key,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_NAME": "__Host-sesam_staff" if https else "sesam_staff",
        "SESSION_COOKIE_PATH": "/",
        "WTF_CSRF_SSL_STRICT": False,
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIN_SIZE": 500,
        # Every response is compressed as it is sent, so at the fastest levels: brotli 1 takes
        # a fraction of the default 4's time for a page only a little larger.
        "COMPRESS_BR_LEVEL": 1,
        "COMPRESS_LEVEL": 1,
    }
    return config


def from_environment(instance_path: str) -> dict:
    """``load_config`` over the process environment."""
    return load_config(os.environ, instance_path)

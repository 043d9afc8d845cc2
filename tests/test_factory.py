"""The app factory: configuration from the environment, and the production refusal."""

from __future__ import annotations

import pytest

from portal.config import DEV_SECRET_KEY, ConfigError, load_config


def test_config_defaults_are_safe_for_local_use(tmp_path):
    config = load_config({}, str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/portal.sqlite3"
    assert config["MAIL_SERVER"] is None
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["SUBMIT_RATE_LIMIT"] == "5 per minute;30 per day"
    assert config["RECEIPT_RATE_LIMIT"] == "3 per day"
    assert config["FORM_MIN_FILL_SECONDS"] == 3
    assert config["FORM_MAX_AGE_HOURS"] == 24
    assert (config["OUTBOX_MAX_ATTEMPTS"], config["OUTBOX_BACKOFF_SECONDS"]) == (12, 60)
    assert config["FIRST_RESPONSE_WORKING_DAYS"] == 3
    assert (config["RETENTION_MONTHS"], config["SPAM_RETENTION_DAYS"]) == (36, 30)
    assert config["DATABASE_TIMEOUT_SECONDS"] == 5
    assert config["EMBED_ALLOWED_ORIGINS"] == []
    assert config["SESSION_COOKIE_NAME"] == "sesam_staff"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_config_reads_every_variable(tmp_path):
    env = {
        "DATABASE_URL": "postgresql+psycopg://u@db/portal",
        "SECRET_KEY": "a-real-secret-key-of-enough-length-0123456789",
        "PUBLIC_BASE_URL": "https://sesam.usn.no/",
        "RETENTION_MONTHS": "24",
        "SPAM_RETENTION_DAYS": "0",
        "PROXY_COUNT": "1",
        "MAIL_SERVER": "smtp.usn.no",
        "MAIL_PORT": "587",
        "MAIL_USE_TLS": "true",
        "EMBED_ALLOWED_ORIGINS": "https://www.usn.no  https://usn.no",
        "SUBMIT_RATE_LIMIT": "100 per minute",
        "FORM_MIN_FILL_SECONDS": "1.5",
        "OUTBOX_BACKOFF_SECONDS": "2",
        "DATABASE_TIMEOUT_SECONDS": "2.5",
    }
    config = load_config(env, str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == env["DATABASE_URL"]
    assert config["PUBLIC_BASE_URL"] == "https://sesam.usn.no"
    assert config["PROXY_COUNT"] == 1
    assert (config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USE_TLS"]) == (
        "smtp.usn.no",
        587,
        True,
    )
    assert config["EMBED_ALLOWED_ORIGINS"] == ["https://www.usn.no", "https://usn.no"]
    assert config["FORM_MIN_FILL_SECONDS"] == 1.5
    assert config["DATABASE_TIMEOUT_SECONDS"] == 2.5
    assert (config["RETENTION_MONTHS"], config["SPAM_RETENTION_DAYS"]) == (24, 0)
    assert config["SESSION_COOKIE_NAME"] == "__Host-sesam_staff"
    assert config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize("secret", [None, DEV_SECRET_KEY, "short"])
def test_config_production_refuses_without_a_real_secret_key(tmp_path, secret):
    env = {"PORTAL_ENV": "production"}
    if secret:
        env["SECRET_KEY"] = secret
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(env, str(tmp_path))


@pytest.mark.parametrize("value", ["prod", "staging", "Production ", "test", "dev"])
def test_config_refuses_an_unknown_portal_env(tmp_path, value):
    env = {"PORTAL_ENV": value, "SECRET_KEY": "x" * 40}
    if value.strip().casefold() == "production":
        assert load_config(env, str(tmp_path))["PORTAL_ENV"] == "production"
    else:
        with pytest.raises(ConfigError, match="PORTAL_ENV must be development or production"):
            load_config(env, str(tmp_path))


@pytest.mark.parametrize("value", ["development", "DEVELOPMENT", "", "  "])
def test_config_development_in_any_case(tmp_path, value):
    assert load_config({"PORTAL_ENV": value}, str(tmp_path))["PORTAL_ENV"] == "development"


@pytest.mark.parametrize(
    "url", ["https://sesam.usn.no", "http://10.0.0.5:5000", "http://[2001:db8::1]:5000"]
)
def test_config_refuses_the_development_key_off_loopback(tmp_path, url):
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        load_config({"PUBLIC_BASE_URL": url}, str(tmp_path))
    with pytest.raises(ConfigError, match="SECRET_KEY must be set"):
        load_config({"PUBLIC_BASE_URL": url, "SECRET_KEY": DEV_SECRET_KEY}, str(tmp_path))


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:5000", "http://localhost:8000", "http://[::1]:5000", "http://127.1.2.3"],
)
def test_config_allows_the_development_key_on_loopback(tmp_path, url):
    assert load_config({"PUBLIC_BASE_URL": url}, str(tmp_path))["SECRET_KEY"] == DEV_SECRET_KEY


@pytest.mark.parametrize(
    ("name", "value"), [("RETENTION_MONTHS", "-1"), ("SPAM_RETENTION_DAYS", "-5")]
)
def test_config_refuses_a_negative_retention(tmp_path, name, value):
    with pytest.raises(ConfigError, match=f"{name} must be 0 or more"):
        load_config({name: value}, str(tmp_path))


def test_config_production_turns_debug_off(tmp_path):
    env = {"PORTAL_ENV": "production", "SECRET_KEY": "x" * 40, "FLASK_DEBUG": "1"}
    assert load_config(env, str(tmp_path))["DEBUG"] is False


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PROXY_COUNT", "two", "PROXY_COUNT must be a whole number, not 'two'"),
        ("PROXY_COUNT", "1.5", "PROXY_COUNT must be a whole number"),
        ("FORM_MIN_FILL_SECONDS", "soon", "FORM_MIN_FILL_SECONDS must be a number, not 'soon'"),
    ],
)
def test_config_rejects_unparseable_numbers(tmp_path, name, value, message):
    with pytest.raises(ConfigError, match=message):
        load_config({name: value}, str(tmp_path))


@pytest.mark.parametrize("timeout", ["0", "-1", "soon"])
def test_config_refuses_a_database_timeout_that_is_not_a_positive_number(tmp_path, timeout):
    with pytest.raises(ConfigError, match="DATABASE_TIMEOUT_SECONDS"):
        load_config({"DATABASE_TIMEOUT_SECONDS": timeout}, str(tmp_path))


def test_factory_registers_the_public_blueprints(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {"/", "/nn/", "/en/", "/personvern", "/healthz"} <= rules


@pytest.mark.parametrize(
    ("env", "kind"),
    [
        ({}, "SimpleCache"),
        ({"FLASK_DEBUG": "1"}, "NullCache"),
        ({"CACHE_REDIS_URL": "redis://cache.usn.no:6379/1"}, "RedisCache"),
        ({"CACHE_REDIS_URL": "redis://cache.usn.no:6379/1", "FLASK_DEBUG": "1"}, "RedisCache"),
    ],
)
def test_config_chooses_the_application_cache(tmp_path, env, kind):
    config = load_config(env, str(tmp_path))
    assert config["CACHE_TYPE"] == kind
    assert config["CACHE_REDIS_URL"] == env.get("CACHE_REDIS_URL")

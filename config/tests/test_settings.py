"""Production mode, tested in subprocesses so that settings are read afresh from the environment."""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
MESSAGE = "Production mode (DEBUG is not true) needs SECRET_KEY: a random value of at least 50 characters."
# Variables that would change the outcome if a developer's shell happened to set them.
SCRUBBED = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE",
    "SAMEN_BASE_URL",
    "REDIS_URL",
    "SAMEN_TASK_BACKEND",
)


def _random_key(length: int = 64) -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    environment.update({"SAMEN_VAR_DIR": str(tmp_path / "var"), "PYTHONPATH": str(BASE_DIR), **env})
    return subprocess.run(  # noqa: S603 - fixed arguments: this interpreter and manage.py
        [sys.executable, *args], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def _import_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return _run(["-c", "import config.settings"], tmp_path, **env)


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = _import_settings(tmp_path, DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert MESSAGE in result.stderr


@pytest.mark.parametrize(
    "key",
    ["short-key", "x" * 49, "development-only-insecure-key-never-use-in-production"],
    ids=["short", "49-characters", "development-key"],
)
def test_production_with_a_weak_secret_key_refuses_to_start(tmp_path, key):
    result = _import_settings(tmp_path, DEBUG="false", SECRET_KEY=key)
    assert result.returncode != 0
    assert MESSAGE in result.stderr


def test_production_with_a_real_secret_key_starts(tmp_path):
    result = _import_settings(tmp_path, DEBUG="false", SECRET_KEY=_random_key())
    assert result.returncode == 0, result.stderr


def test_check_deploy_is_clean_in_production_mode(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DEBUG="false",
        SECRET_KEY=_random_key(),
        ALLOWED_HOSTS="samen.example.nl",
        SAMEN_BASE_URL="https://samen.example.nl",
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNINGS" not in output


@pytest.mark.parametrize(
    ("base_url", "check_id"), [("", "samen.W001"), ("http://samen.example.nl", "samen.W002")], ids=["empty", "http"]
)
def test_check_deploy_warns_about_the_address_in_e_mails(tmp_path, base_url, check_id):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        DEBUG="false",
        SECRET_KEY=_random_key(),
        ALLOWED_HOSTS="samen.example.nl",
        SAMEN_BASE_URL=base_url,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert check_id in output and "SAMEN_BASE_URL" in output


# Sets a value through Django's cache in a fresh process and prints what it used. `createcachetable` makes the
# database cache's table, as `migrate` does through samen.accounts (a whole `migrate` took 30-45 s of CI per probe).
CACHE_PROBE = """
import django, json
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
call_command("createcachetable", verbosity=0)
cache.set("probe", "shared", 30)
print(json.dumps({"backend": settings.CACHES["default"]["BACKEND"], "read": cache.get("probe"),
                  "key": cache.make_key("probe")}))
"""


def _probe_cache(tmp_path: Path, **env: str) -> dict:
    result = _run(["-c", CACHE_PROBE], tmp_path, DEBUG="true", DJANGO_SETTINGS_MODULE="config.settings", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_redis_the_cache_is_a_database_table(tmp_path):
    probe = _probe_cache(tmp_path)
    assert probe == {"backend": "django.core.cache.backends.db.DatabaseCache", "read": "shared", "key": ":1:probe"}


def test_with_redis_url_the_cache_is_redis_shared_by_every_node(tmp_path):
    """REDIS_URL makes Redis the cache (what the throttling per address counts in): the value is in Redis itself,
    where every node reads it. Uses database 14 of the machine's Redis (CI starts Redis)."""
    import redis

    url = "redis://127.0.0.1:6379/14"
    connection = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis does not answer at {url} (start it as .ci/run does): {error}")
    connection.flushdb()
    try:
        probe = _probe_cache(tmp_path, REDIS_URL=url)
        assert probe == {
            "backend": "django.core.cache.backends.redis.RedisCache",
            "read": "shared",
            "key": "samen:1:probe",
        }
        assert connection.get("samen:1:probe") is not None
    finally:
        connection.flushdb()

"""Production mode, tested in subprocesses so that settings are read afresh from the environment."""

from __future__ import annotations

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

"""Root pytest configuration (the environment for tests is set in pyproject.toml, via pytest-env)."""

import gettext

import pytest


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """Compile the Dutch catalogues that changed, so tests see the translations as they are written."""
    from django.utils.translation import trans_real

    from samen.core.management.commands.compile_translations import compile_catalogues

    if compile_catalogues():  # forget catalogues loaded before, here and in the gettext module
        gettext._translations.clear()
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True)
def _audit_triggers_allow_flush(request):
    """Tests that empty the whole database afterwards (live server) may do so despite the append-only
    triggers: the triggers are removed just before that flush and restored before the next test."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    from django.db import connection

    from samen.core.db_triggers import install_audit_triggers, remove_audit_triggers

    request.getfixturevalue("transactional_db")
    install_audit_triggers(connection)
    yield
    remove_audit_triggers(connection)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """argon2 costs ~0.5 s per hash on two cores; tests are about flows, not the hash.

    Returns the production hashers, for the test that checks logging in with a real argon2 hash.
    """
    production_hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return production_hashers

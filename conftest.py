"""Root pytest configuration (the environment for tests is set in pyproject.toml, via pytest-env)."""

import pytest


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

"""Root pytest configuration (the environment for tests is set in pyproject.toml, via pytest-env).

``make test`` runs the suite in parallel with pytest-xdist (``-n``). What the workers must not share:

- the test database: pytest-django gives each worker its own (``test_<name>_gw0``, ``_gw1``, ... on PostgreSQL;
  SQLite's is in memory, one per process);
- the var folder: each worker writes under its own ``SAMEN_VAR_DIR`` (``var/test/gw0``, ``var/test/gw1``, ...:
  documents and anything else a test stores there), set in ``pytest_configure``;
- the Dutch ``.mo`` files next to the ``.po`` files in the repository: compiled once, by the process that starts the
  workers, before any of them starts (``pytest_sessionstart``), never by two processes at once;
- the browser and the live server: one Chromium and one live server (on a free port) per worker.
"""

import gettext
import os
from collections.abc import Callable
from pathlib import Path

import pytest

# "gw0", "gw1", ... inside a pytest-xdist worker; None in the process that starts them and in a run without -n.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def pytest_configure(config):
    if XDIST_WORKER:
        _use_own_var_dir(XDIST_WORKER)


def _use_own_var_dir(worker: str) -> None:
    """Give this worker its own var folder. Settings have read SAMEN_VAR_DIR already (pytest-django sets Django up
    before any conftest is loaded), so the paths made from it are set again here; the variable is set too, for
    the subprocesses that tests start."""
    from django.conf import settings

    var_dir = Path(settings.VAR_DIR) / worker
    os.environ["SAMEN_VAR_DIR"] = str(var_dir)
    settings.VAR_DIR = var_dir
    settings.STATIC_ROOT = var_dir / "static"
    settings.MEDIA_ROOT = var_dir / "media"
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


def pytest_sessionstart(session):
    """Compile the Dutch catalogues that changed, so tests see the translations as they are written. Under xdist
    this runs in the process that starts the workers, before they start: no worker writes a .mo file."""
    if XDIST_WORKER:
        return
    from django.utils.translation import trans_real

    from samen.core.management.commands.compile_translations import compile_catalogues

    if compile_catalogues():  # forget catalogues loaded before, here and in the gettext module
        gettext._translations.clear()
        trans_real._translations = {}
        trans_real._default = None


# Set on a test that empties the database afterwards: puts the append-only triggers back (after the flush).
_RESTORE_TRIGGERS = pytest.StashKey[Callable[[], None]]()


@pytest.fixture(autouse=True)
def _audit_triggers_allow_flush(request):
    """Tests that empty the whole database afterwards (live server) may do so despite the append-only
    triggers: the triggers are removed just before that flush and put back right after it
    (``pytest_runtest_teardown`` below), so every test finds them, in whatever order the tests run."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    from django.db import connection

    from samen.core.db_triggers import install_audit_triggers, remove_audit_triggers

    request.getfixturevalue("transactional_db")
    blocker = request.getfixturevalue("django_db_blocker")

    def restore() -> None:
        with blocker.unblock():
            install_audit_triggers(connection)

    request.node.stash[_RESTORE_TRIGGERS] = restore
    install_audit_triggers(connection)
    yield
    remove_audit_triggers(connection)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Once a test that emptied the database is torn down (flush included), put the triggers back, so that the
    tests after it on this worker (a plain ``db`` test, too) find them. After the last test there is no database."""
    result = yield
    restore = item.stash.get(_RESTORE_TRIGGERS, None)
    if restore is not None and nextitem is not None:
        restore()
    return result


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """argon2 costs ~0.5 s per hash on two cores; tests are about flows, not the hash.

    Returns the production hashers, for the test that checks logging in with a real argon2 hash.
    """
    production_hashers = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return production_hashers

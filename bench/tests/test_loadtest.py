"""The short load test of the suite (``make loadtest`` runs the long one): concurrent writes in one household and
across households on the suite's own database kind, through a production-mode server. No client may see an
error, no confirmed write may be lost, and the access log must verify."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

from bench.loadtest import passed, report, run_against

REPO = Path(__file__).resolve().parent.parent.parent


def _database() -> tuple[str, str]:
    """("postgresql", the server's URL without a database) when the suite runs on PostgreSQL, else ("sqlite", "")."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return "sqlite", ""
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return "postgresql", f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"


def test_concurrent_writers_see_no_error_and_lose_nothing(capsys):
    database, pg_url = _database()
    result = run_against(
        database, seconds=8, clients=8, workers=2, households=12, **({"pg_url": pg_url} if pg_url else {})
    )
    with capsys.disabled():
        print("\n" + report(result))
    assert result["notes_saved"] > 0 and result["goal_edits"] > 0 and result["consent_changes"] > 0, report(result)
    assert passed(result), report(result)


@pytest.mark.parametrize("path", sorted((REPO / "samen").glob("*/services.py")), ids=lambda path: path.parent.name)
def test_every_service_keeps_the_lock_order(path):
    """Every service is one retried transaction (``@atomic_service``) and locks rows ``FOR NO KEY UPDATE``
    (``samen/core/transactions.py``): a plain ``FOR UPDATE`` makes other writers' foreign-key checks wait."""
    source = path.read_text()
    assert "@transaction.atomic" not in source
    assert not re.search(r"select_for_update\((?![^)]*no_key=True)", source)


def test_the_rehearsal_counts_each_address_in_the_file_based_backends_output(tmp_path, settings):
    """The rehearsal finds lost and doubled e-mails by reading what Django's file-based backend wrote."""
    from django.core import mail

    from bench.rehearsal import _mail_counts

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    with mail.get_connection() as connection:  # one file, two messages
        mail.EmailMessage("Uitnodiging", "tekst", to=["a@invitee.samen.test"], connection=connection).send()
        mail.EmailMessage("Uitnodiging", "tekst", to=["b@invitee.samen.test"], connection=connection).send()
    mail.EmailMessage("Uitnodiging", "nog eens", to=["a@invitee.samen.test"]).send()  # another file
    assert _mail_counts(tmp_path) == {"a@invitee.samen.test": 2, "b@invitee.samen.test": 1}
    assert _mail_counts(tmp_path / "missing") == {}

"""Anonymity by construction, checked on the real tables (SQLite here, PostgreSQL in CI): nothing in a stored
response leads back to the person who answered: no column, no order of the rows, no transaction."""

from __future__ import annotations

import pytest
from django.db import connection

from samen.collaboration import services
from samen.collaboration.models import Answer, OpenAnswer, Participation, Response
from samen.organisations.actors import actor_for_user

pytestmark = pytest.mark.django_db(transaction=True)


def _columns(model) -> list[str]:
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return [column.name for column in description]


def test_the_answer_tables_have_no_column_for_a_person_or_a_moment(transactional_db):
    expected = {
        Response: ["id", "organisation_id", "round_id"],
        Answer: ["id", "item", "response_id", "value"],
        OpenAnswer: ["id", "round_id", "text"],
    }
    for model, columns in expected.items():
        assert sorted(_columns(model)) == columns, model
        with connection.cursor() as cursor:
            relations = connection.introspection.get_relations(cursor, model._meta.db_table)
        targets = {table for _column, (_target_column, table) in relations.items()}
        assert not targets & {"accounts_user", "organisations_membership", "collaboration_participation"}
    # Participation knows who, never what: no organisation, no answer, no moment.
    assert sorted(_columns(Participation)) == ["id", "round_id", "user_id"]


def _physical_order(model, marker_sql: str) -> list:
    """The rows in the order the database keeps them (SQLite's rowid, PostgreSQL's ctid), by a marker column."""
    table = model._meta.db_table
    position = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {marker_sql} FROM {table} ORDER BY {position}")  # noqa: S608 - fixed names
        return [row[0] for row in cursor.fetchall()]


def test_rows_are_written_in_a_shuffled_order_with_random_keys(setting_db, monkeypatch):
    setting = setting_db

    class Rotating:
        """Stands in for the system's random source: a shuffle that moves the first item to the end, so the test
        can see where it was used."""

        def shuffle(self, items):
            items.append(items.pop(0))

    monkeypatch.setattr(services.secrets, "SystemRandom", Rotating)
    # Each new answer goes to a random place in the waiting list; here: at the end, so the order is known.
    monkeypatch.setattr(services.secrets, "randbelow", lambda n: n - 1)
    pulse_round = setting.open_round()
    for index, user in enumerate(setting.everyone[:5]):
        services.pulse_answer(
            actor=actor_for_user(user),
            pulse_round=pulse_round,
            organisation_id=None,
            answers={"trust": 1 + index},
            open_text=f"opmerking {index}",
        )
    # The batch was written after the fifth answer, in the shuffled order (here: rotated once), not the order of the
    # answers; the remarks were shuffled once more on their own, so the n-th remark is not the n-th response's.
    assert _physical_order(Answer, "value") == [2, 3, 4, 5, 1]
    assert _physical_order(OpenAnswer, "text") == [f"opmerking {index}" for index in (2, 3, 4, 0, 1)]
    # Random keys: they do not follow the order of writing either way.
    keys = [str(key) for key in Response.objects.order_by("id").values_list("id", flat=True)]
    assert len(set(keys)) == 5 and all(len(key) == 36 for key in keys)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's; SQLite has no transaction ids")
def test_on_postgresql_no_response_shares_a_transaction_with_a_participation(setting_db):
    setting = setting_db
    pulse_round = setting.open_round()
    for index, user in enumerate(setting.everyone[:10]):
        services.pulse_answer(
            actor=actor_for_user(user), pulse_round=pulse_round, organisation_id=None, answers={"trust": 1 + index % 7}
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT xmin::text FROM collaboration_participation")
        participations = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT DISTINCT xmin::text FROM collaboration_response")
        responses = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT DISTINCT xmin::text FROM collaboration_answer")
        answers = {row[0] for row in cursor.fetchall()}
    assert len(participations) == 10
    # Two batches of five, each written in one transaction of its own.
    assert len(responses) == 2 and responses == answers
    assert not responses & participations


@pytest.fixture
def setting_db(transactional_db):
    from samen.collaboration.tests.conftest import build_setting

    return build_setting()


def test_closing_writes_the_whole_round_again_so_the_last_few_answers_are_no_batch_of_their_own(setting_db):
    setting = setting_db
    pulse_round = setting.open_round()
    for index, user in enumerate(setting.everyone[:6]):
        services.pulse_answer(
            actor=actor_for_user(user), pulse_round=pulse_round, organisation_id=None, answers={"trust": 1 + index}
        )
    before = set(Response.objects.values_list("id", flat=True))
    assert len(before) == 5  # one batch of five; the sixth waits
    services.round_close(actor=actor_for_user(setting.facilitator), pulse_round=pulse_round)
    after = set(Response.objects.values_list("id", flat=True))
    assert len(after) == 6 and not before & after  # all six written anew, together
    assert sorted(Answer.objects.values_list("value", flat=True)) == [1, 2, 3, 4, 5, 6]


def test_waiting_answers_are_one_row_in_a_random_order(setting_db):
    """The waiting room holds no row per answer, so there is no order of rows to match against the participations."""
    from samen.collaboration.models import PendingResponse

    setting = setting_db
    pulse_round = setting.open_round()
    for index, user in enumerate(setting.everyone[:4]):
        services.pulse_answer(
            actor=actor_for_user(user), pulse_round=pulse_round, organisation_id=None, answers={"trust": 1 + index}
        )
    assert PendingResponse.objects.count() == 1
    waiting = PendingResponse.objects.get().answers
    assert sorted(answer["answers"]["trust"] for answer in waiting) == [1, 2, 3, 4]

"""One lock order, and a bounded retry of a whole service call when the database gives up on its transaction
(``samen/core/transactions.py``)."""

from __future__ import annotations

import threading

import psycopg.errors
import pytest
from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction

from samen.core import transactions
from samen.core.transactions import ATTEMPTS, atomic_service, is_retryable
from samen.households.models import Household
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's row locks (CI's PostgreSQL pass)")


def _django_error(cause: BaseException) -> OperationalError:
    """What Django raises for a database error: its own class, with the driver's error as the cause."""
    error = OperationalError(str(cause))
    error.__cause__ = cause
    return error


@pytest.fixture(autouse=True)
def no_wait(monkeypatch):
    monkeypatch.setattr(transactions, "BACKOFF_SECONDS", 0.0)


@pytest.mark.parametrize(
    ("cause", "retryable"),
    [
        (psycopg.errors.DeadlockDetected("deadlock detected"), True),
        (psycopg.errors.SerializationFailure("could not serialize access"), True),
        (psycopg.errors.LockNotAvailable("could not obtain lock"), False),
        (psycopg.errors.QueryCanceled("canceling statement due to statement timeout"), False),
        (ValueError("something else"), False),
    ],
)
def test_only_deadlocks_and_serialization_failures_are_retried(cause, retryable):
    assert is_retryable(_django_error(cause)) is retryable


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite's lock error")
def test_sqlite_database_is_locked_is_retried():
    assert is_retryable(OperationalError("database is locked"))
    assert not is_retryable(OperationalError("no such table: x"))


def test_a_deadlocked_service_runs_again_and_its_first_attempt_leaves_nothing(transactional_db):
    calls = []

    @atomic_service
    def service(name: str) -> Household:
        calls.append(name)
        household = Household.objects.create(name=f"{name} {len(calls)}")
        if len(calls) == 1:
            raise _django_error(psycopg.errors.DeadlockDetected("deadlock detected"))
        return household

    household = service("Jansen")
    assert calls == ["Jansen", "Jansen"]
    # The first attempt's household was rolled back; only the second one's is there.
    assert list(Household.objects.values_list("name", flat=True)) == ["Jansen 2"]
    assert household.name == "Jansen 2"


def test_the_retry_is_bounded(transactional_db):
    calls = []

    @atomic_service
    def service() -> None:
        calls.append(1)
        Household.objects.create(name="Jansen")
        raise _django_error(psycopg.errors.DeadlockDetected("deadlock detected"))

    with pytest.raises(OperationalError):
        service()
    assert len(calls) == ATTEMPTS
    assert not Household.objects.exists()


def test_other_errors_are_not_retried(transactional_db):
    calls = []

    @atomic_service
    def service() -> None:
        calls.append(1)
        raise IntegrityError("duplicate key")

    with pytest.raises(IntegrityError):
        service()
    assert calls == [1]


def test_inside_an_outer_transaction_the_error_goes_to_its_holder(transactional_db):
    """The outer transaction is lost with the deadlock: retrying only the inner call would run it in a broken
    transaction, so it is not retried and the outer holder sees the error."""
    calls = []

    @atomic_service
    def service() -> None:
        calls.append(1)
        raise _django_error(psycopg.errors.DeadlockDetected("deadlock detected"))

    with pytest.raises(OperationalError), transaction.atomic():
        service()
    assert calls == [1]


def test_on_commit_work_of_a_failed_attempt_is_dropped(transactional_db):
    """A retried service does not send twice: what the failed attempt queued for after the commit is gone."""
    sent = []

    @atomic_service
    def service() -> None:
        transaction.on_commit(lambda: sent.append(len(sent) + 1))
        if not sent and not getattr(service, "failed", False):
            service.failed = True
            raise _django_error(psycopg.errors.DeadlockDetected("deadlock detected"))

    service()
    assert sent == [1]


# --- real locks (PostgreSQL) -----------------------------------------------------------------------------------


def _run_threads(*targets) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(target):
        try:
            target()
        except BaseException as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread still waits: a lock was never released"
    return errors


@postgresql_only
def test_two_services_that_deadlock_both_succeed(transactional_db):
    """Two services lock the same two rows in opposite orders: PostgreSQL picks one as the deadlock's victim,
    that service runs again, and both end as if they had run one after the other."""
    first, second = HouseholdFactory(), HouseholdFactory()
    both_hold_one = threading.Barrier(2)
    attempts = []

    def locking(a: int, b: int, name: str):
        @atomic_service
        def service():
            attempts.append(name)
            Household.objects.select_for_update(no_key=True).get(pk=a)
            if attempts.count(name) == 1:
                both_hold_one.wait(timeout=10)  # the first attempts hold one row each, then want the other
            Household.objects.filter(pk=b).update(city=name)

        return service

    errors = _run_threads(locking(first.pk, second.pk, "A"), locking(second.pk, first.pk, "B"))
    assert errors == []
    assert len(attempts) == 3  # one of the two ran again
    assert sorted(Household.objects.filter(pk__in=[first.pk, second.pk]).values_list("city", flat=True)) == ["A", "B"]


@postgresql_only
def test_a_household_lock_does_not_hold_up_a_write_that_points_to_the_household(transactional_db):
    """The lock order's reason: a service holding the household (``NO KEY UPDATE``) must not make another
    transaction's foreign-key check on that household wait (it takes ``KEY SHARE`` at commit). With a plain
    ``FOR UPDATE`` the second transaction waits here, which is how the consent service and a note deadlocked."""
    household = HouseholdFactory()
    held = threading.Event()
    release = threading.Event()
    committed = threading.Event()

    def holder():
        with transaction.atomic():
            Household.objects.select_for_update(no_key=True).get(pk=household.pk)
            held.set()
            release.wait(timeout=20)

    def writer():
        held.wait(timeout=10)
        with transaction.atomic():
            HouseholdMemberFactory(household=household)
        committed.set()  # before the holder lets go

    in_time = []

    def watcher():
        in_time.append(committed.wait(timeout=5))  # while the holder still holds the household
        release.set()

    errors = _run_threads(holder, writer, watcher)
    assert errors == []
    assert in_time == [True], "the write that points to the household waited for the household's lock"

"""Reads for the conversation pages. Each is a fixed number of queries, whatever the number of messages, threads
or signals. Selectors do not decide access and do not write the access log: the view asks the policy first
(``household_access``, ``conversations.view_thread``) and passes the categories the reader sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from samen.conversations.models import (
    Message,
    ReadMarker,
    Signal,
    SignalOrganisation,
    Thread,
    ThreadKind,
    ThreadOrganisation,
)
from samen.core.prepared import PreparedQuery
from samen.core.vocabulary import DataCategory

PAGE = 50


def _values(categories: Iterable[DataCategory]) -> list[str]:
    return [DataCategory(category).value for category in categories]


def household_thread(household_id: int) -> Thread | None:
    return Thread.objects.filter(household_id=household_id, kind=ThreadKind.HOUSEHOLD).first()


def thread_in(household_id: int, thread_id) -> tuple[Thread, frozenset[int]] | None:
    """A thread of the household with the ids of its organisations (two queries; one when there is none)."""
    thread = Thread.objects.filter(household_id=household_id, pk=thread_id).select_related("signal").first()
    if thread is None:
        return None
    organisations = frozenset(
        ThreadOrganisation.objects.filter(thread=thread).values_list("organisation_id", flat=True)
    )
    return thread, organisations


def messages(
    thread: Thread | None, categories: Iterable[DataCategory], *, before: int | None = None, query: str = ""
) -> tuple[list[Message], bool]:
    """The newest ``PAGE`` messages of ``thread`` in ``categories`` (older than ``before``; containing ``query``),
    oldest first, with author, organisation and attachment loaded; and whether there are older ones (one query)."""
    values = _values(categories)
    if thread is None or thread.pk is None or not values:
        return [], False
    found = Message.objects.filter(thread=thread, category__in=values)
    if before is not None:
        found = found.filter(pk__lt=before)
    if query:
        found = found.filter(text__icontains=query)
    rows = list(
        found.select_related("author", "organisation", "attachment")
        .only(
            "id",
            "thread_id",
            "household_id",
            "category",
            "text",
            "created_at",
            "author_role",
            "author__full_name",
            "organisation__name",
            "attachment__id",
            "attachment__file_name",
            "attachment__file_size",
        )
        .order_by("-pk")[: PAGE + 1]
    )
    return rows[:PAGE][::-1], len(rows) > PAGE


def messages_after(thread: Thread, categories: Iterable[DataCategory], after: int) -> list[Message]:
    """The messages newer than ``after`` in ``categories`` (at most ``PAGE``), oldest first (one query)."""
    values = _values(categories)
    if not values:
        return []
    return list(
        Message.objects.filter(thread=thread, category__in=values, pk__gt=after)
        .select_related("author", "organisation", "attachment")
        .order_by("pk")[:PAGE]
    )


LAST_MESSAGE = PreparedQuery(
    lambda pk: Thread.objects.filter(pk=pk).values_list("last_message_id", "household_id"), pk=int
)


def last_message(thread_id: int) -> tuple[int, int] | None:
    """``(newest message id, household id)`` of a thread, or None (one prepared query: the polling endpoint)."""
    rows = LAST_MESSAGE.rows(pk=thread_id)
    return tuple(rows[0]) if rows else None


@dataclass(frozen=True)
class ThreadRow:
    thread: Thread
    unread: int  # messages the reader may see that are newer than their read marker
    organisations: list[str]
    readable: bool  # False: a conversation between professionals the reader is not in (only that it exists)
    signal: Signal | None


def thread_rows(
    household_id: int, categories: Iterable[DataCategory], *, user_id: int, organisation_id: int | None, consented: bool
) -> list[ThreadRow]:
    """Every thread of the household: the household conversation, the signals' threads and the conversations
    between professionals, newest activity first, with the unread count for the reader (three queries)."""
    values = _values(categories) or ["-"]
    marker = ReadMarker.objects.filter(thread=OuterRef("pk"), user_id=user_id).values("last_read_id")[:1]
    threads = list(
        Thread.objects.filter(household_id=household_id)
        .select_related("signal")
        .annotate(
            read_up_to=Coalesce(Subquery(marker, output_field=IntegerField()), Value(0)),
        )
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__category__in=values, messages__pk__gt=F("read_up_to")),
            )
        )
        .order_by("-last_message_at", "-pk")
    )
    names: dict[int, list[tuple[int, str]]] = {}
    for thread_id, organisation_id_, name in (
        ThreadOrganisation.objects.filter(thread__household_id=household_id)
        .order_by("organisation__name")
        .values_list("thread_id", "organisation_id", "organisation__name")
    ):
        names.setdefault(thread_id, []).append((organisation_id_, name))
    rows = []
    for thread in threads:
        members = names.get(thread.pk, [])
        readable = thread.kind != ThreadKind.PROFESSIONALS or (
            consented and organisation_id is not None and any(pk == organisation_id for pk, _n in members)
        )
        signal = getattr(thread, "signal", None) if thread.kind == ThreadKind.SIGNAL else None
        rows.append(
            ThreadRow(
                thread=thread,
                unread=thread.unread if readable else 0,
                organisations=[name for _pk, name in members],
                readable=readable,
                signal=signal,
            )
        )
    return rows


def signal_organisations(signal: Signal) -> list[str]:
    return list(signal.signal_organisations.order_by("organisation__name").values_list("organisation__name", flat=True))


def open_signals(household) -> list[Signal]:
    """The household's signals that are not solved yet, oldest first (for a meeting's agenda; one query)."""
    return list(Signal.objects.filter(household=household, resolved_at__isnull=True).order_by("raised_at", "pk"))


def professional_thread_count(household_id: int) -> int:
    """How many conversations between professionals the household has (for "Wie mag wat zien"; one query)."""
    return Thread.objects.filter(household_id=household_id, kind=ThreadKind.PROFESSIONALS).count()


@dataclass(frozen=True)
class EscalatedRow:
    signal_id: int
    kind: str
    raised_at: object
    escalated_at: object
    breakthrough_at: object
    answered: bool
    coordinator: str
    coordinator_organisation: str
    organisations: list[str]
    network: str


def escalated_for_facilitator(user_id: int) -> list[EscalatedRow]:
    """The unresolved escalated signals in the networks ``user_id`` facilitates, without case content: no household,
    no text — the kind, the organisations, the coordinator to contact, and the timings (two queries)."""
    signals = list(
        Signal.objects.filter(network__facilitators=user_id, escalated_at__isnull=False, resolved_at__isnull=True)
        .select_related("owner", "owner_organisation", "network")
        .order_by("escalated_at", "pk")
        .distinct()[:200]
    )
    concerned: dict[int, list[str]] = {}
    for signal_id, name in (
        SignalOrganisation.objects.filter(signal__in=[s.pk for s in signals])
        .order_by("organisation__name")
        .values_list("signal_id", "organisation__name")
    ):
        concerned.setdefault(signal_id, []).append(name)
    return [
        EscalatedRow(
            signal_id=signal.pk,
            kind=signal.get_kind_display(),
            raised_at=signal.raised_at,
            escalated_at=signal.escalated_at,
            breakthrough_at=signal.breakthrough_at,
            answered=signal.answered_at is not None,
            coordinator=signal.owner.full_name if signal.owner_id else "",
            coordinator_organisation=signal.owner_organisation.name if signal.owner_organisation_id else "",
            organisations=concerned.get(signal.pk, []),
            network=signal.network.name if signal.network_id else "",
        )
        for signal in signals
    ]

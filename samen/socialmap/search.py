"""Dutch full-text search over the social map, the same on SQLite and PostgreSQL in what it finds.

What is searched: a service's name (weighted highest), and its other name, description, "for whom", organisation
and categories. Words are reduced to their Dutch stem on both engines with the same Snowball algorithm:
PostgreSQL's ``dutch`` text-search configuration, and on SQLite the ``snowballstemmer`` package that fills an FTS5
index (``indexing.py``, migration 0002). Every word is also matched as the start of a longer word, so "schulden"
(stem "schul") finds "schuldhulpverlening" — Dutch glues words together.

Dutch writes compounds as one word: "huur achterstand" also finds "huurachterstand" (the words joined, as a prefix).

Ranking: all words must match; when no service has them all, services with any of them are shown, best first (a
name match counts more than a description match): BM25 on SQLite, ``ts_rank_cd`` on PostgreSQL. Without words the
list is in alphabetical order. Filters narrow either list. Pages are read with LIMIT + 1 (no COUNT).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from uuid import UUID

from django.db import connection
from django.db.models import Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from samen.core.stemming import query_stems
from samen.socialmap.models import Attribute, Schedule, Service, ServiceCapacity, ServiceStatus, TaxonomyTerm

PAGE_SIZE = 20
QUERY_MAX_LENGTH = 200
MAX_WORDS = 8
WORD = re.compile(r"\w+", re.UNICODE)
# Words that say nothing about what someone looks for. PostgreSQL's dutch configuration drops its own stop words;
# on SQLite these are dropped before stemming, so "hulp bij schulden" looks for "hulp" and "schulden".
STOP_WORDS = frozenset(
    (  # noqa: SIM905 (one readable line of words)
        "aan al als bij dan dat de der die dit door een en er het hoe ik in is je jij kan me mee met mijn na naar "
        "niet of om ook op over te tot u uit van voor wat we wie wil wij ze zij zijn zo"
    ).split()
)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# The statuses a search shows: a service that is temporarily closed is shown with its notice.
SHOWN_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
# SQLite's BM25 weighs the FTS5 columns name 10, body 1; PostgreSQL weighs the name A and the rest B.
BM25 = "bm25(socialmap_service_fts, 10.0, 1.0)"
RAW_SQLITE = (
    "SELECT e.service_id FROM socialmap_service_fts f JOIN socialmap_searchentry e ON e.id = f.rowid "
    "WHERE socialmap_service_fts MATCH %s ORDER BY bm25(socialmap_service_fts, 10.0, 1.0) LIMIT %s"
)


@dataclass(frozen=True)
class Filters:
    """What a search is narrowed to; every field empty means no filter."""

    category: UUID | None = None
    area: str = ""  # a postcode area (4 digits, or a whole postcode) or a neighbourhood's name
    free: bool = False
    language: str = ""  # an ISO 639 code as the services give it (nld, eng, ara, …)
    accessible: bool = False
    open_now: bool = False
    has_capacity: bool = False
    informal: bool | None = None  # True: only informal help; False: only organisations; None: both


@dataclass
class Results:
    services: list[Service]
    page: int
    has_next: bool
    all_words: bool = True  # False when no service had every word and the list shows those with any of them
    words: list[str] = field(default_factory=list)


def words_of(query: str) -> list[str]:
    """The words of a search that carry meaning (lower case, without stop words), at most ``MAX_WORDS``."""
    words = [word.lower() for word in WORD.findall((query or "")[:QUERY_MAX_LENGTH])]
    return [word for word in words if word not in STOP_WORDS][:MAX_WORDS]


def _compound(words: list[str]) -> str:
    """The words written as one (Dutch writes "huurachterstand" where a searcher may type "huur achterstand"); empty
    for a single word."""
    return "".join(words) if 1 < len(words) <= 3 else ""


def _sqlite_match(words: list[str], *, every: bool) -> str:
    """Each word as its stem or as written, as the start of an indexed word; all of them (or any)."""
    stems = query_stems(" ".join(words), limit=MAX_WORDS)
    terms = [
        " OR ".join(f'"{form}"*' for form in dict.fromkeys((stem, word)))
        for stem, word in zip(stems, words, strict=False)
    ]
    match = (" AND " if every else " OR ").join(f"({term})" for term in terms)
    compound = _compound(words)
    if every and compound:
        match = f'({match}) OR "{compound}"*'
    return match


def _postgresql_query(words: list[str], *, every: bool) -> tuple[str, list[str]]:
    """The tsquery SQL and its parameters: each word through the ``dutch`` configuration (its stem) or ``simple``
    (as written), as a prefix; all of them (or any)."""
    # Only \w characters reach to_tsquery (WORD), so its syntax cannot be injected; the words are parameters.
    one = "(to_tsquery('dutch'::regconfig, %s) || to_tsquery('simple'::regconfig, %s))"
    forms = list(dict.fromkeys(words))
    sql = (" && " if every else " || ").join([one] * len(forms))
    params = [value for word in forms for value in (f"{word}:*", f"{word}:*")]
    compound = _compound(words)
    if every and compound:
        sql = f"({sql}) || to_tsquery('simple'::regconfig, %s)"
        params.append(f"{compound}:*")
    return f"({sql})", params


def _matching(queryset: QuerySet[Service], words: list[str], *, every: bool) -> QuerySet[Service]:
    """``queryset`` narrowed to the services that match ``words``, with their ``rank`` (higher is better)."""
    if connection.vendor == "postgresql":
        query, params = _postgresql_query(words, every=every)
        return queryset.annotate(
            rank=RawSQL(  # noqa: S611 (constant SQL; the words are parameters)
                f"ts_rank_cd(socialmap_service.search_vector, {query})", params, output_field=FloatField()
            )
        ).extra(  # noqa: S610 (constant SQL; the words are parameters)
            where=[f"socialmap_service.search_vector @@ {query}"], params=params
        )
    match = _sqlite_match(words, every=every)
    # FTS5 drives the query: the index gives the matching rows and their BM25 score (lower is better; negated).
    return queryset.extra(  # noqa: S610 (constant SQL; the match is a parameter)
        tables=["socialmap_service_fts", "socialmap_searchentry"],
        where=[
            "socialmap_service_fts MATCH %s",
            "socialmap_searchentry.id = socialmap_service_fts.rowid",
            "socialmap_searchentry.service_id = socialmap_service.id",
        ],
        params=[match],
        select={"rank": f"-{BM25}"},
    )


def _open_now(now: datetime.datetime) -> Q:
    local = timezone.localtime(now)
    day, time = WEEKDAYS[local.weekday()], local.time().replace(microsecond=0)
    today = local.date()
    schedules = Schedule.objects.filter(
        Q(service=OuterRef("pk")) | Q(service_at_location__service=OuterRef("pk")),
        byday__contains=day,
        opens_at__lte=time,
        closes_at__gt=time,
    ).filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today), Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    return Q(Exists(schedules))


def _category_ids(term_id: UUID) -> list[UUID]:
    """The term and its direct sub-terms (the map's categories are two levels deep)."""
    return [term_id, *TaxonomyTerm.objects.filter(parent_id=term_id).values_list("pk", flat=True)]


def filtered(filters: Filters, *, now: datetime.datetime | None = None) -> QuerySet[Service]:
    """The services a search may show, narrowed by ``filters``."""
    services = Service.objects.filter(status__in=SHOWN_STATUSES)
    if filters.category is not None:
        linked = Attribute.objects.filter(
            link_entity="service", taxonomy_term_id__in=_category_ids(filters.category)
        ).values("link_id")
        services = services.filter(pk__in=linked)
    area = filters.area.strip().lower()
    if area:
        digits = area[:4]
        if digits.isdigit():
            services = services.filter(postcode_areas__contains=f" {digits} ")
        else:
            services = services.filter(neighbourhoods__contains=f" {area} ")
    if filters.free:
        services = services.filter(is_free=True)
    if filters.language:
        services = services.filter(language_codes__contains=f" {filters.language.lower()} ")
    if filters.accessible:
        services = services.filter(has_accessibility=True)
    if filters.has_capacity:
        services = services.filter(Exists(ServiceCapacity.objects.filter(service=OuterRef("pk"), available__gt=0)))
    if filters.open_now:
        services = services.filter(_open_now(now or timezone.now()))
    if filters.informal is not None:
        services = services.filter(informal=filters.informal)
    return services


def _page(queryset: QuerySet[Service], page: int, order: list[str]) -> tuple[list[Service], bool]:
    start = (page - 1) * PAGE_SIZE
    rows = list(queryset.select_related("organization").order_by(*order)[start : start + PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def search(query: str, filters: Filters = Filters(), *, page: int = 1, now: datetime.datetime | None = None) -> Results:  # noqa: B008
    """One page of services for ``query`` and ``filters``, best first (alphabetical without words)."""
    page = max(page, 1)
    words = words_of(query)
    services = filtered(filters, now=now)
    if not words:
        rows, has_next = _page(services, page, ["name", "id"])
        return Results(rows, page, has_next)
    rows, has_next = _page(_matching(services, words, every=True), page, ["-rank", "name", "id"])
    if rows or page > 1 or len(words) == 1:
        return Results(rows, page, has_next, all_words=True, words=words)
    rows, has_next = _page(_matching(services, words, every=False), page, ["-rank", "name", "id"])
    return Results(rows, page, has_next, all_words=False, words=words)


def raw_search(query: str, limit: int = PAGE_SIZE) -> list:
    """The engine's own full-text query for ``query`` (every word, prefix, ranked), without the ORM, filters or
    anything else: the baseline ``bench/socialmap`` measures ``search`` against."""
    words = words_of(query)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query, params = _postgresql_query(words, every=True)
            cursor.execute(
                f"SELECT id FROM socialmap_service WHERE search_vector @@ {query} "  # noqa: S608 (constant SQL)
                f"ORDER BY ts_rank_cd(search_vector, {query}) DESC LIMIT %s",
                [*params, *params, limit],
            )
        else:
            cursor.execute(RAW_SQLITE, [_sqlite_match(words, every=True), limit])
        return [row[0] for row in cursor.fetchall()]

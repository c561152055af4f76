"""Dutch full-text search over the social map, the same on SQLite and PostgreSQL in what it finds.

What is searched: a service's name (weighted highest), and its other name, description, "for whom", organisation
and categories. Words are reduced to their Dutch stem on both engines with the same Snowball algorithm:
PostgreSQL's ``dutch`` text-search configuration, and on SQLite the ``snowballstemmer`` package that fills an FTS5
index (``indexing.py``, migration 0002). Every word is also matched as the start of a longer word, so "schulden"
(stem "schuld") finds "schuldhulpverlening" — Dutch glues words together.

Dutch writes compounds as one word: "huur achterstand" also finds "huurachterstand" (the words joined, as a prefix).

Ranking: all words must match; when no service has them all, services with any of them are shown, best first (a
name match counts more than a description match): BM25 on SQLite, ``ts_rank_cd`` on PostgreSQL. Without words the
list is in alphabetical order. Filters narrow either list. Pages are read with LIMIT + 1 (no COUNT).

Speed at tens of thousands of matches (``bench/socialmap.py``): the order of a page is decided over narrow rows (the
service's id, rank and name), and only the page's services are then read whole, with their organisation. On SQLite,
reading every match's service row (its status and name, for the filters and the order) costs more than the
full-text query itself; so without filters (or with only "free of charge") the search looks first among the best
matches only, found by the full-text index alone (``_ranked_page``), and over every match when the filters leave too
few of those for the page. The services open now are found from the schedules open now, read once.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from uuid import UUID

from django.db import connection
from django.db.models import Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from samen.core.stemming import query_stems
from samen.socialmap.models import (
    Attribute,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    ServiceStatus,
    TaxonomyTerm,
)

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
# The matches (service id as stored, BM25 score) that score as well as the match at OFFSET or better, ties included
# (every match when there are fewer): from the FTS5 index alone, without reading the services.
SQLITE_BEST = (
    "WITH scored AS MATERIALIZED (SELECT rowid AS entry, bm25(socialmap_service_fts, 10.0, 1.0) AS score "
    "FROM socialmap_service_fts WHERE socialmap_service_fts MATCH %s) "
    "SELECT e.service_id, scored.score FROM scored JOIN socialmap_searchentry e ON e.id = scored.entry "
    "WHERE scored.score <= coalesce((SELECT score FROM scored ORDER BY score LIMIT 1 OFFSET %s), scored.score)"
)
BEST_DEPTH = 2  # on SQLite the search looks first among the best matches for twice the rows the page needs ...
BEST_MAX = 1000  # ... unless that many of them tie
RANKED = ["-rank", "name", "id"]


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
    schedules = Schedule.objects.filter(byday__contains=day, opens_at__lte=time, closes_at__gt=time).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today), Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    # Open by its own schedule or by one of a place where it is given. The schedules open now are read once, not per
    # service (a correlated subquery with OR reads every schedule for every service on SQLite).
    at_open_places = ServiceAtLocation.objects.filter(pk__in=schedules.values("service_at_location"))
    return Q(pk__in=schedules.values("service")) | Q(pk__in=at_open_places.values("service"))


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
    """The page's services in ``order`` (and whether there is a next page): the order is decided over the ids (and
    ranks) alone, then the page's services are read whole, with their organisation."""
    start = (page - 1) * PAGE_SIZE
    ranked = "-rank" in order
    keys = list(
        queryset.order_by(*order).values_list("pk", *(["rank"] if ranked else []))[start : start + PAGE_SIZE + 1]
    )
    services = Service.objects.select_related("organization").order_by().in_bulk([key[0] for key in keys])
    rows = []
    for pk, *rank in keys[:PAGE_SIZE]:
        service = services.get(pk)
        if service is None:  # deleted in between
            continue
        if ranked:
            service.rank = rank[0]
        rows.append(service)
    return rows, len(keys) > PAGE_SIZE


def _sqlite_best(words: list[str], *, every: bool, depth: int) -> list[tuple[str, float]]:
    """The ``depth`` best matches on SQLite (more when they tie), by the full-text index alone."""
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_BEST, [_sqlite_match(words, every=every), depth - 1])
        return cursor.fetchall()


def _among(queryset: QuerySet[Service], best: list[tuple[str, float]]) -> QuerySet[Service]:
    """``queryset`` narrowed to the ``best`` matches, with the same ``rank`` as ``_matching`` gives them."""
    ids = ", ".join(["%s"] * len(best))
    cases = " ".join(["WHEN %s THEN %s"] * len(best))
    return queryset.annotate(
        rank=RawSQL(  # noqa: S611 (constant SQL; the ids and scores are parameters)
            f"CASE socialmap_service.id {cases} END",
            [value for service_id, score in best for value in (service_id, -score)],
            output_field=FloatField(),
        )
    ).extra(  # noqa: S610 (constant SQL; the ids are parameters)
        where=[f"socialmap_service.id IN ({ids})"], params=[service_id for service_id, _score in best]
    )


def _ranked_page(
    services: QuerySet[Service], words: list[str], page: int, *, every: bool, best_first: bool
) -> tuple[list[Service], bool]:
    """The page of the services that match ``words``, best first.

    With ``best_first`` (SQLite), first among the best matches only (``BEST_DEPTH``): every match the filters leave
    out of them ranks below all of them, so the page is right when they fill it and show there is more, or when they
    are all the matches there are; otherwise the search runs over every match."""
    if best_first:
        depth = BEST_DEPTH * (page * PAGE_SIZE + 1)
        best = _sqlite_best(words, every=every, depth=depth)
        if not best:
            return [], False
        if len(best) <= BEST_MAX:
            rows, has_next = _page(_among(services, best), page, RANKED)
            if has_next or len(best) < depth:
                return rows, has_next
    return _page(_matching(services, words, every=every), page, RANKED)


def search(query: str, filters: Filters = Filters(), *, page: int = 1, now: datetime.datetime | None = None) -> Results:  # noqa: B008
    """One page of services for ``query`` and ``filters``, best first (alphabetical without words)."""
    page = max(page, 1)
    words = words_of(query)
    services = filtered(filters, now=now)
    if not words:
        rows, has_next = _page(services, page, ["name", "id"])
        return Results(rows, page, has_next)
    # On SQLite the best matches first, unless a filter narrows to a part of the map (a category, a place, a
    # language, …), which would leave too few of them: none, or only "free of charge", which most services are.
    best_first = connection.vendor == "sqlite" and replace(filters, free=False) == Filters()
    rows, has_next = _ranked_page(services, words, page, every=True, best_first=best_first)
    if rows or page > 1 or len(words) == 1:
        return Results(rows, page, has_next, all_words=True, words=words)
    rows, has_next = _ranked_page(services, words, page, every=False, best_first=best_first)
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

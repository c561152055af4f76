"""The social map's search: Dutch relevance (stems, compounds, ranking), the filters, paging, and a query count that
does not grow with the number of services. Runs on SQLite (FTS5) and, in CI, on PostgreSQL (dutch)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from samen.core.testing import count_queries
from samen.socialmap import indexing, search
from samen.socialmap.models import ServiceStatus
from samen.socialmap.search import Filters
from samen.socialmap.tests.factories import (
    AddressFactory,
    CapacityFactory,
    CostOptionFactory,
    DirectoryOrganizationFactory,
    LanguageFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    TaxonomyTermFactory,
    indexed_service,
)

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def town():
    """A small map: debt help, a visiting service, rent-arrears help (one compound, one in words), and others."""
    return {
        "debt": indexed_service(name="Schuldhulpverlening", description="Hulp als u schulden heeft."),
        "budget": indexed_service(name="Budgetcoaching", description="Leren rondkomen met uw geld."),
        "visit": indexed_service(
            name="Bezoekdienst", description="Een vrijwilliger komt op bezoek als u zich eenzaam voelt."
        ),
        "rent": indexed_service(
            name="Huurachterstand: samen een regeling", description="Loopt u achter met betalen? Bel ons."
        ),
        "early": indexed_service(name="Vroeg eropaf", description="Bij een achterstand met de huur komen wij langs."),
        "lease": indexed_service(name="Huurspreekuur", description="Vragen over uw huurcontract."),
        "sport": indexed_service(name="Sportmaatje", description="Samen sporten met een vrijwilliger."),
    }


def names(results) -> list[str]:
    return [service.name for service in results.services]


def test_schulden_finds_debt_help_first(town):
    results = search.search("schulden")
    assert names(results)[0] == "Schuldhulpverlening"  # the stem "schuld" matches the start of the compound
    assert "Sportmaatje" not in names(results)


def test_eenzaam_finds_the_visiting_service(town):
    assert names(search.search("eenzaam")) == ["Bezoekdienst"]
    assert names(search.search("eenzaamheid")) == ["Bezoekdienst"]  # the same stem


def test_huur_achterstand_finds_rent_arrears_help_written_either_way(town):
    found = names(search.search("huur achterstand"))
    assert set(found[:2]) == {"Huurachterstand: samen een regeling", "Vroeg eropaf"}
    assert "Sportmaatje" not in found


def test_stop_words_are_ignored(town):
    assert names(search.search("hulp bij schulden"))[0] == "Schuldhulpverlening"


def test_a_name_match_ranks_above_a_description_match():
    in_description = indexed_service(name="Spreekuur", description="Ook voor vragen over budget.")
    in_name = indexed_service(name="Budgetcoaching", description="Leren rondkomen.")
    assert [s.pk for s in search.search("budget").services] == [in_name.pk, in_description.pk]


def test_without_every_word_it_shows_services_with_some_of_them(town):
    results = search.search("schulden tuinieren")
    assert not results.all_words
    assert names(results)[0] == "Schuldhulpverlening"


def test_organisation_and_category_are_searched():
    term = TaxonomyTermFactory(name="Opvoeden en opgroeien")
    service = indexed_service(
        name="Spreekuur", organization=DirectoryOrganizationFactory(name="Jeugdhulp Oost"), terms=[term]
    )
    assert names(search.search("jeugdhulp")) == [service.name]
    assert names(search.search("opvoeden")) == [service.name]


def test_odd_input_finds_nothing_and_never_fails(town):
    for query in ['"', "*", "schul*", "AND OR NOT", "<script>alert(1)</script>", "'; DROP TABLE x; --", "é" * 300]:
        results = search.search(query)
        assert isinstance(results.services, list)
    assert names(search.search("")) == sorted(names(search.search("")))  # no words: alphabetical


def test_inactive_services_are_not_shown(town):
    indexed_service(name="Schuldhulp oud", status=ServiceStatus.DEFUNCT)
    assert "Schuldhulp oud" not in names(search.search("schulden"))


def test_filter_free_of_charge(town):
    CostOptionFactory(service=town["debt"], amount=0)
    CostOptionFactory(service=town["budget"], amount=25)
    indexing.reindex([town["debt"].pk, town["budget"].pk])
    assert names(search.search("", Filters(free=True))) == ["Schuldhulpverlening"]


def test_filter_category_includes_sub_categories(town):
    money = TaxonomyTermFactory(name="Geld")
    debts = TaxonomyTermFactory(name="Schulden", parent=money)
    from samen.socialmap.tests.factories import attach

    attach(town["debt"], debts)
    attach(town["budget"], money)
    assert set(names(search.search("", Filters(category=money.pk)))) == {"Schuldhulpverlening", "Budgetcoaching"}
    assert names(search.search("", Filters(category=debts.pk))) == ["Schuldhulpverlening"]


def test_filter_postcode_area_and_neighbourhood(town):
    place = ServiceAtLocationFactory(service=town["visit"]).location
    AddressFactory(location=place, postal_code="3561 AB", region="Noord")
    indexing.reindex([town["visit"].pk])
    assert names(search.search("", Filters(area="3561"))) == ["Bezoekdienst"]
    assert names(search.search("", Filters(area="3561 XY"))) == ["Bezoekdienst"]
    assert names(search.search("", Filters(area="noord"))) == ["Bezoekdienst"]
    assert names(search.search("", Filters(area="3562"))) == []


def test_filter_language_capacity_informal_and_accessibility(town):
    LanguageFactory(service=town["visit"], code="ara", name="Arabisch")
    CapacityFactory(service=town["debt"], available=2)
    CapacityFactory(service=town["budget"], available=0, maximum=5)
    informal = indexed_service(name="Buurtkamer", organization=DirectoryOrganizationFactory(informal=True))
    indexing.reindex([town["visit"].pk])
    assert names(search.search("", Filters(language="ara"))) == ["Bezoekdienst"]
    assert names(search.search("", Filters(has_capacity=True))) == ["Schuldhulpverlening"]
    assert names(search.search("", Filters(informal=True))) == [informal.name]
    assert informal.name not in names(search.search("", Filters(informal=False)))
    assert names(search.search("", Filters(accessible=True))) == []


def test_filter_open_now(town):
    ScheduleFactory(service=town["debt"], byday="MO,WE", opens_at=datetime.time(9), closes_at=datetime.time(12))
    monday_ten = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=AMSTERDAM)
    monday_one = datetime.datetime(2026, 12, 7, 13, 0, tzinfo=AMSTERDAM)
    tuesday_ten = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=AMSTERDAM)
    assert names(search.search("", Filters(open_now=True), now=monday_ten)) == ["Schuldhulpverlening"]
    assert names(search.search("", Filters(open_now=True), now=monday_one)) == []
    assert names(search.search("", Filters(open_now=True), now=tuesday_ten)) == []


def test_pages_are_read_with_limit_plus_one():
    for number in range(search.PAGE_SIZE + 3):
        indexed_service(name=f"Taalcafé {number:02d}", description="Nederlands oefenen.")
    first = search.search("taalcafé")
    second = search.search("taalcafé", page=2)
    assert len(first.services) == search.PAGE_SIZE and first.has_next
    assert len(second.services) == 3 and not second.has_next


def test_query_count_does_not_grow_with_services():
    for number in range(3):
        indexed_service(name=f"Schuldhulp {number}")
    few = count_queries(search.search, "schulden", Filters(free=True, has_capacity=True))
    for number in range(30):
        indexed_service(name=f"Schuldhulp extra {number}")
    many = count_queries(search.search, "schulden", Filters(free=True, has_capacity=True))
    assert few == many


def test_raw_search_is_the_same_engine_query(town):
    assert str(town["debt"].pk).replace("-", "") in [
        str(value).replace("-", "") for value in search.raw_search("schulden")
    ]


def test_the_filter_choices_are_kept_until_services_are_reindexed(django_capture_on_commit_callbacks):
    """The search form's categories and languages come from the cache after the first read, and a change to the
    services shows in them as soon as it is committed."""
    from samen.socialmap import selectors

    indexed_service(name="Buurthuis")
    first = count_queries(selectors.filter_choices)
    assert count_queries(selectors.filter_choices) < first  # from the cache, without the two reads
    assert "Geldzaken" not in dict(selectors.filter_choices()[0]).values()
    term = TaxonomyTermFactory(name="Geldzaken")
    with django_capture_on_commit_callbacks(execute=True):
        service = indexed_service(name="Schuldhulp", terms=[term])
        LanguageFactory(service=service, name="Arabisch", code="ara")
        indexing.reindex([service.pk])
    categories, languages = selectors.filter_choices()
    assert "Geldzaken" in dict(categories).values() and ("ara", "Arabisch") in languages

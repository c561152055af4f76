"""The social map's pages: who may search and for which household (404 otherwise), the access entry of a search for
a household, "put in the plan", keeping a service up to date (its organisation and the functional administrator
only), bad input, and query counts that do not grow with the number of services."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samen.core.models import AuditEntry
from samen.core.testing import count_queries
from samen.dossier.tests import conftest as dossier_fixtures
from samen.organisations.tests.factories import MembershipFactory
from samen.plans.models import Action
from samen.plans.tests.factories import GoalFactory, PlanFactory
from samen.socialmap.models import Accessibility, Phone, ServiceCapacity
from samen.socialmap.tests.factories import (
    AddressFactory,
    CapacityFactory,
    CostOptionFactory,
    DirectoryOrganizationFactory,
    LanguageFactory,
    LocationFactory,
    ScheduleFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    indexed_service,
)

pytestmark = pytest.mark.django_db
setting = dossier_fixtures.setting
login = dossier_fixtures.login
SEARCH = reverse("socialmap:search")


@pytest.fixture
def debt(setting):
    organization = DirectoryOrganizationFactory(name="Schuldhulp Zuid", maintainer=setting.schuldhulp)
    return indexed_service(name="Schuldhulpverlening", description="Hulp bij schulden.", organization=organization)


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(SEARCH)
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def test_a_citizen_searches_and_sees_the_service(setting, login, debt):
    response = login(setting.citizen).get(SEARCH, {"q": "schulden"})
    assert response.status_code == 200
    assert "Schuldhulpverlening" in response.content.decode()
    assert not AuditEntry.objects.filter(action="search").exists()  # no household: nothing personal


def test_a_search_for_a_household_is_logged_for_it(setting, login, debt):
    response = login(setting.professional).get(SEARCH, {"q": "schulden", "household": setting.household.pk})
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="search")
    assert entry.household_id == setting.household.pk and entry.user_id == setting.professional.pk
    assert "schulden" not in entry.description


@pytest.mark.parametrize("who", ["stranger", "other_citizen", "revoked"])
def test_a_search_for_someone_elses_household_is_404(setting, login, debt, who):
    response = login(getattr(setting, who)).get(SEARCH, {"household": setting.household.pk})
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="search", household_id=setting.household.pk).exists()


def test_bad_input_gives_a_message_not_a_500(setting, login, debt):
    client = login(setting.citizen)
    for params in (
        {"q": "x" * 500},
        {"q": "<script>alert(1)</script>"},
        {"category": "not-a-uuid"},
        {"page": "abc"},
        {"household": "abc"},
        {"language": "klingon"},
    ):
        response = client.get(SEARCH, params)
        assert response.status_code in (200, 404), params
        assert "<script>alert(1)</script>" not in response.content.decode()
    assert "at most 200 characters" in client.get(SEARCH, {"q": "x" * 500}).content.decode()


def test_htmx_gets_only_the_results(setting, login, debt):
    response = login(setting.citizen).get(SEARCH, {"q": "schulden"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="socialmap-results"' in html and "<form" not in html


def test_search_query_count_is_flat(setting, login, debt):
    client = login(setting.citizen)
    client.get(SEARCH)  # the session's first request caches who is acting
    few = count_queries(client.get, SEARCH, {"q": "schulden"})
    for number in range(25):
        indexed_service(name=f"Schuldhulp {number}")
    response = client.get(SEARCH, {"q": "schulden"})
    assert len(response.context["cards"]) == 20  # a full page of results
    assert count_queries(client.get, SEARCH, {"q": "schulden"}) == few


def _place(service, number: int) -> None:
    """A place where ``service`` is given, with everything its page shows of a place."""
    location = LocationFactory(name=f"Buurthuis {number}")
    at_place = ServiceAtLocationFactory(service=service, location=location)
    Phone.objects.create(service_at_location=at_place, number=f"0800 {number:04d}", description="Voor deze plek")
    AddressFactory(location=location, address_1=f"Dorpsstraat {number}")
    ScheduleFactory(location=location, opens_at=datetime.time(9), closes_at=datetime.time(12))
    Phone.objects.create(location=location, number=f"030 123 45{number:02d}")
    Accessibility.objects.create(location=location, description=f"Een lift {number}")
    LanguageFactory(location=location, name=f"Taal {number}", code=f"t{number:02d}")


def test_service_page_query_count_is_flat(setting, login, debt):
    """A service given at one place and at six, with more languages, costs, schedules and phones: the same
    queries."""
    client = login(setting.professional)
    url = reverse("socialmap:service", args=[debt.pk]) + f"?household={setting.household.pk}"
    client.get(url)  # the session's first request caches who is acting
    _place(debt, 1)
    few = count_queries(client.get, url)
    for number in range(2, 7):
        _place(debt, number)
        ScheduleFactory(service=debt, byday="SA", opens_at=datetime.time(10), closes_at=datetime.time(11))
        Phone.objects.create(service=debt, number=f"06 1234 56{number:02d}")
        LanguageFactory(service=debt, name=f"Taal van de dienst {number}", code=f"s{number:02d}")
        CostOptionFactory(service=debt, option=f"Optie {number}")
        CapacityFactory(service=debt, unit=f"plaatsen {number}")
    response = client.get(url)
    html = response.content.decode()
    assert all(f"Dorpsstraat {number}" in html and f"030 123 45{number:02d}" in html for number in range(1, 7))
    assert "Een lift 6" in html and "Taal van de dienst 6" in html and "0800 0006" in html  # the service at a place
    assert count_queries(client.get, url) == few


def test_service_page_and_unknown_ids(setting, login, debt):
    client = login(setting.citizen)
    assert client.get(reverse("socialmap:service", args=[debt.pk])).status_code == 200
    assert client.get(reverse("socialmap:service", args=["nope"])).status_code == 404
    assert client.get(reverse("socialmap:service", args=["00000000-0000-4000-8000-000000000000"])).status_code == 404


def test_the_citizen_puts_a_service_in_the_plan(setting, login, debt):
    plan = PlanFactory(household=setting.household)
    goal = GoalFactory(plan=plan, text="Geen schulden meer")
    client = login(setting.citizen)
    url = reverse("plans:add_service_action", args=[setting.household.pk, debt.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["owner"].startswith("member:") and form.initial["goal"] == str(goal.pk)
    response = client.post(url, {**form.initial, "due_date": ""})
    assert response.status_code == 302
    action = Action.objects.get(goal=goal)
    assert action.service_id == debt.pk and "Schuldhulpverlening" in action.text
    plan_page = client.get(reverse("plans:plan", args=[setting.household.pk])).content.decode()
    assert reverse("socialmap:service", args=[debt.pk]) in plan_page


def test_putting_in_another_households_plan_is_404(setting, login, debt):
    PlanFactory(household=setting.other_household)
    url = reverse("plans:add_service_action", args=[setting.other_household.pk, debt.pk])
    assert login(setting.citizen).get(url).status_code == 404


def test_only_the_organisation_and_the_functional_administrator_keep_a_service(setting, login, debt):
    edit = reverse("socialmap:edit", args=[debt.pk])
    assert login(setting.coordinator).get(edit).status_code == 404  # another organisation
    assert login(setting.citizen).get(edit).status_code == 404
    admin = MembershipFactory(functional_admin=True).user
    assert login(admin).get(edit).status_code == 200
    client = login(setting.professional)  # Schuldhulp Zuid keeps it
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"form": "capacity", "available": "2", "maximum": "10", "waiting": ""})
    assert response.status_code == 302
    assert ServiceCapacity.objects.get(service=debt).available == 2
    response = client.post(edit, {"form": "capacity", "available": "20", "maximum": "10"})
    assert "cannot be more than the maximum" in response.content.decode()
    response = client.post(edit, {"form": "service", "name": "", "status": "active"})
    assert response.status_code == 200 and ServiceCapacity.objects.get(service=debt).available == 2
    response = client.post(edit, {"form": "service", "name": "Schuldhulp <b>nieuw</b>", "status": "active"})
    assert response.status_code == 302
    debt.refresh_from_db()
    assert debt.name == "Schuldhulp <b>nieuw</b>" and " nieuw " in debt.name_stems
    assert AuditEntry.objects.filter(object_type="socialmap.service", action="update").count() == 2
    assert client.post(reverse("socialmap:checked", args=[debt.pk])).status_code == 302
    assert login(setting.citizen).get(reverse("socialmap:ours")).status_code == 403


def test_our_services_come_in_pages_with_the_stale_ones_counted_and_the_import_for_the_administrator(
    setting, login, debt
):
    old = timezone.now() - datetime.timedelta(days=400)
    organization = debt.organization
    for number in range(60):
        ServiceFactory(
            organization=organization, name=f"Dienst {number:02}", **({"checked_at": old} if number < 3 else {})
        )
    client = login(setting.professional)
    page_one = client.get(reverse("socialmap:ours"))
    first = count_queries(client.get, reverse("socialmap:ours"))
    text = page_one.content.decode()
    # The three oldest are stale (over a year), the 61 are in pages of 50: oldest check first.
    assert "3 services were not checked for over a year." in text or "3 diensten zijn al meer dan een jaar" in text
    assert text.count('class="samen-card samen-flow"') == 50 and "?page=2" in text
    assert reverse("socialmap:import") not in text  # importing is for the functional administrator
    page_two = client.get(reverse("socialmap:ours"), {"page": "2"}).content.decode()
    assert page_two.count('class="samen-card samen-flow"') == 11 and "?page=3" not in page_two
    assert client.get(reverse("socialmap:ours"), {"page": "nee"}).status_code == 200
    for number in range(40):
        ServiceFactory(organization=organization, name=f"Meer {number:02}")
    assert count_queries(client.get, reverse("socialmap:ours")) == first
    admin = MembershipFactory(functional_admin=True).user
    assert reverse("socialmap:import") in login(admin).get(reverse("socialmap:ours")).content.decode()


def test_from_a_service_the_household_puts_it_on_its_own_network_map_and_a_professional_may_not(setting, login, debt):
    page = reverse("socialmap:service", args=[debt.pk])
    add = reverse("socialmap:network_add", args=[setting.household.pk]) + f"?dienst={debt.pk}"
    citizen = login(setting.citizen).get(page, {"household": setting.household.pk}).content.decode()
    assert add in citizen.replace("&amp;", "&")
    professional = login(setting.professional).get(page, {"household": setting.household.pk}).content.decode()
    assert reverse("socialmap:network_add", args=[setting.household.pk]) not in professional  # the household keeps it
    assert reverse("referrals:new", args=[setting.household.pk]) in professional


@pytest.mark.parametrize("page", ["288230376151711744", "4611686018427387904", "-1", "nee"])
def test_a_page_number_too_large_for_the_database_is_the_last_page_not_an_error(setting, login, debt, page):
    client = login(setting.professional)
    assert client.get(SEARCH, {"q": "schulden", "page": page}).status_code == 200
    assert client.get(SEARCH, {"page": page}).status_code == 200
    assert client.get(reverse("socialmap:ours"), {"page": page}).status_code == 200

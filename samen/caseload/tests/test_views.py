"""The "Mijn huishoudens" page: who gets it, what it shows, search, filters, paging, bad input, the access log,
and a query count that does not grow with the number of households."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from samen.accounts.tests.factories import UserFactory
from samen.caseload.tests.conftest import BACKEND
from samen.consent.models import ConsentGrant, DataCategory, LegalBasis
from samen.core.models import AuditAction, AuditEntry
from samen.core.testing import count_queries
from samen.households.models import Household, TeamMember, TeamRole
from samen.households.tests.factories import CitizenFactory
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

URL = "/mijn-huishoudens/"


def client_for(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user, backend=BACKEND)
    return client


def get(client: Client, **params):
    return client.get(URL, params)


def test_the_url():
    assert reverse("caseload:list") == URL


# --- who ---------------------------------------------------------------------------------------------------


def test_anonymous_goes_to_the_login_page():
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("trait", ["facilitator", "policy_advisor", "functional_admin"])
def test_other_roles_get_404(trait):
    response = client_for(MembershipFactory(**{trait: True}).user).get(URL)
    assert response.status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_citizen_gets_404():
    assert client_for(CitizenFactory().user).get(URL).status_code == 404


def test_post_is_not_allowed(world):
    assert client_for(world.user).post(URL).status_code == 405


# --- what ---------------------------------------------------------------------------------------------------


def test_the_coordinator_sees_their_households_and_nothing_else(world):
    response = client_for(world.user).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for shown in (world.coordinated, world.member_of, world.emergency):
        assert shown.name in html
        assert f'href="/huishoudens/{shown.pk}/"' in html
    for hidden in (world.revoked, world.expired, world.other_team, world.other_org_grant, world.waiting):
        assert hidden.name not in html
    assert "3 households" in html
    assert "utrecht-status-badge--active" in html and ">coordinator<" in html
    assert ">team member<" in html
    assert "utrecht-status-badge--danger" in html and ">emergency access<" in html
    assert "Schuldhulp Voorbeeldstad" in html


def test_waiting_for_permission_shows_the_number_not_the_name(world):
    html = client_for(world.user).get(URL).content.decode()
    assert "Waiting for permission" in html
    assert f"Household number {world.waiting.pk}, permission asked on" in html
    assert "Familie Dekker" not in html


def test_one_access_entry_naming_the_households_shown(world):
    client_for(world.user).get(URL)
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.READ
    assert entry.object_type == "caseload"
    assert entry.household_id is None
    assert entry.data_category == DataCategory.GENERAL
    assert entry.description == "caseload"
    assert entry.changes == {"households": [world.coordinated.pk, world.member_of.pk, world.emergency.pk]}
    assert entry.user_id == world.user.pk


def test_an_empty_caseload_says_what_to_do():
    html = client_for(MembershipFactory().user).get(URL).content.decode()
    assert "0 households" in html
    assert "You have no households yet." in html
    assert "<table" not in html


# --- search and filters -----------------------------------------------------------------------------------


def test_search_is_case_insensitive_and_trimmed(world):
    html = get(client_for(world.user), q="  BAKKER ").content.decode()
    assert "Familie Bakker" in html and "Familie Aalbers" not in html
    assert 'value="  BAKKER "' in html  # what was typed is kept


def test_filters(world):
    client = client_for(world.user)
    html = get(client, filter="coordinator").content.decode()
    assert "Familie Aalbers" in html and "Familie Bakker" not in html and "Familie Claassen" not in html
    html = get(client, filter="emergency").content.decode()
    assert "Familie Claassen" in html and "Familie Aalbers" not in html


def test_a_search_without_results_says_what_to_do(world):
    html = get(client_for(world.user), q="Zwart").content.decode()
    assert "No household matches “Zwart”" in html
    assert "Show all my households" in html


def test_a_search_never_finds_a_hidden_household(world):
    html = get(client_for(world.user), q="Gerritsen").content.decode()
    assert "0 households" in html
    assert 'value="Gerritsen"' in html


# --- bad input -----------------------------------------------------------------------------------------------


def test_a_too_long_search_gets_a_clear_message(world):
    response = get(client_for(world.user), q="x" * 101)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Type at most 100 characters." in html
    assert "Familie Aalbers" in html  # the rest of the page still works


def test_an_unknown_filter_gets_a_clear_message(world):
    response = get(client_for(world.user), filter="everything")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose one of the options in the list." in html
    assert "3 households" in html


def test_a_page_that_is_not_a_number_gets_a_clear_message(world):
    response = get(client_for(world.user), page="abc")
    assert response.status_code == 200
    assert "That page number does not exist. We show the first page." in response.content.decode()


def test_script_tags_are_escaped(world):
    response = get(client_for(world.user), q="<script>alert(1)</script>")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_htmx_gets_only_the_results(world):
    response = client_for(world.user).get(URL, {"q": "bakker"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="caseload-results"' in html
    assert "Familie Bakker" in html
    assert AuditEntry.objects.count() == 1


# --- paging and scale -----------------------------------------------------------------------------------------


def _world_of(*, visible: int, others: int):
    """A professional of Wijkteam Noord in the team of ``visible`` households with a grant, among ``others``
    households of another organisation's teams (bulk-created, so 10,000 stay fast)."""
    wijkteam, elsewhere = OrganisationFactory(), OrganisationFactory()
    user = MembershipFactory(organisation=wijkteam).user
    colleague = MembershipFactory(organisation=elsewhere).user
    granter = UserFactory()
    households = Household.objects.bulk_create(
        Household(name=f"Familie {index:05d}", is_synthetic=True) for index in range(visible + others)
    )
    places, grants = [], []
    for index, household in enumerate(households):
        mine = index < visible
        organisation = wijkteam if mine else elsewhere
        places.append(
            TeamMember(
                household=household,
                user=user if mine else colleague,
                organisation=organisation,
                role=TeamRole.PROFESSIONAL,
                is_coordinator=True,
            )
        )
        grants.append(
            ConsentGrant(
                household=household,
                organisation=organisation,
                category=DataCategory.GENERAL,
                legal_basis=LegalBasis.CONSENT,
                granted_by=granter,
            )
        )
    TeamMember.objects.bulk_create(places, batch_size=2000)
    ConsentGrant.objects.bulk_create(grants, batch_size=2000)
    return user


def test_paging_25_a_page_sorted_by_name():
    client = client_for(_world_of(visible=30, others=0))
    first = client.get(URL).content.decode()
    assert "30 households" in first
    assert "Familie 00000" in first and "Familie 00024" in first and "Familie 00025" not in first
    assert "Page 1 of 2" in first
    second = get(client, page="2").content.decode()
    assert "Familie 00025" in second and "Familie 00029" in second and "Familie 00024" not in second
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert len(entry.changes["households"]) == 5


def test_paging_keeps_the_search():
    html = get(client_for(_world_of(visible=60, others=0)), q="familie", filter="coordinator").content.decode()
    assert "page=2" in html and "q=familie" in html and "filter=coordinator" in html


def _page_queries(*, visible: int, others: int) -> int:
    client = client_for(_world_of(visible=visible, others=others))
    client.get(URL)  # warm the session and caches
    return count_queries(client.get, URL, {"q": "familie", "page": "2"})


def test_the_query_count_does_not_grow_with_the_number_of_households():
    small = _page_queries(visible=30, others=70)
    Household.objects.all().delete()
    large = _page_queries(visible=30, others=9970)
    assert small == large


def test_the_query_count_does_not_grow_with_the_number_of_visible_households():
    small = _page_queries(visible=30, others=0)
    Household.objects.all().delete()
    large = _page_queries(visible=300, others=0)
    assert small == large


# --- the navigation -------------------------------------------------------------------------------------------


def test_the_navigation_offers_my_households_to_people_who_work_in_teams(world):
    html = client_for(world.user).get(URL).content.decode()
    assert f'href="{URL}" aria-current="page">My households</a>' in html


@pytest.mark.parametrize("trait", ["facilitator", "policy_advisor", "functional_admin"])
def test_the_navigation_does_not_offer_it_to_others(trait):
    html = client_for(MembershipFactory(**{trait: True}).user).get("/").content.decode()
    assert f'href="{URL}"' not in html


def test_the_navigation_on_another_page_has_no_current_mark(world):
    html = client_for(world.user).get("/").content.decode()
    assert f'href="{URL}">My households</a>' in html

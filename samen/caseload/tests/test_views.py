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
    assert "utrecht-status-badge--active" in html and ">Coordinator<" in html
    assert ">Team member<" in html
    assert "utrecht-status-badge--danger" in html and ">Emergency access<" in html
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
    # In the order shown: what needs attention first (the running emergency access), then by name.
    assert entry.changes == {"households": [world.emergency.pk, world.coordinated.pk, world.member_of.pk]}
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


# --- the work queue and sorting -------------------------------------------------------------------------------


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_work_queue_is_at_the_top_with_links_to_the_households_concerned(queue):
    response = client_for(queue.world.user).get(URL)
    html = _main(response)
    assert html.index("What needs your attention") < html.index("Search by name")
    for text, only in (
        ("3 actions past their date", "overdue"),
        ("2 evaluations to do", "evaluation"),
        ("1 consent request waiting for an answer", "consent"),
        ("1 consent request answered", "consent"),
        ("Emergency access running in 1 household", "emergency"),
        ("1 household handed over to you", "handover"),
    ):
        assert f'samen-attention__link" href="/mijn-huishoudens/?filter={only}">{text}</a>' in html


def test_the_list_shows_the_counts_per_household(queue):
    response = client_for(queue.world.user).get(URL)
    rows = {row[0]["text"]: row for row in response.context["rows"]}
    headers = [header["text"] if isinstance(header, dict) else header for header in response.context["headers"]]
    assert headers[2:5] == ["Past date", "Evaluation", "Consent"]
    assert rows["Familie Aalbers"][1]["text"] == "coordinator, handed over to you"
    assert rows["Familie Aalbers"][2:5] == [2, 2, "1 waiting, 1 answered"]
    assert rows["Familie Bakker"][2:5] == [1, "—", "—"]  # a dash for nothing
    assert rows["Familie Claassen"][1] == {"text": "emergency access", "badge": "danger"}


def test_when_nothing_needs_them_it_says_so():
    html = _main(client_for(_world_of(visible=3, others=2)).get(URL))
    assert "What needs your attention" in html
    assert "Nothing needs your attention today." in html


def _order(response) -> list[str]:
    return [row[0]["text"] for row in response.context["rows"]]


def _header(response, text: str) -> dict:
    return next(header for header in response.context["headers"] if isinstance(header, dict) and header["text"] == text)


def test_sorted_by_what_needs_attention_by_default(queue):
    from samen.plans.tests.factories import ActionFactory

    client = client_for(queue.world.user)
    late = ActionFactory._meta.model.objects.get(goal__plan__household=queue.world.member_of)
    ActionFactory.create_batch(9, goal=late.goal, due_date=late.due_date)
    response = client.get(URL)
    # The running emergency access first, then the most actions past their date (10 and 2), not by name.
    assert _order(response) == ["Familie Claassen", "Familie Bakker", "Familie Aalbers"]
    assert _header(response, "Household")["sort"] == "" and _header(response, "Access since")["sort"] == ""
    html = _main(response)
    assert 'aria-current="true"><strong>what needs attention</strong></a>' in html
    assert _order(get(client, sort="attention")) == _order(response)


def test_sorted_by_name_and_by_access_date(queue):
    client = client_for(queue.world.user)
    by_name = get(client, sort="name")
    assert _order(by_name) == ["Familie Aalbers", "Familie Bakker", "Familie Claassen"]
    assert _header(by_name, "Household") == {
        "text": "Household",
        "href": "/mijn-huishoudens/?sort=name",
        "sort": "ascending",
    }
    assert 'aria-current="true"><strong>name</strong></a>' in _main(by_name)
    by_access = get(client, sort="access")
    assert _order(by_access) == ["Familie Bakker", "Familie Aalbers", "Familie Claassen"]
    assert _header(by_access, "Access since")["sort"] == "descending"
    assert _header(by_access, "Household")["sort"] == ""


def test_an_unknown_sort_is_the_default_without_a_message(queue):
    client = client_for(queue.world.user)
    default = _order(client.get(URL))
    for value in ("everything", "<script>alert(1)</script>", "", "name" * 300):
        response = get(client, sort=value)
        assert response.status_code == 200
        assert _order(response) == default
        html = _main(response)
        assert "We ignored what could not be used" not in html
        assert "<script>alert(1)</script>" not in html


def test_the_filter_needing_attention_and_its_kinds(queue):
    client = client_for(queue.world.user)
    html = _main(get(client, filter="attention"))
    assert "3 households" in html
    html = _main(get(client, filter="evaluation"))
    assert "1 household" in html and "Familie Aalbers" in html and ">Familie Bakker<" not in html


def test_search_sort_and_page_keep_each_other():
    client = client_for(_world_of(visible=60, others=0))
    response = get(client, q="familie", filter="coordinator", sort="name", page="2")
    html = _main(response)
    assert response.context["page_obj"].number == 2
    assert _order(response)[0] == "Familie 00025"
    # Paging keeps the search, the filter and the sort ...
    assert "q=familie" in html and "filter=coordinator" in html and "sort=name" in html and "page=3" in html
    # ... sorting keeps the search and the filter (from the first page) ...
    assert _header(response, "Access since")["href"] == "/mijn-huishoudens/?q=familie&filter=coordinator&sort=access"
    assert 'href="/mijn-huishoudens/?q=familie&amp;filter=coordinator"' in html  # the default sort needs no parameter
    # ... and searching again keeps the sort.
    assert '<input type="hidden" name="sort" value="name">' in html
    by_access = get(client, q="familie", filter="coordinator", sort="access", page="2")
    assert "sort=access" in _main(by_access) and by_access.context["page_obj"].number == 2


def test_htmx_gets_the_sorted_results_without_the_work_queue(queue):
    response = client_for(queue.world.user).get(URL, {"sort": "name", "q": "familie"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="caseload-results"' in html
    assert "What needs your attention" not in html  # above the results: it does not change with a search
    assert _order(response) == ["Familie Aalbers", "Familie Bakker", "Familie Claassen"]
    assert 'hx-get="/mijn-huishoudens/?q=familie&amp;sort=access"' in html
    assert AuditEntry.objects.count() == 1


def _busy_world(*, visible: int, others: int):
    """``_world_of`` with, in every household, what needs attention: a current plan with goals in two categories
    (one allowed) and actions past their date, evaluations, consent requests open and answered, a handover to the
    user, and an emergency access; bulk-created."""
    import datetime

    from django.utils import timezone

    from samen.consent.models import ConsentRequest, ConsentRequestStatus
    from samen.households.models import CoordinatorHandover, HouseholdMember
    from samen.plans.models import Action, EvaluationMoment, Goal, Plan

    user = _world_of(visible=visible, others=others)
    now = timezone.now()
    today = timezone.localdate(now)
    households = list(Household.objects.all())
    places = {place.household_id: place for place in TeamMember.objects.all()}
    plans = Plan.objects.bulk_create(Plan(household=household) for household in households)
    goals = Goal.objects.bulk_create(
        Goal(plan=plan, text="Doel", domain="finances", category=category)
        for plan in plans
        for category in (DataCategory.GENERAL, DataCategory.FINANCES)
    )
    members = HouseholdMember.objects.bulk_create(
        HouseholdMember(household=household, given_name="Fatima", family_name="Bakker", relation="other")
        for household in households
    )
    member_of = {member.household_id: member for member in members}
    plan_household = {plan.pk: plan.household_id for plan in plans}
    Action.objects.bulk_create(
        Action(
            goal=goal,
            text="Actie",
            owner_member=member_of[plan_household[goal.plan_id]],
            due_date=today - datetime.timedelta(days=days),
        )
        for goal in goals
        for days in (1, 5)
    )
    EvaluationMoment.objects.bulk_create(EvaluationMoment(plan=plan, date=today) for plan in plans)
    colleagues = TeamMember.objects.bulk_create(
        TeamMember(
            household=household,
            user=UserFactory(),
            organisation=places[household.pk].organisation,
            role=TeamRole.PROFESSIONAL,
        )
        for household in households[:40]
    )
    ConsentRequest.objects.bulk_create(
        ConsentRequest(
            household_id=place.household_id,
            organisation_id=place.organisation_id,
            team_member=place,
            categories=["finances"],
            legal_basis=LegalBasis.CONSENT,
            reason="Nodig voor de schuldhulp.",
            requested_by=place.user,
            **({"status": ConsentRequestStatus.APPROVED, "answered_at": now, "answered_by": user} if index % 2 else {}),
        )
        for index, place in enumerate(colleagues)
    )
    CoordinatorHandover.objects.bulk_create(
        CoordinatorHandover(
            household_id=place.household_id,
            from_member=place,
            to_member=places[place.household_id],
            reason="Overdracht",
            recorded_by=place.user,
        )
        for place in colleagues
    )
    return user


# 10 before the work queue; the rows and the work queue take 4 (no COUNT any more); the user and their memberships
# come from the session (samen.accounts.principal): one fewer; the access entry without a household is one statement
# fewer since the log has a chain per stream (samen.core.audit).
WORK_QUEUE_PAGE_QUERIES = 10


@pytest.mark.parametrize("visible,others", [(30, 10), (120, 200)])
@pytest.mark.parametrize("params", [{}, {"sort": "name", "page": "2"}, {"filter": "attention", "sort": "access"}])
def test_the_query_count_does_not_grow_with_what_needs_attention(visible, others, params):
    client = client_for(_busy_world(visible=visible, others=others))
    client.get(URL)  # warm the session and caches
    assert count_queries(client.get, URL, params) == WORK_QUEUE_PAGE_QUERIES
    rows = client.get(URL, params).context["rows"]
    assert rows and all(
        row[2:4] == [2, 1] for row in rows
    )  # two actions past their date (not finances), one evaluation

"""The home page per role: what each role sees, what it never sees, and constant query counts."""

import datetime
import re

import pytest
from django.http import Http404
from django.urls import reverse

from samen.accounts.tests.factories import UserFactory
from samen.core.actor import ANONYMOUS, Role
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.core.testing import count_queries, table_rows
from samen.home import views
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.models import OrganisationType
from samen.organisations.tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HOME = "/"


def _queries_do_not_grow(client, grow, **grow_kwargs):
    grow(3, **grow_kwargs)
    client.get(HOME)  # warm up: one-time lookups (content types, first session access)
    few = count_queries(client.get, HOME)
    grow(27, **grow_kwargs)
    many = count_queries(client.get, HOME)
    assert few == many, f"{few} queries with 3 of everything, {many} with 30"
    return many


# --- anonymous ------------------------------------------------------------------------------------


def test_home_url_is_the_root():
    assert reverse("home:home") == HOME


def test_anonymous_is_sent_to_the_login_page(en_client):
    response = en_client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_home_only_answers_get_and_head(login, citizen):
    client = login(citizen.user)
    assert client.post(HOME).status_code == 405
    assert client.head(HOME).status_code == 200


# --- citizen --------------------------------------------------------------------------------------


def test_citizen_sees_own_household_in_plain_words(login, citizen):
    citizen.bsn = "111222333"
    citizen.save(update_fields=["bsn"])
    response = login(citizen.user).get(HOME)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name == "home/citizen.html"
    assert "<h1>My household</h1>" in html
    assert "Familie Bakker" in html
    assert "Fatima (you)" in html and "Johan" in html and "Noor" in html
    assert "Partner" in html and "Child" in html
    assert "not known" in html  # Noor has no date of birth
    assert citizen.bsn not in html
    assert citizen.family_name not in html
    for task in ("Read our plan", "Decide who may see what", "See who looked"):  # links to what exists
        assert re.search(rf'<a class="[^"]*" href="/huishoudens/\d+/[^"]*">{task}</a>', html)
    assert "Soon you can" not in html


def test_citizen_sees_age_in_whole_years(login, citizen):
    today = datetime.date.today()
    citizen.date_of_birth = today.replace(year=today.year - 41) + datetime.timedelta(days=1)
    citizen.save(update_fields=["date_of_birth"])
    html = login(citizen.user).get(HOME).content.decode()
    assert "40 years" in html  # the 41st birthday is tomorrow


def test_reading_the_household_writes_exactly_one_audit_entry_per_request(login, citizen):
    client = login(citizen.user)
    client.get(HOME)
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1
    entry = entries[0]
    assert entry.action == AuditAction.READ
    assert entry.purpose == AuditPurpose.CITIZEN
    assert entry.household_id == citizen.household_id
    assert entry.data_category == "general"
    assert entry.user_id == citizen.user_id
    assert entry.role == Role.CITIZEN
    client.get(HOME)
    assert AuditEntry.objects.count() == 2


def test_citizen_never_sees_another_household(login, citizen):
    HouseholdMemberFactory(given_name="Xaviera", household__name="Familie Anders")
    html = login(citizen.user).get(HOME).content.decode()
    assert "Xaviera" not in html
    assert "Familie Anders" not in html


def test_citizen_without_a_household_gets_a_friendly_message_and_no_audit_entry(login):
    response = login(UserFactory()).get(HOME)
    html = response.content.decode()
    assert response.status_code == 200
    assert "We cannot find your household yet" in html
    assert "contact your municipality" in html
    assert AuditEntry.objects.count() == 0


def test_citizen_page_queries_do_not_grow(login, citizen, grow):
    def grow_household_too(n):
        grow(n)
        HouseholdMemberFactory.create_batch(n, household=citizen.household)

    _queries_do_not_grow(login(citizen.user), grow_household_too)


# --- professional, coordinator, independent client supporter -------------------------------------


@pytest.fixture
def professional_setup():
    own = OrganisationFactory(name="Wijkteam Noord", type=OrganisationType.NEIGHBOURHOOD_TEAM)
    partner = OrganisationFactory(name="Schuldhulp Zuid", type=OrganisationType.DEBT_COUNSELLING)
    stranger = OrganisationFactory(name="Onbekende Zorg")
    membership = MembershipFactory(organisation=own, coordinator=True)
    MembershipFactory.create_batch(2, organisation=own)
    MembershipFactory(organisation=own, is_active=False)
    NetworkFactory(name="Netwerk Noord", organisations=[own, partner])
    NetworkFactory(name="Netwerk Elders", organisations=[partner, stranger])
    return membership


def test_coordinator_sees_their_work(login, professional_setup):
    response = login(professional_setup.user).get(HOME)
    html = response.content.decode()
    assert response.templates[0].name == "home/work.html"
    assert "<h1>My work</h1>" in html
    assert "Wijkteam Noord (neighbourhood team)" in html
    assert "Coordinator" in html
    assert "2 colleagues work with you in Samen." in html  # the inactive membership does not count
    assert "Netwerk Noord" in html
    assert "Schuldhulp Zuid (debt counselling)" in html


def test_professional_sees_no_other_networks_and_no_household_data(login, professional_setup):
    member = HouseholdMemberFactory(given_name="Geheimnaam", household__name="Familie Verborgen")
    html = login(professional_setup.user).get(HOME).content.decode()
    assert "Netwerk Elders" not in html
    assert "Onbekende Zorg" not in html
    assert member.given_name not in html and "Familie Verborgen" not in html
    assert AuditEntry.objects.count() == 0


def test_independent_client_supporter_is_marked_independent(login):
    membership = MembershipFactory(client_supporter=True)
    html = login(membership.user).get(HOME).content.decode()
    assert "utrecht-status-badge" in html and ">Independent</span>" in html
    assert "you belong to no care provider" in html
    assert "only when a resident asks you to" in html


def test_the_work_page_leads_to_the_caseload_and_to_emergency_access(login, professional_setup):
    html = login(professional_setup.user).get(HOME).content.decode()
    assert 'href="/mijn-huishoudens/"' in html and ">My households</a>" in html
    assert 'href="/noodtoegang/"' in html and ">Emergency access</a>" in html


def test_the_supporter_gets_the_caseload_but_no_emergency_access(login):
    html = login(MembershipFactory(client_supporter=True).user).get(HOME).content.decode()
    assert 'href="/mijn-huishoudens/"' in html
    assert 'href="/noodtoegang/"' not in html


def test_professional_without_a_badge(login, professional_setup):
    html = login(professional_setup.user).get(HOME).content.decode()
    assert ">Independent</span>" not in html


def test_professional_page_queries_do_not_grow(login, professional_setup, grow):
    own = professional_setup.organisation
    _queries_do_not_grow(login(professional_setup.user), grow, networks_with=[own])


# --- network facilitator --------------------------------------------------------------------------


def test_facilitator_sees_only_their_networks_with_professional_counts(login, make_network):
    facilitator = MembershipFactory(facilitator=True).user
    team = OrganisationFactory(name="Jeugdhulp West", youth_care=True)
    MembershipFactory.create_batch(3, organisation=team)
    MembershipFactory(organisation=team, is_active=False)
    MembershipFactory(organisation=team, user__is_active=False)
    make_network(name="Netwerk West", organisations=[team], facilitators=[facilitator])
    make_network(name="Netwerk Oost", organisations=[OrganisationFactory(name="Oost Welzijn")])
    HouseholdMemberFactory(given_name="Geheimnaam")

    response = login(facilitator).get(HOME)
    html = response.content.decode()
    assert response.templates[0].name == "home/facilitator.html"
    assert "Netwerk West" in html and "Jeugdhulp West" in html and "Youth care" in html
    rows, _footer = table_rows(html, "Organisations in Netwerk West")
    assert ["Jeugdhulp West", "Youth care", "3"] in rows
    assert "Netwerk Oost" not in html and "Oost Welzijn" not in html
    assert "Geheimnaam" not in html


def test_facilitator_of_no_network_is_told_so(login):
    html = login(MembershipFactory(facilitator=True).user).get(HOME).content.decode()
    assert "You do not facilitate a network yet" in html


def test_facilitator_page_queries_do_not_grow(login, grow):
    facilitator = MembershipFactory(facilitator=True).user
    _queries_do_not_grow(login(facilitator), grow, facilitators=[facilitator])


# --- policy advisor -------------------------------------------------------------------------------


def _households(size: int, count: int) -> None:
    for _ in range(count):
        HouseholdMemberFactory.create_batch(size, household=HouseholdFactory())


def _table_after(html: str, caption: str) -> tuple[dict[str, str], str]:
    """The rows of the table with ``caption`` (row header -> last cell) and its footer's last cell."""
    rows, footer = table_rows(html, caption)
    return {row[0]: row[-1] for row in rows[1:]}, footer[0][-1] if footer else ""


@pytest.fixture
def size_classes():
    """30 households: 9 of 1 person, 7 of 2, 6 of 3, 5 of 4, none of 5, 3 of 6 or more."""
    _households(1, 9)
    _households(2, 7)
    _households(3, 6)
    _households(4, 5)
    _households(6, 2)
    _households(7, 1)


def test_policy_advisor_sees_households_by_size_as_a_chart_and_a_table(login, size_classes):
    response = login(MembershipFactory(policy_advisor=True).user).get(HOME)
    html = response.content.decode()
    assert response.templates[0].name == "home/policy_advisor.html"
    svg = re.search(r"<svg [^>]*>", html).group(0)
    assert 'role="img"' in svg and 'width="100%"' in svg and 'viewBox="0 0 320 300"' in svg
    title_id = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
    description_id = re.search(r'aria-describedby="([^"]+)"', svg).group(1)
    assert re.search(rf'<h2 class="samen-chart__title" id="{title_id}">Households by size</h2>', html)
    assert re.search(rf'<p class="samen-chart__description" id="{description_id}">The number of households', html)
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert chart.count("<rect") == 3  # 9, 7 and 5: the hidden classes draw no bar
    assert ">fewer than 5</text>" in chart and ">not shown</text>" in chart
    rows, total = _table_after(html, "Households by size (table)")
    assert rows == {
        "1 person": "9",
        "2 people": "7",
        "3 people": "not shown",
        "4 people": "5",
        "5 people": "fewer than 5",
        "6 or more people": "fewer than 5",
    }
    assert total == "30"
    assert '<p class="samen-card__body">30</p>' in html  # the households card
    assert '<p class="samen-card__body">not shown</p>' in html  # members would narrow the hidden classes down


def test_a_small_size_class_cannot_be_worked_out_from_the_total(login, size_classes):
    html = login(MembershipFactory(policy_advisor=True).user).get(HOME).content.decode()
    rows, total = _table_after(html, "Households by size (table)")
    shown = sum(int(value) for value in rows.values() if value.isdigit())
    small = [label for label, value in rows.items() if value == "fewer than 5"]
    protecting = [label for label, value in rows.items() if value == "not shown"]
    hidden_sum = int(total) - shown
    assert small and protecting
    # What a reader can tell: the small classes are 0..4 each, the protecting ones 5 or more. A small class
    # can still be 4 when the rest (the other small ones at 0) leaves the protecting ones at least 5 each;
    # it can be 0 anyway, as the protecting ones have no upper limit. So anything from 0 to 4 fits.
    assert hidden_sum - 4 >= 5 * len(protecting)


def test_policy_advisor_sees_organisations_as_is_and_professionals_protected(login):
    advisor = MembershipFactory(policy_advisor=True)  # one municipality with one professional
    for organisation in OrganisationFactory.create_batch(5, debt_counselling=True):
        MembershipFactory(organisation=organisation)
    for kind, count in ((OrganisationType.YOUTH_CARE, 9), (OrganisationType.NEIGHBOURHOOD_TEAM, 20)):
        MembershipFactory.create_batch(count, organisation=OrganisationFactory(type=kind))

    html = login(advisor.user).get(HOME).content.decode()
    assert "<caption" in html and "Organisations and professionals per type" in html
    rows, footer = table_rows(html, "Organisations and professionals per type")
    by_type = {row[0]: row[1:] for row in rows[1:]}
    assert by_type["Debt counselling"] == ["5", "5"]  # five organisations (not people: shown as is), five people
    assert by_type["Municipality"] == ["1", "fewer than 5"]  # one organisation; its one professional is hidden
    assert by_type["Youth care"] == ["1", "not shown"]  # hidden as well: 35 - 5 - 20 would give the 1 away
    assert footer == [["Total", "8", "35"]]


def test_policy_advisor_sees_no_household_names(login):
    advisor = MembershipFactory(policy_advisor=True)
    HouseholdMemberFactory(given_name="Geheimnaam", household__name="Familie Verborgen")
    html = login(advisor.user).get(HOME).content.decode()
    assert "Geheimnaam" not in html and "Familie Verborgen" not in html
    assert html.count("fewer than 5") >= 2


@pytest.mark.parametrize("role", ["professional", "coordinator", "facilitator", "functional_admin", "citizen"])
def test_other_roles_never_see_the_figures(login, size_classes, role):
    if role == "citizen":
        user = HouseholdMemberFactory(user=UserFactory()).user
    else:
        user = MembershipFactory(**({} if role == "professional" else {role: True})).user
    response = login(user).get(HOME)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.templates[0].name != "home/policy_advisor.html"
    assert "Households by size" not in html and 'role="img"' not in html
    assert "fewer than 5" not in html


def test_anonymous_never_sees_the_figures(en_client, size_classes):
    response = en_client.get(HOME)
    assert response.status_code == 302
    assert "Households by size" not in response.content.decode()


@pytest.mark.parametrize("role", ["professional", "facilitator", "citizen", "anonymous"])
def test_the_figures_view_itself_refuses_everyone_but_the_policy_advisor(role, rf):
    """Even if a page were routed wrongly, the policy behind the figures answers 404."""
    if role == "anonymous":
        actor = ANONYMOUS
    elif role == "citizen":
        actor = actor_for_user(HouseholdMemberFactory(user=UserFactory()).user)
    else:
        actor = actor_for_user(MembershipFactory(**({} if role == "professional" else {role: True})).user)
    with pytest.raises(Http404):
        views._policy_advisor(rf.get(HOME), actor)


def test_policy_advisor_page_queries_do_not_grow(login, grow):
    _queries_do_not_grow(login(MembershipFactory(policy_advisor=True).user), grow)


# --- functional administrator ---------------------------------------------------------------------


def test_functional_admin_sees_organisations_and_networks(login, make_network):
    admin = MembershipFactory(functional_admin=True)
    closed = OrganisationFactory(name="Gesloten Stichting", is_active=False)
    MembershipFactory.create_batch(2, organisation=closed)
    make_network(name="Netwerk Centrum", organisations=[closed, admin.organisation], facilitators=[UserFactory()])
    HouseholdMemberFactory(given_name="Geheimnaam", household__name="Familie Verborgen")

    response = login(admin.user).get(HOME)
    html = response.content.decode()
    assert response.templates[0].name == "home/functional_admin.html"
    organisations, _footer = table_rows(html, "All organisations")
    (row,) = [row for row in organisations if row[0] == "Gesloten Stichting"]
    assert "Inactive" in row and "2" in row
    networks, _footer = table_rows(html, "All networks")
    (network_row,) = [row for row in networks if row[0] == "Netwerk Centrum"]
    assert network_row[1:] == ["2", "1"]
    assert "Geheimnaam" not in html and "Familie Verborgen" not in html
    assert "/beheer/support/" not in html


def test_support_admin_link_only_for_staff(login):
    admin = MembershipFactory(functional_admin=True, user__is_staff=True)
    html = login(admin.user).get(HOME).content.decode()
    assert 'href="/beheer/support/"' in html


def test_functional_admin_page_queries_do_not_grow(login, grow):
    _queries_do_not_grow(login(MembershipFactory(functional_admin=True).user), grow)


def test_functional_admin_organisations_are_paginated_keeping_the_page_usable(login, grow, settings):
    admin = MembershipFactory(functional_admin=True)
    grow(60)
    client = login(admin.user)
    first = client.get(HOME).content.decode()
    assert "Page 1 of 2" in first and "?page=2" in first
    second = client.get(HOME, {"page": "2"}).content.decode()
    assert "Page 2 of 2" in second
    assert client.get(HOME, {"page": "<script>"}).status_code == 200  # bad input: the first page


# --- citizen: "Mijn huishouden" and the other households ------------------------------------------------------


def test_citizen_home_links_prominently_to_the_household_overview(login, citizen):
    html = login(citizen.user).get(HOME).content.decode()
    overview = reverse("dossier:overview", args=[citizen.household_id])
    assert f'href="{overview}"' in html and "Open my household" in html
    assert "Other households you help" not in html


def test_citizen_home_lists_the_other_households_they_may_see(login, citizen):
    from samen.consent.tests.factories import ConsentGrantFactory, RepresentativeFactory, TeamMemberFactory

    represented = HouseholdMemberFactory(household__name="Familie Oma")
    RepresentativeFactory(member=represented, user=citizen.user)
    helped = HouseholdFactory(name="Familie Buren")
    place = TeamMemberFactory(household=helped, informal=True, user=citizen.user)
    ConsentGrantFactory(household=helped, organisation=None, team_member=place, category="general")
    without_grant = HouseholdFactory(name="Familie Zonder")
    TeamMemberFactory(household=without_grant, informal=True, user=citizen.user)
    expired = HouseholdMemberFactory(household__name="Familie Verlopen")
    RepresentativeFactory(member=expired, user=citizen.user, expired=True)

    html = login(citizen.user).get(HOME).content.decode()
    assert "Other households you help" in html
    for household in (represented.household, helped):
        assert f'href="{reverse("dossier:overview", args=[household.pk])}"' in html
        assert household.name in html
    assert "Familie Zonder" not in html and "Familie Verlopen" not in html
    assert html.count("Familie Bakker") >= 1  # the own household is not listed again as "other"
    assert f'href="{reverse("dossier:overview", args=[citizen.household_id])}"' in html


def test_a_representative_without_a_household_of_their_own_sees_the_households_they_represent(login):
    from samen.consent.tests.factories import RepresentativeFactory

    representative = UserFactory()
    RepresentativeFactory(member=HouseholdMemberFactory(household__name="Familie Oma"), user=representative)
    html = login(representative).get(HOME).content.decode()
    assert "We cannot find your household yet" in html
    assert "Familie Oma" in html


def test_citizen_page_queries_do_not_grow_with_other_households(login, citizen):
    from samen.consent.tests.factories import RepresentativeFactory

    client = login(citizen.user)
    RepresentativeFactory(member=HouseholdMemberFactory(), user=citizen.user)
    client.get(HOME)
    few = count_queries(client.get, HOME)
    for _ in range(10):
        RepresentativeFactory(member=HouseholdMemberFactory(), user=citizen.user)
    HouseholdFactory.create_batch(20)
    assert count_queries(client.get, HOME) == few


# --- the work queue on the home page of people who work in teams ----------------------------------------------------


def _coordinator_with_households(count: int, *, user=None):
    """A coordinator of Wijkteam Noord with ``count`` households they coordinate, each with a general action past
    its date, an evaluation to do, an open consent request of a colleague, and the coordination just handed to
    them. Returns the coordinator's user."""
    from samen.consent.tests.factories import ConsentGrantFactory, ConsentRequestFactory, TeamMemberFactory
    from samen.households.models import CoordinatorHandover
    from samen.plans.tests.factories import ActionFactory, EvaluationMomentFactory, GoalFactory, PlanFactory

    today = datetime.date.today()
    if user is None:
        user = MembershipFactory(organisation=OrganisationFactory(name="Wijkteam Noord"), coordinator=True).user
    organisation = user.memberships.get().organisation
    for _ in range(count):
        household = HouseholdFactory()
        mine = TeamMemberFactory(
            household=household, user=user, organisation=organisation, coordinator=True, membership=False
        )
        ConsentGrantFactory(household=household, organisation=organisation)
        plan = PlanFactory(household=household)
        ActionFactory(goal=GoalFactory(plan=plan), due_date=today - datetime.timedelta(days=2))
        EvaluationMomentFactory(plan=plan, date=today)
        colleague = TeamMemberFactory(household=household, organisation=organisation)
        ConsentRequestFactory(team_member=colleague)
        CoordinatorHandover.objects.create(
            household=household, from_member=colleague, to_member=mine, reason="Overdracht", recorded_by=colleague.user
        )
    return user


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_the_coordinator_sees_what_needs_them_under_the_heading(login):
    user = _coordinator_with_households(2)
    html = _main(login(user).get(HOME).content.decode())
    assert html.index("<h1>My work</h1>") < html.index("What needs your attention") < html.index("Your organisation")
    html = re.sub(r'<a class="[^"]*" href=', "<a href=", html)  # the links' text and target, whatever their class
    assert '<a href="/mijn-huishoudens/?filter=overdue">2 actions past their date</a>' in html
    assert '<a href="/mijn-huishoudens/?filter=evaluation">2 evaluations to do</a>' in html
    assert '<a href="/mijn-huishoudens/?filter=consent">2 consent requests waiting for an answer</a>' in html
    assert '<a href="/mijn-huishoudens/?filter=handover">2 households handed over to you</a>' in html
    assert "answered" not in html and "Emergency access running" not in html  # only what is not zero
    assert "Nothing needs your attention today." not in html
    assert AuditEntry.objects.count() == 0  # counts only, no household named: nothing to log


def test_when_nothing_needs_them_the_page_says_so(login, professional_setup):
    html = _main(login(professional_setup.user).get(HOME).content.decode())
    assert "What needs your attention" in html
    assert "Nothing needs your attention today." in html


def test_unread_reminders_stay_on_the_page(login):
    from samen.reminders.tests.factories import ReminderFactory

    user = _coordinator_with_households(1)
    action = user.team_memberships.get().household.plans.get().goals.get().actions.get()
    ReminderFactory(recipient=user, action=action)
    html = _main(login(user).get(HOME).content.decode())
    assert 'href="/meldingen/"' in html and "1 unread reminder" in html


def test_unread_reminders_alone_are_not_nothing(login, professional_setup, monkeypatch):
    monkeypatch.setattr(views, "unread_count", lambda actor, **_kwargs: 3)
    html = _main(login(professional_setup.user).get(HOME).content.decode())
    assert "3 unread reminders" in html
    assert "Nothing needs your attention today." not in html


def test_the_supporter_gets_the_work_queue_too(login):
    html = _main(login(MembershipFactory(client_supporter=True).user).get(HOME).content.decode())
    assert "What needs your attention" in html


@pytest.mark.parametrize("role", ["citizen", "facilitator", "policy_advisor", "functional_admin"])
def test_others_get_no_work_queue(login, role):
    if role == "citizen":
        user = HouseholdMemberFactory(user=UserFactory()).user
    else:
        user = MembershipFactory(**{role: True}).user
    html = login(user).get(HOME).content.decode()
    assert "What needs your attention" not in html and "/mijn-huishoudens/?filter=" not in html


def test_anonymous_gets_no_work_queue(en_client):
    response = en_client.get(HOME)
    assert response.status_code == 302
    assert "What needs your attention" not in response.content.decode()


def test_the_work_view_itself_refuses_a_citizen(rf):
    with pytest.raises(Http404):
        views._work(rf.get(HOME), actor_for_user(HouseholdMemberFactory(user=UserFactory()).user))


WORK_PAGE_QUERIES = 7  # 5 before the work queue, plus three for it (caseload.selectors.work_queue), minus the user and
# their memberships, which come from the session (samen.accounts.principal)


def test_the_work_page_queries_do_not_grow_with_households_and_what_needs_them(login):
    user = _coordinator_with_households(3)
    client = login(user)
    client.get(HOME)  # warm up
    few = count_queries(client.get, HOME)
    _coordinator_with_households(12, user=user)
    many = count_queries(client.get, HOME)
    assert few == many == WORK_PAGE_QUERIES
    assert "15 actions past their date" in client.get(HOME).content.decode()

"""The home page per role: what each role sees, what it never sees, and constant query counts."""

import datetime

import pytest
from django.urls import reverse

from samen.accounts.tests.factories import UserFactory
from samen.core.actor import Role
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.core.testing import count_queries
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
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
    for promise in ("See your plan", "Decide who sees what", "See who looked"):
        assert promise in html


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
    assert "utrecht-status-badge" in html and ">independent</span>" in html
    assert "you belong to no care provider" in html
    assert "only when a resident asks you to" in html


def test_professional_without_a_badge(login, professional_setup):
    html = login(professional_setup.user).get(HOME).content.decode()
    assert ">independent</span>" not in html


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
    assert 'utrecht-table__cell--numeric-data">3</td>' in html
    assert "Netwerk Oost" not in html and "Oost Welzijn" not in html
    assert "Geheimnaam" not in html


def test_facilitator_of_no_network_is_told_so(login):
    html = login(MembershipFactory(facilitator=True).user).get(HOME).content.decode()
    assert "You do not facilitate a network yet" in html


def test_facilitator_page_queries_do_not_grow(login, grow):
    facilitator = MembershipFactory(facilitator=True).user
    _queries_do_not_grow(login(facilitator), grow, facilitators=[facilitator])


# --- policy advisor -------------------------------------------------------------------------------


def test_policy_advisor_sees_k_anonymous_figures(login):
    advisor = MembershipFactory(policy_advisor=True)  # one municipality with one professional
    for _ in range(6):
        HouseholdMemberFactory(household=HouseholdFactory())
    debt = OrganisationFactory.create_batch(5, debt_counselling=True)
    for organisation in debt:
        MembershipFactory(organisation=organisation)

    response = login(advisor.user).get(HOME)
    html = response.content.decode()
    assert response.templates[0].name == "home/policy_advisor.html"
    assert '<p class="samen-card__body">6</p>' in html  # six households, six members
    assert "<caption" in html and "Organisations and professionals per type" in html
    debt_row = html[html.index(">Debt counselling</th>") :].split("</tr>")[0]
    assert debt_row.count(">5</td>") == 2
    municipality_row = html[html.index(">Municipality</th>") :].split("</tr>")[0]
    assert municipality_row.count("fewer than 5") == 2
    assert ">1</td>" not in html


def test_policy_advisor_sees_no_household_names(login):
    advisor = MembershipFactory(policy_advisor=True)
    HouseholdMemberFactory(given_name="Geheimnaam", household__name="Familie Verborgen")
    html = login(advisor.user).get(HOME).content.decode()
    assert "Geheimnaam" not in html and "Familie Verborgen" not in html
    assert html.count("fewer than 5") >= 2


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
    row = html[html.index(">Gesloten Stichting</th>") :].split("</tr>")[0]
    assert "inactive" in row and ">2</td>" in row
    network_row = html[html.index(">Netwerk Centrum</th>") :].split("</tr>")[0]
    assert network_row.count("</td>") == 2 and ">2</td>" in network_row and ">1</td>" in network_row
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

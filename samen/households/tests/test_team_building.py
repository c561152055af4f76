"""The coordinator builds the team: "Add a professional" and "Hand over coordination" (pages, refusals, the
access log, query counts), and the buttons on "Wie helpt mee"."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import ConsentGrant, ConsentRequest, ConsentRequestStatus, DataCategory, LegalBasis
from samen.consent.tests.factories import ConsentGrantFactory
from samen.core.models import AuditAction, AuditEntry
from samen.core.testing import count_queries
from samen.households.models import CoordinatorHandover, TeamMember, TeamRole
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, TeamMemberFactory
from samen.organisations.models import Membership
from samen.organisations.tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

BACKEND = "samen.accounts.backends.SamenBackend"
GENERAL = DataCategory.GENERAL


def client_for(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user, backend=BACKEND)
    return client


def url(name, household) -> str:
    return reverse(f"households:{name}", args=[getattr(household, "pk", household)])


@dataclass
class Setting:
    household: object
    citizen: object  # a user
    coordinator: object  # TeamMember (Wijkteam Noord)
    colleague: object  # TeamMember, a professional of Schuldhulp Stad in the team
    informal: object  # TeamMember
    schuldhulp: object  # Organisation in the network
    newcomer: object  # Membership: a professional of Jeugdhulp Zuid (in the network), not in the team
    outside: object  # Membership: a professional of an organisation outside the network
    support: object  # Membership: a client supporter of an organisation in the network


@pytest.fixture
def setting() -> Setting:
    household = HouseholdFactory(name="Familie Bakker")
    citizen = CitizenFactory(household=household, given_name="Fatima").user
    wijkteam = OrganisationFactory(name="Wijkteam Noord")
    schuldhulp = OrganisationFactory(name="Schuldhulp Stad", debt_counselling=True)
    jeugdhulp = OrganisationFactory(name="Jeugdhulp Zuid", youth_care=True)
    steunpunt = OrganisationFactory(name="Cliëntsteunpunt", client_support=True)
    NetworkFactory(organisations=[wijkteam, schuldhulp, jeugdhulp, steunpunt])
    coordinator = TeamMemberFactory(
        household=household, coordinator=True, organisation=wijkteam, user__full_name="Sanne de Vries"
    )
    colleague = TeamMemberFactory(household=household, organisation=schuldhulp, user__full_name="Piet Schuldhulp")
    informal = TeamMemberFactory(household=household, informal=True, user__full_name="Ans de Buurvrouw")
    for organisation in (wijkteam, schuldhulp):
        ConsentGrantFactory(household=household, organisation=organisation, category=GENERAL)
    ConsentGrantFactory(household=household, organisation=None, team_member=informal, category=GENERAL)
    return Setting(
        household=household,
        citizen=citizen,
        coordinator=coordinator,
        colleague=colleague,
        informal=informal,
        schuldhulp=schuldhulp,
        newcomer=MembershipFactory(
            organisation=jeugdhulp, user=UserFactory(email="joost@jeugdhulp.example", full_name="Joost Jansen")
        ),
        outside=MembershipFactory(
            organisation=OrganisationFactory(name="Elders Zorg"), user=UserFactory(email="eva@elders.example")
        ),
        support=MembershipFactory(
            client_supporter=True, organisation=steunpunt, user=UserFactory(email="mila@steun.example")
        ),
    )


def add_data(setting, **overrides):
    data = {
        "organisation": setting.newcomer.organisation.pk,
        "email": "Joost@Jeugdhulp.example",
        "description": "Begeleiding van Sem",
        "categories": ["general", "youth"],
        "legal_basis": LegalBasis.CONSENT.value,
        "reason": "Sem krijgt begeleiding thuis.",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class Unchanged:
    """Proves that a refused request changed nothing (the team, requests, handovers, the audit log)."""

    def __init__(self):
        self.before = self._take()

    @staticmethod
    def _take():
        return (
            list(TeamMember.objects.values_list("pk", "is_coordinator", "left_at")),
            ConsentRequest.objects.count(),
            CoordinatorHandover.objects.count(),
            AuditEntry.objects.exclude(action=AuditAction.READ).count(),
        )

    def check(self):
        assert self._take() == self.before


# --- the buttons on "Wie helpt mee" --------------------------------------------------------------------------


def test_the_coordinator_sees_both_buttons_and_the_others_none(setting):
    html = client_for(setting.coordinator.user).get(url("team", setting.household)).content.decode()
    assert url("add_professional", setting.household) in html
    assert url("handover", setting.household) in html
    assert "Add a professional" in html and "Hand over coordination" in html
    for user in (setting.citizen, setting.colleague.user, setting.informal.user):
        html = client_for(user).get(url("team", setting.household)).content.decode()
        assert url("add_professional", setting.household) not in html
        assert url("handover", setting.household) not in html


def test_a_neighbourhood_team_professional_starting_a_team_sees_the_buttons():
    household = HouseholdFactory()
    starter = TeamMemberFactory(household=household, organisation=OrganisationFactory())
    ConsentGrantFactory(household=household, organisation=starter.organisation, category=GENERAL)
    html = client_for(starter.user).get(url("team", household)).content.decode()
    assert url("add_professional", household) in html
    assert url("handover", household) in html


# --- adding a professional --------------------------------------------------------------------------------------


def test_the_form_offers_the_organisations_of_the_network_but_no_independent_support(setting):
    response = client_for(setting.coordinator.user).get(url("add_professional", setting.household))
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Wijkteam Noord", "Schuldhulp Stad", "Jeugdhulp Zuid"):
        assert name in html
    assert "Cliëntsteunpunt" not in html
    assert "Elders Zorg" not in html
    assert "Familie Bakker" in html


def test_the_coordinator_adds_a_professional_and_the_household_is_asked_first(
    setting, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for(setting.coordinator.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("add_professional", setting.household), add_data(setting), follow=True)
    assert response.redirect_chain[-1][0] == url("team", setting.household)
    html = response.content.decode()
    assert "Joost Jansen of Jeugdhulp Zuid is now in the team. The household must approve first" in html
    member = TeamMember.objects.get(household=setting.household, user=setting.newcomer.user, left_at__isnull=True)
    assert (member.role, member.organisation, member.description) == (
        TeamRole.PROFESSIONAL,
        setting.newcomer.organisation,
        "Begeleiding van Sem",
    )
    request = ConsentRequest.objects.get(team_member=member)
    assert (request.status, request.categories, request.reason) == (
        ConsentRequestStatus.OPEN,
        ["general", "youth"],
        "Sem krijgt begeleiding thuis.",
    )
    assert not ConsentGrant.objects.filter(organisation=setting.newcomer.organisation).exists()
    assert [message.to for message in mailoutbox] == [["joost@jeugdhulp.example"]]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation": ""}, "Choose the organisation the professional works for."),
        ({"organisation": "abc"}, "Choose an organisation from the list."),
        ({"organisation": "999999999"}, "Choose an organisation from the list."),
        ({"organisation": "-1"}, "Choose an organisation from the list."),
        ({"email": ""}, "Fill in the e-mail address of the professional."),
        ({"email": "not-an-address"}, "Enter an e-mail address like name@example.nl."),
        ({"email": "nobody@jeugdhulp.example"}, "We cannot find a professional with this address at Jeugdhulp Zuid."),
        ({"email": "eva@elders.example"}, "We cannot find a professional with this address at Jeugdhulp Zuid."),
        ({"description": ""}, "Fill in what this professional will do."),
        ({"description": "<script>alert(1)</script>"}, "the signs &lt; and &gt; are not allowed"),
        ({"description": "x" * 201}, "Use at most 200 characters for what they will do."),
        ({"categories": None}, "Tick at least one kind of information."),
        ({"categories": ["secret"]}, "This kind of information does not exist."),
        ({"legal_basis": "because"}, "Choose a legal basis from the list."),
        ({"reason": ""}, "Explain why this professional needs this information."),
        ({"reason": "x" * 2001}, "Use at most 2000 characters for the reason."),
    ],
)
def test_bad_input_gives_a_clear_message_keeps_the_input_and_changes_nothing(setting, overrides, message):
    unchanged = Unchanged()
    data = add_data(setting, **overrides)
    response = client_for(setting.coordinator.user).post(url("add_professional", setting.household), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if overrides.get("reason") is None and "reason" not in overrides:
        assert "Sem krijgt begeleiding thuis." in html  # what was typed is kept
    unchanged.check()


@pytest.mark.parametrize("who", ["outside", "support"])
def test_an_organisation_outside_the_network_or_independent_support_is_refused(setting, who):
    unchanged = Unchanged()
    membership = getattr(setting, who)
    data = add_data(setting, organisation=membership.organisation.pk, email=membership.user.email)
    response = client_for(setting.coordinator.user).post(url("add_professional", setting.household), data)
    assert response.status_code == 200
    assert "Choose an organisation from the list." in response.content.decode()
    unchanged.check()


def test_someone_already_in_the_team_is_refused(setting):
    unchanged = Unchanged()
    data = add_data(setting, organisation=setting.schuldhulp.pk, email=setting.colleague.user.email)
    response = client_for(setting.coordinator.user).post(url("add_professional", setting.household), data)
    assert response.status_code == 200
    assert "This person is already in the team." in response.content.decode()
    unchanged.check()


def test_someone_who_no_longer_works_there_is_not_found(setting):
    Membership.objects.filter(pk=setting.newcomer.pk).update(is_active=False)
    unchanged = Unchanged()
    response = client_for(setting.coordinator.user).post(url("add_professional", setting.household), add_data(setting))
    assert "We cannot find a professional with this address at Jeugdhulp Zuid." in response.content.decode()
    unchanged.check()


# --- handing over ----------------------------------------------------------------------------------------------


def test_the_handover_form_offers_the_teams_other_professionals_only(setting):
    other = TeamMemberFactory(household=setting.household, user__full_name="Kees Tweede")
    Membership.objects.filter(user=other.user).update(is_active=False)  # no longer works there
    html = client_for(setting.coordinator.user).get(url("handover", setting.household)).content.decode()
    assert f'value="{setting.colleague.pk}"' in html
    assert "Piet Schuldhulp (Schuldhulp Stad)" in html
    assert f'value="{setting.coordinator.pk}"' not in html
    assert f'value="{setting.informal.pk}"' not in html
    assert f'value="{other.pk}"' not in html


def test_the_coordinator_hands_over_with_a_reason_and_everyone_is_told(
    setting, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client = client_for(setting.coordinator.user)
    data = {"to_member": setting.colleague.pk, "reason": "De schulden zijn nu het belangrijkst."}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("handover", setting.household), data, follow=True)
    assert response.redirect_chain[-1][0] == url("team", setting.household)
    html = response.content.decode()
    assert "Piet Schuldhulp of Schuldhulp Stad is now the coordinator." in html
    assert "De schulden zijn nu het belangrijkst." in html  # the history on the team page
    setting.colleague.refresh_from_db()
    setting.coordinator.refresh_from_db()
    assert (setting.colleague.is_coordinator, setting.coordinator.is_coordinator) == (True, False)
    handover = CoordinatorHandover.objects.get()
    assert (handover.from_member, handover.to_member) == (setting.coordinator, setting.colleague)
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted([setting.colleague.user.email, setting.coordinator.user.email, setting.citizen.email])
    # The new coordinator now sees the buttons, the previous one no longer does.
    assert (
        url("handover", setting.household)
        in client_for(setting.colleague.user).get(url("team", setting.household)).content.decode()
    )
    assert client_for(setting.coordinator.user).get(url("handover", setting.household)).status_code == 403


@pytest.mark.parametrize(
    ("target", "reason", "message"),
    [
        ("informal", "Reden", "Choose a professional from the list."),
        ("coordinator", "Reden", "Choose a professional from the list."),
        ("stranger", "Reden", "Choose a professional from the list."),
        ("other_household", "Reden", "Choose a professional from the list."),
        ("garbage", "Reden", "Choose a professional from the list."),
        ("none", "Reden", "Choose who becomes the coordinator."),
        ("colleague", "", "Fill in why the coordination is handed over."),
        ("colleague", "   ", "Fill in why the coordination is handed over."),
        ("colleague", "x" * 2001, "Use at most 2000 characters for the reason."),
    ],
)
def test_a_bad_handover_gives_a_clear_message_and_changes_nothing(setting, target, reason, message):
    values = {
        "informal": setting.informal.pk,
        "coordinator": setting.coordinator.pk,
        "stranger": MembershipFactory(organisation=setting.schuldhulp).pk,
        "other_household": TeamMemberFactory(organisation=setting.schuldhulp).pk,
        "garbage": "1; DROP TABLE",
        "none": "",
        "colleague": setting.colleague.pk,
    }
    unchanged = Unchanged()
    data = {"to_member": values[target], "reason": reason}
    response = client_for(setting.coordinator.user).post(url("handover", setting.household), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    unchanged.check()


def test_a_professional_starting_a_team_assigns_the_first_coordinator_of_their_own_organisation():
    household = HouseholdFactory()
    wijkteam = OrganisationFactory()
    starter = TeamMemberFactory(household=household, organisation=wijkteam)
    colleague = TeamMemberFactory(household=household, organisation=wijkteam, user__full_name="Kees Collega")
    other = TeamMemberFactory(household=household, organisation=OrganisationFactory(debt_counselling=True))
    ConsentGrantFactory(household=household, organisation=wijkteam, category=GENERAL)
    client = client_for(starter.user)
    html = client.get(url("handover", household)).content.decode()
    assert f'value="{colleague.pk}"' in html and f'value="{starter.pk}"' in html
    assert f'value="{other.pk}"' not in html
    response = client.post(url("handover", household), {"to_member": colleague.pk, "reason": ""})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.is_coordinator
    assert CoordinatorHandover.objects.get().from_member is None


# --- who may open the forms -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["add_professional", "handover"])
def test_the_team_gets_403_outsiders_404_anonymous_visitors_the_login(setting, name):
    for user in (setting.citizen, setting.colleague.user, setting.informal.user):
        for method in ("get", "post"):
            response = getattr(client_for(user), method)(url(name, setting.household))
            assert response.status_code == 403, (user, method)
    outsiders = (CitizenFactory().user, setting.newcomer.user, MembershipFactory(functional_admin=True).user)
    for user in outsiders:
        assert client_for(user).get(url(name, setting.household)).status_code == 404
        assert client_for(user).post(url(name, setting.household), {}).status_code == 404
    response = client_for().get(url(name, setting.household))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    for bad in ("abc", "0", "99999999", "1.5"):
        assert client_for(setting.coordinator.user).get(url(name, bad)).status_code == 404
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", ["add_professional", "handover"])
def test_showing_a_form_writes_one_access_entry(setting, name):
    response = client_for(setting.coordinator.user).get(url(name, setting.household))
    assert response.status_code == 200
    [entry] = AuditEntry.objects.all()
    assert (entry.action, entry.household_id, entry.data_category, entry.user_id) == (
        AuditAction.READ,
        setting.household.pk,
        "general",
        setting.coordinator.user.pk,
    )


@pytest.mark.parametrize("name", ["add_professional", "handover"])
def test_query_count_does_not_grow_with_the_team_or_the_network(name):
    def measure(size):
        household = HouseholdFactory()
        coordinator = TeamMemberFactory(household=household, coordinator=True)
        organisations = [coordinator.organisation]
        for _ in range(size):
            member = TeamMemberFactory(household=household)
            organisations.append(member.organisation)
            TeamMemberFactory(household=household, informal=True)
            HouseholdFactory()
        NetworkFactory(organisations=organisations)
        ConsentGrantFactory(household=household, organisation=coordinator.organisation, category=GENERAL)
        client = client_for(coordinator.user)
        assert client.get(url(name, household)).status_code == 200
        return count_queries(client.get, url(name, household))

    assert measure(1) == measure(10)


# --- the citizen brings in an independent client supporter ----------------------------------------------------


def supporter_data(setting, **overrides):
    data = {
        "supporter-organisation": setting.support.organisation.pk,
        "supporter-email": "MILA@steun.example",
        "supporter-description": "Denkt met me mee",
    }
    data.update(overrides)
    return data


def test_the_citizen_sees_the_supporter_form_with_independent_organisations_only(setting):
    html = client_for(setting.citizen).get(url("team", setting.household)).content.decode()
    assert url("add_supporter", setting.household) in html
    assert "Cliëntsteunpunt" in html
    assert f'<option value="{setting.schuldhulp.pk}"' not in html
    for user in (setting.coordinator.user, setting.informal.user):
        html = client_for(user).get(url("team", setting.household)).content.decode()
        assert url("add_supporter", setting.household) not in html


def test_the_citizen_adds_an_independent_client_supporter(setting):
    response = client_for(setting.citizen).post(
        url("add_supporter", setting.household), supporter_data(setting), follow=True
    )
    assert response.redirect_chain[-1][0] == url("team", setting.household)
    assert "is now in your team as independent client supporter" in response.content.decode()
    member = TeamMember.objects.get(household=setting.household, user=setting.support.user)
    assert (member.role, member.organisation, member.description) == (
        TeamRole.SUPPORTER,
        setting.support.organisation,
        "Denkt met me mee",
    )
    assert not ConsentRequest.objects.filter(team_member=member).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"supporter-organisation": ""}, "Choose the organisation the client supporter works for."),
        ({"supporter-organisation": "abc"}, "Choose an organisation from the list."),
        ({"supporter-organisation": "schuldhulp"}, "Choose an organisation from the list."),
        ({"supporter-email": ""}, "Fill in the e-mail address of the client supporter."),
        ({"supporter-email": "joost@jeugdhulp.example"}, "We cannot find a client supporter with this address at"),
        ({"supporter-description": "<script>x</script>"}, "the signs &lt; and &gt; are not allowed"),
    ],
)
def test_bad_supporter_input_shows_the_page_again_and_changes_nothing(setting, overrides, message):
    if overrides.get("supporter-organisation") == "schuldhulp":
        overrides["supporter-organisation"] = setting.schuldhulp.pk
    unchanged = Unchanged()
    response = client_for(setting.citizen).post(
        url("add_supporter", setting.household), supporter_data(setting, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    unchanged.check()


def test_a_supporter_already_in_the_team_is_refused(setting):
    client = client_for(setting.citizen)
    client.post(url("add_supporter", setting.household), supporter_data(setting))
    unchanged = Unchanged()
    response = client.post(url("add_supporter", setting.household), supporter_data(setting))
    assert "This person is already in the team." in response.content.decode()
    unchanged.check()


def test_only_the_household_adds_a_supporter(setting):
    for user in (setting.coordinator.user, setting.informal.user, setting.colleague.user):
        assert (
            client_for(user).post(url("add_supporter", setting.household), supporter_data(setting)).status_code == 403
        )
    assert client_for(CitizenFactory().user).post(url("add_supporter", setting.household)).status_code == 404
    assert client_for(setting.citizen).get(url("add_supporter", setting.household)).status_code == 405
    assert not TeamMember.objects.filter(user=setting.support.user).exists()

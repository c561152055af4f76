"""The "Wie helpt mee" page: who sees it, what it shows, the access log, and the citizen's invitations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import DataCategory
from samen.consent.tests.factories import BreakTheGlassFactory, ConsentGrantFactory
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.core.testing import count_queries
from samen.households.models import CoordinatorHandover, Invitation, Relation
from samen.households.tests.factories import (
    CitizenFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    InvitationFactory,
    RepresentativeFactory,
    TeamMemberFactory,
)
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

BACKEND = "samen.accounts.backends.SamenBackend"
GENERAL = DataCategory.GENERAL


@dataclass
class Setting:
    household: object
    citizen: object  # a user
    representative: object
    coordinator: object  # a TeamMember
    professional: object  # a TeamMember with consent for their organisation
    supporter: object  # a TeamMember with a personal grant
    informal: object  # a TeamMember with a personal grant
    invitation: object  # an open invitation


@pytest.fixture
def setting() -> Setting:
    household = HouseholdFactory(name="Familie Bakker")
    citizen = CitizenFactory(household=household, date_of_birth=datetime.date(1985, 5, 17))
    grandmother = HouseholdMemberFactory(household=household, relation=Relation.GRANDPARENT)
    representative = RepresentativeFactory(member=grandmother).user
    first = TeamMemberFactory(
        household=household, user__full_name="Kees Eerste", organisation__name="Wijkteam Noord", description=""
    )
    coordinator = TeamMemberFactory(
        household=household,
        coordinator=True,
        user__full_name="Sanne de Vries",
        organisation__name="Jeugdhulp Zuid",
    )
    CoordinatorHandover.objects.create(household=household, to_member=first)
    CoordinatorHandover.objects.create(
        household=household, from_member=first, to_member=coordinator, reason="Kees gaat met pensioen"
    )
    professional = TeamMemberFactory(
        household=household, user__full_name="Piet Schuldhulp", organisation__name="Schuldhulp Stad"
    )
    supporter = TeamMemberFactory(household=household, supporter=True, user__full_name="Mila Steun")
    informal = TeamMemberFactory(household=household, informal=True, user__full_name="Ans de Buurvrouw")
    for organisation in (first.organisation, coordinator.organisation, professional.organisation):
        ConsentGrantFactory(household=household, organisation=organisation, category=GENERAL)
    for member in (supporter, informal):
        ConsentGrantFactory(household=household, organisation=None, team_member=member, category=GENERAL)
    invitation = InvitationFactory(household=household, name="Bram Vriend", email="bram@example.test")
    return Setting(
        household=household,
        citizen=citizen.user,
        representative=representative,
        coordinator=coordinator,
        professional=professional,
        supporter=supporter,
        informal=informal,
        invitation=invitation,
    )


@pytest.fixture
def client_for():
    def _client_for(user=None):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user, backend=BACKEND)
        return client

    return _client_for


def url(name, household):
    return reverse(f"households:{name}", args=[getattr(household, "pk", household)])


def read_entries(household):
    return AuditEntry.objects.filter(household_id=household.pk, action=AuditAction.READ)


# --- who sees the page ----------------------------------------------------------------------------


def test_the_url_is_dutch(setting):
    assert url("team", setting.household) == f"/huishoudens/{setting.household.pk}/wie-helpt-mee/"


def test_citizen_sees_the_coordinator_first_then_the_team_and_the_handovers(setting, client_for):
    response = client_for(setting.citizen).get(url("team", setting.household))
    html = response.content.decode()
    assert response.status_code == 200
    html = html[html.index("<main") :]  # the page's own content (the workspace above names the coordinator too)
    assert "<h1>Who helps</h1>" in html
    positions = [
        html.index(text)
        for text in (
            "Your coordinator",
            "Sanne de Vries",
            "Other people who help you from an organisation",
            "Piet Schuldhulp",
            "Mila Steun",
        )
    ]
    assert positions == sorted(positions)
    assert "Jeugdhulp Zuid" in html and "Schuldhulp Stad" in html
    assert "Ans de Buurvrouw" in html
    assert "What they do: Gezinscoach" in html
    # The handovers: the first coordinator, then the handover with its reason.
    assert "Kees Eerste (Wijkteam Noord) became the coordinator." in html
    assert "from Kees Eerste (Wijkteam Noord) to Sanne de Vries (Jeugdhulp Zuid)." in html
    assert "Kees gaat met pensioen" in html
    # For the citizen: the open invitation with its button, and the form.
    assert "Bram Vriend (bram@example.test)" in html
    assert 'aria-label="Withdraw the invitation: Bram Vriend">Withdraw the invitation</button>' in html
    assert "Invite someone you trust" in html


def test_the_supporter_is_marked_independent_with_an_explanation(setting, client_for):
    html = client_for(setting.citizen).get(url("team", setting.household)).content.decode()
    supporter = html[html.index('id="supporters-title"') :]
    assert "They are on your side." in supporter
    card = supporter[supporter.index("Mila Steun") : supporter.index("</article>", supporter.index("Mila Steun"))]
    assert " · independent</p>" in card
    # Nobody else is marked independent: once on the page.
    assert html.count(" · independent<") == 1


@pytest.mark.parametrize("who", ["representative", "coordinator", "professional", "supporter", "informal"])
def test_the_household_and_its_active_team_see_the_page(setting, client_for, who):
    person = getattr(setting, who)
    user = getattr(person, "user", person)
    response = client_for(user).get(url("team", setting.household))
    assert response.status_code == 200
    assert "Sanne de Vries" in response.content.decode()


@pytest.mark.parametrize("who", ["coordinator", "professional", "supporter", "informal"])
def test_the_team_does_not_see_the_invitations_or_the_forms(setting, client_for, who):
    html = client_for(getattr(setting, who).user).get(url("team", setting.household)).content.decode()
    assert "Bram Vriend" not in html
    assert "bram@example.test" not in html
    assert url("invite", setting.household) not in html
    assert url("withdraw", setting.household) not in html


def _others(setting):
    now = timezone.now()
    colleague = MembershipFactory(organisation=setting.professional.organisation).user
    left = TeamMemberFactory(household=setting.household, joined_at=now - datetime.timedelta(days=30), left_at=now)
    ConsentGrantFactory(household=setting.household, organisation=left.organisation, category=GENERAL)
    no_consent = TeamMemberFactory(household=setting.household)
    glass = MembershipFactory()
    BreakTheGlassFactory(household=setting.household, user=glass.user, organisation=glass.organisation)
    expired_representative = RepresentativeFactory(
        member=HouseholdMemberFactory(household=setting.household), expired=True
    ).user
    return {
        "citizen of another household": CitizenFactory().user,
        "colleague not in the team": colleague,
        "professional who left the team": left.user,
        "professional without consent": no_consent.user,
        "break-the-glass outside the team": glass.user,
        "expired representative": expired_representative,
        "facilitator": MembershipFactory(facilitator=True).user,
        "policy advisor": MembershipFactory(policy_advisor=True).user,
        "functional administrator": MembershipFactory(functional_admin=True).user,
        "user without a role": UserFactory(),
    }


def test_everybody_else_gets_404_and_nothing_is_logged(setting, client_for):
    for name, user in _others(setting).items():
        before = read_entries(setting.household).count()
        response = client_for(user).get(url("team", setting.household))
        assert response.status_code == 404, name
        assert read_entries(setting.household).count() == before, name


def test_anonymous_visitors_are_sent_to_log_in(setting, client_for):
    response = client_for().get(url("team", setting.household))
    assert response.status_code == 302
    assert response["Location"].startswith("/account/inloggen/")


@pytest.mark.parametrize("household_id", ["0", "abc", "99999999", "1e3", "9" * 30, "-1"])
def test_a_bad_or_missing_household_id_is_404(setting, client_for, household_id):
    response = client_for(setting.citizen).get(f"/huishoudens/{household_id}/wie-helpt-mee/")
    assert response.status_code == 404


# --- the access log ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "purpose"),
    [
        ("citizen", AuditPurpose.CITIZEN),
        ("representative", AuditPurpose.CITIZEN),
        ("professional", AuditPurpose.CARE_COORDINATION),
    ],
)
def test_each_view_writes_exactly_one_access_entry(setting, client_for, who, purpose):
    person = getattr(setting, who)
    user = getattr(person, "user", person)
    client = client_for(user)
    for expected in (1, 2):
        client.get(url("team", setting.household))
        entries = list(read_entries(setting.household))
        assert len(entries) == expected
    entry = entries[-1]
    assert entry.data_category == GENERAL
    assert entry.purpose == purpose
    assert entry.user_id == user.pk


def test_query_count_does_not_grow_with_the_team(client_for):
    def measure(size):
        household = HouseholdFactory()
        citizen = CitizenFactory(household=household)
        TeamMemberFactory(household=household, coordinator=True)
        for index in range(size - 1):
            trait = ("informal", "supporter", "professional")[index % 3]
            TeamMemberFactory(household=household, **{trait: True})
        client = client_for(citizen.user)
        response = client.get(url("team", household))
        assert response.status_code == 200
        assert response.content.decode().count("<article") == size
        return count_queries(client.get, url("team", household))

    assert measure(2) == measure(12)


# --- inviting and withdrawing ---------------------------------------------------------------------------


def test_citizen_invites_someone(setting, client_for):
    client = client_for(setting.citizen)
    data = {"name": "Joost Vriend", "email": "joost@example.test", "description": "Helpt met de post"}
    response = client.post(url("invite", setting.household), data, follow=True)
    assert response.redirect_chain[-1][0] == url("team", setting.household)
    html = response.content.decode()
    assert "We are sending an invitation to Joost Vriend." in html
    assert "Joost Vriend (joost@example.test)" in html
    invitation = Invitation.objects.get(email="joost@example.test")
    assert invitation.household == setting.household
    assert invitation.description == "Helpt met de post"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "email": "joost@example.test"}, "Fill in the name of the person you want to invite."),
        ({"name": "Joost", "email": ""}, "Fill in the e-mail address of the person you want to invite."),
        ({"name": "Joost", "email": "geen-adres"}, "Enter an e-mail address like name@example.nl."),
        ({"name": "J" * 201, "email": "joost@example.test"}, "Use at most 200 characters for the name."),
        (
            {"name": "Joost", "email": "joost@example.test", "description": "x" * 201},
            "Use at most 200 characters for what this person does.",
        ),
        ({"name": "<script>alert(1)</script>", "email": "joost@example.test"}, "the signs &lt; and &gt; are not"),
        (
            {"name": "Joost", "email": "joost@example.test", "description": "<b>buur</b>"},
            "the signs &lt; and &gt; are not",
        ),
        ({"name": "Joost", "email": "bram@example.test"}, "This address already has an invitation"),
    ],
)
def test_bad_invitation_input_gives_a_message_keeps_the_input_and_writes_nothing(setting, client_for, data, message):
    invitations = Invitation.objects.count()
    writes = AuditEntry.objects.exclude(action=AuditAction.READ).count()
    response = client_for(setting.citizen).post(url("invite", setting.household), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "<script>alert" not in html
    if data["name"] and "<" not in data["name"]:
        assert f'value="{data["name"]}"' in html
    assert f'value="{data["email"]}"' in html or not data["email"]
    assert Invitation.objects.count() == invitations
    assert AuditEntry.objects.exclude(action=AuditAction.READ).count() == writes


def test_citizen_withdraws_an_invitation(setting, client_for):
    response = client_for(setting.citizen).post(
        url("withdraw", setting.household), {"invitation": setting.invitation.pk}, follow=True
    )
    html = response.content.decode()
    assert "You withdrew the invitation for Bram Vriend." in html
    assert "bram@example.test" not in html
    setting.invitation.refresh_from_db()
    assert setting.invitation.withdrawn_at is not None


@pytest.mark.parametrize("value", ["", "abc", "0", "-3", "9" * 30, "other household"])
def test_withdrawing_a_bad_or_foreign_invitation_changes_nothing(setting, client_for, value):
    if value == "other household":
        value = str(InvitationFactory().pk)
    response = client_for(setting.citizen).post(url("withdraw", setting.household), {"invitation": value}, follow=True)
    assert response.status_code == 200
    assert "We cannot find this invitation. Nothing has changed." in response.content.decode()
    assert not Invitation.objects.filter(withdrawn_at__isnull=False).exists()


def test_withdrawing_twice_says_so(setting, client_for):
    client = client_for(setting.citizen)
    client.post(url("withdraw", setting.household), {"invitation": setting.invitation.pk})
    response = client.post(url("withdraw", setting.household), {"invitation": setting.invitation.pk}, follow=True)
    assert "This invitation has already been withdrawn." in response.content.decode()


@pytest.mark.parametrize("who", ["coordinator", "professional", "supporter", "informal"])
def test_the_team_cannot_invite_or_withdraw(setting, client_for, who):
    client = client_for(getattr(setting, who).user)
    data = {"name": "Joost", "email": "joost@example.test"}
    assert client.post(url("invite", setting.household), data).status_code == 403
    assert client.post(url("withdraw", setting.household), {"invitation": setting.invitation.pk}).status_code == 403
    assert not Invitation.objects.filter(email="joost@example.test").exists()
    setting.invitation.refresh_from_db()
    assert setting.invitation.withdrawn_at is None


def test_outsiders_posting_get_404_and_anonymous_visitors_log_in(setting, client_for):
    data = {"name": "Joost", "email": "joost@example.test"}
    outsider = client_for(CitizenFactory().user)
    assert outsider.post(url("invite", setting.household), data).status_code == 404
    assert outsider.post(url("withdraw", setting.household), {"invitation": setting.invitation.pk}).status_code == 404
    assert client_for().post(url("invite", setting.household), data).status_code == 302
    assert not Invitation.objects.filter(email="joost@example.test").exists()


def test_the_page_only_answers_get_and_head(setting, client_for):
    assert client_for(setting.citizen).post(url("team", setting.household)).status_code == 405

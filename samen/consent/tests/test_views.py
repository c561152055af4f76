"""The "Wie mag wat zien" page: who sees it, who may press its buttons, what the buttons change, bad input."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import (
    BreakTheGlass,
    ConsentGrant,
    ConsentRequest,
    ConsentRequestStatus,
    DataCategory,
    LegalBasis,
)
from samen.consent.policies import categories_visible_to
from samen.consent.tests.conftest import synthetic_bsn
from samen.consent.tests.factories import (
    BreakTheGlassFactory,
    ConsentGrantFactory,
    ConsentRequestFactory,
    RepresentativeFactory,
    TeamMemberFactory,
)
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.core.testing import count_queries
from samen.households.models import Relation
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

BACKEND = "samen.accounts.backends.SamenBackend"
GENERAL, FINANCES, HEALTH, YOUTH = DataCategory.GENERAL, DataCategory.FINANCES, DataCategory.HEALTH, DataCategory.YOUTH


@dataclass
class Setting:
    household: object
    citizen: object  # the adult member (a user)
    representative: object  # represents the grandmother for general and finances
    professional: object  # Wijkteam Noord, in the team
    coordinator: object  # Jeugdhulp Zuid, the coordinator
    wijkteam: object
    jeugdhulp: object
    informal: object  # a TeamMember: the neighbour
    finances_grant: object  # Wijkteam Noord's grant for finances


@pytest.fixture
def setting() -> Setting:
    household = HouseholdFactory(name="Familie Bakker")
    citizen = HouseholdMemberFactory(household=household, user=UserFactory(), date_of_birth=datetime.date(1985, 5, 17))
    grandmother = HouseholdMemberFactory(
        household=household, relation=Relation.GRANDPARENT, date_of_birth=datetime.date(1940, 3, 1)
    )
    representative = RepresentativeFactory(member=grandmother, scope=[GENERAL, FINANCES]).user
    professional = TeamMemberFactory(household=household, organisation__name="Wijkteam Noord")
    coordinator = TeamMemberFactory(household=household, coordinator=True, organisation__name="Jeugdhulp Zuid")
    informal = TeamMemberFactory(household=household, informal=True, user__full_name="Ans de Buurvrouw")
    ConsentGrantFactory(household=household, organisation=professional.organisation, category=GENERAL)
    finances = ConsentGrantFactory(household=household, organisation=professional.organisation, category=FINANCES)
    for category in (GENERAL, YOUTH):
        ConsentGrantFactory(household=household, organisation=coordinator.organisation, category=category)
    return Setting(
        household=household,
        citizen=citizen.user,
        representative=representative,
        professional=professional.user,
        coordinator=coordinator.user,
        wijkteam=professional.organisation,
        jeugdhulp=coordinator.organisation,
        informal=informal,
        finances_grant=finances,
    )


@pytest.fixture
def client_for():
    def _client_for(user=None):
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            client.force_login(user, backend=BACKEND)
        return client

    return _client_for


def url(name, household, *args):
    return reverse(f"consent:{name}", args=[getattr(household, "pk", household), *args])


def page_entries(household):
    return AuditEntry.objects.filter(household_id=household.pk, action=AuditAction.READ)


def visible_to(user, household):
    return categories_visible_to(actor_for_user(user), household)


# --- who sees the page ----------------------------------------------------------------------------


def test_the_url_is_dutch(setting):
    assert url("matrix", setting.household) == f"/huishoudens/{setting.household.pk}/wie-mag-wat-zien/"


def _heard(html: str) -> str:
    """The page as a screen reader names its buttons: a button's aria-label in place of its visible text."""
    return re.sub(r'<button ([^>]*)aria-label="([^"]*)">[^<]*</button>', r"<button \1>\2</button>", html)


def test_citizen_sees_the_matrix_with_buttons_and_explanations(setting, client_for):
    response = client_for(setting.citizen).get(url("matrix", setting.household))
    html = _heard(response.content.decode())
    assert response.status_code == 200
    assert "<h1>Who may see what</h1>" in html
    for text in ("Wijkteam Noord", "Jeugdhulp Zuid", "Ans de Buurvrouw", "May see", "May not see"):
        assert text in html
    assert "Withdraw: Finances and debts" in html
    assert "Allow: Health" in html
    assert "Your income, costs, debts and help with money." in html  # the plain explanation
    assert f'value="{setting.finances_grant.pk}"' in html
    # 7 categories for 2 organisations and 1 person: 21 buttons.
    assert html.count('<button class="utrecht-button') == 21


def test_home_page_links_to_the_page(setting, client_for):
    html = client_for(setting.citizen).get("/").content.decode()
    assert f'href="{url("matrix", setting.household)}"' in html


def test_representative_gets_buttons_only_for_their_scope(setting, client_for):
    html = _heard(client_for(setting.representative).get(url("matrix", setting.household)).content.decode())
    assert "Withdraw: Finances and debts" in html
    assert "Allow: Health" not in html
    assert html.count('<button class="utrecht-button') == 2 * 3  # general and finances, 3 receivers


def test_coordinator_sees_the_matrix_without_buttons(setting, client_for):
    response = client_for(setting.coordinator).get(url("matrix", setting.household))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wijkteam Noord" in html and "may see" in html
    assert '<form method="post" action="/huishoudens' not in html
    assert "Withdraw:" not in html and "Allow:" not in html


@pytest.mark.parametrize(
    "who",
    ["citizen_of_other_household", "professional_not_in_team", "colleague_not_in_team", "facilitator", "admin"],
)
def test_others_get_404(setting, client_for, who):
    users = {
        "citizen_of_other_household": lambda: HouseholdMemberFactory(user=UserFactory()).user,
        "professional_not_in_team": lambda: MembershipFactory().user,
        "colleague_not_in_team": lambda: MembershipFactory(organisation=setting.wijkteam).user,
        "facilitator": lambda: MembershipFactory(facilitator=True, organisation=setting.wijkteam).user,
        "admin": lambda: MembershipFactory(functional_admin=True).user,
    }
    response = client_for(users[who]()).get(url("matrix", setting.household))
    assert response.status_code == 404
    assert not page_entries(setting.household).exists()


def test_professional_in_the_team_who_is_not_coordinator_gets_404(setting, client_for):
    # Wijkteam Noord has consent and sees the household, but the consent page is not theirs.
    assert client_for(setting.professional).get(url("matrix", setting.household)).status_code == 404


@pytest.mark.parametrize("household_id", ["0", "abc", "99999999", "1" * 30, "-1"])
def test_missing_or_malformed_household_is_404(setting, client_for, household_id):
    assert client_for(setting.citizen).get(f"/huishoudens/{household_id}/wie-mag-wat-zien/").status_code == 404


def test_anonymous_is_sent_to_login(setting, client_for):
    response = client_for().get(url("matrix", setting.household))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    response = client_for().post(url("revoke", setting.household), {"grant": setting.finances_grant.pk})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert ConsentGrant.objects.get(pk=setting.finances_grant.pk).revoked_at is None


# --- the access log -------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "purpose"), [("citizen", AuditPurpose.CITIZEN), ("coordinator", "COC")])
def test_each_view_writes_exactly_one_access_entry(setting, client_for, who, purpose):
    client = client_for(getattr(setting, who))
    before = AuditEntry.objects.count()
    client.get(url("matrix", setting.household))
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-sequence").first()
    assert (entry.action, entry.household_id, entry.data_category, entry.purpose) == (
        AuditAction.READ,
        setting.household.pk,
        "general",
        purpose,
    )
    client.get(url("matrix", setting.household))
    assert AuditEntry.objects.count() == before + 2


# --- grant and revoke -----------------------------------------------------------------------------


def test_revoke_takes_effect_on_the_next_request(setting, client_for):
    assert FINANCES in visible_to(setting.professional, setting.household)
    response = client_for(setting.citizen).post(
        url("revoke", setting.household), {"grant": setting.finances_grant.pk}, follow=True
    )
    html = _heard(response.content.decode())
    # Back to the row that changed: it is marked, carries the message and gets the focus.
    row = f"organisation-{setting.wijkteam.pk}"
    assert response.redirect_chain == [(f"{url('matrix', setting.household)}?veranderd={row}#{row}", 302)]
    assert "Wijkteam Noord may no longer see your money and debts." in html
    assert re.search(rf'<tr class="[^"]*samen-matrix__row--changed"[^>]*id="{row}"[^>]*data-samen-focus', html)
    assert "Allow: Finances and debts" in html
    assert FINANCES not in visible_to(setting.professional, setting.household)
    assert GENERAL in visible_to(setting.professional, setting.household)


def test_grant_takes_effect_on_the_next_request(setting, client_for):
    assert HEALTH not in visible_to(setting.professional, setting.household)
    response = client_for(setting.citizen).post(
        url("grant", setting.household), {"category": "health", "organisation": setting.wijkteam.pk}, follow=True
    )
    assert "Wijkteam Noord may now see your health." in response.content.decode()
    assert HEALTH in visible_to(setting.professional, setting.household)
    grant = ConsentGrant.objects.get(organisation=setting.wijkteam, category=HEALTH)
    assert grant.legal_basis == LegalBasis.CONSENT and grant.granted_by == setting.citizen


def test_grant_to_a_person_in_the_team(setting, client_for):
    response = client_for(setting.citizen).post(
        url("grant", setting.household), {"category": "youth", "person": setting.informal.pk}, follow=True
    )
    assert "Ans de Buurvrouw may now see information about the children." in response.content.decode()
    assert YOUTH in visible_to(setting.informal.user, setting.household)


def test_representative_may_revoke_within_scope_only(setting, client_for):
    client = client_for(setting.representative)
    youth = ConsentGrant.objects.get(organisation=setting.jeugdhulp, category=YOUTH)
    html = client.post(url("revoke", setting.household), {"grant": youth.pk}, follow=True).content.decode()
    assert "You cannot decide who sees this kind of information." in html
    assert ConsentGrant.objects.get(pk=youth.pk).revoked_at is None
    client.post(url("revoke", setting.household), {"grant": setting.finances_grant.pk})
    assert ConsentGrant.objects.get(pk=setting.finances_grant.pk).revoked_at is not None


@pytest.mark.parametrize("who", ["coordinator", "professional"])
def test_professionals_cannot_press_the_buttons(setting, client_for, who):
    client = client_for(getattr(setting, who))
    revoke = client.post(url("revoke", setting.household), {"grant": setting.finances_grant.pk})
    grant = client.post(url("grant", setting.household), {"category": "health", "organisation": setting.wijkteam.pk})
    assert revoke.status_code in (403, 404) and grant.status_code in (403, 404)
    assert ConsentGrant.objects.get(pk=setting.finances_grant.pk).revoked_at is None
    assert not ConsentGrant.objects.filter(category=HEALTH).exists()


def test_citizen_of_another_household_cannot_post(setting, client_for):
    neighbour = HouseholdMemberFactory(user=UserFactory()).user
    response = client_for(neighbour).post(url("revoke", setting.household), {"grant": setting.finances_grant.pk})
    assert response.status_code == 404
    assert ConsentGrant.objects.get(pk=setting.finances_grant.pk).revoked_at is None


def test_the_page_only_answers_get_and_the_buttons_only_post(setting, client_for):
    client = client_for(setting.citizen)
    assert client.post(url("matrix", setting.household)).status_code == 405
    assert client.get(url("grant", setting.household)).status_code == 405
    assert client.get(url("revoke", setting.household)).status_code == 405


# --- bad input ------------------------------------------------------------------------------------


def _grants_snapshot():
    return list(ConsentGrant.objects.order_by("pk").values_list("pk", "revoked_at"))


@pytest.mark.parametrize(
    ("endpoint", "data", "message"),
    [
        ("grant", {"category": "secrets", "organisation": "ORG"}, "This kind of information does not exist."),
        ("grant", {"category": "", "organisation": "ORG"}, "Choose what kind of information this is about."),
        ("grant", {"category": "health"}, "Choose one organisation or one person."),
        ("grant", {"category": "health", "organisation": "ORG", "person": "PERSON"}, "Choose one organisation"),
        ("grant", {"category": "health", "organisation": "<script>"}, "Something went wrong with this button."),
        ("grant", {"category": "health", "organisation": "9" * 40}, "Something went wrong with this button."),
        ("grant", {"category": "health", "organisation": "99999999"}, "is not in the team around your household"),
        ("grant", {"category": "health", "organisation": "OUTSIDER"}, "is not in the team around this household"),
        ("grant", {"category": "health", "person": "OTHER_PERSON"}, "This person is not in the team"),
        ("revoke", {"grant": "OTHER_GRANT"}, "We cannot find this permission. Nothing has changed."),
        ("revoke", {"grant": "abc"}, "Something went wrong with this button."),
        ("revoke", {}, "Something went wrong with this button."),
        ("revoke", {"grant": "REVOKED"}, "This consent was already withdrawn."),
    ],
)
def test_bad_input_gives_a_message_and_changes_nothing(setting, client_for, endpoint, data, message):
    other = HouseholdFactory()
    outsider = OrganisationFactory(name="Buiten het team")
    revoked = ConsentGrantFactory(household=setting.household, organisation=setting.wijkteam, category=HEALTH)
    revoked.revoked_at, revoked.revoked_by = timezone.now(), setting.citizen
    revoked.save()
    placeholders = {
        "ORG": setting.wijkteam.pk,
        "PERSON": setting.informal.pk,
        "OUTSIDER": outsider.pk,
        "OTHER_PERSON": TeamMemberFactory(household=other, informal=True).pk,
        "OTHER_GRANT": ConsentGrantFactory(household=other, organisation=setting.wijkteam).pk,
        "REVOKED": revoked.pk,
    }
    data = {key: placeholders.get(value, value) for key, value in data.items()}
    before = _grants_snapshot()
    response = client_for(setting.citizen).post(url(endpoint, setting.household), data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _grants_snapshot() == before


# --- consent requests -----------------------------------------------------------------------------


@pytest.fixture
def open_request(setting):
    member = TeamMemberFactory(household=setting.household, organisation__name="Schuldhulp Oost")
    return ConsentRequestFactory(team_member=member, categories=["general", "finances", "health"])


def test_open_request_is_shown_and_can_be_partly_approved(setting, client_for, open_request):
    client = client_for(setting.citizen)
    html = client.get(url("matrix", setting.household)).content.decode()
    assert "Schuldhulp Oost asks for permission" in html
    response = client.post(
        url("answer_request", setting.household, open_request.pk),
        {"decision": "approve", "categories": ["general", "finances"]},
        follow=True,
    )
    assert "Schuldhulp Oost may now see: general, finances and debts." in response.content.decode()
    open_request.refresh_from_db()
    assert open_request.status == ConsentRequestStatus.APPROVED
    member_user = open_request.team_member.user
    assert visible_to(member_user, setting.household) == {GENERAL, FINANCES}


def test_open_request_can_be_declined(setting, client_for, open_request):
    response = client_for(setting.citizen).post(
        url("answer_request", setting.household, open_request.pk), {"decision": "decline"}, follow=True
    )
    assert "You said no to the request of Schuldhulp Oost." in response.content.decode()
    open_request.refresh_from_db()
    assert open_request.status == ConsentRequestStatus.DECLINED
    assert not ConsentGrant.objects.filter(organisation=open_request.organisation).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approve"}, "Tick at least one kind of information"),
        ({"decision": "approve", "categories": ["youth"]}, "You can only allow what was asked for."),
        ({"decision": "approve", "categories": ["nonsense"]}, "This kind of information does not exist."),
        ({"decision": "maybe"}, "Choose whether you allow this or not."),
    ],
)
def test_bad_answers_change_nothing(setting, client_for, open_request, data, message):
    response = client_for(setting.citizen).post(
        url("answer_request", setting.household, open_request.pk), data, follow=True
    )
    assert message in response.content.decode()
    assert ConsentRequest.objects.get(pk=open_request.pk).status == ConsentRequestStatus.OPEN


def test_request_of_another_household_or_answered_twice(setting, client_for, open_request):
    client = client_for(setting.citizen)
    elsewhere = ConsentRequestFactory()
    html = client.post(
        url("answer_request", setting.household, elsewhere.pk), {"decision": "decline"}, follow=True
    ).content.decode()
    assert "We cannot find this request." in html
    assert ConsentRequest.objects.get(pk=elsewhere.pk).status == ConsentRequestStatus.OPEN
    client.post(url("answer_request", setting.household, open_request.pk), {"decision": "decline"})
    html = client.post(
        url("answer_request", setting.household, open_request.pk),
        {"decision": "approve", "categories": ["general"]},
        follow=True,
    ).content.decode()
    assert "This request has already been answered." in html
    assert ConsentRequest.objects.get(pk=open_request.pk).status == ConsentRequestStatus.DECLINED


def test_coordinator_sees_requests_but_cannot_answer(setting, client_for, open_request):
    client = client_for(setting.coordinator)
    html = client.get(url("matrix", setting.household)).content.decode()
    assert "Schuldhulp Oost asks for permission" in html and "Yes, allow what is ticked" not in html
    # The coordinator reads the page in their own words, not the household's ("Questions for you").
    assert "Open requests for permission" in html and "Questions for you" not in html
    citizen_html = client_for(setting.citizen).get(url("matrix", setting.household)).content.decode()
    assert "Questions for you" in citizen_html
    response = client.post(url("answer_request", setting.household, open_request.pk), {"decision": "decline"})
    assert response.status_code == 403
    assert ConsentRequest.objects.get(pk=open_request.pk).status == ConsentRequestStatus.OPEN


# --- query count ----------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_team_or_history(setting, client_for):
    client = client_for(setting.citizen)
    page = url("matrix", setting.household)
    client.get(page)  # warm up
    few = count_queries(client.get, page)
    for _ in range(6):
        member = TeamMemberFactory(household=setting.household)
        for category in (GENERAL, FINANCES, HEALTH):
            ConsentGrantFactory(household=setting.household, organisation=member.organisation, category=category)
    for index in range(90):  # history: revoked grants
        ConsentGrantFactory(
            household=setting.household,
            organisation=setting.wijkteam,
            category=HEALTH,
            revoked=True,
            granted_at=timezone.now() - datetime.timedelta(days=index + 1),
        )
    ConsentRequestFactory(team_member=TeamMemberFactory(household=setting.household))
    many = count_queries(client.get, page)
    assert few == many, f"{few} queries with 2 organisations, {many} with 9 and 100 grants"


# --- emergency access ("Noodtoegang") -------------------------------------------------------------------------

START_URL = "/noodtoegang/"
EMERGENCY_BSN = synthetic_bsn(3)
EMERGENCY_REASON = "Melding van acuut huiselijk geweld; we moeten nu weten wie er in huis woont."


@pytest.fixture
def emergency(setting):
    """The household has a member with a (synthetic) BSN; a professional of Veilig Thuis is not in its team."""
    HouseholdMemberFactory(household=setting.household, bsn=EMERGENCY_BSN, bsn_is_synthetic=True)
    return MembershipFactory(organisation=OrganisationFactory(name="Veilig Thuis Regio")).user


def _start_data(**overrides):
    return {
        "bsn": EMERGENCY_BSN,
        "legal_ground": "meldcode",
        "reason": EMERGENCY_REASON,
        "categories": ["safety"],
        "confirm": "on",
        **overrides,
    }


def _no_bsn_in(text: str) -> None:
    assert EMERGENCY_BSN not in text


def test_the_start_page_is_only_for_professionals_and_coordinators(setting, emergency, client_for):
    assert reverse("consent:break_the_glass") == START_URL
    for user in (emergency, setting.professional, setting.coordinator):
        response = client_for(user).get(START_URL)
        assert response.status_code == 200
        assert "I understand this is logged" in response.content.decode()
    for user in (setting.citizen, setting.representative, setting.informal.user):
        assert client_for(user).get(START_URL).status_code == 404
    response = client_for().get(START_URL)
    assert response.status_code == 302 and "/account/" in response.headers["Location"]
    assert client_for(emergency).put(START_URL).status_code == 405
    assert AuditEntry.objects.count() == 0


def test_starting_emergency_access_redirects_to_the_household_with_a_message(setting, emergency, client_for):
    client = client_for(emergency)
    response = client.post(START_URL, _start_data(bsn=f"{EMERGENCY_BSN[:3]} {EMERGENCY_BSN[3:]}"), follow=False)
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("dossier:overview", args=[setting.household.pk])
    access = BreakTheGlass.objects.get()
    assert (access.household, access.user, access.categories) == (setting.household, emergency, ["safety"])
    assert visible_to(emergency, setting.household) == {DataCategory.SAFETY}
    shown = [str(message) for message in response.wsgi_request._messages]
    assert len(shown) == 1 and "emergency access to Familie Bakker has started. It stops by itself on" in shown[0]
    # The BSN is nowhere but in the POST body: not in the redirect, the message or the audit log.
    _no_bsn_in(response.headers["Location"] + shown[0])
    for entry in AuditEntry.objects.all():
        _no_bsn_in(entry.description + str(entry.changes))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"bsn": ""}, "Fill in the BSN of a member of the household."),
        ({"bsn": "123456789"}, "This is not a correct BSN."),
        ({"bsn": "12345"}, "This is not a correct BSN."),
        ({"bsn": "1" * 30}, "This is not a correct BSN."),
        ({"bsn": "<script>alert(1)</script>"}, "This is not a correct BSN."),
        ({"legal_ground": ""}, "Choose the legal ground for access without consent."),
        ({"legal_ground": "because"}, "Choose the legal ground for access without consent."),
        ({"reason": ""}, "Explain why you need access without consent."),
        ({"reason": "nodig"}, "Explain in a few sentences"),
        ({"reason": "<script>alert('x')</script> dit is echt een heel dringende zaak"}, "the signs &lt; and &gt;"),
        ({"reason": "x " * 1200}, "Use at most 2000 characters."),
        ({"categories": []}, "Choose at least one kind of information."),
        ({"categories": ["everything"]}, "This kind of information does not exist."),
        ({"confirm": ""}, "Tick the box to confirm that you understand this."),
    ],
    ids=[
        "no bsn",
        "elfproef",
        "short bsn",
        "long bsn",
        "script bsn",
        "no ground",
        "unknown ground",
        "no reason",
        "short reason",
        "script in reason",
        "reason too long",
        "no categories",
        "unknown category",
        "not confirmed",
    ],
)
def test_bad_input_gives_a_clear_message_and_changes_nothing(setting, emergency, client_for, overrides, message):
    data = _start_data(**overrides)
    data = {key: value for key, value in data.items() if value not in ("", [])}
    response = client_for(emergency).post(START_URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "<script>alert" not in html
    assert BreakTheGlass.objects.count() == 0 and AuditEntry.objects.count() == 0
    if "reason" in overrides and overrides["reason"]:
        # What was typed is kept (escaped).
        assert "dit is echt een heel dringende zaak" in html or "nodig" in html or "x x x" in html


def test_an_unknown_bsn_says_so_and_is_logged_without_it(setting, emergency, client_for):
    unknown = synthetic_bsn(4)
    response = client_for(emergency).post(START_URL, _start_data(bsn=unknown))
    assert response.status_code == 200
    assert "We cannot find a household with this BSN." in response.content.decode()
    [entry] = AuditEntry.objects.all()
    assert (entry.action, entry.outcome, entry.household_id) == (AuditAction.SEARCH, "failure", None)
    assert unknown not in entry.description + str(entry.changes)
    assert BreakTheGlass.objects.count() == 0


def test_a_household_the_professional_already_sees_gets_a_link_instead(setting, emergency, client_for):
    response = client_for(setting.professional).post(START_URL, _start_data())
    assert response.status_code == 200
    html = response.content.decode()
    assert "You can already see Familie Bakker" in html
    assert reverse("dossier:overview", args=[setting.household.pk]) in html
    assert BreakTheGlass.objects.count() == 0


def test_a_running_access_is_mentioned_with_a_link(setting, emergency, client_for):
    client = client_for(emergency)
    client.post(START_URL, _start_data())
    response = client.post(START_URL, _start_data(categories=["justice"]))
    assert response.status_code == 200
    assert "You already have emergency access to Familie Bakker" in response.content.decode()
    assert BreakTheGlass.objects.count() == 1


def test_the_form_cannot_be_used_to_probe_bsns(setting, emergency, client_for):
    client = client_for(emergency)
    for seed in range(20, 25):
        response = client.post(START_URL, _start_data(bsn=synthetic_bsn(seed)))
        assert "We cannot find a household with this BSN." in response.content.decode()
    response = client.post(START_URL, _start_data())
    html = response.content.decode()
    assert response.status_code == 200 and "You looked up 5 BSNs in the last hour." in html
    assert BreakTheGlass.objects.count() == 0


def test_the_start_page_query_count_does_not_grow_with_households(setting, emergency, client_for):
    client = client_for(emergency)
    client.get(START_URL)  # sessions and caches warm
    few = count_queries(client.get, START_URL)
    for _ in range(30):
        household = HouseholdFactory()
        HouseholdMemberFactory(household=household)
        BreakTheGlassFactory(household=household)
    assert count_queries(client.get, START_URL) == few


# --- stopping it early -----------------------------------------------------------------------------------------


@pytest.fixture
def running(setting, emergency):
    return BreakTheGlassFactory(
        household=setting.household, user=emergency, organisation=emergency.memberships.get().organisation
    )


def test_the_banner_and_stopping_early(setting, emergency, running, client_for):
    stop = url("break_the_glass_end", setting.household)
    client = client_for(emergency)
    response = client.post(stop, {"access": running.pk})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("caseload:list")
    running.refresh_from_db()
    assert running.ended_at is not None
    assert visible_to(emergency, setting.household) == frozenset()
    entry = AuditEntry.objects.get()
    assert (entry.description, entry.purpose) == ("break-the-glass access ended", "BTG")
    # Afterwards the household is gone for them: the same button answers 404.
    assert client.post(stop, {"access": running.pk}).status_code == 404


@pytest.mark.parametrize("access", ["", "abc", "-1", "0", "99999999999999999999999", "<script>"])
def test_stopping_with_a_tampered_id_changes_nothing(setting, emergency, running, client_for, access):
    response = client_for(emergency).post(url("break_the_glass_end", setting.household), {"access": access})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("dossier:overview", args=[setting.household.pk])
    running.refresh_from_db()
    assert running.ended_at is None and AuditEntry.objects.count() == 0


def test_stopping_another_persons_or_households_access_changes_nothing(setting, emergency, running, client_for):
    colleague_access = BreakTheGlassFactory(household=setting.household)  # someone else's
    elsewhere = BreakTheGlassFactory(user=emergency, organisation=running.organisation)  # another household
    client = client_for(emergency)
    stop = url("break_the_glass_end", setting.household)
    for access in (colleague_access, elsewhere):
        response = client.post(stop, {"access": access.pk})
        assert response.status_code == 302
        assert "/huishoudens/" in response.headers["Location"]
    # The household of the other access does not help either: it is checked against the URL's household.
    assert client.post(url("break_the_glass_end", elsewhere.household), {"access": running.pk}).status_code == 302
    for access in (running, colleague_access, elsewhere):
        access.refresh_from_db()
        assert access.ended_at is None
    assert AuditEntry.objects.count() == 0
    # A team professional who sees the household cannot stop someone else's access; a citizen is refused.
    response = client_for(setting.professional).post(stop, {"access": running.pk})
    assert response.status_code == 302
    assert client_for(setting.citizen).post(stop, {"access": running.pk}).status_code == 403
    assert client_for().post(stop, {"access": running.pk}).status_code == 302
    assert client_for(emergency).get(stop).status_code == 405
    running.refresh_from_db()
    assert running.ended_at is None


def test_the_banner_shows_on_the_consent_pages_of_a_coordinator_with_an_emergency_access(setting, client_for):
    coordinator = setting.coordinator
    access = BreakTheGlassFactory(
        household=setting.household, user=coordinator, organisation=setting.jeugdhulp, categories=["health"]
    )
    for name in ("matrix", "access_log"):
        html = client_for(coordinator).get(url(name, setting.household)).content.decode()
        assert "You are using emergency access to this household until" in html
        assert f'name="access" value="{access.pk}"' in html
        assert url("break_the_glass_end", setting.household) in html
    html = client_for(setting.citizen).get(url("matrix", setting.household)).content.decode()
    assert "You are using emergency access" not in html


# --- shown to the household afterwards -----------------------------------------------------------------------


def test_the_household_and_the_coordinator_see_every_emergency_access_of_the_last_year(setting, client_for, clock):
    veilig_thuis = OrganisationFactory(name="Veilig Thuis Regio")
    user = UserFactory(full_name="Karel Geheimnaam")
    BreakTheGlassFactory(
        household=setting.household,
        user=user,
        organisation=veilig_thuis,
        categories=["safety", "youth"],
        reason="Melding van de school over blauwe plekken bij de jongste.",
        legal_ground="meldcode",
    )
    BreakTheGlassFactory(
        household=setting.household,
        organisation=OrganisationFactory(name="Oude Organisatie"),
        started_at=clock.now - datetime.timedelta(days=400),
    )
    for who in (setting.citizen, setting.representative, setting.coordinator):
        html = client_for(who).get(url("matrix", setting.household)).content.decode()
        assert "Emergency access" in html
        assert "Veilig Thuis Regio" in html
        assert "Melding van de school over blauwe plekken bij de jongste." in html
        assert "Safety, youth" in html and "Professional" in html and "Meldcode" in html
        assert "Karel Geheimnaam" not in html  # organisations, not names
        assert "Oude Organisatie" not in html  # more than 12 months ago


def test_no_emergency_access_is_said_plainly(setting, client_for):
    html = client_for(setting.citizen).get(url("matrix", setting.household)).content.decode()
    assert "Nobody used emergency access in the last 12 months." in html


def test_the_matrix_query_count_does_not_grow_with_emergency_accesses(setting, client_for):
    client = client_for(setting.citizen)
    page = url("matrix", setting.household)
    client.get(page)
    few = count_queries(client.get, page)
    for _ in range(15):
        BreakTheGlassFactory(household=setting.household, organisation=OrganisationFactory())
        BreakTheGlassFactory(organisation=OrganisationFactory())
    assert count_queries(client.get, page) == few


def test_the_bsn_is_in_no_log_line(setting, emergency, client_for, caplog):
    caplog.set_level("DEBUG")
    client = client_for(emergency)
    for bsn in (synthetic_bsn(5), "123456789", EMERGENCY_BSN):
        client.post(START_URL, _start_data(bsn=bsn))
    client.post(START_URL, _start_data())  # already running
    assert BreakTheGlass.objects.count() == 1
    for record in caplog.records:
        line = record.getMessage()
        assert EMERGENCY_BSN not in line and synthetic_bsn(5) not in line and "123456789" not in line

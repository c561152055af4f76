"""The referral pages: the household's list, the form, a referral with its buttons and the consent question, and the
receiving organisation's inbox; bad input, 404 for missing and forbidden alike, one access entry per page, and
query counts that do not grow with the number of referrals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from samen.consent.models import ConsentGrant
from samen.consent.tests.factories import ConsentGrantFactory
from samen.core.models import AuditAction, AuditEntry
from samen.core.vocabulary import DataCategory
from samen.households.models import TeamMember
from samen.households.tests.factories import HouseholdFactory
from samen.organisations.tests.factories import OrganisationFactory
from samen.referrals.models import Referral, ReferralStatus, ReferralStatusChange
from samen.referrals.tests.factories import ReferralFactory

pytestmark = pytest.mark.django_db
S = ReferralStatus
G = DataCategory
QUESTION = "Moeder slaapt slecht en piekert veel. Kunnen jullie een intake doen?"


def _list(setting) -> str:
    return reverse("referrals:list", args=[setting.household.pk])


def _new(setting) -> str:
    return reverse("referrals:new", args=[setting.household.pk])


def _detail(referral) -> str:
    return reverse("referrals:detail", args=[referral.household_id, referral.pk])


def _move(referral) -> str:
    return reverse("referrals:move", args=[referral.household_id, referral.pk])


def _last() -> int:
    return AuditEntry.objects.aggregate(last=Max("sequence"))["last"] or 0


def _reads_since(before: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(sequence__gt=before, action=AuditAction.READ))


def _referral(setting, receiver, status=S.REQUESTED, category=G.GENERAL, **fields) -> Referral:
    fields.setdefault("from_organisation", setting.wijkteam)
    fields.setdefault("requested_by", setting.coordinator)
    fields.setdefault("to_organisation", receiver.organisation)
    fields.setdefault("household", setting.household)
    return ReferralFactory(
        status=status,
        category=category,
        question=QUESTION,
        **fields,
    )


# --- the household's list ---------------------------------------------------------------------------------------------


def test_the_list_shows_the_referrals_the_reader_may_see(setting, receiver, login):
    _referral(setting, receiver, status=S.REJECTED, status_reason="Wachtlijst van vier maanden.")
    _referral(setting, receiver, category=G.FINANCES, to_organisation=OrganisationFactory(name="Kredietbank"))
    before = _last()
    html = login(setting.coordinator).get(_list(setting)).content.decode()
    assert "GGZ Oost" in html
    assert "Wachtlijst van vier maanden." in html
    assert "Kredietbank" not in html  # finances: not for the neighbourhood team
    (entry,) = _reads_since(before)
    assert entry.household_id == setting.household.pk
    assert entry.data_category == "general"

    html = login(setting.citizen).get(_list(setting)).content.decode()
    assert "Kredietbank" in html and "GGZ Oost" in html


@pytest.mark.parametrize("who", ["stranger", "other_citizen", "informal", "emergency", "revoked", "expired"])
def test_the_list_is_not_found_for_who_may_not_see_it(setting, receiver, login, who):
    _referral(setting, receiver)
    before = _last()
    assert login(getattr(setting, who)).get(_list(setting)).status_code == 404
    assert _reads_since(before) == []


def test_the_receiving_organisation_does_not_see_the_household_before_it_accepts(setting, receiver, login):
    referral = _referral(setting, receiver)
    client = login(receiver.professional)
    assert client.get(_list(setting)).status_code == 404
    assert client.get(_detail(referral)).status_code == 404
    assert client.get(reverse("referrals:received", args=[referral.pk])).status_code == 200


def test_anonymous_is_sent_to_the_login_page(setting, receiver, login):
    referral = _referral(setting, receiver)
    for url in (_list(setting), _new(setting), _detail(referral), reverse("referrals:inbox")):
        response = login(None).get(url)
        assert response.status_code == 302
        assert "/account/inloggen/" in response["Location"]


@pytest.mark.parametrize("bad_id", ["0", "abc", "<script>", "9" * 30, "-1"])
def test_bad_ids_are_not_found(setting, receiver, login, bad_id):
    client = login(setting.coordinator)
    assert client.get(reverse("referrals:list", args=[bad_id])).status_code == 404
    assert client.get(reverse("referrals:detail", args=[setting.household.pk, bad_id])).status_code == 404
    assert client.get(reverse("referrals:received", args=[bad_id])).status_code == 404


def test_a_referral_of_another_household_is_not_found_under_this_one(setting, receiver, login):
    other = ReferralFactory(household=HouseholdFactory(), to_organisation=receiver.organisation)
    response = login(setting.coordinator).get(reverse("referrals:detail", args=[setting.household.pk, other.pk]))
    assert response.status_code == 404
    response = login(setting.coordinator).post(
        reverse("referrals:move", args=[setting.household.pk, other.pk]), {"to": "cancelled", "version": "1"}
    )
    assert response.status_code == 404
    assert Referral.objects.get(pk=other.pk).status == S.REQUESTED


# --- the form ---------------------------------------------------------------------------------------------------------


def test_the_coordinator_refers_and_the_household_is_asked(setting, receiver, login):
    client = login(setting.coordinator)
    page = client.get(_new(setting))
    assert page.status_code == 200
    html = page.content.decode()
    assert "GGZ Oost" in html and "Wijkteam Noord</option>" not in html  # not their own organisation
    response = client.post(
        _new(setting), {"to_organisation": receiver.organisation.pk, "question": QUESTION, "category": "general"}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(referral)
    assert referral.status == S.DRAFT

    # The citizen reads the question and says yes.
    html = login(setting.citizen).get(_detail(referral)).content.decode()
    assert "Kees Regisseur (Wijkteam Noord) wants to refer you to GGZ Oost." in html
    assert "May GGZ Oost see this: general?" in html
    response = login(setting.citizen).post(
        reverse("referrals:answer", args=[setting.household.pk, referral.pk]), {"decision": "yes", "version": "1"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.REQUESTED
    assert ConsentGrant.objects.filter(organisation=receiver.organisation, revoked_at__isnull=True).count() == 1


def test_the_consent_question_is_only_for_the_household(setting, receiver, login):
    referral = _referral(setting, receiver, status=S.DRAFT)
    html = login(setting.coordinator).get(_detail(referral)).content.decode()
    assert "wants to refer you" not in html
    response = login(setting.coordinator).post(
        reverse("referrals:answer", args=[setting.household.pk, referral.pk]), {"decision": "yes", "version": "1"}
    )
    assert response.status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == S.DRAFT


def test_the_citizen_says_no(setting, receiver, login):
    referral = _referral(setting, receiver, status=S.DRAFT)
    response = login(setting.citizen).post(
        reverse("referrals:answer", args=[setting.household.pk, referral.pk]), {"decision": "no", "version": "1"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (S.CANCELLED, "The resident did not give permission")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"question": ""}, "Write down what the organisation is asked to help with."),
        ({"question": "x" * 2001}, "This is too long: at most 2000 characters, it has 2001."),
        ({"to_organisation": "999999"}, "Choose an organisation from the list."),
        ({"to_organisation": "<script>"}, "Choose an organisation from the list."),
        ({"to_organisation": ""}, "Choose an organisation from the list."),
        ({"category": "finances"}, "Choose a kind of information from the list."),  # no consent for finances
        ({"category": "nonsense"}, "Choose a kind of information from the list."),
    ],
)
def test_bad_input_shows_the_form_again_with_the_message(setting, receiver, login, data, message):
    values = {"to_organisation": receiver.organisation.pk, "question": QUESTION, "category": "general", **data}
    before = _last()
    response = login(setting.coordinator).post(_new(setting), values)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if data.get("question", "").startswith("x"):
        assert "x" * 2001 in html  # nothing lost
    assert not Referral.objects.exists()
    assert len(_reads_since(before)) == 1


def test_the_own_organisation_is_not_a_choice(setting, receiver, login):
    values = {"to_organisation": setting.wijkteam.pk, "question": QUESTION, "category": "general"}
    response = login(setting.coordinator).post(_new(setting), values)
    assert "Choose an organisation from the list." in response.content.decode()


def test_a_second_open_referral_to_the_same_organisation_is_refused_with_a_message(setting, receiver, login):
    _referral(setting, receiver)
    values = {"to_organisation": receiver.organisation.pk, "question": QUESTION, "category": "general"}
    response = login(setting.coordinator).post(_new(setting), values)
    assert response.status_code == 200
    assert "GGZ Oost has already been asked to help this household." in response.content.decode()


def test_script_tags_in_the_question_are_shown_as_text(setting, receiver, login):
    ConsentGrantFactory(household=setting.household, organisation=receiver.organisation)
    values = {
        "to_organisation": receiver.organisation.pk,
        "question": "<script>alert(1)</script>",
        "category": "general",
    }
    login(setting.coordinator).post(_new(setting), values)
    html = login(setting.citizen).get(_detail(Referral.objects.get())).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_who_sees_the_list_but_may_not_refer_gets_403(setting, login):
    assert login(setting.supporter).get(_list(setting)).status_code == 200
    assert login(setting.supporter).get(_new(setting)).status_code == 403


def test_the_resident_refers_and_allows_in_the_same_form(setting, receiver, login):
    client = login(setting.citizen)
    values = {"to_organisation": receiver.organisation.pk, "question": QUESTION, "category": "mental_health"}
    response = client.post(_new(setting), values)
    assert response.status_code == 200
    assert "Tick the box to allow it." in response.content.decode()
    response = client.post(_new(setting), {**values, "allow": "on"})
    assert response.status_code == 302
    assert Referral.objects.get().status == S.REQUESTED


# --- the buttons ------------------------------------------------------------------------------------------------------


def _received(referral) -> str:
    return reverse("referrals:received", args=[referral.pk])


def _received_move(referral) -> str:
    return reverse("referrals:received_move", args=[referral.pk])


def test_the_receiving_professional_accepts_starts_and_completes(setting, receiver, login):
    ConsentGrantFactory(household=setting.household, organisation=receiver.organisation)
    referral = _referral(setting, receiver)
    client = login(receiver.professional)
    html = client.get(_received(referral)).content.decode()
    assert "Familie Bakker" in html and QUESTION in html
    response = client.post(_received_move(referral), {"to": "accepted", "version": "1"})
    assert response.status_code == 302
    assert TeamMember.objects.filter(household=setting.household, user=receiver.professional).exists()
    # Now in the team: the household's own pages open.
    assert client.get(_detail(referral)).status_code == 200
    assert client.post(_move(referral), {"to": "in_progress", "version": "2"}).status_code == 302
    assert client.post(_received_move(referral), {"to": "completed", "version": "3"}).status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == S.COMPLETED
    # Closed, and handled by them: still theirs to read; not for a colleague.
    assert client.get(_received(referral)).status_code == 200
    assert login(receiver.colleague).get(_received(referral)).status_code == 404


def test_rejecting_without_a_reason_shows_the_message_beside_the_field(setting, receiver, login):
    referral = _referral(setting, receiver)
    client = login(receiver.professional)
    before = _last()
    response = client.post(_received_move(referral), {"to": "rejected", "version": "1", "reason": "  "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Write down why. The others read it." in html
    assert 'aria-invalid="true"' in html
    assert len(_reads_since(before)) == 1
    assert Referral.objects.get(pk=referral.pk).status == S.REQUESTED
    response = client.post(_received_move(referral), {"to": "rejected", "version": "1", "reason": "x" * 2001})
    assert "x" * 2001 in response.content.decode()  # what was typed is kept
    response = client.post(_received_move(referral), {"to": "rejected", "version": "1", "reason": "Geen plek"})
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == S.REJECTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to": "accepted", "version": "7"}, "Someone else changed this referral in the meantime."),
        ({"to": "accepted", "version": "abc"}, "Someone else changed this referral in the meantime."),
        ({"to": "accepted"}, "This page was out of date."),
        ({"to": "completed", "version": "1"}, "This referral is now: requested. That is why it cannot be completed."),
        ({"to": "<script>", "version": "1"}, "Choose one of the buttons."),
        ({"version": "1"}, "Choose one of the buttons."),
    ],
)
def test_bad_or_stale_buttons_say_what_is_wrong_and_change_nothing(setting, receiver, login, data, message):
    referral = _referral(setting, receiver)
    response = login(receiver.professional).post(_received_move(referral), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).version == 1


def test_who_sees_the_referral_but_has_no_button_gets_403(setting, receiver, login):
    referral = _referral(setting, receiver)
    response = login(setting.professional).post(_move(referral), {"to": "cancelled", "version": "1", "reason": "x"})
    assert response.status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == S.REQUESTED


def test_the_coordinator_cancels_with_a_reason(setting, receiver, login):
    referral = _referral(setting, receiver)
    html = login(setting.coordinator).get(_detail(referral)).content.decode()
    assert "Cancel the referral" in html
    response = login(setting.coordinator).post(
        _move(referral), {"to": "cancelled", "version": "1", "reason": "Het gezin is verhuisd."}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status_reason == "Het gezin is verhuisd."


# --- the inbox --------------------------------------------------------------------------------------------------------


def test_the_inbox_shows_what_is_open_for_the_organisation(setting, receiver, login):
    new = _referral(setting, receiver)
    _referral(setting, receiver, status=S.DRAFT, household=HouseholdFactory())
    ReferralFactory(to_organisation=receiver.organisation, status=S.IN_PROGRESS, household__name="Familie Visser")
    ReferralFactory(to_organisation=receiver.organisation, status=S.COMPLETED, household__name="Familie Klaar")
    ReferralFactory(status=S.REQUESTED, household__name="Familie Elders")  # another organisation's
    before = _last()
    response = login(receiver.colleague).get(reverse("referrals:inbox"))
    html = response.content.decode()
    assert "Familie Bakker" in html and "Familie Visser" in html
    assert "Familie Klaar" not in html and "Familie Elders" not in html
    assert html.count("/verwijzingen/") >= 2
    assert reverse("referrals:received", args=[new.pk]) in html
    (entry,) = _reads_since(before)
    assert entry.household_id is None
    assert len(entry.changes["households"]) == 2


def test_the_inbox_is_not_for_citizens_and_empty_for_others(setting, receiver, login):
    _referral(setting, receiver)
    assert login(setting.citizen).get(reverse("referrals:inbox")).status_code == 404
    before = _last()
    response = login(setting.stranger).get(reverse("referrals:inbox"))
    assert response.status_code == 200
    assert "Familie Bakker" not in response.content.decode()
    assert _reads_since(before) == []


def test_a_draft_is_not_in_the_inbox_nor_on_its_page(setting, receiver, login):
    referral = _referral(setting, receiver, status=S.DRAFT)
    assert login(receiver.professional).get(_received(referral)).status_code == 404
    assert (
        login(receiver.professional).post(_received_move(referral), {"to": "accepted", "version": "1"}).status_code
        == 404
    )


def test_the_main_menu_links_to_the_inbox_for_professionals_only(setting, login):
    inbox = reverse("referrals:inbox")
    assert f'href="{inbox}"' in login(setting.coordinator).get(_list(setting)).content.decode()
    assert f'href="{inbox}"' not in login(setting.citizen).get(_list(setting)).content.decode()


# --- queries that do not grow -----------------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _many(setting, receiver, count: int) -> None:
    for _ in range(count):
        referral = ReferralFactory(
            household=setting.household,
            from_organisation=setting.wijkteam,
            to_organisation=OrganisationFactory(),
            requested_by=setting.coordinator,
            status=S.CANCELLED,
        )
        ReferralStatusChange.objects.create(referral=referral, to_status=S.REQUESTED, changed_by=setting.coordinator)
        ReferralStatusChange.objects.create(
            referral=referral, from_status=S.REQUESTED, to_status=S.CANCELLED, changed_by=setting.coordinator
        )
        ReferralFactory(to_organisation=receiver.organisation, status=S.REQUESTED)


@pytest.mark.parametrize("who", ["coordinator", "citizen"])
def test_the_list_and_the_inbox_take_as_many_queries_for_5_as_for_200(setting, receiver, login, who):
    user = getattr(setting, who)
    _many(setting, receiver, 5)
    client, inbox = login(user), login(receiver.professional)
    client.get(_list(setting)), inbox.get(reverse("referrals:inbox"))  # warm: session, prepared queries
    few = _count(client, _list(setting)), _count(inbox, reverse("referrals:inbox"))
    _many(setting, receiver, 195)
    assert (_count(client, _list(setting)), _count(inbox, reverse("referrals:inbox"))) == few


def test_a_referral_page_takes_a_fixed_number_of_queries(setting, receiver, login):
    referral = _referral(setting, receiver)
    client = login(setting.coordinator)
    client.get(_detail(referral))
    few = _count(client, _detail(referral))
    for _ in range(50):
        ReferralStatusChange.objects.create(referral=referral, to_status=S.REQUESTED, changed_by=setting.coordinator)
    assert _count(client, _detail(referral)) == few

"""The referral services: asking (with and without the household's consent), the household's answer, the receiving
organisation's answer and work, cancelling, the state machine over every pair of statuses, and two people moving
one referral at once."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from samen.consent.models import ConsentGrant
from samen.consent.tests.factories import ConsentGrantFactory
from samen.core.models import AuditAction, AuditEntry
from samen.core.vocabulary import DataCategory, TeamRole
from samen.households.models import TeamMember
from samen.organisations.actors import actor_for_user
from samen.organisations.models import CaseEvent, CaseEventKind
from samen.organisations.tests.factories import NetworkFactory, OrganisationFactory
from samen.referrals import services
from samen.referrals.models import TRANSITIONS, Referral, ReferralStatus, ReferralStatusChange
from samen.referrals.services import NO_CONSENT_REASON
from samen.referrals.tests.factories import ReferralFactory
from samen.timeline.models import Entry, EventCode

pytestmark = pytest.mark.django_db
S = ReferralStatus
G = DataCategory
QUESTION = "Moeder slaapt slecht en piekert veel. Kunnen jullie een intake doen?"
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _events(household, code) -> list[Entry]:
    return list(Entry.objects.filter(household=household, event_code=code))


def _ask(setting, receiver, *, category=G.GENERAL, by=None, **kwargs) -> Referral:
    return services.referral_request(
        actor=actor_for_user(by or setting.coordinator),
        household=setting.household,
        to_organisation=receiver.organisation,
        question=QUESTION,
        category=category,
        **kwargs,
    )


def _consent(setting, receiver, category=G.GENERAL):
    return ConsentGrantFactory(household=setting.household, organisation=receiver.organisation, category=category)


# --- asking ------------------------------------------------------------------------------------------------------


def test_a_referral_to_an_organisation_with_consent_is_requested_at_once(setting, receiver):
    _consent(setting, receiver)
    referral = _ask(setting, receiver)

    assert referral.status == S.REQUESTED
    assert referral.requested_at is not None
    assert referral.from_organisation == setting.wijkteam
    assert referral.requested_by == setting.coordinator
    assert referral.version == 1
    (change,) = ReferralStatusChange.objects.filter(referral=referral)
    assert (change.from_status, change.to_status, change.changed_by) == ("", S.REQUESTED, setting.coordinator)
    (event,) = _events(setting.household, EventCode.REFERRAL_REQUESTED)
    assert event.event_params == {"organisation": "GGZ Oost"}
    assert event.category == G.GENERAL
    entry = AuditEntry.objects.filter(object_type="referrals.referral", action=AuditAction.CREATE).get()
    assert entry.household_id == setting.household.pk
    assert QUESTION not in str(entry.changes)


def test_without_consent_the_referral_waits_for_the_household(setting, receiver):
    referral = _ask(setting, receiver, category=G.GENERAL)

    assert referral.status == S.DRAFT
    assert referral.requested_at is None
    assert _events(setting.household, EventCode.REFERRAL_REQUESTED) == []


def test_the_households_yes_grants_consent_and_sends_it_in_one_step(setting, receiver):
    referral = _ask(setting, receiver)

    services.referral_answer(actor=actor_for_user(setting.citizen), referral=referral, allow=True, expected_version=1)

    referral.refresh_from_db()
    assert (referral.status, referral.version) == (S.REQUESTED, 2)
    grant = ConsentGrant.objects.get(household=setting.household, organisation=receiver.organisation)
    assert (grant.category, grant.granted_by, grant.revoked_at) == (G.GENERAL, setting.citizen, None)
    assert [e.event_code for e in Entry.objects.filter(household=setting.household).order_by("pk")] == [
        EventCode.CONSENT_GIVEN,
        EventCode.REFERRAL_REQUESTED,
    ]


def test_the_households_no_cancels_it_with_the_reason(setting, receiver):
    referral = _ask(setting, receiver)

    services.referral_answer(actor=actor_for_user(setting.citizen), referral=referral, allow=False)

    referral.refresh_from_db()
    assert referral.status == S.CANCELLED
    assert referral.status_reason == str(NO_CONSENT_REASON)
    assert not ConsentGrant.objects.filter(organisation=receiver.organisation).exists()


def test_only_the_household_answers_and_only_while_it_waits(setting, receiver):
    referral = _ask(setting, receiver)
    for user in (setting.coordinator, setting.professional, receiver.professional, setting.informal):
        with pytest.raises(PermissionDenied):
            services.referral_answer(actor=actor_for_user(user), referral=referral, allow=True)
    services.referral_answer(actor=actor_for_user(setting.citizen), referral=referral, allow=True)
    with pytest.raises(ValidationError) as refused:
        services.referral_answer(actor=actor_for_user(setting.citizen), referral=referral, allow=False)
    assert "does not wait for permission" in refused.value.messages[0]
    referral.refresh_from_db()
    assert referral.status == S.REQUESTED


def test_a_representative_answers_only_within_their_scope(setting, receiver):
    """The representative of the grandmother decides on general and finances, not on mental health."""
    general = _ask(setting, receiver, category=G.GENERAL)
    services.referral_answer(actor=actor_for_user(setting.representative), referral=general, allow=True)
    assert Referral.objects.get(pk=general.pk).status == S.REQUESTED

    other = OrganisationFactory(name="Psychologenpraktijk")
    mind = services.referral_request(
        actor=actor_for_user(setting.coordinator),
        household=setting.household,
        to_organisation=other,
        question=QUESTION,
        category=G.YOUTH,
    )
    with pytest.raises(PermissionDenied):
        services.referral_answer(actor=actor_for_user(setting.representative), referral=mind, allow=True)


def test_the_resident_refers_their_own_household_and_allows_it_in_the_same_step(setting, receiver):
    with pytest.raises(ValidationError) as refused:
        _ask(setting, receiver, by=setting.citizen, category=G.MENTAL_HEALTH)
    assert "allow" in refused.value.message_dict
    assert not Referral.objects.exists()

    referral = _ask(setting, receiver, by=setting.citizen, category=G.MENTAL_HEALTH, allow=True)

    assert referral.status == S.REQUESTED
    assert referral.from_organisation is None
    assert ConsentGrant.objects.filter(
        organisation=receiver.organisation, category=G.MENTAL_HEALTH, revoked_at__isnull=True
    ).exists()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("question", "", "required"),
        ("question", "   ", "required"),
        ("question", "x" * 2001, "max_length"),
        ("question", "nul\x00teken", "null_characters_not_allowed"),
        ("category", "no-such-category", "invalid_category"),
        ("to_organisation", "999999", "invalid_organisation"),
        ("to_organisation", "<script>", "invalid_organisation"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(setting, receiver, field, value, code):
    values = {"to_organisation": receiver.organisation, "question": QUESTION, "category": G.GENERAL, field: value}
    with pytest.raises(ValidationError) as refused:
        services.referral_request(actor=actor_for_user(setting.coordinator), household=setting.household, **values)
    assert refused.value.error_dict[field][0].code == code
    assert not Referral.objects.exists()


def test_a_question_with_script_tags_is_stored_as_text(setting, receiver):
    _consent(setting, receiver)
    referral = services.referral_request(
        actor=actor_for_user(setting.coordinator),
        household=setting.household,
        to_organisation=receiver.organisation,
        question="<script>alert(1)</script> hulp nodig",
    )
    assert referral.question == "<script>alert(1)</script> hulp nodig"


def test_not_to_the_own_organisation_an_inactive_one_or_a_client_support_organisation(setting, receiver):
    inactive = OrganisationFactory(is_active=False)
    support = OrganisationFactory(client_support=True)
    for organisation, code in (
        (setting.wijkteam, "own_organisation"),
        (inactive, "invalid_organisation"),
        (support, "invalid_organisation"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.referral_request(
                actor=actor_for_user(setting.coordinator),
                household=setting.household,
                to_organisation=organisation,
                question=QUESTION,
            )
        assert refused.value.error_dict["to_organisation"][0].code == code


def test_one_open_referral_per_organisation(setting, receiver):
    _consent(setting, receiver)
    first = _ask(setting, receiver)
    with pytest.raises(ValidationError) as refused:
        _ask(setting, receiver, by=setting.professional)
    assert refused.value.error_dict["to_organisation"][0].code == "already_open"
    services.referral_cancel(actor=actor_for_user(setting.coordinator), referral=first, reason="Dubbel gevraagd")
    assert _ask(setting, receiver, by=setting.professional).status == S.REQUESTED


@pytest.mark.parametrize(
    ("who", "category"),
    [
        ("professional", G.HEALTH),  # Schuldhulp has general and finances
        ("revoked", G.GENERAL),
        ("expired", G.GENERAL),
        ("stranger", G.GENERAL),
        ("emergency", G.SAFETY),  # break the glass reads, it does not refer
        ("informal", G.GENERAL),
        ("supporter", G.GENERAL),
        ("other_citizen", G.GENERAL),
        ("child", G.GENERAL),
    ],
)
def test_who_may_not_refer(setting, receiver, who, category):
    user = getattr(setting, who, None)
    if user is None:  # a child of the household, under 16, with an account
        from samen.households.models import Relation
        from samen.households.tests.factories import CitizenFactory

        user = CitizenFactory(household=setting.household, relation=Relation.CHILD, date_of_birth=None).user
    with pytest.raises(PermissionDenied):
        _ask(setting, receiver, by=user, category=category, allow=True)
    assert not Referral.objects.exists()


# --- the receiving organisation ---------------------------------------------------------------------------------


def test_accepting_puts_the_professional_in_the_team_and_records_who_and_when(setting, receiver):
    _consent(setting, receiver)
    referral = _ask(setting, receiver)

    services.referral_accept(actor=actor_for_user(receiver.professional), referral=referral, expected_version=1)

    referral.refresh_from_db()
    assert referral.status == S.ACCEPTED
    assert referral.handled_by == receiver.professional
    assert referral.accepted_at >= referral.requested_at
    place = TeamMember.objects.get(household=setting.household, user=receiver.professional, left_at__isnull=True)
    assert (place.organisation, place.role, place.is_coordinator) == (
        receiver.organisation,
        TeamRole.PROFESSIONAL,
        False,
    )
    codes = [e.event_code for e in Entry.objects.filter(household=setting.household).order_by("pk")]
    assert codes[-2:] == [EventCode.REFERRAL_ACCEPTED, EventCode.TEAM_JOINED]
    # Now they work in the household, within the consent the household gave their organisation.
    from samen.consent.policies import categories_visible_to

    assert categories_visible_to(actor_for_user(receiver.professional), setting.household) == {G.GENERAL}


def test_started_and_completed(setting, receiver):
    _consent(setting, receiver)
    referral = _ask(setting, receiver)
    ria = actor_for_user(receiver.professional)
    services.referral_accept(actor=ria, referral=referral)
    services.referral_start(actor=actor_for_user(receiver.colleague), referral=referral, expected_version=2)
    services.referral_complete(actor=ria, referral=referral, expected_version=3)

    referral.refresh_from_db()
    assert (referral.status, referral.version) == (S.COMPLETED, 4)
    assert referral.requested_at <= referral.accepted_at <= referral.started_at <= referral.completed_at
    assert list(referral.changes.values_list("to_status", flat=True)) == [
        S.REQUESTED,
        S.ACCEPTED,
        S.IN_PROGRESS,
        S.COMPLETED,
    ]
    assert [
        e.event_code
        for e in Entry.objects.filter(household=setting.household, event_code__startswith="referral").order_by("pk")
    ] == [
        EventCode.REFERRAL_REQUESTED,
        EventCode.REFERRAL_ACCEPTED,
        EventCode.REFERRAL_STARTED,
        EventCode.REFERRAL_COMPLETED,
    ]


def test_accepting_needs_the_households_consent_still(setting, receiver):
    grant = _consent(setting, receiver)
    referral = _ask(setting, receiver)
    grant.revoked_at, grant.revoked_by = grant.granted_at, setting.citizen
    grant.save()
    with pytest.raises(ValidationError) as refused:
        services.referral_accept(actor=actor_for_user(receiver.professional), referral=referral)
    assert refused.value.code == "consent_withdrawn"
    assert not TeamMember.objects.filter(user=receiver.professional).exists()


def test_a_rejection_needs_a_reason_and_is_a_case_event_without_the_household(setting, receiver):
    network = NetworkFactory(organisations=[setting.wijkteam, receiver.organisation])
    _consent(setting, receiver)
    referral = _ask(setting, receiver)
    for reason in ("", "   ", None, "x" * 2001):
        with pytest.raises(ValidationError) as refused:
            services.referral_reject(actor=actor_for_user(receiver.professional), referral=referral, reason=reason)
        assert "reason" in refused.value.message_dict
    assert Referral.objects.get(pk=referral.pk).status == S.REQUESTED

    services.referral_reject(
        actor=actor_for_user(receiver.professional), referral=referral, reason="Wachtlijst van vier maanden."
    )

    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (S.REJECTED, "Wachtlijst van vier maanden.")
    assert referral.handled_by == receiver.professional
    (event,) = CaseEvent.objects.all()
    assert event.network == network
    assert event.kind == CaseEventKind.REFERRAL_REJECTED
    pair = sorted([setting.wijkteam.pk, receiver.organisation.pk])
    assert [event.organisation_a_id, event.organisation_b_id] == pair
    assert event.hours == 0
    assert not TeamMember.objects.filter(user=receiver.professional).exists()


def test_only_the_receiving_organisation_handles_it(setting, receiver):
    _consent(setting, receiver)
    referral = _ask(setting, receiver)
    for user in (setting.coordinator, setting.professional, setting.citizen, setting.stranger):
        with pytest.raises(PermissionDenied):
            services.referral_accept(actor=actor_for_user(user), referral=referral)
    assert Referral.objects.get(pk=referral.pk).status == S.REQUESTED


# --- cancelling ---------------------------------------------------------------------------------------------------


def test_cancelled_by_the_requester_the_coordinator_or_the_household_until_accepted(setting, receiver):
    _consent(setting, receiver)
    referral = _ask(setting, receiver, by=setting.professional)
    with pytest.raises(PermissionDenied):
        services.referral_cancel(actor=actor_for_user(receiver.professional), referral=referral, reason="Nee")
    services.referral_cancel(actor=actor_for_user(setting.citizen), referral=referral, reason="We hebben al hulp.")
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (S.CANCELLED, "We hebben al hulp.")

    second = _ask(setting, receiver, by=setting.professional)
    services.referral_accept(actor=actor_for_user(receiver.professional), referral=second)
    with pytest.raises(PermissionDenied):  # accepted: no longer the household's to cancel
        services.referral_cancel(actor=actor_for_user(setting.citizen), referral=second, reason="Toch niet")
    services.referral_cancel(actor=actor_for_user(setting.coordinator), referral=second, reason="Verhuisd")
    assert Referral.objects.get(pk=second.pk).status == S.CANCELLED


# --- the state machine ----------------------------------------------------------------------------------------------

PAIRS = [(current, wanted) for current in S for wanted in S]


def _actor_for(setting, receiver, wanted):
    if wanted == S.REQUESTED:
        return actor_for_user(setting.citizen)
    if wanted in (S.CANCELLED, S.DRAFT):
        return actor_for_user(setting.coordinator)  # the requester
    return actor_for_user(receiver.professional)


@pytest.mark.parametrize(("current", "wanted"), PAIRS, ids=[f"{a.value}-to-{b.value}" for a, b in PAIRS])
def test_every_move_of_the_state_machine(setting, receiver, current, wanted):
    _consent(setting, receiver)
    referral = ReferralFactory(
        household=setting.household,
        from_organisation=setting.wijkteam,
        to_organisation=receiver.organisation,
        requested_by=setting.coordinator,
        status=current,
    )
    before = Referral.objects.filter(pk=referral.pk).values().get()
    steps = ReferralStatusChange.objects.count()

    def move():
        return services.referral_move(
            actor=_actor_for(setting, receiver, wanted),
            referral=referral,
            to=wanted,
            reason="Omdat het zo is afgesproken.",
            expected_version=referral.version,
        )

    if wanted in TRANSITIONS[current]:
        move()
        after = Referral.objects.get(pk=referral.pk)
        assert after.status == wanted
        assert after.version == before["version"] + 1
        assert (
            ReferralStatusChange.objects.filter(referral=referral, from_status=current, to_status=wanted).count() == 1
        )
    else:
        with pytest.raises(ValidationError) as refused:
            move()
        assert refused.value.code == "illegal_transition"
        assert refused.value.messages[0].startswith("This referral is")
        assert Referral.objects.filter(pk=referral.pk).values().get() == before
        assert ReferralStatusChange.objects.count() == steps


def test_an_unknown_status_is_refused(setting, receiver):
    referral = ReferralFactory(household=setting.household, to_organisation=receiver.organisation)
    with pytest.raises(ValidationError) as refused:
        services.referral_move(actor=actor_for_user(receiver.professional), referral=referral, to="<script>")
    assert "to" in refused.value.message_dict


def test_the_messages_say_what_is_wrong_in_dutch(setting, receiver):
    from django.utils import translation

    referral = ReferralFactory(household=setting.household, to_organisation=receiver.organisation, status=S.COMPLETED)
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        services.referral_reject(actor=actor_for_user(receiver.professional), referral=referral, reason="Geen plek")
    assert refused.value.messages == ["Deze verwijzing is nu: afgerond. Daarom kan hij niet worden afgewezen."]
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        services.referral_complete(actor=actor_for_user(receiver.professional), referral=referral)
    assert refused.value.messages == ["Deze verwijzing is al afgerond."]


# --- two people at once ---------------------------------------------------------------------------------------------


def test_a_stale_version_is_refused_and_changes_nothing(setting, receiver):
    _consent(setting, receiver)
    referral = _ask(setting, receiver)
    services.referral_accept(actor=actor_for_user(receiver.professional), referral=referral, expected_version=1)
    with pytest.raises(ValidationError) as refused:
        services.referral_reject(
            actor=actor_for_user(receiver.colleague), referral=referral, reason="Geen plek", expected_version=1
        )
    assert refused.value.error_dict["version"][0].code == "stale"
    for version in ("abc", "", "-1", "<script>"):
        with pytest.raises(ValidationError):
            services.referral_start(
                actor=actor_for_user(receiver.colleague), referral=referral, expected_version=version
            )
    assert Referral.objects.get(pk=referral.pk).status == S.ACCEPTED


def test_the_conditional_update_refuses_a_referral_that_moved_under_it(setting, receiver, monkeypatch):
    """Someone else rejects the referral between this service's read and its UPDATE (simulated): the UPDATE matches
    no row, the service refuses, and nothing of its own is written (no team place, no step)."""
    _consent(setting, receiver)
    referral = _ask(setting, receiver)
    real = services.organisation_has_consent

    def meanwhile(**kwargs):
        Referral.objects.filter(pk=referral.pk).update(
            status=S.REJECTED,
            rejected_at=referral.requested_at,
            status_reason="Geen plek",
            handled_by=receiver.colleague,
            version=2,
        )
        return real(**kwargs)

    monkeypatch.setattr(services, "organisation_has_consent", meanwhile)
    with pytest.raises(ValidationError) as refused:
        services.referral_accept(actor=actor_for_user(receiver.professional), referral=referral)
    assert refused.value.error_dict["version"][0].code == "stale"
    assert not TeamMember.objects.filter(user=receiver.professional).exists()
    assert not ReferralStatusChange.objects.filter(to_status=S.ACCEPTED).exists()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's row locks (CI's PostgreSQL pass)")
def test_two_professionals_accept_at_once_and_one_wins(transactional_db, setting, receiver):
    _consent(setting, receiver)
    referral = _ask(setting, receiver)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(user):
        try:
            start.wait(timeout=10)
            services.referral_accept(actor=actor_for_user(user), referral=Referral.objects.get(pk=referral.pk))
            outcomes.append("accepted")
        except ValidationError as error:
            outcomes.append(error.code)  # the thread speaks the default language, Dutch
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(user,)) for user in (receiver.professional, receiver.colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["accepted", "illegal_transition"]
    assert ReferralStatusChange.objects.filter(referral=referral, to_status=S.ACCEPTED).count() == 1
    assert TeamMember.objects.filter(household=setting.household, organisation=receiver.organisation).count() == 1


# --- telling the people concerned -------------------------------------------------------------------------------------


def _notified(kind) -> dict[int, object]:
    from samen.reminders.models import Notification

    return {row.recipient_id: row for row in Notification.objects.filter(kind=kind)}


def test_the_receiving_organisation_hears_of_a_new_request_without_the_household(setting, receiver):
    from samen.reminders.models import NotificationKind

    _consent(setting, receiver)
    referral = _ask(setting, receiver)
    new = _notified(NotificationKind.REFERRAL_NEW)
    assert set(new) == {receiver.professional.pk, receiver.colleague.pk}
    for notification in new.values():
        assert notification.household_id is None
        assert notification.params == {"organisation": "Wijkteam Noord"}
        assert notification.url == f"/verwijzingen/{referral.pk}/"
    # The household and its coordinator hear about it; the coordinator who asked does not hear of their own step.
    update = _notified(NotificationKind.REFERRAL_UPDATE)
    assert setting.citizen.pk in update and setting.representative.pk in update
    assert setting.coordinator.pk not in update
    assert update[setting.citizen.pk].params == {"organisation": "GGZ Oost"}
    assert update[setting.citizen.pk].household_id == setting.household.pk


def test_a_draft_tells_the_household_and_nobody_at_the_receiving_organisation(setting, receiver):
    from samen.reminders.models import NotificationKind

    _ask(setting, receiver)
    assert _notified(NotificationKind.REFERRAL_NEW) == {}
    assert setting.citizen.pk in _notified(NotificationKind.REFERRAL_UPDATE)


def test_each_step_is_news_for_who_asked_the_coordinator_and_the_household(setting, receiver):
    from samen.reminders.models import NotificationKind

    _consent(setting, receiver)
    referral = _ask(setting, receiver, by=setting.professional)
    services.referral_accept(actor=actor_for_user(receiver.professional), referral=referral)
    update = _notified(NotificationKind.REFERRAL_UPDATE)
    assert {setting.professional.pk, setting.coordinator.pk, setting.citizen.pk} <= set(update)
    assert receiver.professional.pk not in update
    assert update[setting.professional.pk].group_key == f"referral:{referral.pk}"
    services.referral_start(actor=actor_for_user(receiver.professional), referral=referral)
    assert _notified(NotificationKind.REFERRAL_UPDATE)[setting.professional.pk].count == 2  # one line, bumped

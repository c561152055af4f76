"""Consent services: what they write, what they refuse, and that a refusal writes nothing (not even a log entry)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from samen.accounts.tests.factories import UserFactory
from samen.consent import services
from samen.consent.models import (
    BREAK_THE_GLASS_HOURS,
    BreakTheGlass,
    BreakTheGlassGround,
    ConsentGrant,
    ConsentRequest,
    ConsentRequestStatus,
    DataCategory,
    LegalBasis,
)
from samen.consent.policies import categories_visible_to, household_for, households_visible_to
from samen.consent.selectors import consent_history
from samen.consent.tests.conftest import FINANCES, GENERAL, SAFETY, act, synthetic_bsn
from samen.consent.tests.factories import (
    ConsentGrantFactory,
    ConsentRequestFactory,
    RepresentativeFactory,
    TeamMemberFactory,
)
from samen.core.actor import SYSTEM, Actor, Role
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.households.models import Relation
from samen.households.tests.factories import HouseholdFactory, HouseholdMemberFactory
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

REASON = "Er is een melding van acuut geweld; we moeten weten wie er in huis woont."


@pytest.fixture
def family():
    """A household with an adult citizen, a professional of one organisation and an informal member."""
    household = HouseholdFactory()
    citizen = HouseholdMemberFactory(household=household, user=UserFactory(), date_of_birth=datetime.date(1980, 1, 1))
    professional = TeamMemberFactory(household=household)
    informal = TeamMemberFactory(household=household, informal=True)
    return {
        "household": household,
        "citizen": act(citizen.user),
        "professional": professional,
        "organisation": professional.organisation,
        "informal": informal,
    }


def entries():
    """The consent app's own audit entries (the timeline's events have their own test below)."""
    return list(AuditEntry.objects.exclude(object_type="timeline.entry").order_by("sequence"))


# --- granting ----------------------------------------------------------------------------------------------


def test_the_citizen_grants_an_organisation_in_the_team(family):
    household, organisation = family["household"], family["organisation"]
    grant = services.consent_grant(
        actor=family["citizen"],
        household=household,
        category="finances",
        organisation=organisation,
        legal_basis=LegalBasis.CONSENT,
    )
    assert (grant.category, grant.organisation, grant.team_member, grant.revoked_at) == (
        FINANCES,
        organisation,
        None,
        None,
    )
    assert grant.granted_by == family["citizen"].user
    assert categories_visible_to(act(family["professional"].user), household) == {FINANCES}
    [entry] = entries()
    assert (entry.action, entry.purpose, entry.household_id, entry.data_category) == (
        AuditAction.CREATE,
        AuditPurpose.CITIZEN,
        household.pk,
        "finances",
    )
    assert (entry.object_type, entry.object_id, entry.user_id) == (
        "consent.consentgrant",
        str(grant.pk),
        family["citizen"].user_id,
    )
    assert entry.changes["organisation_id"] == organisation.pk and entry.changes["legal_basis"] == "consent"


def test_the_citizen_grants_an_informal_member_personally(family):
    grant = services.consent_grant(
        actor=family["citizen"],
        household=family["household"],
        category=GENERAL,
        team_member=family["informal"],
        legal_basis=LegalBasis.CONSENT,
    )
    assert grant.organisation is None and grant.team_member == family["informal"]
    assert categories_visible_to(act(family["informal"].user), family["household"]) == {GENERAL}
    assert entries()[-1].changes["team_member_id"] == family["informal"].pk


def test_granting_again_renews_and_keeps_the_history(family, clock):
    household, organisation, citizen = family["household"], family["organisation"], family["citizen"]
    first = services.consent_grant(
        actor=citizen,
        household=household,
        category=FINANCES,
        organisation=organisation,
        legal_basis=LegalBasis.CONSENT,
        valid_until=clock.now + datetime.timedelta(days=30),
    )
    clock.advance(days=20)
    second = services.consent_grant(
        actor=citizen,
        household=household,
        category=FINANCES,
        organisation=organisation,
        legal_basis=LegalBasis.LEGAL_TASK,
        valid_until=clock.now + datetime.timedelta(days=365),
    )
    first.refresh_from_db()
    assert first.revoked_at == clock.now and first.revoked_by == citizen.user
    assert second.replaces == first and second.revoked_at is None and second.valid_from == clock.now
    assert ConsentGrant.objects.filter(household=household, revoked_at__isnull=True).count() == 1
    history = list(consent_history(household))
    assert history == [second, first]
    assert [grant.was_renewed for grant in history] == [False, True]
    assert [(entry.action, entry.description) for entry in entries()] == [
        (AuditAction.CREATE, "consent granted"),
        (AuditAction.UPDATE, "consent renewed"),
    ]
    clock.advance(days=20)  # past the first end date: the renewal still counts
    assert categories_visible_to(act(family["professional"].user), household) == {FINANCES}


def test_an_end_date_means_up_to_and_including_that_day(family, clock):
    day = clock.now.date() + datetime.timedelta(days=10)
    grant = services.consent_grant(
        actor=family["citizen"],
        household=family["household"],
        category=GENERAL,
        organisation=family["organisation"],
        legal_basis=LegalBasis.CONSENT,
        valid_until=day,
    )
    assert timezone.localtime(grant.valid_until) == timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


def test_a_representative_grants_within_their_scope_only(family):
    household = family["household"]
    grandmother = HouseholdMemberFactory(household=household, relation=Relation.GRANDPARENT)
    mentor = act(RepresentativeFactory(member=grandmother, scope=["finances"]).user)
    grant = services.consent_grant(
        actor=mentor, household=household, category=FINANCES, organisation=family["organisation"], legal_basis="consent"
    )
    assert grant.granted_by == mentor.user
    with pytest.raises(PermissionDenied):
        services.consent_grant(
            actor=mentor,
            household=household,
            category=SAFETY,
            organisation=family["organisation"],
            legal_basis="consent",
        )
    assert ConsentGrant.objects.count() == 1 and len(entries()) == 1


@pytest.mark.parametrize("who", ["professional", "informal", "child", "neighbour", "system", "admin"])
def test_only_the_household_decides_on_consent(family, who):
    household = family["household"]
    actors = {
        "professional": lambda: act(family["professional"].user),
        "informal": lambda: act(family["informal"].user),
        "child": lambda: act(
            HouseholdMemberFactory(
                household=household, user=UserFactory(), relation=Relation.CHILD, date_of_birth=datetime.date.today()
            ).user
        ),
        "neighbour": lambda: act(HouseholdMemberFactory(user=UserFactory()).user),
        "system": lambda: SYSTEM,
        "admin": lambda: act(MembershipFactory(functional_admin=True).user),
    }
    actor = actors[who]()
    with pytest.raises(PermissionDenied):
        services.consent_grant(
            actor=actor,
            household=household,
            category=GENERAL,
            organisation=family["organisation"],
            legal_basis="consent",
        )
    grant = ConsentGrantFactory(household=household, organisation=family["organisation"])
    with pytest.raises(PermissionDenied):
        services.consent_revoke(actor=actor, grant=grant)
    grant.refresh_from_db()
    assert grant.revoked_at is None
    assert ConsentGrant.objects.count() == 1 and entries() == []


# --- bad input: a clear error and nothing written -----------------------------------------------------------


def grant_kwargs(family, **overrides):
    kwargs = {
        "actor": family["citizen"],
        "household": family["household"],
        "category": GENERAL,
        "organisation": family["organisation"],
        "legal_basis": LegalBasis.CONSENT,
    }
    return {**kwargs, **overrides}


def bad_grants(family):
    other_household_member = TeamMemberFactory(informal=True)
    now = timezone.now()
    left = TeamMemberFactory(household=family["household"], joined_at=now - datetime.timedelta(days=1), left_at=now)
    return {
        "organisation outside the team": (
            {"organisation": OrganisationFactory(name="Schuldhulp Zuid")},
            "organisation",
        ),
        "organisation whose professional left": ({"organisation": left.organisation}, "organisation"),
        "supporter organisation as organisation": (
            {"organisation": TeamMemberFactory(household=family["household"], supporter=True).organisation},
            "organisation",
        ),
        "person of another household": ({"organisation": None, "team_member": other_household_member}, "team_member"),
        "professional personally": ({"organisation": None, "team_member": family["professional"]}, "team_member"),
        "nobody": ({"organisation": None}, "__all__"),
        "two receivers": ({"team_member": family["informal"]}, "__all__"),
        "unknown category": ({"category": "horoscope"}, "category"),
        "category of the wrong type": ({"category": ["general"]}, "category"),
        "unknown legal basis": ({"legal_basis": "because"}, "legal_basis"),
        "end in the past": ({"valid_until": timezone.now() - datetime.timedelta(minutes=1)}, "valid_until"),
        "end without a time zone": ({"valid_until": datetime.datetime(2099, 1, 1)}, "valid_until"),  # noqa: DTZ001
        "end that is not a date": ({"valid_until": "tomorrow"}, "valid_until"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "organisation outside the team",
        "organisation whose professional left",
        "supporter organisation as organisation",
        "person of another household",
        "professional personally",
        "nobody",
        "two receivers",
        "unknown category",
        "category of the wrong type",
        "unknown legal basis",
        "end in the past",
        "end without a time zone",
        "end that is not a date",
    ],
)
def test_a_bad_grant_is_refused_with_a_clear_message_and_writes_nothing(family, case):
    overrides, field = bad_grants(family)[case]
    with pytest.raises(ValidationError) as raised:
        services.consent_grant(**grant_kwargs(family, **overrides))
    error = raised.value
    assert field in (error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages})
    assert all(message.strip() for message in raised.value.messages)
    assert ConsentGrant.objects.count() == 0
    assert entries() == []


def test_the_message_for_an_organisation_outside_the_team_names_it(family):
    with translation.override("nl"), pytest.raises(ValidationError) as raised:
        services.consent_grant(**grant_kwargs(family, organisation=OrganisationFactory(name="Schuldhulp Zuid")))
    assert raised.value.message_dict["organisation"] == [
        "Schuldhulp Zuid hoort niet bij het team rond dit huishouden. Daarom kan deze organisatie geen toegang krijgen."
    ]


# --- revoking ----------------------------------------------------------------------------------------------


def test_revoking_takes_effect_on_the_next_call_and_keeps_the_grant(family):
    household, citizen = family["household"], family["citizen"]
    professional = act(family["professional"].user)
    grant = services.consent_grant(**grant_kwargs(family, category=FINANCES))
    assert household_for(professional, household.pk) == household

    revoked = services.consent_revoke(actor=citizen, grant=grant)

    assert revoked.revoked_at is not None and revoked.revoked_by == citizen.user
    assert grant.revoked_at == revoked.revoked_at  # the caller's object is up to date too
    assert categories_visible_to(professional, household) == frozenset()
    assert household not in households_visible_to(professional)
    assert list(consent_history(household)) == [grant]
    entry = entries()[-1]
    assert (entry.action, entry.description, entry.household_id, entry.data_category, entry.purpose) == (
        AuditAction.UPDATE,
        "consent revoked",
        household.pk,
        "finances",
        AuditPurpose.CITIZEN,
    )


def test_revoking_twice_is_refused_and_writes_nothing(family):
    grant = services.consent_grant(**grant_kwargs(family))
    services.consent_revoke(actor=family["citizen"], grant=grant)
    before = len(entries())
    stale = ConsentGrant.objects.get(pk=grant.pk)
    with translation.override("nl"), pytest.raises(ValidationError) as raised:
        services.consent_revoke(actor=family["citizen"], grant=stale)
    assert raised.value.messages == ["Deze toestemming is al ingetrokken."]
    assert len(entries()) == before


def test_an_expired_grant_can_still_be_withdrawn(family):
    grant = ConsentGrantFactory(household=family["household"], organisation=family["organisation"], expired=True)
    services.consent_revoke(actor=family["citizen"], grant=grant)
    assert ConsentGrant.objects.get(pk=grant.pk).revoked_at is not None


def test_a_grant_to_someone_who_left_the_team_can_be_withdrawn(family):
    grant = services.consent_grant(**grant_kwargs(family))
    family["professional"].left_at = timezone.now()
    family["professional"].save(update_fields=["left_at"])
    services.consent_revoke(actor=family["citizen"], grant=grant)
    assert ConsentGrant.objects.get(pk=grant.pk).revoked_at is not None


# --- requests ----------------------------------------------------------------------------------------------


def request_kwargs(family, **overrides):
    kwargs = {
        "actor": act(family["professional"].user),
        "team_member": family["professional"],
        "categories": ["finances", "general"],
        "legal_basis": LegalBasis.LEGAL_TASK,
        "reason": "  Wij doen de schuldhulp\nen moeten de inkomsten kennen. ",
    }
    return {**kwargs, **overrides}


def test_a_professional_joining_the_team_asks_for_consent(family):
    request = services.consent_request_create(**request_kwargs(family))
    assert request.status == ConsentRequestStatus.OPEN
    assert request.categories == ["general", "finances"]  # each once, in the fixed order
    assert request.reason == "Wij doen de schuldhulp en moeten de inkomsten kennen."
    assert (request.household, request.organisation) == (family["household"], family["organisation"])
    assert [(e.action, e.purpose, e.data_category, e.household_id) for e in entries()] == [
        (AuditAction.CREATE, AuditPurpose.CARE_COORDINATION, "general", family["household"].pk),
        (AuditAction.CREATE, AuditPurpose.CARE_COORDINATION, "finances", family["household"].pk),
    ]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"categories": []}, "categories"),
        ({"categories": ["general", "astrology"]}, "categories"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
    ],
    ids=["no categories", "unknown category", "no legal basis", "empty reason", "reason too long"],
)
def test_a_bad_request_is_refused_and_writes_nothing(family, overrides, field):
    with pytest.raises(ValidationError) as raised:
        services.consent_request_create(**request_kwargs(family, **overrides))
    assert field in raised.value.message_dict
    assert ConsentRequest.objects.count() == 0 and entries() == []


def test_one_open_request_per_professional(family):
    services.consent_request_create(**request_kwargs(family))
    with pytest.raises(ValidationError):
        services.consent_request_create(**request_kwargs(family))
    assert ConsentRequest.objects.count() == 1


def test_a_professional_of_another_organisation_cannot_ask_for_someone_else(family):
    outsider = act(MembershipFactory().user)
    with pytest.raises(PermissionDenied):
        services.consent_request_create(**request_kwargs(family, actor=outsider))
    assert ConsentRequest.objects.count() == 0


def test_leaving_the_team_withdraws_the_open_request_and_only_for_those_who_may_end_the_place(family):
    services.consent_request_create(**request_kwargs(family))
    outsider = act(MembershipFactory().user)
    with pytest.raises(PermissionDenied):
        services.consent_requests_withdraw_for_leaving_member(actor=outsider, member=family["professional"])
    assert ConsentRequest.objects.get().status == ConsentRequestStatus.OPEN
    withdrawn = services.consent_requests_withdraw_for_leaving_member(
        actor=act(family["professional"].user), member=family["professional"]
    )
    assert withdrawn == 1
    assert ConsentRequest.objects.get().status == ConsentRequestStatus.WITHDRAWN
    assert [e.description for e in entries()][-2:] == ["consent request withdrawn: the professional left the team"] * 2


def test_approving_part_of_a_request_grants_just_that(family):
    request = services.consent_request_create(**request_kwargs(family))
    before = len(entries())
    grants = services.consent_request_approve(actor=family["citizen"], request=request, categories=["finances"])
    assert [(grant.category, grant.organisation, grant.legal_basis) for grant in grants] == [
        (FINANCES, family["organisation"], LegalBasis.LEGAL_TASK)
    ]
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.APPROVED
    assert request.approved_categories == ["finances"]
    assert request.answered_by == family["citizen"].user and request.answered_at is not None
    assert categories_visible_to(act(family["professional"].user), family["household"]) == {FINANCES}
    new = entries()[before:]
    assert [(e.object_type, e.action, e.data_category) for e in new] == [
        ("consent.consentgrant", AuditAction.CREATE, "finances"),
        ("consent.consentrequest", AuditAction.UPDATE, "general"),
        ("consent.consentrequest", AuditAction.UPDATE, "finances"),
    ]
    assert all(e.household_id == family["household"].pk and e.purpose == AuditPurpose.CITIZEN for e in new)


@pytest.mark.parametrize(
    "categories", [[], ["safety"], ["finances", "nonsense"]], ids=["nothing", "not asked", "unknown"]
)
def test_approving_what_was_not_asked_is_refused_and_writes_nothing(family, categories):
    request = services.consent_request_create(**request_kwargs(family))
    before = len(entries())
    with pytest.raises(ValidationError) as raised:
        services.consent_request_approve(actor=family["citizen"], request=request, categories=categories)
    assert "categories" in raised.value.message_dict
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.OPEN
    assert ConsentGrant.objects.count() == 0 and len(entries()) == before


def test_a_request_is_answered_once(family):
    request = services.consent_request_create(**request_kwargs(family))
    services.consent_request_decline(actor=family["citizen"], request=request)
    for answer in (
        lambda: services.consent_request_approve(actor=family["citizen"], request=request, categories=["general"]),
        lambda: services.consent_request_decline(actor=family["citizen"], request=request),
    ):
        with pytest.raises(ValidationError):
            answer()
    assert ConsentGrant.objects.count() == 0


def test_declining_grants_nothing_and_is_logged(family):
    request = services.consent_request_create(**request_kwargs(family))
    before = len(entries())
    services.consent_request_decline(actor=family["citizen"], request=request)
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.DECLINED and request.answered_at is not None
    assert ConsentGrant.objects.count() == 0
    assert [(e.description, e.data_category, e.changes["status"]) for e in entries()[before:]] == [
        ("consent request answered", "general", ["open", "declined"]),
        ("consent request answered", "finances", ["open", "declined"]),
    ]


def test_only_the_household_answers_a_request(family):
    request = ConsentRequestFactory(team_member=family["professional"])
    for actor in (act(family["professional"].user), act(family["informal"].user), SYSTEM):
        with pytest.raises(PermissionDenied):
            services.consent_request_approve(actor=actor, request=request, categories=["general"])
        with pytest.raises(PermissionDenied):
            services.consent_request_decline(actor=actor, request=request)
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.OPEN


def test_approving_after_the_professional_left_grants_nothing(family):
    request = ConsentRequestFactory(team_member=family["professional"])
    family["professional"].left_at = timezone.now()
    family["professional"].save(update_fields=["left_at"])
    with pytest.raises(ValidationError):
        services.consent_request_approve(actor=family["citizen"], request=request, categories=["general"])
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.OPEN and ConsentGrant.objects.count() == 0


def test_the_organisation_withdraws_its_request(family):
    request = ConsentRequestFactory(team_member=family["professional"])
    with pytest.raises(PermissionDenied):
        services.consent_request_withdraw(actor=family["citizen"], request=request)
    services.consent_request_withdraw(actor=act(family["professional"].user), request=request)
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.WITHDRAWN


def test_a_failure_halfway_leaves_no_grant_and_no_log_entry(family):
    """The change and its audit entries are one transaction: the second log write fails, everything is undone."""
    request = ConsentRequestFactory(team_member=family["professional"])
    real_record = services.audit.record
    calls = []

    def fail_on_the_second_call(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_record(**kwargs)

    with mock.patch.object(services.audit, "record", side_effect=fail_on_the_second_call), pytest.raises(RuntimeError):
        services.consent_request_approve(actor=family["citizen"], request=request, categories=["general", "finances"])
    assert len(calls) == 2
    assert ConsentGrant.objects.count() == 0 and entries() == []
    request.refresh_from_db()
    assert request.status == ConsentRequestStatus.OPEN


# --- break the glass ---------------------------------------------------------------------------------------


@pytest.fixture
def outsider():
    """A professional of an organisation that is not in the household's team."""
    return act(MembershipFactory().user)


def test_break_the_glass_gives_access_for_24_hours_and_is_flagged(family, outsider, clock):
    household = family["household"]
    with pytest.raises(Exception):  # noqa: B017 - Http404: no consent, not in the team
        household_for(outsider, household.pk)
    access = services.break_the_glass_start(
        actor=outsider,
        household=household,
        categories=["youth", "safety", "safety"],
        reason=REASON,
        legal_ground=BreakTheGlassGround.MELDCODE,
    )
    assert access.categories == ["safety", "youth"]
    assert access.started_at == clock.now
    assert access.expires_at == clock.now + datetime.timedelta(hours=BREAK_THE_GLASS_HOURS)
    assert (access.user, access.organisation) == (outsider.user, outsider.organisation)
    assert household_for(outsider, household.pk) == household
    assert categories_visible_to(outsider, household) == {SAFETY, DataCategory.YOUTH}
    assert [(e.action, e.purpose, e.data_category, e.household_id) for e in entries()] == [
        (AuditAction.BREAK_THE_GLASS, AuditPurpose.BREAK_THE_GLASS, "safety", household.pk),
        (AuditAction.BREAK_THE_GLASS, AuditPurpose.BREAK_THE_GLASS, "youth", household.pk),
    ]
    assert entries()[0].changes["reason"] == REASON and entries()[0].changes["legal_ground"] == "meldcode"

    clock.advance(hours=BREAK_THE_GLASS_HOURS)
    assert categories_visible_to(outsider, household) == frozenset()
    with pytest.raises(Exception):  # noqa: B017
        household_for(outsider, household.pk)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reason": ""}, "reason"),
        ({"reason": "   \n  "}, "reason"),
        ({"reason": "nodig"}, "reason"),
        ({"reason": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, "reason"),
        ({"reason": "x " * 1500}, "reason"),
        ({"legal_ground": ""}, "legal_ground"),
        ({"legal_ground": "I felt like it"}, "legal_ground"),
        ({"categories": []}, "categories"),
        ({"categories": ["everything"]}, "categories"),
    ],
    ids=[
        "no reason",
        "blank reason",
        "one word",
        "one long word",
        "reason too long",
        "no ground",
        "unknown ground",
        "no categories",
        "unknown category",
    ],
)
def test_break_the_glass_needs_a_real_reason_and_ground(family, outsider, overrides, field):
    kwargs = {
        "actor": outsider,
        "household": family["household"],
        "categories": ["safety"],
        "reason": REASON,
        "legal_ground": "meldcode",
        **overrides,
    }
    with pytest.raises(ValidationError) as raised:
        services.break_the_glass_start(**kwargs)
    assert field in raised.value.message_dict
    assert BreakTheGlass.objects.count() == 0 and entries() == []


@pytest.mark.parametrize(
    "who", ["citizen", "informal", "supporter", "facilitator", "policy_advisor", "admin", "system"]
)
def test_only_professionals_break_the_glass(family, who):
    actors = {
        "citizen": lambda: family["citizen"],
        "informal": lambda: act(family["informal"].user),
        "supporter": lambda: act(TeamMemberFactory(household=family["household"], supporter=True).user),
        "facilitator": lambda: act(MembershipFactory(facilitator=True).user),
        "policy_advisor": lambda: act(MembershipFactory(policy_advisor=True).user),
        "admin": lambda: act(MembershipFactory(functional_admin=True).user),
        "system": lambda: SYSTEM,
    }
    with pytest.raises(PermissionDenied):
        services.break_the_glass_start(
            actor=actors[who](),
            household=family["household"],
            categories=["safety"],
            reason=REASON,
            legal_ground="meldcode",
        )
    assert BreakTheGlass.objects.count() == 0 and entries() == []


def test_a_professional_of_an_inactive_organisation_cannot_break_the_glass(family):
    membership = MembershipFactory(organisation=OrganisationFactory(is_active=False))
    actor = Actor(user=membership.user, role=Role.PROFESSIONAL, organisation=membership.organisation)
    with pytest.raises(PermissionDenied):
        services.break_the_glass_start(
            actor=actor, household=family["household"], categories=["safety"], reason=REASON, legal_ground="meldcode"
        )


def test_one_break_the_glass_at_a_time_and_ending_it(family, outsider, clock):
    household = family["household"]
    access = services.break_the_glass_start(
        actor=outsider, household=household, categories=["safety"], reason=REASON, legal_ground="vital_interest"
    )
    with pytest.raises(ValidationError):
        services.break_the_glass_start(
            actor=outsider, household=household, categories=["justice"], reason=REASON, legal_ground="meldcode"
        )
    with pytest.raises(PermissionDenied):
        services.break_the_glass_end(actor=act(family["professional"].user), access=access)

    clock.advance(hours=2)
    before = len(entries())
    services.break_the_glass_end(actor=outsider, access=access)
    assert access.ended_at == clock.now
    assert categories_visible_to(outsider, household) == frozenset()
    [entry] = entries()[before:]
    assert (entry.description, entry.purpose, entry.data_category) == (
        "break-the-glass access ended",
        AuditPurpose.BREAK_THE_GLASS,
        "safety",
    )
    with pytest.raises(ValidationError):
        services.break_the_glass_end(actor=outsider, access=access)
    # After it ended, a new one may start (with a new reason, logged again).
    services.break_the_glass_start(
        actor=outsider, household=household, categories=["justice"], reason=REASON, legal_ground="legal_duty"
    )


def test_an_expired_break_the_glass_cannot_be_ended_and_a_new_one_may_start(family, outsider, clock):
    access = services.break_the_glass_start(
        actor=outsider, household=family["household"], categories=["safety"], reason=REASON, legal_ground="meldcode"
    )
    clock.advance(hours=BREAK_THE_GLASS_HOURS)
    with pytest.raises(ValidationError):
        services.break_the_glass_end(actor=outsider, access=access)
    services.break_the_glass_start(
        actor=outsider, household=family["household"], categories=["safety"], reason=REASON, legal_ground="meldcode"
    )
    assert BreakTheGlass.objects.count() == 2


# --- emergency access by BSN ("Noodtoegang") ---------------------------------------------------------------

BSN = synthetic_bsn(1)


@pytest.fixture
def family_with_bsn(family):
    HouseholdMemberFactory(household=family["household"], bsn=BSN, bsn_is_synthetic=True)
    return family


def _by_bsn(actor, bsn=BSN, **overrides):
    kwargs = {"categories": ["safety"], "reason": REASON, "legal_ground": "meldcode", **overrides}
    return services.break_the_glass_by_bsn(actor=actor, bsn=bsn, **kwargs)


def _no_bsn_anywhere(bsn: str = BSN) -> None:
    for entry in AuditEntry.objects.all():
        assert bsn not in entry.description and bsn not in str(entry.changes)


def test_emergency_access_by_bsn_finds_the_household_starts_and_logs_the_lookup(
    family_with_bsn, outsider, django_capture_on_commit_callbacks
):
    household = family_with_bsn["household"]
    with django_capture_on_commit_callbacks() as callbacks:
        attempt = _by_bsn(outsider, bsn=f" {BSN[:4]}.{BSN[4:]} ")
    assert attempt.outcome is services.EmergencyOutcome.STARTED
    assert attempt.household == household and attempt.access.household == household
    assert attempt.access.role == Role.PROFESSIONAL
    assert categories_visible_to(outsider, household) == {SAFETY}
    lookup, started = entries()
    assert (lookup.action, lookup.outcome, lookup.purpose, lookup.household_id) == (
        AuditAction.SEARCH,
        "success",
        AuditPurpose.BREAK_THE_GLASS,
        household.pk,
    )
    assert (started.action, started.data_category) == (AuditAction.BREAK_THE_GLASS, "safety")
    assert len(callbacks) == 1  # the e-mails to the household and its coordinator, after the commit
    _no_bsn_anywhere()


def test_an_unknown_bsn_is_logged_as_a_failure_without_the_bsn(family_with_bsn, outsider):
    unknown = synthetic_bsn(2)
    attempt = _by_bsn(outsider, bsn=unknown)
    assert attempt.outcome is services.EmergencyOutcome.NOT_FOUND and attempt.household is None
    [entry] = entries()
    assert (entry.action, entry.outcome, entry.household_id, entry.user_id) == (
        AuditAction.SEARCH,
        "failure",
        None,
        outsider.user_id,
    )
    assert BreakTheGlass.objects.count() == 0
    _no_bsn_anywhere(unknown)


def test_a_household_already_visible_through_consent_starts_nothing(family_with_bsn):
    household = family_with_bsn["household"]
    ConsentGrantFactory(household=household, organisation=family_with_bsn["organisation"], category=GENERAL)
    professional = act(family_with_bsn["professional"].user)
    attempt = _by_bsn(professional)
    assert attempt.outcome is services.EmergencyOutcome.ALREADY_VISIBLE and attempt.household == household
    assert BreakTheGlass.objects.count() == 0
    [entry] = entries()
    assert (entry.action, entry.purpose, entry.household_id) == (
        AuditAction.SEARCH,
        AuditPurpose.CARE_COORDINATION,
        household.pk,
    )


def test_a_running_access_is_not_started_twice(family_with_bsn, outsider):
    first = _by_bsn(outsider)
    again = _by_bsn(outsider, categories=["justice"])
    assert again.outcome is services.EmergencyOutcome.ALREADY_ACTIVE and again.access == first.access
    assert BreakTheGlass.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"bsn": ""}, "bsn"),
        ({"bsn": "123456789"}, "bsn"),  # fails the elfproef
        ({"bsn": "12345678"}, "bsn"),
        ({"bsn": "abcdefghi"}, "bsn"),
        ({"reason": "nodig"}, "reason"),
        ({"legal_ground": "because"}, "legal_ground"),
        ({"categories": []}, "categories"),
    ],
)
def test_bad_input_looks_nothing_up_and_writes_nothing(family_with_bsn, outsider, overrides, field):
    bsn = overrides.pop("bsn", BSN)
    with pytest.raises(ValidationError) as raised:
        _by_bsn(outsider, bsn=bsn, **overrides)
    assert field in raised.value.message_dict
    assert entries() == [] and BreakTheGlass.objects.count() == 0


@pytest.mark.parametrize("who", ["citizen", "informal", "facilitator", "system"])
def test_only_professionals_may_look_up_a_bsn(family_with_bsn, who):
    actors = {
        "citizen": lambda: family_with_bsn["citizen"],
        "informal": lambda: act(family_with_bsn["informal"].user),
        "facilitator": lambda: act(MembershipFactory(facilitator=True).user),
        "system": lambda: SYSTEM,
    }
    with pytest.raises(PermissionDenied):
        _by_bsn(actors[who]())
    assert entries() == []


def test_at_most_five_lookups_an_hour(family_with_bsn, outsider, clock):
    for seed in range(10, 10 + services.EMERGENCY_LOOKUPS_PER_HOUR):
        assert _by_bsn(outsider, bsn=synthetic_bsn(seed)).outcome is services.EmergencyOutcome.NOT_FOUND
    # The sixth is refused before anything is looked up, also for a BSN that exists; the refusal is logged.
    refused = _by_bsn(outsider)
    assert refused.outcome is services.EmergencyOutcome.TOO_MANY and refused.household is None
    assert BreakTheGlass.objects.count() == 0
    last = entries()[-1]
    assert (last.outcome, last.household_id) == ("denied", None)
    # Somebody else is not limited by it.
    other = act(MembershipFactory().user)
    assert _by_bsn(other).outcome is services.EmergencyOutcome.STARTED
    # An hour later the lookups count no more (the audit log is in real time, the clock moves on).
    clock.advance(hours=1, minutes=1)
    assert _by_bsn(outsider).outcome is services.EmergencyOutcome.STARTED
    _no_bsn_anywhere()

"""Household, team and coordinator services: what they write, who may call them, and bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import ConsentRequest, ConsentRequestStatus, DataCategory, LegalBasis
from samen.core.actor import ANONYMOUS, SYSTEM
from samen.core.audit import verify_chain
from samen.core.models import AuditAction, AuditEntry, AuditPurpose
from samen.households import services, tasks
from samen.households.models import (
    CoordinatorHandover,
    Household,
    HouseholdMember,
    Relation,
    Representative,
    RepresentativeKind,
    TeamMember,
    TeamRole,
)
from samen.households.tests.factories import (
    CitizenFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    RepresentativeFactory,
    TeamMemberFactory,
)
from samen.organisations.actors import actor_for_user
from samen.organisations.models import Membership, MembershipRole, OrganisationType
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

act = actor_for_user
VALID_BSN = "111222333"  # passes the elfproef


def error_codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [error.code for error in errors] for field, errors in exc.error_dict.items()}


class Snapshot:
    """Counts of everything a team service writes, to prove that a refused call wrote nothing."""

    MODELS = (Household, HouseholdMember, TeamMember, CoordinatorHandover, ConsentRequest, Representative, AuditEntry)

    def __init__(self):
        self.counts = self._take()

    @classmethod
    def _take(cls):
        counts = {model.__name__: model.objects.count() for model in cls.MODELS}
        counts["coordinators"] = list(
            TeamMember.objects.filter(is_coordinator=True, left_at__isnull=True).values_list("pk", flat=True)
        )
        counts["left"] = TeamMember.objects.filter(left_at__isnull=False).count()
        return counts

    def unchanged(self) -> bool:
        return self._take() == self.counts


def new_professional(organisation=None, *, network=None, **membership):
    """A professional with an active membership, not (yet) in any team; their organisation joins ``network``."""
    membership = MembershipFactory(organisation=organisation or OrganisationFactory(youth_care=True), **membership)
    if network is not None:
        network.organisations.add(membership.organisation)
    return membership


# --- household_create ----------------------------------------------------------------------------


def test_the_system_registers_a_household_with_members_without_the_bsn_in_the_log():
    household = services.household_create(
        actor=SYSTEM,
        name=" Familie de Vries ",
        city="Voorbeeldstad",
        members=[
            {"given_name": "Anna", "family_name": "de Vries", "relation": Relation.PARENT, "bsn": VALID_BSN},
            {"given_name": "Sem", "family_name": "de Vries", "relation": Relation.CHILD},
        ],
    )
    assert household.name == "Familie de Vries"
    assert [m.given_name for m in household.members.order_by("pk")] == ["Anna", "Sem"]
    entry = AuditEntry.objects.get(action=AuditAction.CREATE, household_id=household.pk)
    assert entry.changes == {"members": 2}
    assert VALID_BSN not in str(entry.changes) + entry.description
    assert list(verify_chain()) == []


def test_a_functional_administrator_may_register_a_household_but_a_citizen_or_professional_not():
    admin = MembershipFactory(functional_admin=True).user
    assert services.household_create(actor=act(admin), name="Familie A").pk
    for actor in (act(CitizenFactory().user), act(new_professional().user), ANONYMOUS):
        with pytest.raises(PermissionDenied):
            services.household_create(actor=actor, name="Familie B")
    assert not Household.objects.filter(name="Familie B").exists()


@pytest.mark.parametrize(
    ("name", "members", "field"),
    [
        ("", [], "name"),
        ("x" * 201, [], "name"),
        (
            "Familie C",
            [{"given_name": "A", "family_name": "B", "relation": "parent", "bsn": "123456789"}],
            "member_0_bsn",
        ),
        ("Familie C", [{"given_name": "A", "family_name": "B", "relation": "boss"}], "member_0_relation"),
        ("Familie C", [{"given_name": "", "family_name": "B", "relation": "parent"}], "member_0_given_name"),
        ("Familie C", [{"given_name": "A", "family_name": "B", "relation": "parent", "pk": 5}], "member_0"),
    ],
)
def test_a_bad_household_is_refused_whole(name, members, field):
    before = Snapshot()
    with pytest.raises(ValidationError) as caught:
        services.household_create(actor=SYSTEM, name=name, members=members)
    assert field in caught.value.error_dict
    assert before.unchanged()


# --- team_add_professional -----------------------------------------------------------------------


def test_the_coordinator_adds_a_professional_and_asks_the_household_for_consent(team):
    newcomer = new_professional(network=team.network)
    member = services.team_add_professional(
        actor=act(team.coordinator.user),
        household=team.household,
        user=newcomer.user,
        organisation=newcomer.organisation,
        description="Jeugdhulp voor Sem",
        categories=[DataCategory.YOUTH, DataCategory.GENERAL, DataCategory.YOUTH],
        legal_basis=LegalBasis.CONSENT,
        reason="Sem krijgt begeleiding; ik wil de afspraken op school kunnen zien.",
    )
    assert (member.role, member.organisation, member.description) == (
        TeamRole.PROFESSIONAL,
        newcomer.organisation,
        "Jeugdhulp voor Sem",
    )
    request = ConsentRequest.objects.get(team_member=member)
    assert request.status == ConsentRequestStatus.OPEN
    assert request.categories == ["general", "youth"]  # each once, in the order of the categories
    assert request.organisation == newcomer.organisation
    assert request.requested_by == team.coordinator.user
    assert request.legal_basis == LegalBasis.CONSENT
    entries = AuditEntry.objects.filter(household_id=team.household.pk).order_by("sequence")
    assert [(e.action, e.object_type, e.data_category) for e in entries] == [
        ("create", "households.teammember", "general"),
        (("create", "timeline.entry", "general")),  # "joined the team" in the household's timeline
        ("create", "consent.consentrequest", "general"),  # the consent app logs a request once per category
        ("create", "consent.consentrequest", "youth"),
    ]
    assert {entry.organisation_id for entry in entries} == {team.wijkteam.pk}
    assert list(verify_chain()) == []


def _add(actor, household, newcomer, **overrides):
    arguments = {
        "actor": actor,
        "household": household,
        "user": newcomer.user,
        "organisation": newcomer.organisation,
        "categories": [DataCategory.GENERAL],
        "legal_basis": LegalBasis.CONSENT,
        "reason": "Hulp bij de schulden",
    }
    return services.team_add_professional(**{**arguments, **overrides})


def test_only_the_coordinator_manages_the_team(team):
    newcomer = new_professional(network=team.network)
    other_household = TeamMemberFactory(coordinator=True)
    refused = {
        "a professional in the team who is not the coordinator": act(team.professional.user),
        "a professional of another organisation": act(new_professional(network=team.network).user),
        "a colleague of the coordinator": act(new_professional(organisation=team.wijkteam, coordinator=True).user),
        "the coordinator of another household": act(other_household.user),
        "the citizen": act(team.citizen.user),
        "a citizen of another household": act(CitizenFactory().user),
        "the functional administrator": act(MembershipFactory(functional_admin=True).user),
        "anonymous": ANONYMOUS,
        "the system": SYSTEM,
    }
    before = Snapshot()
    for who, actor in refused.items():
        with pytest.raises(PermissionDenied):
            _add(actor, team.household, newcomer)
        assert before.unchanged(), who


def test_the_coordinator_acting_for_another_organisation_does_not_manage_the_team(team):
    second_job = MembershipFactory(
        user=team.coordinator.user, organisation=OrganisationFactory(type=OrganisationType.WELFARE)
    )
    actor = actor_for_user(team.coordinator.user, membership_id=second_job.pk)
    with pytest.raises(PermissionDenied):
        _add(actor, team.household, new_professional(network=team.network))


def test_a_neighbourhood_team_professional_starts_the_team_of_a_household_without_coordinator():
    household = HouseholdFactory()
    starter = new_professional(organisation=OrganisationFactory(type=OrganisationType.NEIGHBOURHOOD_TEAM))
    actor = act(starter.user)
    member = _add(actor, household, starter)
    handover = services.coordinator_assign_first(actor=actor, household=household, member=member)
    member.refresh_from_db()
    assert member.is_coordinator
    assert (handover.from_member, handover.to_member, handover.recorded_by) == (None, member, starter.user)
    # Now the household has a coordinator: another professional of the neighbourhood team cannot start it again.
    colleague = new_professional(organisation=starter.organisation)
    with pytest.raises(PermissionDenied):
        _add(act(colleague.user), household, colleague)


def test_while_starting_a_team_a_professional_adds_only_people_of_their_own_organisation():
    household = HouseholdFactory()
    starter = new_professional(organisation=OrganisationFactory(municipality=True))
    with pytest.raises(PermissionDenied):
        _add(act(starter.user), household, new_professional())
    provider = new_professional(organisation=OrganisationFactory(debt_counselling=True))
    with pytest.raises(PermissionDenied):
        _add(act(provider.user), household, provider)
    assert not TeamMember.objects.filter(household=household).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"reason": "   "}, "reason", "required"),
        ({"reason": "x" * 2001}, "reason", "max_length"),
        ({"reason": "a\x00b"}, "reason", "null_characters_not_allowed"),
        ({"description": "x" * 201}, "description", "max_length"),
        ({"description": 42}, "description", "invalid"),
        ({"categories": []}, "categories", "required"),
        ({"categories": ["general", "gossip"]}, "categories", "invalid_choice"),
        ({"categories": "general"}, "categories", "invalid"),
        ({"legal_basis": "because"}, "legal_basis", "invalid_choice"),
    ],
)
def test_bad_input_for_a_new_professional_is_refused_and_nothing_is_written(team, overrides, field, code):
    before = Snapshot()
    with pytest.raises(ValidationError) as caught:
        _add(act(team.coordinator.user), team.household, new_professional(network=team.network), **overrides)
    assert error_codes(caught.value) == {field: [code]}
    assert before.unchanged()


def test_the_professional_must_work_for_the_organisation_and_not_be_in_the_team_yet(team):
    coordinator = act(team.coordinator.user)
    stranger = new_professional(network=team.network)
    ended = new_professional(network=team.network)
    Membership.objects.filter(pk=ended.pk).update(is_active=False)
    blocked = new_professional(network=team.network)
    blocked.user.is_active = False
    blocked.user.save()
    supporter = MembershipFactory(client_supporter=True)
    team.network.organisations.add(supporter.organisation)
    before = Snapshot()
    cases = [
        ({"user": stranger.user, "organisation": team.wijkteam}, "user", "not_in_organisation"),
        ({"user": ended.user, "organisation": ended.organisation}, "user", "not_in_organisation"),
        ({"user": blocked.user, "organisation": blocked.organisation}, "user", "not_in_organisation"),
        ({"user": team.professional.user, "organisation": team.professional.organisation}, "user", "already_in_team"),
    ]
    for overrides, field, code in cases:
        with pytest.raises(ValidationError) as caught:
            _add(coordinator, team.household, stranger, **overrides)
        assert error_codes(caught.value) == {field: [code]}
    # Outside the coordinator's networks, or an organisation for independent client support (even in the
    # network): the policy refuses before anything is looked at.
    for organisation in (OrganisationFactory(name="Zorg Elders"), supporter.organisation):
        with pytest.raises(PermissionDenied):
            _add(coordinator, team.household, stranger, user=stranger.user, organisation=organisation)
    assert before.unchanged()


# --- team_add_supporter --------------------------------------------------------------------------


def test_the_citizen_brings_in_an_independent_client_supporter(team):
    supporter = MembershipFactory(client_supporter=True)
    member = services.team_add_supporter(
        actor=act(team.citizen.user), household=team.household, user=supporter.user, organisation=supporter.organisation
    )
    assert (member.role, member.organisation) == (TeamRole.SUPPORTER, supporter.organisation)
    assert not ConsentRequest.objects.filter(team_member=member).exists()  # the citizen grants directly
    entry = AuditEntry.objects.get(object_type="households.teammember", object_id=str(member.pk))
    assert (entry.purpose, entry.household_id, entry.user_id) == (
        AuditPurpose.CITIZEN,
        team.household.pk,
        team.citizen.user_id,
    )


def test_a_representative_in_force_brings_in_a_supporter_but_an_expired_one_does_not(team):
    supporter = MembershipFactory(client_supporter=True)
    expired = RepresentativeFactory(expired=True, member=team.citizen)
    with pytest.raises(PermissionDenied):
        services.team_add_supporter(
            actor=act(expired.user), household=team.household, user=supporter.user, organisation=supporter.organisation
        )
    representative = RepresentativeFactory(member=team.citizen)
    member = services.team_add_supporter(
        actor=act(representative.user),
        household=team.household,
        user=supporter.user,
        organisation=supporter.organisation,
    )
    assert member.role == TeamRole.SUPPORTER


def test_professionals_and_other_households_cannot_add_a_supporter(team):
    supporter = MembershipFactory(client_supporter=True)
    other_citizen = CitizenFactory()
    before = Snapshot()
    for actor in (
        act(team.coordinator.user),
        act(team.professional.user),
        act(other_citizen.user),
        act(supporter.user),
        ANONYMOUS,
    ):
        with pytest.raises(PermissionDenied):
            services.team_add_supporter(
                actor=actor, household=team.household, user=supporter.user, organisation=supporter.organisation
            )
    assert before.unchanged()


def test_a_supporter_comes_from_an_independent_organisation_as_a_client_supporter(team):
    citizen = act(team.citizen.user)
    provider_employee = new_professional(organisation=OrganisationFactory(youth_care=True))
    independent = OrganisationFactory(client_support=True)
    not_a_supporter_there = UserFactory()
    before = Snapshot()
    with pytest.raises(ValidationError) as caught:
        services.team_add_supporter(
            actor=citizen,
            household=team.household,
            user=provider_employee.user,
            organisation=provider_employee.organisation,
        )
    assert error_codes(caught.value) == {"organisation": ["not_independent"]}
    with pytest.raises(ValidationError) as caught:
        services.team_add_supporter(
            actor=citizen, household=team.household, user=not_a_supporter_there, organisation=independent
        )
    assert error_codes(caught.value) == {"user": ["not_in_organisation"]}
    assert before.unchanged()


# --- team_member_leave ---------------------------------------------------------------------------


def test_a_professional_leaves_the_team_and_their_open_consent_request_is_withdrawn(team):
    newcomer = new_professional(network=team.network)
    member = _add(act(team.coordinator.user), team.household, newcomer)
    services.team_member_leave(actor=act(newcomer.user), member=member, reason="Hulp is afgerond")
    member.refresh_from_db()
    assert member.left_at is not None and member.left_reason == "Hulp is afgerond"
    request = ConsentRequest.objects.get(team_member=member)
    assert request.status == ConsentRequestStatus.WITHDRAWN
    assert request.answered_at <= member.left_at
    entry = AuditEntry.objects.filter(object_id=str(member.pk), action=AuditAction.UPDATE).get()
    assert entry.changes["consent_requests_withdrawn"] == 1
    # Having left, they can be added again later (the old row stays, for the history).
    again = _add(act(team.coordinator.user), team.household, newcomer)
    assert again.pk != member.pk


def test_the_coordinator_cannot_leave_without_handing_over_first(team):
    before = Snapshot()
    with pytest.raises(ValidationError) as caught:
        services.team_member_leave(actor=act(team.coordinator.user), member=team.coordinator, reason="Nieuwe baan")
    assert error_codes(caught.value) == {"member": ["coordinator_must_hand_over"]}
    with translation.override("nl"):
        assert caught.value.messages == [
            "De regisseur kan pas uit het team als de regie aan iemand anders is overgedragen."
        ]
    assert before.unchanged()


def test_who_may_remove_whom_from_the_team(team):
    informal = TeamMemberFactory(informal=True, household=team.household)
    supporter = TeamMemberFactory(supporter=True, household=team.household)
    stranger = act(new_professional(network=team.network).user)
    refusals = [
        (act(team.citizen.user), team.professional),  # the coordinator decides on professionals
        (act(team.coordinator.user), supporter),  # the citizen's own supporter: only the citizen
        (act(team.coordinator.user), informal),
        (act(team.professional.user), informal),
        (stranger, team.professional),
        (act(CitizenFactory().user), informal),
        (ANONYMOUS, informal),
    ]
    before = Snapshot()
    for actor, member in refusals:
        with pytest.raises(PermissionDenied):
            services.team_member_leave(actor=actor, member=member, reason="weg")
    assert before.unchanged()
    services.team_member_leave(actor=act(team.citizen.user), member=informal, reason="Verhuisd")
    services.team_member_leave(actor=act(team.citizen.user), member=supporter, reason="Niet meer nodig")
    services.team_member_leave(actor=act(team.coordinator.user), member=team.professional, reason="Afgerond")
    assert set(TeamMember.objects.filter(household=team.household, left_at__isnull=True)) == {team.coordinator}


def test_leaving_twice_or_without_a_reason_is_refused(team):
    actor = act(team.professional.user)
    with pytest.raises(ValidationError) as caught:
        services.team_member_leave(actor=actor, member=team.professional, reason="")
    assert error_codes(caught.value) == {"reason": ["required"]}
    services.team_member_leave(actor=actor, member=team.professional, reason="Klaar")
    with pytest.raises(ValidationError) as caught:
        services.team_member_leave(actor=actor, member=team.professional, reason="Klaar")
    assert error_codes(caught.value) == {"member": ["already_left"]}


# --- the coordinator -----------------------------------------------------------------------------


def active_coordinators(household):
    return list(TeamMember.objects.filter(household=household, is_coordinator=True, left_at__isnull=True))


def test_the_coordinator_hands_over_to_another_professional_in_one_go(team):
    handover = services.coordinator_handover(
        actor=act(team.coordinator.user),
        household=team.household,
        to_member=team.professional,
        reason="De schulden zijn nu het belangrijkste.",
    )
    assert active_coordinators(team.household) == [team.professional]
    assert (handover.from_member, handover.to_member, handover.recorded_by) == (
        team.coordinator,
        team.professional,
        team.coordinator.user,
    )
    assert handover.reason == "De schulden zijn nu het belangrijkste."
    assert timezone.now() - handover.occurred_at < datetime.timedelta(minutes=1)
    entry = AuditEntry.objects.get(object_type="households.coordinatorhandover")
    assert entry.household_id == team.household.pk
    assert entry.changes == {"coordinator": [team.coordinator.pk, team.professional.pk]}
    # The previous coordinator stays in the team as a professional, and may now leave.
    services.team_member_leave(actor=act(team.coordinator.user), member=team.coordinator, reason="Andere wijk")


def test_there_is_exactly_one_coordinator_after_every_handover_and_every_refused_one(team):
    members = [team.coordinator, team.professional] + [TeamMemberFactory(household=team.household) for _ in range(2)]
    outsider = TeamMemberFactory()  # another household's professional
    current = team.coordinator
    for step, target in enumerate([team.professional, outsider, members[2], members[2], members[3], team.coordinator]):
        try:
            services.coordinator_handover(
                actor=act(current.user), household=team.household, to_member=target, reason=f"stap {step}"
            )
            current = target
        except ValidationError:
            pass
        assert active_coordinators(team.household) == [current]
    assert CoordinatorHandover.objects.filter(household=team.household).count() == 4


@pytest.mark.parametrize("target", ["other_household", "informal", "supporter", "left", "ended_membership", "self"])
def test_a_handover_to_someone_who_cannot_coordinate_is_refused_and_nothing_changes(team, target):
    members = {
        "other_household": lambda: TeamMemberFactory(),
        "informal": lambda: TeamMemberFactory(informal=True, household=team.household),
        "supporter": lambda: TeamMemberFactory(supporter=True, household=team.household),
        "left": lambda: TeamMemberFactory(
            household=team.household, joined_at=timezone.now() - datetime.timedelta(days=9), left_at=timezone.now()
        ),
        "ended_membership": lambda: TeamMemberFactory(household=team.household, membership=False),
        "self": lambda: team.coordinator,
    }
    to_member = members[target]()
    before = Snapshot()
    with pytest.raises(ValidationError) as caught:
        services.coordinator_handover(
            actor=act(team.coordinator.user), household=team.household, to_member=to_member, reason="Overdracht"
        )
    assert list(caught.value.error_dict) == ["to_member"]
    assert before.unchanged()


@pytest.mark.parametrize(("reason", "code"), [("", "required"), (" \n ", "required"), ("x" * 2001, "max_length")])
def test_a_handover_needs_a_reason(team, reason, code):
    before = Snapshot()
    with pytest.raises(ValidationError) as caught:
        services.coordinator_handover(
            actor=act(team.coordinator.user), household=team.household, to_member=team.professional, reason=reason
        )
    assert error_codes(caught.value) == {"reason": [code]}
    assert before.unchanged()


def test_only_the_coordinator_hands_over_while_they_are_there(team):
    colleague = new_professional(organisation=team.wijkteam, coordinator=True)
    elsewhere = TeamMemberFactory(coordinator=True)
    before = Snapshot()
    for actor in (
        act(team.professional.user),
        act(colleague.user),
        act(team.citizen.user),
        act(elsewhere.user),
        ANONYMOUS,
    ):
        with pytest.raises(PermissionDenied):
            services.coordinator_handover(
                actor=actor, household=team.household, to_member=team.professional, reason="Overdracht"
            )
    assert before.unchanged()


def test_when_the_coordinator_is_gone_a_coordinator_of_the_same_organisation_hands_over(team):
    Membership.objects.filter(user=team.coordinator.user).update(is_active=False)  # left the organisation
    colleague_coordinator = new_professional(organisation=team.wijkteam, coordinator=True)
    colleague_professional = new_professional(organisation=team.wijkteam)
    other_organisation_coordinator = new_professional(network=team.network, coordinator=True)
    for actor in (act(colleague_professional.user), act(other_organisation_coordinator.user)):
        with pytest.raises(PermissionDenied):
            services.coordinator_handover(
                actor=actor, household=team.household, to_member=team.professional, reason="Collega is weg"
            )
    handover = services.coordinator_handover(
        actor=act(colleague_coordinator.user),
        household=team.household,
        to_member=team.professional,
        reason="Collega is uit dienst",
    )
    assert handover.from_member == team.coordinator
    assert handover.recorded_by == colleague_coordinator.user
    assert active_coordinators(team.household) == [team.professional]


def test_the_first_coordinator_is_assigned_only_once(team):
    starter = new_professional(organisation=team.wijkteam)
    member = TeamMemberFactory(household=team.household, user=starter.user, organisation=team.wijkteam)
    before = Snapshot()
    with pytest.raises(ValidationError) as caught:
        services.coordinator_assign_first(actor=act(starter.user), household=team.household, member=member)
    assert error_codes(caught.value) == {"member": ["has_coordinator"]}
    assert before.unchanged()


def test_the_first_coordinator_must_be_in_this_households_team():
    household = HouseholdFactory()
    starter = new_professional(organisation=OrganisationFactory(type=OrganisationType.NEIGHBOURHOOD_TEAM))
    elsewhere = TeamMemberFactory(organisation=starter.organisation)
    of_another_organisation = TeamMemberFactory(household=household)
    before = Snapshot()
    with pytest.raises(ValidationError) as caught:
        services.coordinator_assign_first(actor=act(starter.user), household=household, member=elsewhere)
    assert error_codes(caught.value) == {"member": ["not_in_team"]}
    with pytest.raises(PermissionDenied):
        services.coordinator_assign_first(actor=act(starter.user), household=household, member=of_another_organisation)
    assert before.unchanged()
    assert not active_coordinators(household)


# --- representatives -----------------------------------------------------------------------------


@pytest.fixture
def admin():
    return act(MembershipFactory(functional_admin=True).user)


def test_a_functional_administrator_registers_a_representative_on_evidence(admin):
    member = HouseholdMemberFactory()
    mentor = UserFactory()
    until = timezone.localdate() + datetime.timedelta(days=365)
    representative = services.representative_add(
        actor=admin,
        member=member,
        user=mentor,
        kind=RepresentativeKind.MENTOR,
        scope=[DataCategory.HEALTH, DataCategory.GENERAL],
        valid_until=until,
        evidence="Beschikking rechtbank 2026/1234",
    )
    assert representative.scope == ["general", "health"]
    assert timezone.localtime(representative.valid_until).date() == until + datetime.timedelta(days=1)
    assert representative.is_active_at(timezone.now())
    entry = AuditEntry.objects.get(object_type="households.representative")
    assert (entry.household_id, entry.person_id, entry.action) == (member.household_id, member.pk, "create")
    ended = services.representative_end(actor=admin, rep=representative)
    assert ended.ended_at is not None and not ended.is_active_at(timezone.now())
    with pytest.raises(ValidationError):
        services.representative_end(actor=admin, rep=representative)


def test_citizens_and_professionals_cannot_register_representatives(team):
    representative = RepresentativeFactory(member=team.citizen)
    before = Snapshot()
    for actor in (act(team.citizen.user), act(team.coordinator.user), act(team.professional.user), ANONYMOUS):
        with pytest.raises(PermissionDenied):
            services.representative_add(
                actor=actor, member=team.citizen, user=UserFactory(), kind=RepresentativeKind.MENTOR
            )
    with pytest.raises(PermissionDenied):
        services.representative_end(actor=act(team.citizen.user), rep=representative)
    assert before.unchanged()
    assert Representative.objects.get().ended_at is None


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"kind": "friend"}, "kind", "invalid_choice"),
        ({"scope": ["everything"]}, "scope", "invalid_choice"),
        ({"valid_until": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)}, "valid_until", "in_the_past"),
        ({"valid_until": datetime.datetime(2999, 1, 1)}, "valid_until", "invalid"),  # naive
        ({"valid_until": "next year"}, "valid_until", "invalid"),
        ({"evidence": "x" * 201}, "evidence", "max_length"),
    ],
)
def test_bad_representation_input_is_refused(admin, overrides, field, code):
    arguments = {"member": HouseholdMemberFactory(), "user": UserFactory(), "kind": RepresentativeKind.CURATOR}
    before = Snapshot()
    with pytest.raises(ValidationError) as caught:
        services.representative_add(actor=admin, **{**arguments, **overrides})
    assert error_codes(caught.value) == {field: [code]}
    assert before.unchanged()


def test_nobody_represents_themselves_or_twice(admin):
    member = CitizenFactory()
    with pytest.raises(ValidationError) as caught:
        services.representative_add(actor=admin, member=member, user=member.user, kind=RepresentativeKind.MENTOR)
    assert error_codes(caught.value) == {"user": ["self"]}
    mentor = UserFactory()
    services.representative_add(actor=admin, member=member, user=mentor, kind=RepresentativeKind.MENTOR)
    with pytest.raises(ValidationError) as caught:
        services.representative_add(actor=admin, member=member, user=mentor, kind=RepresentativeKind.MENTOR)
    assert error_codes(caught.value) == {"user": ["duplicate"]}


def test_a_client_supporter_membership_is_required_not_just_any_role(team):
    # A professional (not a client supporter) of an independent organisation is not a supporter.
    organisation = OrganisationFactory(client_support=True)
    employee = MembershipFactory(organisation=organisation, role=MembershipRole.PROFESSIONAL)
    with pytest.raises(ValidationError) as caught:
        services.team_add_supporter(
            actor=act(team.citizen.user), household=team.household, user=employee.user, organisation=organisation
        )
    assert error_codes(caught.value) == {"user": ["not_in_organisation"]}


def test_the_added_professional_gets_one_email_once_committed(
    team, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SAMEN_BASE_URL = "https://samen.example.nl"
    newcomer = new_professional(network=team.network)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        member = _add(act(team.coordinator.user), team.household, newcomer)
    assert len(callbacks) == 1
    [message] = mailoutbox
    assert message.to == [newcomer.user.email]
    assert message.subject == f"Je zit nu in het team rond {team.household.name}"
    assert "Hulp bij de schulden" not in message.body  # no reasons or case content in an e-mail
    assert "https://samen.example.nl/" in message.body
    member.refresh_from_db()
    assert member.notified_at is not None
    assert tasks.send_team_welcome.call(member.pk) is False  # a retried task sends nothing twice
    assert len(mailoutbox) == 1


def test_a_refused_professional_gets_no_email(team, django_capture_on_commit_callbacks):
    newcomer = new_professional(network=team.network)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied):
        _add(act(team.professional.user), team.household, newcomer)
    assert callbacks == []

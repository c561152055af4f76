"""The database itself keeps the team consistent, whatever code writes to it."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from samen.households.models import CoordinatorHandover, TeamMember
from samen.households.tests.factories import InvitationFactory, TeamMemberFactory
from samen.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_second_active_coordinator(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMemberFactory(coordinator=True, household=team.household)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMember.objects.filter(pk=team.professional.pk).update(is_coordinator=True)
    assert list(TeamMember.objects.filter(household=team.household, is_coordinator=True)) == [team.coordinator]


def test_another_household_has_its_own_coordinator(team):
    other = TeamMemberFactory(coordinator=True)
    assert other.is_coordinator and team.coordinator.is_coordinator


def test_a_coordinator_who_left_does_not_count_as_active(team):
    TeamMember.objects.filter(pk=team.coordinator.pk).update(left_at=timezone.now())
    assert TeamMemberFactory(coordinator=True, household=team.household).is_coordinator


def test_only_a_professional_coordinates_and_only_the_informal_network_has_no_organisation(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMemberFactory(informal=True, household=team.household, is_coordinator=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMemberFactory(informal=True, household=team.household, organisation=OrganisationFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMemberFactory(household=team.household, organisation=None, membership=False)


def test_someone_is_in_a_team_once_at_a_time(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMemberFactory(
            household=team.household, user=team.professional.user, organisation=team.professional.organisation
        )
    TeamMember.objects.filter(pk=team.professional.pk).update(left_at=timezone.now())
    again = TeamMemberFactory(household=team.household, user=team.professional.user)
    assert again.left_at is None


def test_a_handover_has_a_reason_but_the_first_coordinator_may_be_assigned_without_one(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinatorHandover.objects.create(
            household=team.household, from_member=team.coordinator, to_member=team.professional, reason=""
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinatorHandover.objects.create(
            household=team.household, from_member=team.coordinator, to_member=team.coordinator, reason="x"
        )
    assert CoordinatorHandover.objects.create(household=team.household, to_member=team.coordinator, reason="").pk


def test_an_invitation_is_either_accepted_or_withdrawn_and_expires_after_it_was_made(team):
    invitation = InvitationFactory(household=team.household)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(invitation).objects.filter(pk=invitation.pk).update(
            accepted_at=timezone.now(), accepted_by=team.citizen.user, withdrawn_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        type(invitation).objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(expires_at=timezone.now() - datetime.timedelta(days=1))


def test_reprs_never_show_an_email_address(team):
    invitation = InvitationFactory(email="geheim@example.test")
    assert "geheim" not in repr(invitation)

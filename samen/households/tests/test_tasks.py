"""Handover e-mails: sent once the handover is committed, to both coordinators and the household, once."""

import pytest
from django.core.exceptions import ValidationError

from samen.accounts.tests.factories import UserFactory
from samen.households import services, tasks
from samen.households.models import CoordinatorHandover
from samen.households.tests.factories import (
    CitizenFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    RepresentativeFactory,
    TeamMemberFactory,
)
from samen.organisations.actors import actor_for_user
from samen.organisations.models import OrganisationType
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.SAMEN_BASE_URL = "https://samen.example.nl"


def hand_over(team, reason="De schulden zijn nu het belangrijkste."):
    return services.coordinator_handover(
        actor=actor_for_user(team.coordinator.user),
        household=team.household,
        to_member=team.professional,
        reason=reason,
    )


def by_recipient(mailoutbox):
    assert all(len(message.to) == 1 for message in mailoutbox)  # nobody sees anyone else's address
    return {message.to[0]: message for message in mailoutbox}


def test_a_handover_tells_both_coordinators_and_the_household_in_plain_dutch(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    partner = CitizenFactory(household=team.household)
    HouseholdMemberFactory(household=team.household)  # a child without an account gets no e-mail
    mentor = RepresentativeFactory(member=team.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        handover = hand_over(team)
    mails = by_recipient(mailoutbox)
    new, previous = team.professional.user, team.coordinator.user
    assert set(mails) == {new.email, previous.email, team.citizen.user.email, partner.user.email, mentor.user.email}

    assert mails[new.email].subject == "Je bent nu regisseur van Familie Jansen"
    assert f"{previous.full_name} van Wijkteam Oost heeft de regie aan je overgedragen" in mails[new.email].body
    assert mails[previous.email].subject == "Je bent niet langer regisseur van Familie Jansen"
    assert f"De nieuwe regisseur is {new.full_name} van Schuldhulp Stad" in mails[previous.email].body
    household_mail = mails[team.citizen.user.email]
    assert household_mail.subject == "Je hebt een nieuwe regisseur"
    assert f"Vanaf nu is {new.full_name} van Schuldhulp Stad je regisseur." in household_mail.body
    assert f"{previous.full_name} is niet langer je regisseur." in household_mail.body
    assert "https://samen.example.nl/" in household_mail.body
    for message in mailoutbox:
        assert "schulden zijn nu" not in message.body  # the reason stays in Samen, behind the login
        assert "{%" not in message.body and "&amp;" not in message.body
    handover.refresh_from_db()
    assert handover.notified_at is not None


def test_nothing_is_sent_for_a_handover_that_was_refused(team, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        hand_over(team, reason="")
    assert callbacks == [] and mailoutbox == []


def test_the_task_sends_once_even_when_it_runs_again(team, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        handover = hand_over(team)
    sent = len(mailoutbox)
    assert sent == 3
    assert tasks.send_handover_notifications.call(handover.pk) == 0
    result = tasks.send_handover_notifications.enqueue(handover.pk)
    assert result.return_value == 0
    assert len(mailoutbox) == sent


def test_when_sending_fails_the_next_attempt_sends(team, mailoutbox, monkeypatch):
    handover = hand_over(team)  # the on-commit callback does not run here: the task is called by hand

    def broken_connection(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    with monkeypatch.context() as patched, pytest.raises(ConnectionRefusedError):
        patched.setattr(tasks.mail, "get_connection", broken_connection)
        tasks.send_handover_notifications.call(handover.pk)
    handover.refresh_from_db()
    assert handover.notified_at is None and mailoutbox == []
    assert tasks.send_handover_notifications.call(handover.pk) == 3
    assert len(mailoutbox) == 3


def test_the_first_coordinator_and_the_household_are_told(mailoutbox, django_capture_on_commit_callbacks):
    household = HouseholdFactory(name="Familie Bakker")
    citizen = CitizenFactory(household=household)
    blocked = CitizenFactory(household=household, user=UserFactory(is_active=False))
    starter = MembershipFactory(organisation=OrganisationFactory(type=OrganisationType.NEIGHBOURHOOD_TEAM))
    member = TeamMemberFactory(household=household, user=starter.user, organisation=starter.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        services.coordinator_assign_first(actor=actor_for_user(starter.user), household=household, member=member)
    mails = by_recipient(mailoutbox)
    assert set(mails) == {starter.user.email, citizen.user.email}
    assert blocked.user.email not in mails
    assert "overgedragen" not in mails[starter.user.email].body
    assert "niet langer" not in mails[citizen.user.email].body


def test_an_unknown_handover_sends_nothing(mailoutbox):
    assert tasks.send_handover_notifications.call(123456) == 0
    assert mailoutbox == []
    assert not CoordinatorHandover.objects.exists()

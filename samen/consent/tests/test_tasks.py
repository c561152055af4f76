"""E-mails about an access without consent: after the commit, to the household and its coordinator, once."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from samen.accounts.tests.factories import UserFactory
from samen.consent import services, tasks
from samen.consent.models import BreakTheGlass
from samen.consent.tests.factories import BreakTheGlassFactory, RepresentativeFactory, TeamMemberFactory
from samen.households.tests.factories import CitizenFactory, HouseholdFactory, HouseholdMemberFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
REASON = "Melding van acuut geweld in het gezin; wij moeten nu weten wie er betrokken is."


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.SAMEN_BASE_URL = "https://samen.example.nl"


@pytest.fixture
def household():
    household = HouseholdFactory(name="Familie de Wit")
    return household


def test_starting_tells_the_household_and_the_coordinator_in_plain_dutch(
    household, mailoutbox, django_capture_on_commit_callbacks
):
    citizen = CitizenFactory(household=household, user=UserFactory(email="fatima@example.test"))
    HouseholdMemberFactory(household=household)  # without an account: no e-mail
    mentor = RepresentativeFactory(member=citizen, user=UserFactory(email="mentor@example.test"))
    coordinator = TeamMemberFactory(household=household, coordinator=True, user=UserFactory(email="regie@example.test"))
    outsider = MembershipFactory(
        organisation=OrganisationFactory(name="Veilig Thuis Regio"), user=UserFactory(full_name="Karel Geheimnaam")
    )
    with django_capture_on_commit_callbacks(execute=True):
        access = services.break_the_glass_start(
            actor=actor_for_user(outsider.user),
            household=household,
            categories=["safety"],
            reason=REASON,
            legal_ground="meldcode",
        )
    mails = {message.to[0]: message for message in mailoutbox}
    assert all(len(message.to) == 1 for message in mailoutbox)
    assert set(mails) == {"fatima@example.test", mentor.user.email, coordinator.user.email}
    household_mail = mails["fatima@example.test"]
    assert household_mail.subject == "Iemand keek in een noodgeval naar je gegevens"
    assert "Veilig Thuis Regio" in household_mail.body and "noodtoegang" in household_mail.body
    assert f"https://samen.example.nl/huishoudens/{household.pk}/wie-mag-wat-zien/" in household_mail.body
    assert mails[coordinator.user.email].subject == "Noodtoegang tot Familie de Wit"
    for message in mailoutbox:
        # As little as needed: no reason, no employee name.
        assert REASON not in message.body and "Karel Geheimnaam" not in message.body
    access.refresh_from_db()
    assert access.notified_at is not None


def test_the_task_sends_once_and_releases_its_claim_when_sending_fails(household, mailoutbox):
    CitizenFactory(household=household)
    access = BreakTheGlassFactory(household=household)
    down = mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("down"))
    with down, pytest.raises(OSError):
        tasks.send_break_the_glass_notifications.call(access.pk)
    assert BreakTheGlass.objects.get(pk=access.pk).notified_at is None
    assert tasks.send_break_the_glass_notifications.call(access.pk) == 1
    assert tasks.send_break_the_glass_notifications.call(access.pk) == 0
    assert len(mailoutbox) == 1


def test_a_rolled_back_start_sends_nothing(household, mailoutbox, django_capture_on_commit_callbacks):
    CitizenFactory(household=household)
    outsider = MembershipFactory()
    # A reason that is too short: nothing is stored, so nothing is sent.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.break_the_glass_start(
            actor=actor_for_user(outsider.user),
            household=household,
            categories=["safety"],
            reason="kort",
            legal_ground="meldcode",
        )
    assert mailoutbox == []

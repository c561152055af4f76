import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samen.collaboration import services
from samen.collaboration.models import (
    Answer,
    OpenAnswer,
    Participation,
    PendingResponse,
    PulseRound,
    Response,
    RoundStatus,
)
from samen.collaboration.tests.conftest import answer_all
from samen.core.actor import SYSTEM
from samen.core.models import AuditEntry
from samen.organisations.actors import actor_for_user
from samen.reminders.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def test_a_round_is_scheduled_opened_with_invitations_and_closed(setting):
    facilitator = setting.actor(setting.facilitator)
    pulse_round = services.round_schedule(actor=facilitator, network=setting.network)
    assert pulse_round.number == 1 and pulse_round.status == RoundStatus.SCHEDULED
    assert pulse_round.closes_on - pulse_round.opens_on == datetime.timedelta(days=14)
    assert pulse_round.rotating_item == "resilience"
    services.round_open(actor=facilitator, pulse_round=pulse_round)
    pulse_round.refresh_from_db()
    assert pulse_round.status == RoundStatus.OPEN and pulse_round.invited == 16
    invited = set(Notification.objects.filter(kind=NotificationKind.PULSE_OPEN).values_list("recipient_id", flat=True))
    assert invited == {user.pk for user in setting.everyone}
    assert setting.outsider.pk not in invited
    services.round_close(actor=facilitator, pulse_round=pulse_round)
    pulse_round.refresh_from_db()
    assert pulse_round.status == RoundStatus.CLOSED
    second = services.round_schedule(actor=facilitator, network=setting.network)
    assert second.number == 2 and second.rotating_item == "ambition"
    assert second.opens_on == pulse_round.opens_on + datetime.timedelta(weeks=4)


def test_only_the_facilitator_runs_rounds(setting):
    from django.core.exceptions import PermissionDenied

    for user in (setting.everyone[0], setting.outsider):
        with pytest.raises(PermissionDenied):
            services.round_schedule(actor=actor_for_user(user), network=setting.network)
    pulse_round = services.round_schedule(actor=setting.actor(setting.facilitator), network=setting.network)
    with pytest.raises(PermissionDenied):
        services.round_open(actor=actor_for_user(setting.everyone[0]), pulse_round=pulse_round)


def test_one_round_open_at_a_time_and_dates_checked(setting):
    facilitator = setting.actor(setting.facilitator)
    setting.open_round()
    with pytest.raises(ValidationError):
        services.round_schedule(actor=facilitator, network=setting.network, opens_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.round_schedule(
            actor=facilitator, network=setting.network, opens_on=timezone.localdate() - datetime.timedelta(days=1)
        )
    later = services.round_schedule(actor=facilitator, network=setting.network)
    with pytest.raises(ValidationError, match="still open"):
        services.round_open(actor=facilitator, pulse_round=later)


def test_a_round_starts_within_a_year(setting):
    with pytest.raises(ValidationError, match="within a year"):
        services.round_schedule(
            actor=setting.actor(setting.facilitator), network=setting.network, opens_on=datetime.date(9999, 12, 31)
        )


@pytest.mark.parametrize("weeks", [1, 13, "x", None, True, 2.5])
def test_the_interval_is_2_to_12_weeks(setting, weeks):
    with pytest.raises(ValidationError):
        services.pulse_settings_set(
            actor=setting.actor(setting.facilitator), network=setting.network, interval_weeks=weeks
        )


def test_the_interval_sets_the_next_round(setting):
    facilitator = setting.actor(setting.facilitator)
    services.pulse_settings_set(actor=facilitator, network=setting.network, interval_weeks=2)
    first = services.round_schedule(actor=facilitator, network=setting.network)
    assert first.closes_on - first.opens_on == datetime.timedelta(days=13)


def test_answers_wait_until_a_batch_of_five_then_are_written_shuffled(setting, django_capture_on_commit_callbacks):
    pulse_round = setting.open_round()
    users = setting.everyone
    for index, user in enumerate(users[:4]):
        with django_capture_on_commit_callbacks(execute=True):
            services.pulse_answer(
                actor=actor_for_user(user), pulse_round=pulse_round, organisation_id=None, answers={"trust": 1 + index}
            )
    assert len(PendingResponse.objects.get().answers) == 4 and Response.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.pulse_answer(
            actor=actor_for_user(users[4]), pulse_round=pulse_round, organisation_id=None, answers={"trust": 7}
        )
    assert PendingResponse.objects.get().answers == []
    assert sorted(Answer.objects.values_list("value", flat=True)) == [1, 2, 3, 4, 7]
    assert Participation.objects.filter(round=pulse_round).count() == 5


def test_a_person_answers_once_and_only_an_open_round_of_their_network(setting):
    pulse_round = setting.open_round()
    user = setting.everyone[0]
    services.pulse_answer(
        actor=actor_for_user(user), pulse_round=pulse_round, organisation_id=None, answers={"trust": 5}
    )
    with pytest.raises(ValidationError, match="already answered"):
        services.pulse_answer(
            actor=actor_for_user(user), pulse_round=pulse_round, organisation_id=None, answers={"trust": 2}
        )
    from django.core.exceptions import PermissionDenied

    for other in (setting.outsider, setting.facilitator):
        with pytest.raises(PermissionDenied):
            services.pulse_answer(
                actor=actor_for_user(other), pulse_round=pulse_round, organisation_id=None, answers={"trust": 5}
            )
    services.round_close(actor=setting.actor(setting.facilitator), pulse_round=pulse_round)
    with pytest.raises(PermissionDenied):
        services.pulse_answer(
            actor=actor_for_user(setting.everyone[1]),
            pulse_round=pulse_round,
            organisation_id=None,
            answers={"trust": 5},
        )
    assert Participation.objects.count() == 1 and Answer.objects.count() == 1


@pytest.mark.parametrize(
    ("answers", "organisation", "text"),
    [
        ({"trust": 8}, None, ""),
        ({"trust": 0}, None, ""),
        ({"trust": "vijf"}, None, ""),
        ({"trust": True}, None, ""),
        ({"trust": "5.0"}, None, ""),
        ({"no_such_item": 5}, None, ""),
        ({"ambition": 5}, None, ""),  # not asked in round 1 (which asks resilience)
        ({}, None, ""),
        ({"trust": 5}, "999999", ""),
        ({"trust": 5}, "abc", ""),
        ({"trust": 5}, None, "x" * 1001),
        ("not a dict", None, ""),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(setting, answers, organisation, text):
    pulse_round = setting.open_round()
    with pytest.raises(ValidationError):
        services.pulse_answer(
            actor=actor_for_user(setting.everyone[0]),
            pulse_round=pulse_round,
            organisation_id=organisation,
            answers=answers,
            open_text=text,
        )
    assert not Participation.objects.exists() and not PendingResponse.objects.exclude(answers=[]).exists()


def test_an_organisation_of_another_network_is_refused(setting):
    from samen.organisations.tests.factories import OrganisationFactory

    pulse_round = setting.open_round()
    with pytest.raises(ValidationError):
        services.pulse_answer(
            actor=actor_for_user(setting.everyone[0]),
            pulse_round=pulse_round,
            organisation_id=OrganisationFactory().pk,
            answers={"trust": 5},
        )


def test_closing_writes_what_waits_and_clears_an_organisation_below_k(setting, django_capture_on_commit_callbacks):
    pulse_round = setting.open_round()
    with django_capture_on_commit_callbacks(execute=True):
        answer_all(setting, pulse_round, open_text="<script>alert(1)</script> meer overleg")
    services.round_close(actor=setting.actor(setting.facilitator), pulse_round=pulse_round)
    assert not PendingResponse.objects.exclude(answers=[]).exists()
    by_organisation = {}
    for organisation_id in Response.objects.values_list("organisation_id", flat=True):
        by_organisation[organisation_id] = by_organisation.get(organisation_id, 0) + 1
    a, b, c = setting.organisations
    # C had 4 respondents: its responses no longer say C.
    assert by_organisation == {a.pk: 6, b.pk: 6, None: 4}
    assert OpenAnswer.objects.count() == 16
    assert OpenAnswer.objects.first().text == "<script>alert(1)</script> meer overleg"


def test_the_audit_log_says_who_answered_never_what(setting):
    pulse_round = setting.open_round()
    user = setting.everyone[0]
    services.pulse_answer(
        actor=actor_for_user(user),
        pulse_round=pulse_round,
        organisation_id=setting.organisations[0].pk,
        answers={"trust": 3},
        open_text="geheime opmerking",
    )
    entries = list(AuditEntry.objects.filter(user_id=user.pk).values("description", "changes", "object_type"))
    assert entries and all("geheime" not in str(entry) for entry in entries)
    assert all('"trust"' not in str(entry["changes"]) and "3" not in str(entry["changes"]) for entry in entries)


def test_the_daily_run_opens_reminds_closes_and_schedules_once(setting):
    facilitator = setting.actor(setting.facilitator)
    today = timezone.localdate()
    pulse_round = services.round_schedule(actor=facilitator, network=setting.network, opens_on=today)
    assert services.run_schedule(today=today)["opened"] == 1
    assert services.run_schedule(today=today)["opened"] == 0
    services.pulse_answer(
        actor=actor_for_user(setting.everyone[0]), pulse_round=pulse_round, organisation_id=None, answers={"trust": 5}
    )
    remind_day = pulse_round.closes_on - datetime.timedelta(days=services.REMIND_DAYS_BEFORE_CLOSE)
    assert services.run_schedule(today=remind_day)["reminded"] == 15  # everyone but the one who answered
    assert services.run_schedule(today=remind_day)["reminded"] == 0
    after = pulse_round.closes_on + datetime.timedelta(days=1)
    done = services.run_schedule(today=after)
    assert done["closed"] == 1 and done["scheduled"] == 1
    assert services.run_schedule(today=after) == {"opened": 0, "reminded": 0, "closed": 0, "scheduled": 0, "prompts": 0}
    assert PulseRound.objects.get(network=setting.network, number=2).status == RoundStatus.SCHEDULED


def test_the_system_cannot_be_asked_to_answer(setting):
    from django.core.exceptions import PermissionDenied

    pulse_round = setting.open_round()
    with pytest.raises(PermissionDenied):
        services.pulse_answer(actor=SYSTEM, pulse_round=pulse_round, organisation_id=None, answers={"trust": 5})


def test_the_daily_command_and_task_run_the_schedule(setting):
    from io import StringIO

    from django.core.management import call_command

    from samen.collaboration.tasks import run_daily_pulse

    services.round_schedule(actor=setting.actor(setting.facilitator), network=setting.network)
    out = StringIO()
    call_command("run_pulse", stdout=out)
    assert "1 round(s) opened" in out.getvalue()
    assert run_daily_pulse.call() == {"opened": 0, "reminded": 0, "closed": 0, "scheduled": 0, "prompts": 0}

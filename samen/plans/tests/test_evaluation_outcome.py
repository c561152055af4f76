"""Writing down how an evaluation went: the page, the service, two people at once, bad input, who may not."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from samen.core.models import AuditEntry
from samen.core.testing import count_queries
from samen.organisations.actors import actor_for_user
from samen.plans import services
from samen.plans.models import EvaluationMoment
from samen.plans.tests.factories import EvaluationMomentFactory, PlanFactory
from samen.timeline.models import Entry, EventCode

pytestmark = pytest.mark.django_db


def _url(household, evaluation_id):
    return reverse("plans:record_outcome", args=[household.pk, evaluation_id])


@pytest.fixture
def evaluation(setting):
    return EvaluationMomentFactory(
        plan=PlanFactory(household=setting.household), date=timezone.localdate() - datetime.timedelta(days=1)
    )


def test_the_plan_says_an_evaluation_is_due_and_links_to_writing_the_outcome(setting, login, evaluation):
    page = login(setting.citizen).get(reverse("plans:plan", args=[setting.household.pk])).content.decode()
    assert "It is time to look back." in page
    assert _url(setting.household, evaluation.pk) in page
    informal_page = login(setting.informal).get(reverse("plans:plan", args=[setting.household.pk])).content.decode()
    assert "It is time to look back." in informal_page
    assert _url(setting.household, evaluation.pk) not in informal_page  # reads, does not write


def test_the_citizen_writes_the_outcome_and_the_timeline_tells(setting, login, evaluation):
    client = login(setting.citizen)
    url = _url(setting.household, evaluation.pk)
    page = client.get(url).content.decode()
    assert "Looking back on" in page and 'name="version" value="1"' in page
    response = client.post(url, {"outcome": "De post is op orde. Volgende keer kijken we naar werk.", "version": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan", args=[setting.household.pk])
    evaluation.refresh_from_db()
    assert evaluation.outcome.startswith("De post is op orde")
    assert (evaluation.evaluated_by, evaluation.version) == (setting.citizen, 2)
    assert evaluation.evaluated_at is not None
    event = Entry.objects.get(household=setting.household, event_code=EventCode.EVALUATION_RECORDED)
    assert event.category == "general" and event.event_params == {"date": evaluation.date.isoformat()}
    assert AuditEntry.objects.filter(object_type="plans.evaluationmoment", description="evaluation recorded").exists()
    plan_page = client.get(reverse("plans:plan", args=[setting.household.pk])).content.decode()
    assert "De post is op orde" in plan_page and "Change the outcome" in plan_page


def test_two_people_write_the_outcome_at_once_and_nothing_is_lost(setting, login, evaluation):
    url = _url(setting.household, evaluation.pk)
    fatima, kees = login(setting.citizen), login(setting.coordinator)
    assert fatima.get(url).status_code == 200 and kees.get(url).status_code == 200
    assert fatima.post(url, {"outcome": "Uitkomst van Fatima", "version": "1"}).status_code == 302
    response = kees.post(url, {"outcome": "Uitkomst van Kees", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "What you wrote" in page and "What is saved now" in page
    assert "Uitkomst van Fatima" in page and "Uitkomst van Kees" in page
    assert 'name="version" value="2"' in page
    evaluation.refresh_from_db()
    assert evaluation.outcome == "Uitkomst van Fatima"
    assert kees.post(url, {"outcome": "Uitkomst van Kees", "version": "2"}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.outcome == "Uitkomst van Kees"
    # One event, for the first time it was written down; a correction is in the audit log only.
    assert Entry.objects.filter(event_code=EventCode.EVALUATION_RECORDED).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome": "", "version": "1"}, "Please write something here."),
        ({"outcome": "   ", "version": "1"}, "Please write something here."),
        ({"outcome": "x" * 5001, "version": "1"}, "too long"),
        ({"outcome": "Goed gesprek", "version": "abc"}, "This page was out of date"),
        ({"outcome": "Goed\x00gesprek", "version": "1"}, "character"),
        ({"outcome": "Goed gesprek", "version": "99999999999"}, "This page was out of date"),
        ({"outcome": "Goed gesprek"}, "This page was out of date"),
    ],
)
def test_bad_input_keeps_what_was_typed_and_changes_nothing(setting, login, evaluation, data, message):
    response = login(setting.citizen).post(_url(setting.household, evaluation.pk), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    if data["outcome"] == "Goed gesprek":
        assert "Goed gesprek" in page
    evaluation.refresh_from_db()
    assert (evaluation.outcome, evaluation.version) == ("", 1)


def test_script_tags_are_stored_as_text_and_shown_escaped(setting, login, evaluation):
    client = login(setting.citizen)
    client.post(_url(setting.household, evaluation.pk), {"outcome": "<script>alert(1)</script>", "version": "1"})
    page = client.get(reverse("plans:plan", args=[setting.household.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("evaluation_id", ["abc", "0", "99999999", "-1", "1.5"])
def test_a_wrong_id_is_not_found(setting, login, evaluation, evaluation_id):
    assert login(setting.citizen).get(_url(setting.household, evaluation_id)).status_code == 404


def test_another_households_evaluation_is_not_found_and_not_changed(setting, login, evaluation):
    theirs = EvaluationMomentFactory(plan=PlanFactory(household=setting.other_household))
    client = login(setting.citizen)
    assert client.get(_url(setting.household, theirs.pk)).status_code == 404
    assert client.post(_url(setting.household, theirs.pk), {"outcome": "x", "version": "1"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.outcome == ""


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("informal", 403),  # may read the plan, may not write
        ("revoked", 404),  # consent withdrawn: the household is not there for them
        ("stranger", 404),  # another organisation, not in the team
        ("other_citizen", 404),
        ("emergency", 404),  # break the glass for safety only: no plan
    ],
)
def test_who_may_not_write_the_outcome(setting, login, evaluation, who, status):
    client = login(getattr(setting, who))
    assert client.get(_url(setting.household, evaluation.pk)).status_code == status
    assert client.post(_url(setting.household, evaluation.pk), {"outcome": "x", "version": "1"}).status_code == status
    evaluation.refresh_from_db()
    assert evaluation.outcome == ""


def test_anonymous_goes_to_the_login_page(setting, login, evaluation):
    for response in (
        login(None).get(_url(setting.household, evaluation.pk)),
        login(None).post(_url(setting.household, evaluation.pk), {"outcome": "x", "version": "1"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    evaluation.refresh_from_db()
    assert evaluation.outcome == ""


def test_the_service_checks_the_policy_and_the_database_needs_a_date_with_an_outcome(setting, evaluation):
    with pytest.raises(PermissionDenied):
        services.evaluation_record_outcome(
            actor=actor_for_user(setting.informal), evaluation=evaluation, outcome="x", expected_version=1
        )
    with pytest.raises(ValidationError):
        services.evaluation_record_outcome(
            actor=actor_for_user(setting.citizen), evaluation=evaluation, outcome="", expected_version=1
        )
    with pytest.raises(services.PlanConflict):
        services.evaluation_record_outcome(
            actor=actor_for_user(setting.citizen), evaluation=evaluation, outcome="x", expected_version=7
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EvaluationMoment.objects.filter(pk=evaluation.pk).update(outcome="Zonder datum")


def test_the_page_queries_do_not_grow_with_evaluations(setting, login, evaluation):
    client = login(setting.coordinator)
    url = _url(setting.household, evaluation.pk)
    client.get(url)
    few = count_queries(client.get, url)
    EvaluationMoment.objects.bulk_create(
        [EvaluationMoment(plan=evaluation.plan, date=timezone.localdate()) for _ in range(1000)]
    )
    assert count_queries(client.get, url) == few

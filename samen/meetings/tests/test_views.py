"""The meeting pages: what each person sees, the forms with good and bad input (a clear message, what was typed
kept, nothing written), 404 for missing and forbidden alike, one access entry per page, and query counts that do not
grow with the number of meetings or outcomes."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from samen.consent.models import DataCategory
from samen.core.models import AuditAction, AuditEntry
from samen.core.testing import count_queries
from samen.households.models import TeamMember
from samen.meetings.models import AgendaItem, AgendaKind, AppliedAs, Meeting, MeetingStatus, Outcome
from samen.meetings.tests.factories import AgendaItemFactory, MeetingFactory, OutcomeFactory, ParticipantFactory
from samen.plans.models import Action, Agreement, Goal, ZrmDomain
from samen.plans.tests.factories import GoalFactory, PlanFactory

pytestmark = pytest.mark.django_db
G = DataCategory


def _url(name: str, *args) -> str:
    return reverse(f"meetings:{name}", args=args)


def _reads(household) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(household_id=household.pk, action=AuditAction.READ))


def _form(setting, **overrides) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "title": "Keukentafelgesprek",
        "date": day.isoformat(),
        "time": "14:30",
        "duration": "60",
        "place": "Bij de familie thuis",
        "video_url": "",
        "guests": "",
        "questions": "",
    }
    data.update(overrides)
    return data


def _team(setting, user) -> TeamMember:
    return TeamMember.objects.get(household=setting.household, user=user, left_at__isnull=True)


# --- the list ------------------------------------------------------------------------------------------------------


def test_the_list_shows_planned_held_and_cancelled_meetings_newest_first(setting, login):
    household = setting.household
    soon = MeetingFactory(household=household, title="Overleg over het huis")
    later = MeetingFactory(
        household=household, title="Tweede overleg", starts_at=soon.starts_at + datetime.timedelta(days=7)
    )
    held = MeetingFactory(
        household=household, title="Eerste overleg", held=True, starts_at=timezone.now() - datetime.timedelta(days=3)
    )
    OutcomeFactory(meeting=held)
    MeetingFactory(household=household, title="Afgezegd overleg", cancelled=True)
    MeetingFactory(household=setting.other_household, title="Niet van ons")
    html = login(setting.citizen).get(_url("list", household.pk)).content.decode()
    assert html.index("Tweede overleg") < html.index("Overleg over het huis") < html.index("Eerste overleg")
    assert "Afgezegd overleg" in html and "Niet van ons" not in html
    assert "1 outcome written down" in html
    assert later.title in html
    assert _url("plan", household.pk) in html  # the citizen may plan one too
    (entry,) = _reads(household)
    assert entry.data_category == "general" and entry.description == "meetings"


def test_the_informal_network_reads_the_list_without_planning(setting, login):
    MeetingFactory(household=setting.household, title="Keukentafel")
    response = login(setting.informal).get(_url("list", setting.household.pk))
    assert response.status_code == 200 and "Keukentafel" in response.content.decode()
    assert _url("plan", setting.household.pk) not in response.content.decode()


@pytest.mark.parametrize("who", ["stranger", "revoked", "emergency", "other_citizen", "informal_without_grant"])
def test_who_may_not_see_the_household_gets_not_found_and_no_entry(setting, login, who):
    meeting = MeetingFactory(household=setting.household)
    for url in (_url("list", setting.household.pk), _url("detail", setting.household.pk, meeting.pk)):
        assert login(getattr(setting, who)).get(url).status_code == 404
    assert _reads(setting.household) == []


def test_anonymous_is_sent_to_the_login(setting, login):
    response = login(None).get(_url("list", setting.household.pk))
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


@pytest.mark.parametrize("meeting_id", ["0", "abc", "99999999", "-1", "1e3"])
def test_a_meeting_id_that_is_not_one_is_not_found(setting, login, meeting_id):
    assert login(setting.citizen).get(_url("detail", setting.household.pk, meeting_id)).status_code == 404


def test_another_households_meeting_is_not_found(setting, login):
    theirs = MeetingFactory(household=setting.other_household)
    client = login(setting.coordinator)
    for name in ("detail", "edit", "hold", "cancel", "ics"):
        assert client.get(_url(name, setting.household.pk, theirs.pk)).status_code == 404
    outcome = OutcomeFactory(meeting=MeetingFactory(household=setting.other_household, held=True))
    assert client.get(_url("to_action", setting.household.pk, outcome.pk)).status_code == 404
    assert client.post(_url("to_agreement", setting.household.pk, outcome.pk), {"confirm": "yes"}).status_code == 404
    assert not Agreement.objects.exists()


# --- one meeting ---------------------------------------------------------------------------------------------------


def test_the_meeting_page_shows_when_where_who_and_the_agenda_within_consent(setting, login):
    meeting = MeetingFactory(
        household=setting.household, place="Buurthuis De Linde", video_url="https://meet.example.test/overleg"
    )
    ParticipantFactory(meeting=meeting, name="Ans de Buurvrouw", role="buurvrouw")
    AgendaItemFactory(meeting=meeting, position=1, text="Hoe gaat het met de post?")
    AgendaItemFactory(meeting=meeting, position=2, text="Over de gezondheid van oma", category=G.HEALTH)
    html = login(setting.coordinator).get(_url("detail", setting.household.pk, meeting.pk)).content.decode()
    assert "Buurthuis De Linde" in html and 'href="https://meet.example.test/overleg"' in html
    assert "Ans de Buurvrouw" in html and "buurvrouw" in html
    assert "Hoe gaat het met de post?" in html
    assert "Over de gezondheid van oma" not in html  # the coordinator has no consent for health
    assert _url("ics", setting.household.pk, meeting.pk) in html
    assert _url("hold", setting.household.pk, meeting.pk) in html
    (entry,) = _reads(setting.household)
    assert entry.data_category == "general" and entry.description == "meeting"
    citizen_html = login(setting.citizen).get(_url("detail", setting.household.pk, meeting.pk)).content.decode()
    assert "Over de gezondheid van oma" in citizen_html


def test_script_in_what_was_typed_is_shown_as_text(setting, login):
    meeting = MeetingFactory(household=setting.household, held=True)
    OutcomeFactory(meeting=meeting, text="<script>alert(1)</script>")
    html = login(setting.citizen).get(_url("detail", setting.household.pk, meeting.pk)).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_outcomes_of_a_held_meeting_with_a_button_for_each_change(setting, login):
    meeting = MeetingFactory(household=setting.household, held=True)
    general = OutcomeFactory(meeting=meeting, text="Sanne belt de woningcorporatie")
    OutcomeFactory(meeting=meeting, text="Over de schulden", category=G.FINANCES)
    household = setting.household
    coordinator = login(setting.coordinator).get(_url("detail", household.pk, meeting.pk)).content.decode()
    assert "Sanne belt de woningcorporatie" in coordinator and "Over de schulden" not in coordinator
    for name in ("to_action", "to_goal", "to_agreement", "to_coordinator"):
        assert _url(name, household.pk, general.pk) in coordinator
    citizen = login(setting.citizen).get(_url("detail", household.pk, meeting.pk)).content.decode()
    assert "Over de schulden" in citizen  # the household sees every outcome
    assert _url("to_coordinator", household.pk, general.pk) not in citizen
    assert _url("to_action", household.pk, general.pk) in citizen
    informal = login(setting.informal).get(_url("detail", household.pk, meeting.pk)).content.decode()
    assert "Sanne belt de woningcorporatie" in informal and _url("to_action", household.pk, general.pk) not in informal
    assert _url("hold", household.pk, meeting.pk) not in citizen  # held already


def test_the_ics_download_is_the_meeting_and_is_logged(setting, login):
    meeting = MeetingFactory(household=setting.household)
    response = login(setting.informal).get(_url("ics", setting.household.pk, meeting.pk))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith('attachment; filename="overleg-')
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["uid"]) == meeting.uid
    (entry,) = _reads(setting.household)
    assert entry.description == "meeting calendar file"


# --- planning ------------------------------------------------------------------------------------------------------


def test_the_plan_form_offers_the_household_the_team_and_the_due_evaluations(setting, login):
    from samen.plans.tests.factories import EvaluationMomentFactory

    plan = PlanFactory(household=setting.household)
    EvaluationMomentFactory(plan=plan, date=timezone.localdate() - datetime.timedelta(days=2))
    EvaluationMomentFactory(plan=plan, date=timezone.localdate() + datetime.timedelta(days=40))
    html = login(setting.coordinator).get(_url("plan", setting.household.pk)).content.decode()
    assert "Fatima Bakker" in html and "Sanne de Vries" in html and "Kees Regisseur" in html
    assert "(overdue)" in html and html.count('name="evaluations"') == 1


def test_planning_a_meeting(setting, login):
    fatima = setting.household.members.get(user=setting.citizen)
    data = _form(
        setting,
        participants=[f"member:{fatima.pk}", f"team:{_team(setting, setting.professional).pk}"],
        guests="Ans de Buurvrouw, buurvrouw",
        questions="Hoe gaat het met de post?",
    )
    response = login(setting.coordinator).post(_url("plan", setting.household.pk), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == _url("detail", setting.household.pk, meeting.pk)
    assert timezone.localtime(meeting.starts_at).strftime("%H:%M") == "14:30"
    assert meeting.participants.count() == 3
    assert list(meeting.agenda.values_list("kind", "text")) == [(AgendaKind.QUESTION, "Hoe gaat het met de post?")]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Give the meeting a title"),
        ({"title": "x" * 121}, "This is too long"),
        ({"title": "<script>alert(1)</script>"}, "the signs &lt; and &gt; are not allowed"),
        ({"date": ""}, "Enter a date."),
        ({"date": "gisteren"}, "Enter a date, for example"),
        ({"date": "2020-01-01"}, "This moment has passed."),
        ({"time": "25:00"}, "Enter a time, for example 14:30."),
        ({"duration": "7"}, "Choose how long the meeting takes from the list."),
        ({"place": "", "video_url": ""}, "Fill in a place, a video link or both."),
        ({"video_url": "http://meet.example.test/x"}, "Enter a link that starts with https://."),
        ({"video_url": "javascript:alert(1)"}, "Enter a link that starts with https://."),
        ({"participants": ["member:99999"]}, "Choose people from the list."),
        ({"evaluations": ["99999"]}, "Choose evaluation moments from the list."),
        ({"guests": "<b>Ans</b>"}, "the signs &lt; and &gt; are not allowed"),
    ],
)
def test_bad_input_gets_a_message_keeps_what_was_typed_and_plans_nothing(setting, login, overrides, message):
    data = _form(setting, questions="Mijn vraag blijft staan", **overrides)
    response = login(setting.coordinator).post(_url("plan", setting.household.pk), data)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert "Mijn vraag blijft staan" in html
    assert not Meeting.objects.exists()


def test_the_informal_network_and_the_supporter_may_not_open_the_plan_form(setting, login):
    for who in ("informal", "supporter"):
        assert login(getattr(setting, who)).get(_url("plan", setting.household.pk)).status_code == 403
        assert login(getattr(setting, who)).post(_url("plan", setting.household.pk), _form(setting)).status_code == 403
    assert not Meeting.objects.exists()


# --- changing, holding, cancelling ------------------------------------------------------------------------------------


def test_changing_a_meeting_and_a_stale_version_keeps_what_was_typed(setting, login):
    meeting = MeetingFactory(household=setting.household)
    client = login(setting.citizen)
    page = client.get(_url("edit", setting.household.pk, meeting.pk)).content.decode()
    assert 'value="Keukentafelgesprek"' in page and 'name="version" value="1"' in page
    stale = _form(setting, title="Later overleg", version="1")
    Meeting.objects.filter(pk=meeting.pk).update(version=2)  # someone else saved in between
    response = client.post(_url("edit", setting.household.pk, meeting.pk), stale)
    assert response.status_code == 200 and "Someone else saved first" in response.content.decode()
    assert 'value="Later overleg"' in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Keukentafelgesprek"
    again = client.post(
        _url("edit", setting.household.pk, meeting.pk), _form(setting, title="Later overleg", version="2")
    )
    assert again.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Later overleg" and meeting.version == 3 and meeting.sequence == 1


@pytest.mark.parametrize("version", ["", "abc", "0", "-1"])
def test_a_broken_version_gets_a_message(setting, login, version):
    meeting = MeetingFactory(household=setting.household)
    response = login(setting.citizen).post(
        _url("edit", setting.household.pk, meeting.pk), _form(setting, title="Anders", version=version)
    )
    assert response.status_code == 200 and "This page was out of date." in response.content.decode()


def test_holding_adds_lines_without_losing_what_was_typed_then_saves(setting, login):
    meeting = MeetingFactory(household=setting.household)
    url = _url("hold", setting.household.pk, meeting.pk)
    client = login(setting.coordinator)
    first = client.get(url).content.decode()
    assert first.count('name="outcome-') == 3
    typed = {
        "version": "1",
        "lines": "3",
        "outcome-0": "Sanne belt de woningcorporatie",
        "category-0": "general",
        "outcome-1": "",
        "outcome-2": "",
        "more": "1",
    }
    more = client.post(url, typed)
    html = more.content.decode()
    assert more.status_code == 200 and html.count('name="outcome-') == 4 and "Sanne belt de woningcorporatie" in html
    assert not Outcome.objects.exists()
    saved = client.post(url, {**typed, "lines": "4", "outcome-3": "Fatima zoekt de loonstroken op", "more": ""} | {})
    saved = client.post(
        url,
        {
            "version": "1",
            "lines": "4",
            "outcome-0": "Sanne belt de woningcorporatie",
            "category-0": "general",
            "outcome-3": "Fatima zoekt de loonstroken op",
            "category-3": "general",
        },
    )
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert list(meeting.outcomes.values_list("text", flat=True)) == [
        "Sanne belt de woningcorporatie",
        "Fatima zoekt de loonstroken op",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"outcome-0": ""}, "Write down at least one thing that was agreed."),
        (
            {"outcome-0": "Over de gezondheid", "category-0": "health"},
            "You cannot write about this kind of information.",
        ),
        ({"outcome-0": "x" * 1001}, "This is too long"),
        ({"outcome-0": "Iets", "lines": "abc"}, None),
    ],
)
def test_bad_outcomes_get_a_message(setting, login, data, message):
    meeting = MeetingFactory(household=setting.household)
    response = login(setting.coordinator).post(
        _url("hold", setting.household.pk, meeting.pk), {"version": "1", "lines": "3", **data}
    )
    if message is None:  # a tampered line count: the page falls back to three lines and saves what is there
        assert response.status_code == 302
        return
    assert response.status_code == 200 and message in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_cancelling_needs_the_confirmation_page(setting, login):
    meeting = MeetingFactory(household=setting.household)
    url = _url("cancel", setting.household.pk, meeting.pk)
    client = login(setting.professional)
    page = client.get(url)
    assert page.status_code == 200 and "Cancel the meeting?" in page.content.decode()
    stale = client.post(url, {"version": "5"})
    assert stale.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert client.post(url, {"version": "1"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    follow = client.get(url, follow=True)
    assert "Only a planned meeting can be cancelled." in follow.content.decode()


# --- an outcome becomes a change in the plan -----------------------------------------------------------------------


@pytest.fixture
def held(setting):
    plan = PlanFactory(household=setting.household)
    goal = GoalFactory(plan=plan, text="Een huis zonder schimmel", category=G.GENERAL)
    meeting = MeetingFactory(household=setting.household, held=True)
    outcome = OutcomeFactory(meeting=meeting, text="Sanne belt de woningcorporatie")
    return meeting, outcome, goal


def test_an_outcome_becomes_an_action_with_an_owner_from_a_small_form(setting, login, held):
    meeting, outcome, goal = held
    url = _url("to_action", setting.household.pk, outcome.pk)
    client = login(setting.coordinator)
    page = client.get(url).content.decode()
    assert "Een huis zonder schimmel" in page and "Sanne de Vries" in page
    sanne = _team(setting, setting.professional)
    missing = client.post(url, {"goal": str(goal.pk), "owner": ""})
    assert missing.status_code == 200 and "Choose who does this." in missing.content.decode()
    response = client.post(url, {"goal": str(goal.pk), "owner": f"team:{sanne.pk}", "due_date": ""})
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert outcome.applied_as == AppliedAs.ACTION and outcome.applied_action.owner_team_member == sanne
    detail = client.get(_url("detail", setting.household.pk, meeting.pk)).content.decode()
    assert f"/huishoudens/{setting.household.pk}/plan/#goal-{goal.pk}" in detail
    assert "It is an action in the plan, for Sanne de Vries." in detail
    twice = client.post(url, {"goal": str(goal.pk), "owner": f"team:{sanne.pk}"}, follow=True)
    assert "This outcome is in the plan already." in twice.content.decode()
    assert Action.objects.count() == 1


def test_an_outcome_becomes_a_goal_or_an_agreement(setting, login, held):
    meeting, outcome, _goal = held
    second = OutcomeFactory(meeting=meeting, text="We spreken elke maandag af")
    client = login(setting.citizen)
    bad = client.post(_url("to_goal", setting.household.pk, outcome.pk), {"domain": "nonsense"})
    assert bad.status_code == 200 and "Choose a life domain from the list." in bad.content.decode()
    assert (
        client.post(_url("to_goal", setting.household.pk, outcome.pk), {"domain": ZrmDomain.HOUSING}).status_code == 302
    )
    assert Goal.objects.filter(text=outcome.text, category=G.GENERAL).exists()
    not_confirmed = client.post(_url("to_agreement", setting.household.pk, second.pk), {})
    assert not_confirmed.status_code == 302 and not Agreement.objects.exists()
    client.post(_url("to_agreement", setting.household.pk, second.pk), {"confirm": "yes"})
    assert Agreement.objects.get().text == "We spreken elke maandag af"
    again = client.post(_url("to_agreement", setting.household.pk, second.pk), {"confirm": "yes"}, follow=True)
    assert "This outcome is in the plan already." in again.content.decode() and Agreement.objects.count() == 1


def test_the_coordinator_hands_over_from_an_outcome(setting, login, held):
    meeting, outcome, _goal = held
    sanne = _team(setting, setting.professional)
    url = _url("to_coordinator", setting.household.pk, outcome.pk)
    assert login(setting.citizen).get(url).status_code == 403
    client = login(setting.coordinator)
    assert client.post(url, {"to_member": "99999"}).status_code == 200
    assert client.post(url, {"to_member": str(sanne.pk)}).status_code == 302
    sanne.refresh_from_db()
    assert sanne.is_coordinator


def test_an_outcome_the_reader_may_not_see_is_not_found(setting, login, held):
    meeting, _outcome, _goal = held
    about_health = OutcomeFactory(meeting=meeting, category=G.HEALTH)
    client = login(setting.coordinator)
    assert client.get(_url("to_goal", setting.household.pk, about_health.pk)).status_code == 404
    assert (
        client.post(_url("to_agreement", setting.household.pk, about_health.pk), {"confirm": "yes"}).status_code == 404
    )


def test_a_finances_outcome_offers_only_finances_goals(setting, login, held):
    meeting, _outcome, general_goal = held
    money_goal = GoalFactory(plan=general_goal.plan, text="Grip op het geld", category=G.FINANCES)
    about_money = OutcomeFactory(meeting=meeting, category=G.FINANCES)
    page = login(setting.professional).get(_url("to_action", setting.household.pk, about_money.pk)).content.decode()
    assert money_goal.text in page and general_goal.text not in page
    response = login(setting.professional).post(
        _url("to_action", setting.household.pk, about_money.pk),
        {"goal": str(general_goal.pk), "owner": f"team:{_team(setting, setting.professional).pk}"},
    )
    assert response.status_code == 200 and not Action.objects.exists()  # not a choice: refused


# --- query counts -----------------------------------------------------------------------------------------------------


def _meetings(household, count: int) -> None:
    for number in range(count):
        meeting = MeetingFactory(household=household, title=f"Overleg {number}")
        ParticipantFactory(meeting=meeting)
        ParticipantFactory(meeting=meeting)


def test_the_list_queries_do_not_grow_with_meetings(setting, login):
    client = login(setting.coordinator)
    url = _url("list", setting.household.pk)
    _meetings(setting.household, 2)
    client.get(url)  # warm the session
    small = count_queries(client.get, url)
    _meetings(setting.household, 98)
    large = count_queries(client.get, url)
    assert small == large


def _outcomes(meeting, count: int, start: int) -> None:
    plan = PlanFactory(household=meeting.household) if not meeting.household.plans.exists() else None
    for number in range(start, start + count):
        OutcomeFactory(meeting=meeting, position=number + 1)
        AgendaItemFactory(meeting=meeting, position=number + 1)
    if plan is not None:
        goal = GoalFactory(plan=plan)
        for outcome in Outcome.objects.filter(meeting=meeting)[:2]:
            action = Action.objects.create(goal=goal, text=outcome.text, owner_member=meeting.household.members.first())
            Outcome.objects.filter(pk=outcome.pk).update(
                applied_as=AppliedAs.ACTION, applied_action=action, applied_at=timezone.now()
            )


def test_the_meeting_page_queries_do_not_grow_with_outcomes(setting, login):
    meeting = MeetingFactory(household=setting.household, held=True)
    client = login(setting.coordinator)
    url = _url("detail", setting.household.pk, meeting.pk)
    _outcomes(meeting, 5, 0)
    client.get(url)
    small = count_queries(client.get, url)
    _outcomes(meeting, 195, 5)
    large = count_queries(client.get, url)
    assert small == large
    assert AgendaItem.objects.filter(meeting=meeting).count() == 200


def test_open_signals_are_offered_for_the_agenda_and_shown_on_it(setting, login):
    from samen.conversations.models import SignalKind
    from samen.conversations.tests.factories import SignalFactory

    signal = SignalFactory(household=setting.household, kind=SignalKind.UNDERSTANDING)
    hidden = SignalFactory(household=setting.household, kind=SignalKind.SAFETY, category=G.SAFETY)
    client = login(setting.coordinator)
    form = client.get(_url("plan", setting.household.pk)).content.decode()
    # The pks are small numbers: name the field, so "30 minutes" in the duration list cannot match.
    assert f'name="signals" value="{signal.pk}"' in form
    assert f'name="signals" value="{hidden.pk}"' not in form
    response = client.post(_url("plan", setting.household.pk), _form(setting, signals=[str(signal.pk)]))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    html = client.get(_url("detail", setting.household.pk, meeting.pk)).content.decode()
    assert "We do not understand each other" in html

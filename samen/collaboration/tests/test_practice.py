"""Paper and practice (P1-P8, the gap index): each indicator on crafted case data, computed by hand here; k on every
count; a day in the past counted as it was; a fixed number of queries whatever the number of households; the page,
its CSV, R6 on a rising index, and the index stored when a round closes."""

from __future__ import annotations

import csv
import datetime
import io
import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samen.collaboration import practice, prompts, services
from samen.collaboration.models import LearningEntry, PulseRound
from samen.collaboration.practice import PaperPractice, Window
from samen.collaboration.tests.conftest import answer_all, build_setting
from samen.conversations.tests.factories import MessageFactory, ThreadFactory
from samen.core.actor import Role
from samen.households.tests.factories import HouseholdFactory, TeamMemberFactory
from samen.meetings.models import MeetingParticipant
from samen.meetings.tests.factories import MeetingFactory
from samen.organisations.tests.factories import NetworkFactory, OrganisationFactory
from samen.plans.tests.factories import ActionFactory, GoalFactory, PlanFactory
from samen.referrals.models import ReferralStatus
from samen.referrals.tests.factories import ReferralFactory, ReferralStatusChangeFactory
from samen.timeline.models import Entry, EntryKind, EventCode

AS_OF = datetime.date(2026, 6, 30)  # a Tuesday; no Dutch public holiday in June 2026


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def days_before(days: int, day: datetime.date = AS_OF) -> datetime.datetime:
    return at(day - datetime.timedelta(days=days))


@pytest.fixture
def net(db):
    a, b, outside = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    network = NetworkFactory(organisations=[a, b])
    network.created_at = days_before(400)
    network.save(update_fields=["created_at"])
    return network, a, b, outside


def household(*organisations, joined: int = 200, left: int | None = None):
    """A household with one professional per organisation (the first the coordinator), on the team from ``joined``
    days before AS_OF (until ``left`` days before, if given)."""
    home = HouseholdFactory()
    members = []
    for index, organisation in enumerate(organisations):
        member = TeamMemberFactory(household=home, organisation=organisation, coordinator=index == 0)
        member.joined_at = days_before(joined)
        member.left_at = days_before(left) if left is not None else None
        member.save(update_fields=["joined_at", "left_at"])
        members.append(member)
    return home, members


def entry(home, *, kind=EntryKind.NOTE, days: int = 10, by=None, organisation=None, **extra) -> Entry:
    return Entry.objects.create(
        household=home,
        kind=kind,
        category="general",
        text="Gesproken over de post.",
        written_by=by,
        organisation=organisation,
        author_role=Role.PROFESSIONAL,
        created_at=days_before(days),
        **extra,
    )


def compute(network, **kwargs) -> PaperPractice:
    options = {"p2_target": 0.8, "p4_norm": 5, "paper_favourable": None, "paper_n": 0}
    options.update(kwargs)
    return practice.paper_practice(network, AS_OF, **options)


# --- which households -------------------------------------------------------------------------------------------


def test_a_household_is_the_network_s_while_someone_of_its_organisations_is_on_the_team(net):
    network, a, b, outside = net
    inside, _ = household(a)
    left_before, _ = household(b, left=100)
    joined_after, _ = household(a, joined=-5)
    elsewhere, _ = household(outside)
    found = set(practice.network_households(network, Window(AS_OF)))
    assert found == {inside}
    # A hundred and fifty days earlier, the one that has left since was still on it.
    earlier = set(practice.network_households(network, Window(AS_OF - datetime.timedelta(days=150))))
    assert earlier == {inside, left_before}
    assert joined_after not in earlier and elsewhere not in earlier


# --- P1 one plan ------------------------------------------------------------------------------------------------


def test_p1_counts_households_of_two_organisations_whose_plan_was_updated_in_90_days(net):
    network, a, b, outside = net
    fresh = [household(a, b)[0] for _ in range(4)]
    for home in fresh:
        PlanFactory(household=home, updated_at=days_before(10))
    by_event, _ = household(a, outside)
    PlanFactory(household=by_event, updated_at=days_before(120))
    entry(by_event, kind=EntryKind.EVENT, days=20, event_code=EventCode.GOAL_ADDED)
    stale, _ = household(b, a)
    PlanFactory(household=stale, updated_at=days_before(120))
    no_plan, _ = household(a, b)
    single, _ = household(a)  # one organisation: not counted
    PlanFactory(household=single, updated_at=days_before(200))
    p1 = compute(network).indicators["P1"]
    assert p1.n == 7
    assert p1.value == pytest.approx(5 / 7)
    assert p1.gap == pytest.approx(2 / 7)


def test_an_indicator_that_counts_fewer_than_k_is_not_shown_and_not_in_the_index(net):
    network, a, b, _outside = net
    for _ in range(4):
        PlanFactory(household=household(a, b)[0], updated_at=days_before(10))
    figures = compute(network)
    p1 = figures.indicators["P1"]
    assert (p1.n, p1.value, p1.gap, p1.shown) == (4, None, None, False)
    assert "P1" not in {code for code, indicator in figures.indicators.items() if indicator.gap is not None}


# --- P2 actions by their date -----------------------------------------------------------------------------------


def test_p2_counts_actions_done_by_their_date_or_moved_with_a_reason(net):
    network, a, b, _outside = net
    home, _ = household(a, b)
    goal = GoalFactory(plan=PlanFactory(household=home))
    due = AS_OF - datetime.timedelta(days=20)
    created = days_before(100)
    ActionFactory(goal=goal, due_date=due, done=True, done_at=at(due - datetime.timedelta(days=2)), created_at=created)
    ActionFactory(goal=goal, due_date=due, done=True, done_at=at(due + datetime.timedelta(days=3)), created_at=created)
    ActionFactory(goal=goal, due_date=due, created_at=created)  # open and late
    ActionFactory(goal=goal, due_date=due, created_at=created)  # open and late
    ActionFactory(
        goal=goal,
        due_date=AS_OF + datetime.timedelta(days=30),
        replanned_from=due,
        replanned_at=days_before(25),
        replanned_reason="De afspraak bij de bank is later.",
        created_at=created,
    )
    ActionFactory(goal=goal, due_date=AS_OF + datetime.timedelta(days=5), created_at=created)  # not due yet
    ActionFactory(goal=goal, due_date=AS_OF - datetime.timedelta(days=100), created_at=created)  # before the window
    p2 = compute(network, p2_target=0.8).indicators["P2"]
    assert p2.n == 5
    assert p2.value == pytest.approx(2 / 5)
    assert p2.gap == pytest.approx((0.8 - 0.4) / 0.8)
    assert p2.target == 0.8


# --- P3 coordinator in touch ------------------------------------------------------------------------------------


def test_p3_counts_households_whose_coordinator_wrote_noted_or_met_in_30_days(net):
    network, a, b, _outside = net
    by_message, (coordinator, _other) = household(a, b)
    MessageFactory(thread=ThreadFactory(household=by_message), author=coordinator.user, created_at=days_before(10))
    by_note, (coordinator, _other) = household(a, b)
    entry(by_note, by=coordinator.user, organisation=a, days=29)
    by_meeting, (coordinator, _other) = household(b, a)
    meeting = MeetingFactory(household=by_meeting, held=True, starts_at=days_before(3))
    MeetingParticipant.objects.create(meeting=meeting, user=coordinator.user, team_member=coordinator, name="Coach")
    someone_else, (_coordinator, other) = household(a, b)
    MessageFactory(thread=ThreadFactory(household=someone_else), author=other.user, created_at=days_before(2))
    too_long_ago, (coordinator, _other) = household(a, b)
    MessageFactory(thread=ThreadFactory(household=too_long_ago), author=coordinator.user, created_at=days_before(31))
    p3 = compute(network).indicators["P3"]
    assert (p3.n, p3.value) == (5, pytest.approx(3 / 5))
    assert p3.gap == pytest.approx(2 / 5)


# --- P4 time to answer a referral -------------------------------------------------------------------------------


def test_p4_is_the_median_in_working_days_with_the_waiting_ones_counting_their_days_so_far(net):
    network, a, _b, outside = net

    def referral(requested: datetime.date, status, **stamps):
        moments = {name: at(day) for name, day in stamps.items()}
        return ReferralFactory(
            household=household(a)[0], from_organisation=a, to_organisation=outside, status=status,
            requested_at=at(requested), created_at=at(requested, 9), changed_at=max([at(requested), *moments.values()]),
            **moments,
        )  # fmt: skip

    d = datetime.date
    referral(d(2026, 6, 1), ReferralStatus.ACCEPTED, accepted_at=d(2026, 6, 3))  # Mon -> Wed: 2
    referral(d(2026, 6, 8), ReferralStatus.ACCEPTED, accepted_at=d(2026, 6, 15))  # Mon -> Mon: 5
    referral(d(2026, 6, 12), ReferralStatus.IN_PROGRESS, accepted_at=d(2026, 6, 15), started_at=d(2026, 6, 16))  # 1
    referral(d(2026, 6, 10), ReferralStatus.ACCEPTED, accepted_at=d(2026, 6, 19))  # Wed -> Fri next week: 7
    referral(d(2026, 6, 22), ReferralStatus.REQUESTED)  # still waiting on Tuesday 30 June: 6
    referral(d(2026, 6, 2), ReferralStatus.REJECTED, rejected_at=d(2026, 6, 4))  # left out
    referral(d(2026, 2, 2), ReferralStatus.ACCEPTED, accepted_at=d(2026, 3, 30))  # before the window
    p4 = compute(network, p4_norm=4).indicators["P4"]
    assert p4.n == 5
    assert p4.value == statistics.median([2, 5, 1, 7, 6]) == 5
    assert p4.gap == pytest.approx((5 - 4) / 4)


# --- P5 partners who do not act ---------------------------------------------------------------------------------


def test_p5_is_the_share_of_organisations_on_teams_that_did_nothing_in_90_days(net):
    network, a, b, outside = net
    homes = [household(a, b)[0] for _ in range(4)] + [household(a, outside)[0]]
    # 10 places; acted: A in every household (a note), B in two (a message, a referral step), outside in none.
    for home in homes:
        entry(home, organisation=a, days=30)
    MessageFactory(thread=ThreadFactory(household=homes[0]), organisation=b, created_at=days_before(5))
    ReferralStatusChangeFactory(referral=ReferralFactory(household=homes[1]), organisation=b, changed_at=days_before(7))
    entry(homes[2], organisation=b, days=95)  # too long ago
    p5 = compute(network).indicators["P5"]
    assert p5.n == 10
    assert p5.value == pytest.approx(1 - 7 / 10)
    assert p5.gap == pytest.approx(0.3)


# --- P6 documents for each conversation -------------------------------------------------------------------------


def _document(home, days):
    return entry(home, kind=EntryKind.DOCUMENT, days=days, stored_name="x" * 32, content_type="application/pdf")


def _thread(home):
    return ThreadFactory(household=home, kind="professionals", topic="Afstemming", reason="De planning")


def _joint_thread(home, a, b, days):
    thread = _thread(home)
    MessageFactory(thread=thread, organisation=a, created_at=days_before(days))
    MessageFactory(thread=thread, organisation=b, created_at=days_before(days))


def test_p6_compares_documents_per_joint_conversation_with_the_first_three_months(net):
    network, a, b, _outside = net
    home, _ = household(a, b, joined=399)
    # The first three months (the network is 400 days old): 2 documents, 2 joint conversations -> 1.0.
    for days in (390, 380):
        _document(home, days)
        _joint_thread(home, a, b, days)
    # The last 90 days: 6 documents, one joint conversation, one learning entry, one thread of one organisation.
    for days in (10, 20, 30, 40, 50, 60):
        _document(home, days)
    _joint_thread(home, a, b, 15)
    MessageFactory(thread=_thread(home), organisation=a, created_at=days_before(15))
    LearningEntry.objects.create(
        network=network, title="Na de afgewezen verwijzing", happened_on=AS_OF - datetime.timedelta(days=12),
        trigger="self", entry_type="incident", intended="x", happened="y",
    )  # fmt: skip
    p6 = compute(network).indicators["P6"]
    assert (p6.value, p6.baseline, p6.n) == (3.0, 1.0, 8)
    assert p6.gap == 1.0  # 0.5 x 3 / 1, clipped


def test_p6_at_the_baseline_is_half_a_gap(net):
    network, a, b, _outside = net
    home, _ = household(a, b)
    for days in (10, 20, 30):
        _document(home, days)
        _joint_thread(home, a, b, days)
    network.created_at = days_before(30)
    p6 = compute(network).indicators["P6"]
    assert (p6.value, p6.baseline, p6.gap) == (1.0, 1.0, 0.5)


# --- P7, P8 and the index ---------------------------------------------------------------------------------------


def test_p7_counts_households_with_a_date_moved_for_a_reason_and_stays_out_of_the_index(net):
    network, a, b, _outside = net
    homes = [household(a, b)[0] for _ in range(5)]
    for home in homes[:2]:
        ActionFactory(
            goal=GoalFactory(plan=PlanFactory(household=home)), due_date=AS_OF, replanned_from=AS_OF,
            replanned_at=days_before(5), replanned_reason="Ziek geweest.",
        )  # fmt: skip
    p7 = compute(network).indicators["P7"]
    assert (p7.n, p7.value, p7.gap) == (5, pytest.approx(0.4), None)


def test_the_index_is_a_hundred_times_the_mean_of_the_gaps_that_could_be_counted(net):
    network, a, b, _outside = net
    homes = [household(a, b)[0] for _ in range(5)]
    for home in homes[:4]:
        PlanFactory(household=home, updated_at=days_before(3))
        entry(home, organisation=a, days=3)
        entry(home, organisation=b, days=3)
    figures = compute(network, paper_favourable=0.6, paper_n=12)
    gaps = {code: indicator.gap for code, indicator in figures.indicators.items() if indicator.gap is not None}
    assert gaps["P8"] == pytest.approx(0.4)
    assert gaps["P1"] == pytest.approx(0.2)
    assert gaps["P5"] == pytest.approx(0.2)  # 8 of 10 places acted
    assert figures.ppgi == pytest.approx(round(100 * sum(gaps.values()) / len(gaps), 1))
    assert PaperPractice.from_json(figures.to_json()).ppgi == figures.ppgi


def test_p8_hidden_below_k(net):
    network, *_ = net
    p8 = compute(network, paper_favourable=None, paper_n=3).indicators["P8"]
    assert (p8.value, p8.gap) == (None, None)


def test_no_case_data_gives_no_index(net):
    network, *_ = net
    figures = compute(network)
    assert figures.ppgi is None or figures.gaps == [0.5]  # only P6's "at the baseline" can be counted


# --- the queries ----------------------------------------------------------------------------------------------------


def _grow(network, a, b, count):
    for _ in range(count):
        home, (coordinator, _other) = household(a, b)
        PlanFactory(household=home, updated_at=days_before(5))
        entry(home, by=coordinator.user, organisation=a, days=4)
        _joint_thread(home, a, b, 6)
        ActionFactory(goal=GoalFactory(plan=PlanFactory(household=home, is_current=False)), due_date=AS_OF)
        ReferralFactory(
            household=home,
            from_organisation=a,
            created_at=days_before(9),
            requested_at=days_before(8),
            changed_at=days_before(8),
        )


def test_the_queries_do_not_grow_with_the_households(net):
    network, a, b, _outside = net
    _grow(network, a, b, 3)
    with CaptureQueriesContext(connection) as few:
        practice.for_network(network, AS_OF)
    _grow(network, a, b, 15)
    with CaptureQueriesContext(connection) as many:
        figures = practice.for_network(network, AS_OF)
    assert len(many) == len(few)
    assert figures.indicators["P1"].n == 18


# --- a round stores it, R6 reads its rise ---------------------------------------------------------------------------


def test_closing_a_round_stores_paper_and_practice_with_item_9(db):
    setting = build_setting((5, 5))
    pulse_round = setting.open_round()
    answer_all(setting, pulse_round)  # item 9 ("paper") answered 4 by all ten: nobody agrees
    services.round_close(actor=setting.actor(setting.facilitator), pulse_round=pulse_round)
    stored = PulseRound.objects.get(pk=pulse_round.pk).practice
    figures = PaperPractice.from_json(stored)
    assert figures.as_of == timezone.localdate()
    assert (figures.indicators["P8"].value, figures.indicators["P8"].n) == (0.0, 10)
    assert stored["ppgi"] == figures.ppgi is not None


def test_r6_fires_when_the_index_rises_by_the_threshold_and_not_below_it(db):
    from samen.collaboration.selectors import RoundFigures

    t = prompts.thresholds_for({})
    latest = RoundFigures(pulse_round=PulseRound(), answered=10, invited=10)
    assert prompts.r6_paper(latest, t, [20.0, 30.0])[0].facts == {"ppgi_rise": 10.0}
    assert prompts.r6_paper(latest, t, [20.0, 29.9]) == []
    assert prompts.r6_paper(latest, t, [None, 80.0]) == []
    assert prompts.r6_paper(latest, prompts.thresholds_for({"r6_rise": 5}), [20.0, 26.0])


# --- the page -------------------------------------------------------------------------------------------------------


def test_the_page_shows_the_indicators_the_index_and_why_it_exists(db, client):
    setting = build_setting((5, 5))
    pulse_round = setting.open_round()
    answer_all(setting, pulse_round)
    services.round_close(actor=setting.actor(setting.facilitator), pulse_round=pulse_round)
    for _ in range(5):
        home, _members = household(*setting.organisations, joined=20)
    client.force_login(setting.professionals[setting.organisations[1].pk][0])
    page = client.get(reverse("collaboration:practice", kwargs={"network_id": setting.network.pk}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "to open a conversation, not as a performance target" in body
    assert "P1 One plan" in body and "P8 Agreements fit practice" in body
    assert "fewer than 5 counted" in body  # no referrals: P4 counts 0
    assert "The gap index per round" in body  # the closed round stored one
    data = client.get(reverse("collaboration:practice_csv", kwargs={"network_id": setting.network.pk}))
    rows = list(csv.reader(io.StringIO(data.content.decode())))
    assert rows[0] == ["as_of", "code", "indicator", "value", "n", "target", "gap"]
    assert [row[1] for row in rows[1:]] == ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "PPGI"]
    assert rows[8][3:5] == ["0.000", "10"]  # P8: nobody agreed, ten answered


def test_the_page_is_dutch_by_default(db):
    from django.test import Client

    setting = build_setting((5, 5))
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(setting.facilitator)
    body = client.get(reverse("collaboration:practice", kwargs={"network_id": setting.network.pk})).content.decode()
    assert "Papier en praktijk" in body


def test_another_network_s_id_or_a_word_is_not_found(db, client):
    setting = build_setting((5, 5))
    other = build_setting((5, 5), prefix="Elders")
    client.force_login(setting.facilitator)
    for network_id in (other.network.pk, "abc", "<script>", 10**12):
        response = client.get(f"/samenwerking/netwerken/{network_id}/papier-en-praktijk/")
        assert response.status_code == 404, network_id

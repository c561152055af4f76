"""Rules R1-R9, each firing and not firing on crafted data; the cards they make (one per theme, at most one per theme
per two rounds, a neutral facilitator when rules combine)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from samen.collaboration import prompts, services
from samen.collaboration.items import CONSTRUCTS
from samen.collaboration.models import LearningEntry, Prompt, PromptStatus, PulseRound, Rule, Structure
from samen.collaboration.selectors import Breakdown, Dashboard, Figure, RoundFigures, _construct_figure, _figure
from samen.collaboration.tests.conftest import answer_all
from samen.organisations.models import CaseEvent, CaseEventKind, Organisation

T = prompts.thresholds_for({})
FINE = [5, 5, 6, 6, 5, 6, 5, 6, 5, 6]  # mean 5.5, everyone agrees


def round_of(number=1, answered=10, invited=12, **items) -> RoundFigures:
    """A closed round whose items have the given answers (every item not named: FINE; silence: mostly disagreeing)."""
    values = {code: FINE for construct in CONSTRUCTS for code in construct.items}
    values["silence"] = [2, 2, 3, 1, 2, 2, 3, 2, 1, 2]
    values.update(items)
    figures = RoundFigures(pulse_round=PulseRound(number=number), answered=answered, invited=invited)
    histograms = {}
    for code, answers in values.items():
        figures.items[code] = _figure(list(answers))
        histograms[code] = {value: list(answers).count(value) for value in set(answers)}
    for construct in CONSTRUCTS:
        figures.constructs[construct.code] = _construct_figure(construct, histograms)
    return figures


def board_of(*rounds, breakdown=None) -> Dashboard:
    return Dashboard(
        network=None,
        rounds=list(rounds),
        open_round=None,
        alpha={},
        breakdown=breakdown,
        open_answers=[],
        open_answers_hidden=False,
    )


def rules_of(board, **kwargs) -> dict[str, set[str]]:
    fired: dict[str, set[str]] = {}
    for firing in prompts.evaluate_round(board, T, **kwargs):
        fired.setdefault(str(firing.rule), set()).add(firing.construct)
    return fired


def test_nothing_fires_when_all_is_well():
    assert rules_of(board_of(round_of(1), round_of(2))) == {}


def test_r1_low_level_by_mean_or_by_share():
    assert rules_of(board_of(round_of(trust=[3, 3, 4, 4, 3, 4, 3, 4, 3, 4])))["R1"] == {"trust"}
    # Mean 4.4 but only 40% agree.
    assert rules_of(board_of(round_of(paper=[4, 4, 4, 4, 4, 4, 5, 5, 5, 5])))["R1"] == {"paper"}
    # The reverse item counts turned round: much silence is a low level of voice.
    assert "voice" in rules_of(board_of(round_of(silence=[6, 6, 7, 5, 6, 6, 7, 6, 5, 6])))["R1"]
    assert "R1" not in rules_of(board_of(round_of(trust=[4, 5, 5, 5, 5, 4, 5, 5, 5, 5])))


def test_r2_drop_against_the_three_rounds_before():
    before = [round_of(n) for n in (1, 2, 3)]
    fallen = round_of(4, trust=[5, 5, 5, 5, 5, 5, 5, 5, 5, 4])  # 5.5 -> 4.9: a fall of 0.6, se 0.1
    assert rules_of(board_of(*before, fallen))["R2"] == {"trust"}
    small = round_of(4, trust=[5, 6, 5, 5, 5, 6, 5, 5, 5, 5])  # 5.2: a fall of 0.3
    assert "R2" not in rules_of(board_of(*before, small))
    # A fall of 0.6 within the noise (two standard errors of a spread-out round) does not fire.
    noisy = round_of(4, trust=[1, 7, 2, 7, 3, 7, 7, 7, 2, 6])
    assert "R2" not in rules_of(board_of(*before, noisy))


def test_r3_silence_rising_or_voice_low_or_an_unsafe_check():
    quiet = round_of(1, silence=[2, 2, 3, 1, 2, 2, 3, 2, 1, 5])  # 10% agree: fine
    assert "R3" not in rules_of(board_of(quiet))
    louder = round_of(2, silence=[2, 2, 3, 1, 2, 5, 3, 2, 5, 5])  # 30%: over 20% and rising 20 points
    assert rules_of(board_of(quiet, louder))["R3"] == {"voice"}
    voice_low = round_of(1, voice=[5, 5, 5, 5, 5, 4, 4, 4, 4, 4])  # 50% agree < 60%
    assert "R3" in rules_of(board_of(voice_low))
    assert "R3" in rules_of(board_of(quiet), safety_medians=[3.0])
    assert "R3" not in rules_of(board_of(quiet), safety_medians=[4.0])


def _breakdown(means_by_organisation: dict[int, list[int]]) -> Breakdown:
    constructs = {construct.code: {} for construct in CONSTRUCTS}
    for organisation_id, values in means_by_organisation.items():
        constructs["trust"][organisation_id] = _figure(values)
    organisations = [Organisation(pk=pk, name=f"O{pk}") for pk in means_by_organisation]
    return Breakdown(organisations=organisations, constructs=constructs, hidden=0)


def test_r4_divergence_between_organisations():
    latest = round_of(1)
    apart = _breakdown({1: [6, 6, 6, 6, 6], 2: [5, 5, 5, 4, 5]})  # 6.0 vs 4.8: a gap of 1.2
    assert rules_of(board_of(latest, breakdown=apart))["R4"] == {"trust"}
    close = _breakdown({1: [6, 6, 5, 6, 6], 2: [5, 5, 6, 5, 5]})  # 5.8 vs 5.2; network 5.5
    assert "R4" not in rules_of(board_of(latest, breakdown=close))
    assert "R4" not in rules_of(board_of(latest, breakdown=None))


def test_r5_polarisation_two_camps():
    camps = round_of(1, interests=[1, 1, 2, 7, 7, 6, 1, 7, 2, 6])
    assert rules_of(board_of(camps))["R5"] == {"interests"}
    assert "R5" not in rules_of(board_of(round_of(1)))


def test_r6_paper_and_practice():
    assert rules_of(board_of(round_of(1, paper=[4, 4, 4, 5, 5, 4, 4, 5, 5, 4])))["R6"] == {"paper"}
    assert "R6" not in rules_of(board_of(round_of(1, paper=[5, 5, 5, 5, 5, 4, 4, 5, 5, 5])))


def test_r7_participation_low_or_falling():
    assert "R7" in rules_of(board_of(round_of(1, answered=5, invited=12)))
    assert "R7" in rules_of(board_of(round_of(1, answered=12, invited=12), round_of(2, answered=8, invited=12)))
    assert "R7" not in rules_of(board_of(round_of(1, answered=10, invited=12), round_of(2, answered=9, invited=12)))


def test_a_figure_below_k_never_fires_a_rule():
    hidden = round_of(1, trust=[1, 1, 1, 1])  # 4 answers: not shown, so not read either
    assert isinstance(hidden.items["trust"], Figure) and hidden.items["trust"].summary is None
    assert "R1" not in rules_of(board_of(hidden))


def test_structures_and_the_neutral_facilitator():
    assert prompts.structure_for({Rule.LOW}) == Structure.WHAT_SO_WHAT
    assert prompts.structure_for({Rule.PAPER}) == Structure.TRIZ
    assert prompts.structure_for({Rule.EVENT}) == Structure.AFTER_ACTION
    assert not prompts.neutral_facilitator({Rule.LOW})
    assert prompts.neutral_facilitator({Rule.LOW, Rule.DROP})
    assert prompts.neutral_facilitator({Rule.SILENCE, Rule.DIVERGENCE})


def test_a_network_tunes_its_thresholds():
    tuned = prompts.thresholds_for({"r1_mean": 5.6, "unknown": 1, "r1_favourable": "x"})
    assert tuned["r1_mean"] == 5.6 and tuned["r1_favourable"] == 0.5
    fired = prompts.evaluate_round(board_of(round_of(1)), tuned)
    assert {firing.construct for firing in fired if firing.rule == Rule.LOW} >= {"trust"}


# --- the cards, in the database -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_closing_a_low_round_makes_one_card_per_theme_not_again_the_next_round(
    setting, django_capture_on_commit_callbacks
):
    facilitator = setting.actor(setting.facilitator)
    low = dict.fromkeys([organisation.pk for organisation in setting.organisations], 3)
    for number in (1, 2, 3):
        pulse_round = services.round_open(
            actor=facilitator, pulse_round=services.round_schedule(actor=facilitator, network=setting.network)
        )
        with django_capture_on_commit_callbacks(execute=True):
            answer_all(setting, pulse_round, values=low)
        services.round_close(actor=facilitator, pulse_round=pulse_round)
        earlier = pulse_round.opens_on - datetime.timedelta(weeks=60)
        PulseRound.objects.filter(pk=pulse_round.pk).update(
            opens_on=earlier, closes_on=earlier + datetime.timedelta(days=14)
        )
        trust_cards = Prompt.objects.filter(network=setting.network, construct="trust").order_by("round__number")
        assert [card.round.number for card in trust_cards] == [1, 3][: (number + 1) // 2]
    card = Prompt.objects.filter(construct="trust").first()
    assert card.rule == Rule.LOW and card.structure == Structure.WHAT_SO_WHAT and card.facts["mean"] == 3.0
    # Every other item is 4 of 7 (below 4.0 is not; but only 0% agree): several themes fire, so a neutral facilitator.
    assert card.neutral_facilitator


@pytest.mark.django_db
def test_events_between_organisations_and_no_learning_make_r8_and_r9_cards(setting):
    a, b, _c = setting.organisations
    today = timezone.localdate()
    pair = sorted([a, b], key=lambda organisation: organisation.pk)
    CaseEvent.objects.create(
        network=setting.network,
        kind=CaseEventKind.REFERRAL_REJECTED,
        organisation_a=pair[0],
        organisation_b=pair[1],
        occurred_on=today - datetime.timedelta(days=2),
    )
    # An event with one organisation only does not count.
    CaseEvent.objects.create(
        network=setting.network, kind=CaseEventKind.SIGNAL_ESCALATED, organisation_a=a, occurred_on=today
    )
    cards = services.prompts_for_events(network=setting.network, today=today)
    assert sorted(card.rule for card in cards) == ["R8", "R9"]
    r8 = next(card for card in cards if card.rule == Rule.EVENT)
    assert r8.facts["events"] == 1 and r8.structure == Structure.AFTER_ACTION and r8.neutral_facilitator
    # Idempotent, and nothing new the next day.
    assert services.prompts_for_events(network=setting.network, today=today) == []
    assert services.prompts_for_events(network=setting.network, today=today + datetime.timedelta(days=1)) == []


@pytest.mark.django_db
def test_a_learning_entry_stops_r9(setting):
    a, b, _c = setting.organisations
    today = timezone.localdate()
    pair = sorted([a, b], key=lambda organisation: organisation.pk)
    CaseEvent.objects.create(
        network=setting.network,
        kind=CaseEventKind.REFERRAL_STALLED,
        organisation_a=pair[0],
        organisation_b=pair[1],
        occurred_on=today,
    )
    LearningEntry.objects.create(
        network=setting.network,
        title="Terugblik",
        happened_on=today,
        trigger="event",
        entry_type="incident",
        intended="x",
        happened="y",
    )
    cards = services.prompts_for_events(network=setting.network, today=today)
    assert [card.rule for card in cards] == ["R8"]


@pytest.mark.django_db
def test_only_the_facilitator_plans_or_sets_aside_a_card(setting):
    from django.core.exceptions import PermissionDenied, ValidationError

    card = Prompt.objects.create(
        network=setting.network, rule=Rule.LOW, construct="trust", evaluated_on=timezone.localdate(),
        structure=Structure.WHAT_SO_WHAT,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.prompt_plan(actor=setting.actor(setting.everyone[0]), prompt=card, planned_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.prompt_plan(
            actor=setting.actor(setting.facilitator),
            prompt=card,
            planned_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    planned = services.prompt_plan(
        actor=setting.actor(setting.facilitator), prompt=card, planned_on=timezone.localdate()
    )
    assert planned.status == PromptStatus.PLANNED
    assert services.prompt_set_aside(actor=setting.actor(setting.facilitator), prompt=card).status == "dismissed"

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from samen.accounts.tests.factories import UserFactory
from samen.collaboration import services
from samen.collaboration.models import Participation, PendingResponse, Response
from samen.collaboration.tests.conftest import answer_all, build_setting

pytestmark = pytest.mark.django_db


def _answer_url(pulse_round):
    return reverse("collaboration:answer", kwargs={"round_id": pulse_round.pk})


def _network_url(network):
    return reverse("collaboration:network", kwargs={"network_id": network.pk})


def test_a_professional_answers_a_round_and_then_sees_only_that_they_did(setting, client):
    pulse_round = setting.open_round()
    user = setting.everyone[0]
    client.force_login(user)
    overview = client.get(reverse("collaboration:overview"))
    assert overview.status_code == 200 and _answer_url(pulse_round).encode() in overview.content
    page = client.get(_answer_url(pulse_round))
    assert page.status_code == 200
    assert b'name="trust"' in page.content and b'name="resilience"' in page.content
    data = {"organisation": str(setting.organisations[0].pk), "trust": "6", "voice": "x", "open_text": "Meer tijd"}
    response = client.post(_answer_url(pulse_round), data)
    assert response.status_code == 302
    assert Participation.objects.filter(round=pulse_round, user=user).exists()
    assert len(PendingResponse.objects.get().answers) == 1
    after = client.get(_answer_url(pulse_round))
    assert b"You answered round 1" in after.content and b'name="trust"' not in after.content
    # A second post (the back button) stores nothing more.
    assert client.post(_answer_url(pulse_round), data).status_code == 302
    assert len(PendingResponse.objects.get().answers) == 1


@pytest.mark.parametrize(
    "data",
    [
        {"trust": "8"},
        {"trust": "<script>"},
        {"organisation": "999999", "trust": "5"},
        {"open_text": "x" * 1001, "trust": "5"},
        {},
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(setting, client, data):
    pulse_round = setting.open_round()
    client.force_login(setting.everyone[0])
    response = client.post(_answer_url(pulse_round), data)
    assert response.status_code == 200
    assert b'id="form-errors"' in response.content  # the error summary, linking to what needs a change
    if "open_text" in data:
        assert b"x" * 1001 in response.content  # what was typed is kept
    assert not Participation.objects.exists()


def test_who_may_not_see_a_network_gets_not_found(setting, client):
    pulse_round = setting.open_round()
    citizen = UserFactory()
    for user in (setting.outsider, citizen):
        client.force_login(user)
        assert client.get(_answer_url(pulse_round)).status_code == 404
        assert client.get(_network_url(setting.network)).status_code == 404
        assert client.post(reverse("collaboration:close_round", kwargs={"round_id": pulse_round.pk})).status_code == 404
    other = build_setting(prefix="Ander")
    client.force_login(setting.everyone[0])
    assert client.get(_network_url(other.network)).status_code == 404
    assert client.get(reverse("collaboration:answer", kwargs={"round_id": "abc"})).status_code == 404
    assert client.get(reverse("collaboration:network", kwargs={"network_id": "9" * 30})).status_code == 404


def test_anonymous_is_sent_to_log_in(setting, client):
    response = client.get(_network_url(setting.network))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_a_professional_may_not_run_rounds(setting, client):
    pulse_round = setting.open_round()
    client.force_login(setting.everyone[0])
    assert client.post(reverse("collaboration:close_round", kwargs={"round_id": pulse_round.pk})).status_code == 403
    assert client.post(reverse("collaboration:schedule", kwargs={"network_id": setting.network.pk})).status_code == 403


def test_the_facilitator_runs_the_rounds_from_the_network_page(setting, client):
    client.force_login(setting.facilitator)
    assert (
        client.post(reverse("collaboration:schedule", kwargs={"network_id": setting.network.pk}), {}).status_code == 302
    )
    page = client.get(_network_url(setting.network))
    assert b"Open the round now" in page.content
    pulse_round = setting.network.pulse_rounds.get()
    assert client.post(reverse("collaboration:open_round", kwargs={"round_id": pulse_round.pk})).status_code == 302
    pulse_round.refresh_from_db()
    assert pulse_round.status == "open"
    bad = client.post(
        reverse("collaboration:interval", kwargs={"network_id": setting.network.pk}), {"interval_weeks": "99"}
    )
    assert bad.status_code == 200 and b"from 2 to 12" in bad.content
    bad_date = client.post(
        reverse("collaboration:schedule", kwargs={"network_id": setting.network.pk}), {"opens_on": "gisteren"}
    )
    assert bad_date.status_code == 200 and b'id="form-errors"' in bad_date.content
    # The facilitator does not answer (they do not work for one of the organisations here).
    answer = client.get(_answer_url(pulse_round))
    assert answer.status_code == 200 and b'name="trust"' not in answer.content


def test_the_figures_page_and_its_csv_show_only_what_passes_k(setting, client, django_capture_on_commit_callbacks):
    pulse_round = setting.open_round()
    with django_capture_on_commit_callbacks(execute=True):
        answer_all(setting, pulse_round, values={setting.organisations[0].pk: 7, setting.organisations[1].pk: 3})
    services.round_close(actor=setting.actor(setting.facilitator), pulse_round=pulse_round)
    assert Response.objects.count() == 16
    client.force_login(setting.everyone[0])
    page = client.get(_network_url(setting.network))
    assert page.status_code == 200
    content = page.content.decode()
    assert "16 of 16 people answered" in content
    # C (4 people) is not shown per organisation, and neither is one more, so it cannot be worked out.
    assert "Organisatie C" not in content
    csv = client.get(reverse("collaboration:network_csv", kwargs={"network_id": setting.network.pk}))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("round,opened,closed,answered")
    trust = next(line for line in lines if ",construct,trust," in line)
    assert trust.endswith(",16,5.00,0.62")  # (6 * 7 + 6 * 3 + 4 * 5) / 16 = 5; 10 of 16 agree (0.625)


def _closed_rounds(setting, rounds, django_capture_on_commit_callbacks):
    facilitator = setting.actor(setting.facilitator)
    for _ in range(rounds):
        pulse_round = services.round_open(
            actor=facilitator, pulse_round=services.round_schedule(actor=facilitator, network=setting.network)
        )
        with django_capture_on_commit_callbacks(execute=True):
            answer_all(setting, pulse_round)
        services.round_close(actor=facilitator, pulse_round=pulse_round)
        # Move the round back in time, so that the next one can start today.
        earlier = pulse_round.opens_on - datetime.timedelta(weeks=60)
        type(pulse_round).objects.filter(pk=pulse_round.pk).update(
            opens_on=earlier, closes_on=earlier + datetime.timedelta(days=14)
        )


def test_the_figures_page_costs_the_same_queries_for_one_round_and_for_three(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    small, large = build_setting((5, 5, 5), prefix="Klein"), build_setting((8, 8, 8), prefix="Groot")
    _closed_rounds(small, 1, django_capture_on_commit_callbacks)
    _closed_rounds(large, 3, django_capture_on_commit_callbacks)
    counts = []
    for setting in (small, large):
        client.force_login(setting.everyone[0])
        client.get(_network_url(setting.network))  # warm the session's caches
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(_network_url(setting.network)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- prompts, the learning log and the charter ----------------------------------------------------------------------


def _card(setting):
    from django.utils import timezone

    from samen.collaboration.models import Prompt, Rule, Structure

    return Prompt.objects.create(
        network=setting.network,
        rule=Rule.LOW,
        construct="trust",
        evaluated_on=timezone.localdate(),
        structure=Structure.WHAT_SO_WHAT,
        facts={"rules": ["R1"], "mean": 3.2, "favourable": 0.3},
    )


def test_the_network_page_shows_the_cards_and_the_facilitator_plans_one(setting, client):
    from django.utils import timezone

    card = _card(setting)
    client.force_login(setting.everyone[0])
    page = client.get(_network_url(setting.network)).content.decode()
    assert "When could we not count on each other" in page and "The average is low: 3.2 of 7, 30% agree." in page
    assert "Put it on the agenda" not in page  # a professional reads the card, the facilitator plans it
    client.force_login(setting.facilitator)
    url = reverse("collaboration:plan_prompt", kwargs={"prompt_id": card.pk})
    assert client.post(url, {"planned_on": "gisteren"}).status_code == 302
    card.refresh_from_db()
    assert card.status == "open"
    assert client.post(url, {"planned_on": timezone.localdate().isoformat()}).status_code == 302
    card.refresh_from_db()
    assert card.status == "planned"
    client.force_login(setting.everyone[0])
    assert client.post(url, {"planned_on": timezone.localdate().isoformat()}).status_code == 403
    client.force_login(setting.outsider)
    assert client.post(url, {"planned_on": timezone.localdate().isoformat()}).status_code == 404


def _entry_data(setting, **extra):
    from django.utils import timezone

    return {
        "title": "De afgewezen verwijzing",
        "happened_on": timezone.localdate().isoformat(),
        "trigger": "prompt",
        "entry_type": "incident",
        "organisations": [str(setting.organisations[0].pk)],
        "intended": "Binnen twee weken een gesprek.",
        "happened": "Zes weken wachten.",
        "causes": ["protocol"],
        "charter_impact": "add",
        "visibility": "network",
        "action_text_0": "Eerst bellen",
        "action_owner_0": "teamleider",
        "action_organisation_0": str(setting.organisations[1].pk),
        "action_experiment_0": "on",
        **extra,
    }


def test_a_professional_writes_a_learning_entry_from_a_card_and_finds_it_by_search(setting, client):
    from samen.collaboration.models import LearningEntry

    card = _card(setting)
    client.force_login(setting.everyone[0])
    new_url = reverse("collaboration:learning_new", kwargs={"network_id": setting.network.pk})
    form = client.get(new_url, {"prompt": card.pk})
    assert form.status_code == 200 and b"When could we not count" in form.content
    response = client.post(new_url, {**_entry_data(setting), "prompt": card.pk})
    assert response.status_code == 302
    entry = LearningEntry.objects.get()
    assert entry.prompt == card and entry.actions.get().experiment and entry.causes == ["protocol"]
    card.refresh_from_db()
    assert card.status == "done"
    learning_url = reverse("collaboration:learning", kwargs={"network_id": setting.network.pk})
    assert b"De afgewezen verwijzing" in client.get(learning_url, {"q": "verwijzing"}).content
    assert b"De afgewezen verwijzing" not in client.get(learning_url, {"q": "zonnepanelen"}).content
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"Eerst bellen" in page.content


@pytest.mark.parametrize(
    "extra",
    [
        {"title": ""},
        {"title": "x" * 201},
        {"intended": "<script>alert(1)</script>" * 300},
        {"happened_on": "morgen"},
        {"trigger": "iets"},
        {"organisations": ["999999"]},
        {"action_owner_0": ""},
    ],
)
def test_a_bad_learning_entry_is_refused_with_a_message_and_keeps_what_was_typed(setting, client, extra):
    from samen.collaboration.models import LearningEntry

    client.force_login(setting.everyone[0])
    new_url = reverse("collaboration:learning_new", kwargs={"network_id": setting.network.pk})
    response = client.post(new_url, _entry_data(setting, **extra))
    assert response.status_code == 200 and b'id="form-errors"' in response.content
    assert "Zes weken wachten." in response.content.decode()
    assert not LearningEntry.objects.exists()


def test_the_safety_check_is_answered_once_and_shown_from_five(setting, client, django_capture_on_commit_callbacks):
    from samen.collaboration.models import LearningEntry, SafetyAnswer

    client.force_login(setting.everyone[0])
    client.post(reverse("collaboration:learning_new", kwargs={"network_id": setting.network.pk}), _entry_data(setting))
    entry = LearningEntry.objects.get()
    url = reverse("collaboration:entry", kwargs={"entry_id": entry.pk})
    for user in setting.everyone[:5]:
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"value": "2"}).status_code == 302
    again = client.post(url, {"value": "5"})  # the fifth answers again: refused, with a message
    assert again.status_code == 200 and b"You answered this question. Thank you!" in again.content
    assert sorted(SafetyAnswer.objects.values_list("value", flat=True)) == [2, 2, 2, 2, 2]
    assert b"The middle answer of 5 people: 2 of 5." in client.get(url).content
    client.force_login(setting.outsider)
    assert client.get(url).status_code == 404


def test_the_facilitator_changes_the_charter_everyone_in_the_network_reads_it(setting, client):
    from samen.collaboration.models import CharterVersion

    client.force_login(setting.facilitator)
    change_url = reverse("collaboration:charter_change", kwargs={"network_id": setting.network.pk})
    one = client.post(change_url, {"text_1": "Eén plan.", "why_1": "Eén verhaal."})
    assert one.status_code == 200 and b"2 to 7 principles" in one.content
    missing_why = client.post(change_url, {"text_1": "Eén plan.", "why_1": "Eén verhaal.", "text_2": "Bellen."})
    assert missing_why.status_code == 200 and b"Say in one line why." in missing_why.content
    assert not CharterVersion.objects.exists()
    ok = client.post(
        change_url, {"text_1": "Eén plan.", "why_1": "Eén verhaal.", "text_2": "Eerst bellen.", "why_2": "Sneller."}
    )
    assert ok.status_code == 302
    client.force_login(setting.everyone[0])
    page = client.get(reverse("collaboration:charter", kwargs={"network_id": setting.network.pk}))
    assert "Eerst bellen." in page.content.decode() and "Change the charter" not in page.content.decode()
    assert client.get(change_url).status_code == 403
    client.force_login(setting.outsider)
    assert client.get(reverse("collaboration:charter", kwargs={"network_id": setting.network.pk})).status_code == 404


def test_the_facilitator_tunes_the_thresholds(setting, client):
    from samen.collaboration import prompts
    from samen.collaboration.services import settings_for

    client.force_login(setting.facilitator)
    url = reverse("collaboration:thresholds", kwargs={"network_id": setting.network.pk})
    bad = client.post(url, {"r1_mean": "9"})
    assert bad.status_code == 200 and b"at most 7" in bad.content
    assert settings_for(setting.network).thresholds == {}
    assert client.post(url, {"r1_mean": "4.5", "r7_response": "0.5"}).status_code == 302
    assert settings_for(setting.network).thresholds == {"r1_mean": 4.5}  # the default is not stored
    assert prompts.thresholds_for(settings_for(setting.network).thresholds)["r1_mean"] == 4.5
    client.force_login(setting.everyone[0])
    assert client.post(url, {"r1_mean": "4"}).status_code == 403

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
    assert PendingResponse.objects.count() == 1
    after = client.get(_answer_url(pulse_round))
    assert b"You answered round 1" in after.content and b'name="trust"' not in after.content
    # A second post (the back button) stores nothing more.
    assert client.post(_answer_url(pulse_round), data).status_code == 302
    assert PendingResponse.objects.count() == 1


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
    assert response.status_code == 400
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
    assert bad.status_code == 400 and b"from 2 to 12" in bad.content
    bad_date = client.post(
        reverse("collaboration:schedule", kwargs={"network_id": setting.network.pk}), {"opens_on": "gisteren"}
    )
    assert bad_date.status_code == 400
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

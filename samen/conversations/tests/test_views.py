"""The conversation pages through the test client: who sees what, the polling endpoint, bad input."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from samen.conversations.models import Message, Signal

pytestmark = pytest.mark.django_db


def _page(household):
    return reverse("conversations:household", args=[household.pk])


def test_the_household_writes_and_the_team_reads_it(setting, login):
    client = login(setting.citizen)
    response = client.post(_page(setting.household), {"text": "Hallo @Kees, <b>dank</b>", "category": "general"})
    assert response.status_code == 302
    message = Message.objects.get()
    coordinator = login(setting.coordinator)
    page = coordinator.get(_page(setting.household))
    assert page.status_code == 200
    html = page.content.decode()
    assert "&lt;b&gt;dank&lt;/b&gt;" in html and "<b>dank</b>" not in html
    assert f'id="bericht-{message.pk}"' in html
    assert message.mentions.filter(user=setting.coordinator).exists()


def test_strangers_get_404_and_anonymous_people_the_login(setting, login, client):
    for who in ("stranger", "other_citizen", "revoked"):
        assert login(getattr(setting, who)).get(_page(setting.household)).status_code == 404, who
    response = client.get(_page(setting.household))
    assert response.status_code == 302 and "inloggen" in response["Location"]


@pytest.mark.parametrize("text", ["", " ", "x" * 5000])
def test_bad_input_keeps_what_was_typed(setting, login, text):
    response = login(setting.citizen).post(_page(setting.household), {"text": text, "category": "general"})
    assert response.status_code == 200
    if text.strip():
        assert text in response.content.decode()
    assert not Message.objects.exists()


def test_polling_says_nothing_new_cheaply_and_shows_only_visible_new_messages(
    setting, login, django_assert_max_num_queries
):
    citizen = login(setting.citizen)
    citizen.post(_page(setting.household), {"text": "Eerste", "category": "general"})
    page = login(setting.coordinator).get(_page(setting.household)).content.decode()
    poll = re.search(r'hx-get="([^"]+)"', page).group(1).replace("&amp;", "&")
    coordinator = login(setting.coordinator)
    coordinator.get(poll)  # warm the session
    with django_assert_max_num_queries(3):
        assert coordinator.get(poll, HTTP_HX_REQUEST="true").status_code == 204
    citizen.post(_page(setting.household), {"text": "Over geld", "category": "finances"})
    citizen.post(_page(setting.household), {"text": "Nieuw algemeen", "category": "general"})
    answer = coordinator.get(poll, HTTP_HX_REQUEST="true").content.decode()
    assert "Nieuw algemeen" in answer and "Over geld" not in answer
    other = login(setting.stranger)
    assert other.get(poll).status_code == 404


def test_a_signal_from_the_citizen(setting, login):
    client = login(setting.citizen)
    url = reverse("conversations:raise_signal", args=[setting.household.pk])
    assert client.get(url).status_code == 200
    assert (
        "Choose what is wrong."
        in client.post(url, {"kind": "nonsense", "text": "", "category": "general"}).content.decode()
    )
    response = client.post(url, {"kind": "plan", "text": "Het plan werkt niet", "category": "general"})
    signal = Signal.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/gesprek/{signal.thread_id}/")
    page = login(setting.coordinator).get(response["Location"])
    assert "Het plan werkt niet" in page.content.decode()
    assert login(setting.stranger).get(response["Location"]).status_code == 404


def _fill(household, author, count: int, category: str = "general") -> None:
    from samen.conversations.models import Thread
    from samen.conversations.tests.factories import MessageFactory

    thread, _created = Thread.objects.get_or_create(household=household, kind="household")
    Message.objects.bulk_create(
        [
            MessageFactory.build(
                thread=thread, household=household, author=author, category=category, text=f"Bericht {n}"
            )
            for n in range(count)
        ]
    )
    newest = Message.objects.filter(thread=thread).order_by("-pk").values_list("pk", flat=True).first()
    Thread.objects.filter(pk=thread.pk).update(last_message_id=newest)


@pytest.mark.parametrize("who", ["citizen", "coordinator"])
def test_the_page_costs_the_same_for_50_and_5000_messages(setting, login, who):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(getattr(setting, who))
    url = _page(setting.household)
    counts = []
    for total in (50, 5000):
        _fill(setting.household, setting.citizen, total - Message.objects.count())
        client.get(url)  # the session and caches warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('<li class="samen-message') == 50  # a page, not everything
        counts.append(len(queries))
    assert counts[0] == counts[1], counts

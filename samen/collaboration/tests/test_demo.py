"""The demo's pulse: a year of rounds for both networks with a story the pages show (trust falls in Netwerk Noord
after a turned-down referral; Wijkteam Zuid speaks up less and less), an open round the demo professional can answer,
a learning entry that changed Netwerk Noord's charter, open conversation prompts."""

import pytest
from django.test import Client
from django.urls import reverse

from samen.accounts.models import User
from samen.collaboration import selectors
from samen.collaboration.models import CharterVersion, LearningEntry, Participation, Prompt, RoundStatus
from samen.demo.services import demo_municipality_load
from samen.organisations.models import Network

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demo_municipality_load(seed=2026, households=6)


def _trust(board) -> list[float]:
    return [figures.constructs["trust"].summary.mean for figures in board.rounds]


def test_a_year_of_rounds_with_the_story(demo):
    north, south = Network.objects.get(name="Netwerk Noord"), Network.objects.get(name="Netwerk Zuid")
    north_board, south_board = selectors.dashboard(north), selectors.dashboard(south)
    assert len(north_board.rounds) == len(south_board.rounds) == 13
    trust = _trust(north_board)
    before, after = sum(trust[:8]) / 8, sum(trust[8:11]) / 3
    assert before - after > 0.7, trust  # rounds 9-11 after the turned-down referral
    shown = {organisation.name: organisation.pk for organisation in south_board.breakdown.organisations}
    assert "Wijkteam Zuid" in shown
    team_voice = south_board.breakdown.constructs["voice"][shown["Wijkteam Zuid"]].summary.mean
    assert team_voice < south_board.latest.constructs["voice"].summary.mean - 1
    entry = LearningEntry.objects.get(network=north)
    assert CharterVersion.objects.get(network=north, number=2).entry == entry
    assert Prompt.objects.filter(status="open").exists()


def test_the_demo_professional_can_answer_the_open_round(demo):
    north = Network.objects.get(name="Netwerk Noord")
    open_round = north.pulse_rounds.get(status=RoundStatus.OPEN)
    professional = User.objects.get(email="professional@demo.samen.test")
    assert not Participation.objects.filter(round=open_round, user=professional).exists()
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(professional)
    page = client.get(reverse("collaboration:answer", kwargs={"round_id": open_round.pk}))
    assert page.status_code == 200 and b'name="trust"' in page.content
    facilitator = User.objects.get(email="netwerkcoordinator@demo.samen.test")
    client.force_login(facilitator)
    assert client.get(reverse("collaboration:network", kwargs={"network_id": north.pk})).status_code == 200


def test_closing_the_demo_s_open_round_shows_every_answer(demo):
    from samen.collaboration import services
    from samen.organisations.actors import actor_for_user

    north = Network.objects.get(name="Netwerk Noord")
    open_round = north.pulse_rounds.get(status=RoundStatus.OPEN)
    answered = Participation.objects.filter(round=open_round).count()
    facilitator = User.objects.get(email="netwerkcoordinator@demo.samen.test")
    services.round_close(actor=actor_for_user(facilitator), pulse_round=open_round)
    assert open_round.responses.count() == answered

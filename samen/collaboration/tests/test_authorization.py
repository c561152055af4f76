"""The per-network authorization matrix of the pulse, the prompts, the learning log and the charter: every role ×
every URL of ``samen.collaboration`` (no per-household data here). "Not found" for whoever may not see the network at
all; "forbidden" for a professional of the network at the facilitator's controls; the login page for anonymous."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.collaboration.models import LearningEntry, Prompt, Rule, Structure
from samen.collaboration.tests.conftest import build_setting
from samen.consent.tests.test_authorization_matrix import name_params
from samen.organisations.tests.factories import MembershipFactory

OK, FORBIDDEN, HIDDEN, LOGIN = "ok", "forbidden", "hidden", "login"
GET, POST = "get", "post"

ENDPOINTS = {
    "collaboration:overview": (GET, {}),
    "collaboration:answer": (GET, {}),
    "collaboration:open_round": (POST, {}),
    "collaboration:close_round": (POST, {}),
    "collaboration:network": (GET, {}),
    "collaboration:network_csv": (GET, {}),
    "collaboration:practice": (GET, {}),
    "collaboration:practice_csv": (GET, {}),
    "collaboration:schedule": (POST, {"opens_on": "geen datum"}),  # invalid on purpose: nothing is stored
    "collaboration:interval": (POST, {"interval_weeks": "99"}),
    "collaboration:thresholds": (POST, {"r1_mean": "99"}),
    "collaboration:plan_prompt": (POST, {"planned_on": ""}),
    "collaboration:set_aside_prompt": (POST, {}),
    "collaboration:learning": (GET, {}),
    "collaboration:learning_new": (GET, {}),
    "collaboration:entry": (GET, {}),
    "collaboration:lessons": (GET, {"q": "<script>"}),
    "collaboration:charter": (GET, {}),
    "collaboration:charter_change": (GET, {}),
}
MANAGE = {
    "collaboration:open_round",
    "collaboration:close_round",
    "collaboration:schedule",
    "collaboration:interval",
    "collaboration:thresholds",
    "collaboration:plan_prompt",
    "collaboration:set_aside_prompt",
    "collaboration:charter_change",
}


def _row(view, manage) -> dict:
    return {
        name: OK if name == "collaboration:overview" else (manage if name in MANAGE else view) for name in ENDPOINTS
    }


EXPECTED = {
    "facilitator": _row(OK, OK),
    "professional": _row(OK, FORBIDDEN),
    "coordinator": _row(OK, FORBIDDEN),
    "facilitator_of_another_network": _row(HIDDEN, HIDDEN),
    "professional_of_another_organisation": _row(HIDDEN, HIDDEN),
    "citizen": _row(HIDDEN, HIDDEN),
    "policy_advisor": _row(HIDDEN, HIDDEN),
    "functional_admin": _row(HIDDEN, HIDDEN),
    "anonymous": dict.fromkeys(ENDPOINTS, LOGIN),
}
# The lessons shared upwards belong to no one network: whoever works in or facilitates any network reads them, and
# the municipality's policy advisors; the others are refused (there is no network to hide).
SHARED = {
    "facilitator": OK,
    "professional": OK,
    "coordinator": OK,
    "facilitator_of_another_network": OK,
    "professional_of_another_organisation": FORBIDDEN,
    "citizen": FORBIDDEN,
    "policy_advisor": OK,
    "functional_admin": FORBIDDEN,
    "anonymous": LOGIN,
}
for who, expected in SHARED.items():
    EXPECTED[who]["collaboration:lessons"] = expected
CASES = [(who, name) for who, row in EXPECTED.items() for name in row]


@pytest.fixture
def cast(db):
    setting = build_setting((5, 5, 5), prefix="Matrix")
    other = build_setting((5, 5), prefix="Elders")
    coordinator = MembershipFactory(coordinator=True, organisation=setting.organisations[0]).user
    pulse_round = setting.open_round()
    prompt = Prompt.objects.create(
        network=setting.network, rule=Rule.LOW, construct="trust", evaluated_on=timezone.localdate(),
        structure=Structure.WHAT_SO_WHAT,
    )  # fmt: skip
    entry = LearningEntry.objects.create(
        network=setting.network, title="Terugblik", happened_on=timezone.localdate(), trigger="self",
        entry_type="routine", intended="a", happened="b",
    )  # fmt: skip
    users = {
        "facilitator": setting.facilitator,
        "professional": setting.everyone[0],
        "coordinator": coordinator,
        "facilitator_of_another_network": other.facilitator,
        "professional_of_another_organisation": setting.outsider,
        "citizen": UserFactory(),
        "policy_advisor": MembershipFactory(policy_advisor=True).user,
        "functional_admin": MembershipFactory(functional_admin=True).user,
    }
    ids = {
        "round_id": pulse_round.pk,
        "network_id": setting.network.pk,
        "prompt_id": prompt.pk,
        "entry_id": entry.pk,
    }
    return users, ids


def test_every_url_of_the_app_is_in_the_matrix():
    names = {
        f"collaboration:{pattern.name}"
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "collaboration"
        for pattern in entry.url_patterns
    }
    assert names == set(ENDPOINTS), sorted(names ^ set(ENDPOINTS))


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "name"), CASES, ids=[f"{who}-{name}" for who, name in CASES])
def test_access(cast, who, name):
    users, ids = cast
    method, data = ENDPOINTS[name]
    url = reverse(name, kwargs={param: ids[param] for param in name_params(name)})
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if who != "anonymous":
        client.force_login(users[who])
    response = client.get(url) if method == GET else client.post(url, data)
    expected = EXPECTED[who][name]
    if expected == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    elif expected == HIDDEN:
        assert response.status_code == 404
    elif expected == FORBIDDEN:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302), response.status_code

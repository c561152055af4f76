"""A network of three organisations (6, 6 and 4 professionals), its facilitator, and a professional of an
organisation outside it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from samen.collaboration import services
from samen.collaboration.models import PulseRound
from samen.organisations.actors import actor_for_user
from samen.organisations.models import Network, Organisation
from samen.organisations.tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory


@dataclass
class Setting:
    network: Network
    organisations: list[Organisation]
    professionals: dict[int, list]  # organisation pk -> users
    facilitator: object
    outsider: object

    def actor(self, user):
        return actor_for_user(user)

    @property
    def everyone(self) -> list:
        return [user for users in self.professionals.values() for user in users]

    def open_round(self) -> PulseRound:
        pulse_round = services.round_schedule(actor=self.actor(self.facilitator), network=self.network)
        return services.round_open(actor=self.actor(self.facilitator), pulse_round=pulse_round)


def build_setting(sizes=(6, 6, 4), prefix: str = "Organisatie") -> Setting:
    organisations = [OrganisationFactory(name=f"{prefix} {letter}") for letter in "ABC"[: len(sizes)]]
    professionals = {
        organisation.pk: [MembershipFactory(organisation=organisation).user for _ in range(size)]
        for organisation, size in zip(organisations, sizes, strict=True)
    }
    facilitator = MembershipFactory(facilitator=True, organisation=organisations[0]).user
    network = NetworkFactory(organisations=organisations, facilitators=[facilitator])
    outsider = MembershipFactory().user
    return Setting(network, organisations, professionals, facilitator, outsider)


@pytest.fixture
def setting(db) -> Setting:
    return build_setting()


def answer_all(setting: Setting, pulse_round: PulseRound, values: dict[int, int] | None = None, **extra) -> None:
    """Every professional answers: trust = ``values[organisation]`` (default 5), every other item 4."""
    from samen.collaboration.items import items_of_round

    for organisation_pk, users in setting.professionals.items():
        for user in users:
            answers = {item.code: 4 for item in items_of_round(pulse_round.rotating_item)}
            answers["trust"] = (values or {}).get(organisation_pk, 5)
            services.pulse_answer(
                actor=actor_for_user(user),
                pulse_round=pulse_round,
                organisation_id=organisation_pk,
                answers=answers,
                **extra,
            )


@pytest.fixture
def client():
    """The test client in English (the pages' default is Dutch), whatever an earlier test left active."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def _english():
    """The services' messages in English, whatever language an earlier test in this process left active."""
    from django.utils import translation

    with translation.override("en"):
        yield

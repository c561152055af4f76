"""The household with everyone around it (the dossier's ``setting``), and an organisation outside its team that is
asked to help: GGZ Oost, with two professionals."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from samen.core.vocabulary import DataCategory
from samen.dossier.tests.conftest import login, setting  # noqa: F401 - fixtures
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
G = DataCategory


@pytest.fixture(autouse=True)
def english():
    """The services' messages are asserted in English (the source); Dutch is the default language otherwise. A test
    about the Dutch wording says so itself (``translation.override("nl")``)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE
    settings.SAMEN_BASE_URL = "https://samen.example.nl"


@dataclass
class Receiver:
    organisation: object
    professional: object  # users
    colleague: object


@pytest.fixture
def receiver() -> Receiver:
    """GGZ Oost (mental health care), outside the household's team: a professional and a colleague."""
    organisation = OrganisationFactory(name="GGZ Oost", type="mental_health")
    professional = MembershipFactory(organisation=organisation, user__full_name="Ria Ontvanger").user
    colleague = MembershipFactory(organisation=organisation, user__full_name="Bas Collega").user
    return Receiver(organisation=organisation, professional=professional, colleague=colleague)


@pytest.fixture
def actor():
    return actor_for_user

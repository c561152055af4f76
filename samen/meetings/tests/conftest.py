"""The household with everyone around it, shared with the dossier's tests (``setting``, ``login``), and e-mail sent
by the background tasks at once."""

import pytest

from samen.dossier.tests.conftest import login, setting  # noqa: F401 - fixtures
from samen.organisations.actors import actor_for_user


@pytest.fixture
def actor():
    return actor_for_user


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

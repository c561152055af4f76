"""The household with everyone around it, shared with the dossier's tests (``setting``, ``login``)."""

import pytest

from samen.core.actor import actor_for_user
from samen.dossier.tests.conftest import login, setting  # noqa: F401 - fixtures


@pytest.fixture
def actor():
    return actor_for_user

"""The household with everyone around it: the same cast as the dossier's tests (``setting``, ``login``)."""

from samen.dossier.tests.conftest import login, setting  # noqa: F401 - fixtures

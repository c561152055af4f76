from samen.dossier.tests.conftest import Setting, login, setting  # noqa: F401 - the same household and team

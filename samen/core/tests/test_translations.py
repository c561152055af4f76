"""Every user-facing string has a Dutch translation that is neither missing nor fuzzy.

For each Samen app, the strings are extracted afresh (Django's makemessages, which needs GNU gettext)
into a scratch copy of the app, merged with the committed Dutch catalogue, and every entry must be
translated. A new string without a translation, or a changed one left fuzzy, fails here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[3]
SAMEN_APPS = sorted(c.name for c in apps.get_app_configs() if c.name.startswith("samen."))


def _xgettext_available() -> bool:
    if shutil.which("xgettext") and shutil.which("msgmerge"):
        return True
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("GNU gettext (xgettext, msgmerge) is missing in CI: apt-get install gettext")
    return False


def _extract(app_name: str, tmp_path: Path) -> polib.POFile | None:
    source = ROOT / app_name.replace(".", "/")
    copy = tmp_path / source.name
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "tests"))
    (copy / "locale").mkdir(exist_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "true",
    }
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "nl", "--no-obsolete", "--no-wrap", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    po_path = copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(po_path)) if po_path.exists() else None


@pytest.mark.parametrize("app_name", SAMEN_APPS)
def test_every_string_has_a_dutch_translation(app_name, tmp_path):
    assert _xgettext_available(), "GNU gettext is missing (apt-get install gettext): translations cannot be checked"
    catalogue = _extract(app_name, tmp_path)
    if catalogue is None:
        return  # the app has no translatable strings
    missing = [entry.msgid for entry in catalogue if not entry.obsolete and not entry.translated()]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert not missing, f"{app_name}: Dutch translation missing for {missing}"
    assert not fuzzy, f"{app_name}: fuzzy Dutch translation for {fuzzy}"


def test_dutch_is_the_default_language(settings):
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]

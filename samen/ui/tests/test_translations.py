"""The Dutch of the ui and home catalogues is what users see: not shadowed by another app's catalogue.

Django merges every app's catalogue and the first app in INSTALLED_APPS wins, so a msgid that
Django's admin also translates ("Home", "Log out") would silently show the admin's Dutch; such
strings get a context (``{% translate "Home" context "navigation" %}``).
"""

from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext

SAMEN = Path(__file__).resolve().parents[2]
CATALOGUES = [SAMEN / app / "locale" / "nl" / "LC_MESSAGES" / "django.po" for app in ("ui", "home")]


def _shown(entry: polib.POEntry) -> tuple[str, str]:
    if entry.msgid_plural:
        if entry.msgctxt:
            return npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2), entry.msgstr_plural[1]
        return ngettext(entry.msgid, entry.msgid_plural, 2), entry.msgstr_plural[1]
    if entry.msgctxt:
        return pgettext(entry.msgctxt, entry.msgid), entry.msgstr
    return gettext(entry.msgid), entry.msgstr


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parents[3].name)
def test_dutch_translations_take_effect(path):
    assert path.with_suffix(".mo").exists(), "the root conftest compiles the catalogues before the tests"
    shadowed = []
    with translation.override("nl"):
        for entry in polib.pofile(str(path)):
            shown, expected = _shown(entry)
            if shown != expected:
                shadowed.append(f"{entry.msgid!r}: shows {shown!r}, not {expected!r}")
    assert not shadowed

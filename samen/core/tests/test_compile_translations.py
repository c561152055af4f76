"""compile_translations: only what changed, written in one step, readable, nothing left behind."""

import gettext
import os
import stat

import polib

from samen.core.management.commands import compile_translations


def _catalogue(folder):
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Reminders", msgstr="Herinneringen"))
    path = folder / "nl" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    po.save(str(path))
    return path


def test_a_changed_catalogue_is_compiled_once_and_left_whole(tmp_path, monkeypatch):
    po_path = _catalogue(tmp_path)
    monkeypatch.setattr(compile_translations, "catalogue_dirs", lambda: [tmp_path])
    assert compile_translations.compile_catalogues() == 1
    mo_path = po_path.with_suffix(".mo")
    with mo_path.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Reminders") == "Herinneringen"
    assert stat.S_IMODE(mo_path.stat().st_mode) == 0o644
    assert sorted(path.name for path in po_path.parent.iterdir()) == ["django.mo", "django.po"]
    assert compile_translations.compile_catalogues() == 0  # nothing changed since
    later = mo_path.stat().st_mtime + 10
    os.utime(po_path, (later, later))
    assert compile_translations.compile_catalogues() == 1

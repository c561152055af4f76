"""Compile every Samen app's ``locale/*/LC_MESSAGES/*.po`` to ``.mo`` with polib (no GNU gettext needed)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_dirs() -> list[Path]:
    """Every folder that holds translations: each Samen app's ``locale/`` and LOCALE_PATHS."""
    dirs = [Path(config.path) / "locale" for config in apps.get_app_configs() if config.name.startswith("samen.")]
    return [d for d in [*dirs, *map(Path, settings.LOCALE_PATHS)] if d.is_dir()]


def compile_catalogues() -> int:
    """Compile every catalogue whose .po is newer than its .mo; return how many were compiled."""
    compiled = 0
    for locale_dir in catalogue_dirs():
        for po_path in locale_dir.glob("*/LC_MESSAGES/*.po"):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            # Written beside it under a unique name, then moved in place in one step: a test run or server in the
            # same checkout that reads the .mo meanwhile sees the old file or the new one, never half a file.
            handle, temporary = tempfile.mkstemp(dir=mo_path.parent, prefix=f".{mo_path.name}.", suffix=".tmp")
            os.close(handle)
            try:
                polib.pofile(str(po_path)).save_as_mofile(temporary)
                os.chmod(temporary, 0o644)  # readable like any file in the checkout (mkstemp makes it private)
                os.replace(temporary, mo_path)
            finally:
                Path(temporary).unlink(missing_ok=True)
            compiled += 1
    return compiled


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo); only catalogues that changed."

    def handle(self, *args, **options) -> None:
        compiled = compile_catalogues()
        if options["verbosity"] > 1 or compiled:
            self.stdout.write(f"Compiled {compiled} translation catalogue(s).")

"""``manage.py import_hsds FILE``: import an HSDS 3.0 JSON file into the social map, all or nothing
(``samen.socialmap.importing.hsds_import``), with a progress bar on stderr. Refused: the errors per record, and exit
status 1."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.core.actor import SYSTEM
from samen.core.progress import Progress
from samen.socialmap import importing
from samen.socialmap.models import ImportStatus


class Command(BaseCommand):
    help = "Import an HSDS 3.0 JSON file into the social map (all or nothing, idempotent by HSDS id)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", type=Path, help="An HSDS JSON file: one object, a list, an API page or lists by type."
        )

    def handle(self, *args, file: Path, verbosity: int = 1, **options):
        try:
            data = importing.read_json(file.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except importing.FileUnreadable as error:
            raise CommandError(f"{file}: {error}") from None
        total = importing.count_records(data)
        with Progress(total, stream=self.stderr, label="HSDS records", enabled=verbosity > 0) as progress:
            result = importing.hsds_import(actor=SYSTEM, data=data, filename=file.name, progress=progress)
        if result.status == ImportStatus.REFUSED:
            for error in result.errors:
                self.stderr.write(f"{error['record']}: {error['field']}: {error['reason']}")
            raise CommandError(f"Refused: nothing was imported ({len(result.errors)} errors).")
        for note in result.errors:
            self.stderr.write(f"Note: {note['record']}: {note['field']}: {note['reason']}")
        self.stdout.write(
            f"Imported {result.total} records from {file.name}: {result.created} new, {result.updated} changed."
        )

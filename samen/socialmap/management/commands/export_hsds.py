"""``manage.py export_hsds FILE``: write the whole social map as one HSDS 3.0 JSON file (lists of organizations,
services, locations, taxonomies and taxonomy terms; ``import_hsds`` reads it back). A service carries its capacity as
HSDS 3.1's ``capacities`` (``hsds.capacity_data``). Every record is checked against the official schemas first: an
export that would not validate is not written."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samen.socialmap import hsds


class Command(BaseCommand):
    help = "Write the social map as an HSDS 3.0 JSON file, checked against the official schemas."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Where to write the JSON ('-' for standard output).")

    def handle(self, *args, file: Path, **options):
        data = hsds.export_data()
        errors = hsds.export_errors(data)
        if errors:
            for error in errors:
                self.stderr.write(f"{error.record}: {error.field}: {error.reason}")
            raise CommandError(f"Not written: {len(errors)} records do not validate against HSDS 3.0.")
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if str(file) == "-":
            self.stdout.write(text)
            return
        file.write_text(text + "\n", encoding="utf-8")
        counts = ", ".join(f"{len(records)} {key}" for key, records in data.items())
        self.stderr.write(f"Wrote {file}: {counts}.")

"""``manage.py demo_logins``: print the demo accounts as a table (``make run`` shows it)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import translation

from samen.accounts.models import User
from samen.demo.logins import DEMO_LOGINS, DEMO_PASSWORD

DEFAULT_URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Print the demo logins: role, e-mail address, password and what each one is for."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default=DEFAULT_URL, help=f"where Samen runs (default {DEFAULT_URL})")

    def handle(self, *args, url: str, **options) -> None:
        with translation.override("en"):
            rows = [("Role", "E-mail", "Password", "Description")] + [
                (str(login.role.label), login.email, DEMO_PASSWORD, login.description) for login in DEMO_LOGINS
            ]
        widths = [max(len(row[column]) for row in rows) for column in range(3)]

        def line(row: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3]

        self.stdout.write("")
        self.stdout.write(f"Open {url} and log in with a demo account (synthetic data, one shared password):")
        self.stdout.write(line(rows[0]))
        self.stdout.write("  ".join("-" * width for width in widths) + "  " + "-" * len(rows[0][3]))
        for row in rows[1:]:
            self.stdout.write(line(row))
        self.stdout.write("")
        existing = User.objects.filter(email__in=[login.email for login in DEMO_LOGINS]).count()
        if existing < len(DEMO_LOGINS):
            self.stderr.write(
                self.style.WARNING("The demo accounts do not exist yet: run `manage.py demo_municipality` first.")
            )

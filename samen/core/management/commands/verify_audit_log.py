"""Walk the hash-chained audit log and report every changed, inserted or deleted entry."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from samen.core.audit import verify_chain
from samen.core.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; exits with an error when an entry was changed or deleted."

    def handle(self, *args, **options) -> None:
        problems = list(verify_chain())
        if problems:
            for problem in problems:
                where = f"entry {problem.sequence}" if problem.sequence is not None else "log"
                self.stderr.write(f"{where}: {problem.message}")
            raise CommandError(f"The audit log has been tampered with: {len(problems)} problem(s) found.")
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {AuditEntry.objects.count()} entries verified."))

"""Walk the hash-chained audit log and report every changed, inserted or deleted entry; with ``--anchor``, then
store the heads of the streams in an anchor entry (run it nightly, see the README)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from samen.core.audit import verify_chain, write_anchor
from samen.core.models import AuditChainHead, AuditEntry


class Command(BaseCommand):
    help = (
        "Verify the audit log's hash chains (one per stream); exits with an error when an entry was changed or "
        "deleted. With --anchor, an intact log then gets an anchor entry holding every stream's newest entry."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--anchor",
            action="store_true",
            help="After a successful check, anchor the heads of the streams that moved since the last anchor.",
        )

    def handle(self, *args, **options) -> None:
        problems = list(verify_chain())
        if problems:
            for problem in problems:
                where = f"entry {problem.sequence}" if problem.sequence is not None else "stream"
                self.stderr.write(f"{problem.stream or 'log'}, {where}: {problem.message}")
            raise CommandError(f"The audit log has been tampered with: {len(problems)} problem(s) found.")
        entries, streams = AuditEntry.objects.count(), AuditChainHead.objects.count()
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {entries} entries in {streams} streams verified."))
        if options["anchor"]:
            anchor = write_anchor()
            if anchor is None:
                self.stdout.write("No stream moved since the last anchor.")
            else:
                # Keep this line outside the database too (a log shipper, a mail): see the README's threat model.
                self.stdout.write(
                    f"Anchored {len(anchor.changes['heads'])} stream head(s) in entry {anchor.sequence} "
                    f"(anchor {anchor.stream_sequence}, hash {anchor.entry_hash})."
                )

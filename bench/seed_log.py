"""Give a household a long (or short) access log, for "Wie keek" with 10 and with 100,000 entries.

    python -m bench.seed_log --household <id> --entries <n>    (with the benchmark server's environment)

Every entry is written through ``samen.core.audit.record``, the log's only writer, as a read by one of the
household's team members in turn (their own Actor), in one of the data categories in turn. Batches of 1,000
entries share a transaction. When ``record`` takes the time of the entry (an ``occurred_at`` argument), the
entries are spread over ``--days`` days back from now; otherwise they all fall on today, and the output says so.
The household ends with about ``--entries`` entries: the ones it already has count (when the log can be counted).
Prints JSON: the entries written, the seconds it took, and the days they are spread over; and the progress
on stderr, every 10,000 entries (writing 100,000 should take a minute or two; when it slows down as the log grows,
a query of the writer grows with the log).
"""

from __future__ import annotations

import argparse
import datetime
import inspect
import json
import sys
import time

BATCH = 1000
PROGRESS = 10_000  # a line on stderr every this many entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--household", type=int, required=True)
    parser.add_argument("--entries", type=int, required=True)
    parser.add_argument("--days", type=int, default=730, help="spread over this many days, if record allows (730)")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from samen.consent.models import DataCategory
    from samen.core import audit
    from samen.core.models import AuditAction
    from samen.households.models import TeamMember
    from samen.organisations.actors import actor_for_user

    places = TeamMember.objects.filter(household_id=args.household, user__isnull=False).select_related("user")
    users = {place.user_id: place.user for place in places}
    if not users:
        print(f"household {args.household} has nobody in its team to read its log as", file=sys.stderr)
        return 1
    actors = [actor_for_user(user) for user in users.values()]
    categories = list(DataCategory)
    try:
        from samen.core.models import AuditEntry

        existing = AuditEntry.objects.filter(household_id=args.household).count()
    except Exception:  # the log's storage is being reworked: then count nothing
        existing = 0
    wanted = max(0, args.entries - existing)
    takes_time = "occurred_at" in inspect.signature(audit.record).parameters
    now = timezone.now()
    step = datetime.timedelta(days=args.days) / max(1, wanted)

    started = time.monotonic()
    written = 0
    while written < wanted:
        with transaction.atomic():
            for number in range(written, min(wanted, written + BATCH)):
                extra = {"occurred_at": now - (wanted - number) * step} if takes_time else {}
                audit.record(
                    actor=actors[number % len(actors)],
                    action=AuditAction.READ,
                    household_id=args.household,
                    data_category=categories[number % len(categories)],
                    **extra,
                )
        written = min(wanted, written + BATCH)
        if written % PROGRESS == 0 or written == wanted:
            took = time.monotonic() - started
            print(
                f"    {written:,} of {wanted:,} entries for household {args.household} in {took:.0f} s "
                f"({written / took if took else 0:.0f} per second)",
                file=sys.stderr,
                flush=True,
            )
    json.dump(
        {
            "existing": existing,
            "written": written,
            "seconds": round(time.monotonic() - started, 1),
            "spread_days": args.days if takes_time and written else 0,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

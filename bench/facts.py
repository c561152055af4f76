"""What ``bench/run.py --suite households`` needs to know about a benchmark database, printed as JSON.

Run in a subprocess per database (``python -m bench.facts``, with the server's environment), because each
size of the benchmark has its own database and Django is set up once per process.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    import django

    django.setup()
    from django.utils import translation

    from samen.core.actor import Role
    from samen.demo.logins import DEMO_LOGINS
    from samen.households.models import HouseholdMember

    citizen = next(login for login in DEMO_LOGINS if login.role == Role.CITIZEN)
    member = HouseholdMember.objects.select_related("household").get(user__email=citizen.email)
    with translation.override("nl"):
        caseload_heading = translation.gettext("My households")
    json.dump(
        {
            "household_id": member.household_id,
            "household_name": member.household.name,
            "caseload_heading": caseload_heading,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What ``bench/run.py`` needs to know about a benchmark database, printed as JSON.

Run in a subprocess per database (``python -m bench.facts``, with the server's environment), because each
size of the benchmark has its own database and Django is set up once per process.

- the showcase household (the demo citizen's, in the demo coordinator's caseload): id and name;
- per page of ``bench/pages.py`` the marker of the right page: its Dutch ``<h1>`` read from the catalogue (and
  the household's name where the page shows it), HTML-escaped as the templates escape it;
- the demo coordinator's name and role label (also on the coordinator's home page);
- the size of the demo coordinator's caseload (the households they may see), which the households suite
  compares between sizes;
- two more households in the coordinator's caseload, for "Wie keek" with a short and a long access log.
"""

from __future__ import annotations

import json
import sys


def page_markers(household_name: str, coordinator_name: str) -> tuple[dict[str, list[str]], list[str]]:
    """Per page of ``bench/pages.py`` its markers (its Dutch ``<h1>``, the household's name where the page shows
    it; on the coordinator's home page also the role and the name), and the headings without a Dutch translation.
    Escaped as the templates escape them: ``{% blocktranslate %}`` escapes the name only, ``{% translate %}`` all.
    """
    from django.utils import translation
    from django.utils.html import escape
    from django.utils.text import capfirst

    from bench.pages import PAGES
    from samen.core.actor import Role

    markers: dict[str, list[str]] = {}
    untranslated: list[str] = []
    with translation.override("nl"):
        for page in PAGES:
            dutch = translation.gettext(page.heading)
            if dutch == page.heading:
                untranslated.append(page.heading)
            heading = dutch % {"name": escape(household_name)} if "%(name)s" in page.heading else escape(dutch)
            markers[page.key] = [f"<h1>{heading}</h1>"]
            if page.shows_household:
                markers[page.key].append(str(escape(household_name)))
        markers["home"] += [str(escape(capfirst(str(Role.COORDINATOR.label)))), str(escape(coordinator_name))]
    return markers, untranslated


def main() -> int:
    import django

    django.setup()
    from django.db import connections

    from samen.accounts.models import User
    from samen.consent.policies import households_visible_to
    from samen.core.actor import Role
    from samen.demo.logins import DEMO_LOGINS
    from samen.households.models import HouseholdMember
    from samen.organisations.actors import actor_for_user

    def login(role: Role):
        return next(login for login in DEMO_LOGINS if login.role == role)

    member = HouseholdMember.objects.select_related("household").get(user__email=login(Role.CITIZEN).email)
    household = member.household
    coordinator = User.objects.get(email=login(Role.COORDINATOR).email)
    caseload = households_visible_to(actor_for_user(coordinator)).order_by("pk")
    others = list(caseload.exclude(pk=household.pk).values_list("pk", flat=True)[:2])

    markers, untranslated = page_markers(household.name, coordinator.get_full_name())
    if untranslated:
        print(f"no Dutch translation for the headings {untranslated} (see bench/pages.py)", file=sys.stderr)
        return 1
    json.dump(
        {
            "household_id": household.pk,
            "household_name": household.name,
            "markers": markers,
            "caseload_size": caseload.count(),
            "log_households": others,
        },
        sys.stdout,
    )
    connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What ``bench/run.py`` needs to know about a benchmark database, printed as JSON.

Run in a subprocess per database (``python -m bench.facts``, with the server's environment), because each
size of the benchmark has its own database and Django is set up once per process.

- the showcase household (the demo citizen's, in the demo coordinator's caseload): id and name;
- per page of ``bench/pages.py`` the marker of the right page: its Dutch ``<h1>`` read from the catalogue (and
  the household's name where the page shows it), HTML-escaped as the templates escape it;
- the demo coordinator's name and role label (also on the coordinator's home page);
- the size of the demo coordinator's caseload (the households they may see), which the households suite
  compares between sizes;
- two more households in the coordinator's caseload, for "Wie keek" with a short and a long access log;
- the showcase service of the social map: the first the search finds for ``SERVICE_QUERY`` (what the
  coordinator opens from the search page), its id and name.
"""

from __future__ import annotations

import json
import sys

from bench.pages import SERVICE_QUERY


def page_markers(
    household_name: str, coordinator_name: str, service_name: str = ""
) -> tuple[dict[str, list[str]], list[str]]:
    """Per page of ``bench/pages.py`` its markers (its Dutch ``<h1>``, or the service's name; the household's name
    where the page shows it; a section's Dutch ``<h2>``; on the coordinator's home page also the role and the
    name), and the headings without a Dutch translation. Escaped as the templates escape them:
    ``{% blocktranslate %}`` escapes the name only, ``{% translate %}`` all.
    """
    from django.utils import translation
    from django.utils.html import escape
    from django.utils.text import capfirst

    from bench.pages import PAGES, SERVICE_NAME
    from samen.core.actor import Role

    markers: dict[str, list[str]] = {}
    untranslated: list[str] = []

    def dutch_of(msgid: str) -> str:
        dutch = translation.gettext(msgid)
        if dutch == msgid:
            untranslated.append(msgid)
        return dutch

    with translation.override("nl"):
        for page in PAGES:
            if page.heading == SERVICE_NAME:
                heading = escape(service_name)
            elif "%(name)s" in page.heading:
                heading = dutch_of(page.heading) % {"name": escape(household_name)}
            else:
                heading = escape(dutch_of(page.heading))
            markers[page.key] = [f"<h1>{heading}</h1>"]
            if page.shows_household:
                markers[page.key].append(str(escape(household_name)))
            if page.section:
                markers[page.key].append(f">{escape(dutch_of(page.section))}</h2>")
        markers["home"] += [str(escape(capfirst(str(Role.COORDINATOR.label)))), str(escape(coordinator_name))]
    return markers, untranslated


def showcase_service():
    """The service the coordinator opens from the search page: the first result for ``SERVICE_QUERY``."""
    from samen.socialmap.search import search

    found = search(SERVICE_QUERY).services
    return found[0] if found else None


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

    service = showcase_service()
    if service is None:
        print(f"the social map finds nothing for {SERVICE_QUERY!r} (see bench/pages.py)", file=sys.stderr)
        return 1

    markers, untranslated = page_markers(household.name, coordinator.get_full_name(), service.name)
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
            "service_id": str(service.pk),
            "service_name": service.name,
        },
        sys.stdout,
    )
    connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())

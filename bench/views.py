"""The baselines for ``bench/run.py``: a bare Django view, the same for a logged-in user, and a reference page.

``?items=N`` sets the number of rows, so the benchmark can make each page as large as the pages it compares
it with (the templates' markup resembles a Samen page with a table).

- ``bare``: renders a template, no database work: what Django and gunicorn cost here.
- ``bare_signed_in``: the same for a logged-in user (the session, the user and the Actor are loaded by the
  middleware): the login floor, what every logged-in page pays before doing its own work.
- ``reference``: logged in, exactly five simple ORM queries and one access-log entry written through
  ``samen.core.audit.record`` inside ``transaction.atomic()``, rendered with a plain template: what "a page that
  reads through the ORM and writes an access entry" costs here, without the policies and components of a real
  page. ``?household=<id>`` names the household it reads (the showcase household in the benchmark).
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import render

from samen.consent.models import DataCategory
from samen.core import audit
from samen.core.models import AuditAction
from samen.households.models import Household, HouseholdMember, TeamMember
from samen.organisations.models import Membership

DEFAULT_ITEMS = 50
MAX_ITEMS = 5000


def bare(request):
    return render(request, "bench/bare.html", {"items": _items(request)})


def bare_signed_in(request):
    """The bare page for a logged-in user: loads the session, the user and the Actor (what every
    logged-in page pays before doing its own work), then renders the same template."""
    if not request.actor.is_authenticated:
        return HttpResponseForbidden("log in first")
    return render(request, "bench/bare.html", {"items": _items(request)})


def reference(request):
    """Five queries (the user's memberships, a household by pk, its members, a count, a small list) and one
    access-log entry; no policy, no consent check: a yardstick, not a page to copy."""
    actor = request.actor
    if not actor.is_authenticated:
        return HttpResponseForbidden("log in first")
    try:
        household_id = int(request.GET.get("household", ""))
    except ValueError:
        raise Http404("?household=<id> is missing") from None
    memberships = list(Membership.objects.filter(user_id=actor.user_id, is_active=True).select_related("organisation"))
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        raise Http404("no such household")
    members = list(HouseholdMember.objects.filter(household_id=household.pk).order_by("pk"))
    team_size = TeamMember.objects.filter(household_id=household.pk, left_at__isnull=True).count()
    neighbours = list(Household.objects.order_by("pk").values("pk", "name")[:5])
    with transaction.atomic():
        audit.record(
            actor=actor, action=AuditAction.READ, household_id=household.pk, data_category=DataCategory.GENERAL
        )
    context = {
        "memberships": memberships,
        "household": household,
        "members": members,
        "team_size": team_size,
        "neighbours": neighbours,
        "items": _items(request),
    }
    return render(request, "bench/reference.html", context)


def _items(request) -> list[dict]:
    try:
        count = int(request.GET.get("items", DEFAULT_ITEMS))
    except ValueError:
        count = DEFAULT_ITEMS
    count = max(0, min(count, MAX_ITEMS))
    return [
        {"number": number, "name": f"Huishouden {number}", "href": f"/huishoudens/{number}/", "status": "actief"}
        for number in range(1, count + 1)
    ]

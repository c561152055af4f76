""" "Mijn huishoudens": the households a professional, coordinator or client supporter works in.

One URL, one view, two renderings: the whole page, or (for htmx) the ``results`` partial with the form and
the list. The search is a GET form that works without JavaScript. One access-log entry per page shown, naming
the households on it.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from samen.caseload import selectors
from samen.caseload.forms import CaseloadForm
from samen.consent.models import DataCategory
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction
from samen.core.policy import require
from samen.households.models import Household

PAGE_SIZE = 25


def _date(moment: datetime.datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y") if moment is not None else "—"


def _role_cell(actor: Actor, household: Household) -> dict:
    if household.is_coordinator:
        role, kind = _("coordinator"), "active"
    elif household.is_team_member:
        role = _("independent client supporter") if actor.role == Role.CLIENT_SUPPORTER else _("team member")
        kind = "neutral"
    else:
        role, kind = "", "neutral"
    if household.is_emergency:
        emergency = _("emergency access")
        role, kind = (f"{role}, {emergency}" if role else emergency), "danger"
    return {"text": role, "badge": kind}


def _row(actor: Actor, household: Household) -> list:
    return [
        {"text": household.name, "href": reverse("dossier:overview", args=[household.pk])},
        _role_cell(actor, household),
        household.coordinator_organisation or _("no coordinator yet"),
        household.team_size or 0,
        _date(household.access_since),
    ]


def _page_number(request: HttpRequest) -> tuple[str, bool]:
    """The page asked for, and whether it was a page number at all."""
    value = request.GET.get("page", "")
    if value == "" or (value.isascii() and value.isdigit() and int(value) >= 1):
        return value or "1", True
    return "1", False


@require_safe
def caseload(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(actor, "caseload.view", hide=True)
    now = timezone.now()
    form = CaseloadForm(request.GET or None)
    query, only = form.search() if form.is_bound else ("", "")
    number, page_is_valid = _page_number(request)
    page = Paginator(selectors.caseload(actor, query=query, only=only, now=now), PAGE_SIZE).get_page(number)
    households = list(page.object_list)
    context = {
        "form": form,
        "has_errors": form.is_bound and bool(form.errors),
        "page_is_valid": page_is_valid,
        "query": query,
        "only": only,
        "page_obj": page,
        "rows": [_row(actor, household) for household in households],
        "numeric_columns": (3,),
        "headers": [_("Household"), _("Your role"), _("Coordinator"), _("Team"), _("Access since")],
        "is_searching": bool(query or only),
        "waiting": [
            {"number": place.household_id, "asked_on": _date(place.asked_at)}
            for place in selectors.waiting_for_permission(actor, now=now)
        ],
        "waiting_limit": selectors.WAITING_ROWS,
    }
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        object_type="caseload",
        household_id=None,
        data_category=DataCategory.GENERAL.value,
        changes={"households": [household.pk for household in households]},
        description="caseload",
    )
    template = "caseload/list.html#results" if request.htmx else "caseload/list.html"
    return render(request, template, context)

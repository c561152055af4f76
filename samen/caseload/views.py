""" "Mijn huishoudens": the households a professional, coordinator or client supporter works in.

One URL, one view, two renderings: the whole page, or (for htmx) the ``results`` partial with the form and
the list. The search is a GET form that works without JavaScript. At the top, what needs the person (the work
queue, over all their households); the list shows it per household and sorts on it (``?sort=``: what needs
attention first by default, by name, or by access date; an unknown value sorts as the default). Searching, the
filter, sorting and paging keep each other. One access-log entry per page shown, naming the households on it.
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
from django.utils.translation import ngettext
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
NOTHING = "—"  # a cell without a value (zero, no date): a dash reads better than a blank, also stacked on a phone


def _date(moment: datetime.datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y") if moment is not None else NOTHING


def _role_cell(actor: Actor, household: Household) -> dict:
    if household.is_coordinator:
        role, kind = _("coordinator"), "active"
        if household.handovers_to_me:
            role = _("coordinator, handed over to you")
    elif household.is_team_member:
        role = _("independent client supporter") if actor.role == Role.CLIENT_SUPPORTER else _("team member")
        kind = "neutral"
    else:
        role, kind = "", "neutral"
    if household.is_emergency:
        emergency = _("emergency access")
        role, kind = (f"{role}, {emergency}" if role else emergency), "danger"
    return {"text": role, "badge": kind}


def _count(number: int) -> int | str:
    return number or NOTHING


def _consent_cell(household: Household) -> str:
    """Consent requests of the actor's organisation: "1 waiting, 1 answered"; nothing when there are none."""
    waiting, answered = household.requests_open, household.requests_answered
    parts = [
        ngettext("%(count)d waiting", "%(count)d waiting", waiting) % {"count": waiting} if waiting else "",
        ngettext("%(count)d answered", "%(count)d answered", answered) % {"count": answered} if answered else "",
    ]
    return ", ".join(part for part in parts if part) or NOTHING


def _row(actor: Actor, household: Household) -> list:
    return [
        {"text": household.name, "href": reverse("dossier:overview", args=[household.pk])},
        _role_cell(actor, household),
        _count(household.overdue_actions),
        _count(household.evaluations_due),
        _consent_cell(household),
        household.coordinator_organisation or _("no coordinator yet"),
        household.team_size or 0,
        _date(household.access_since),
    ]


def _sort(request: HttpRequest) -> str:
    """The sort asked for; anything unknown (or missing) sorts as the default, without a message."""
    value = request.GET.get("sort", "")
    return value if value in selectors.SORTS else selectors.DEFAULT_SORT


def _sort_url(query: str, only: str, sort: str) -> str:
    """The list sorted by ``sort``, keeping the search and the filter, from the first page."""
    return selectors.caseload_url(q=query, filter=only, sort="" if sort == selectors.DEFAULT_SORT else sort)


def _headers(query: str, only: str, sort: str) -> list:
    """The column headers; the sortable ones as ``{"text", "href", "sort"}`` (``sort``: the aria-sort value)."""

    def sortable(text: str, key: str, direction: str) -> dict:
        return {"text": text, "href": _sort_url(query, only, key), "sort": direction if sort == key else ""}

    return [
        sortable(_("Household"), selectors.SORT_NAME, "ascending"),
        _("Your role"),
        _("Past date"),
        _("Evaluation"),
        _("Consent"),
        _("Coordinator"),
        _("Team"),
        sortable(_("Access since"), selectors.SORT_ACCESS, "descending"),
    ]


def _sort_links(query: str, only: str, sort: str) -> list[dict]:
    labels = {
        selectors.SORT_ATTENTION: _("what needs attention"),
        selectors.SORT_NAME: _("name"),
        selectors.SORT_ACCESS: _("newest access first"),
    }
    return [
        {"text": labels[key], "href": _sort_url(query, only, key), "current": key == sort} for key in selectors.SORTS
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
    sort = _sort(request)
    number, page_is_valid = _page_number(request)
    everything = selectors.caseload(actor, sort=sort, now=now)  # the whole caseload: the work queue sums it all
    rows = selectors.narrow(everything, query=query, only=only)
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    households = list(page.object_list)
    context = {
        "form": form,
        "has_errors": form.is_bound and bool(form.errors),
        "page_is_valid": page_is_valid,
        "query": query,
        "only": only,
        "sort": sort,
        "keep_sort": "" if sort == selectors.DEFAULT_SORT else sort,
        "sort_links": _sort_links(query, only, sort),
        "page_obj": page,
        "rows": [_row(actor, household) for household in households],
        "numeric_columns": (2, 3, 6),
        "headers": _headers(query, only, sort),
        "is_searching": bool(query or only),
        "waiting": [
            {"number": place.household_id, "asked_on": _date(place.asked_at)}
            for place in selectors.waiting_for_permission(actor, now=now)
        ],
        "waiting_limit": selectors.WAITING_ROWS,
    }
    if not request.htmx:  # the work queue sits above the results: the htmx rendering does not show it
        context["attention_lines"] = selectors.attention_lines(selectors.attention_totals(actor, rows=everything))
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

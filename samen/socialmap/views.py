"""The social map's pages: search with filters ("Sociale kaart"), a service, and, for the organisations that keep
entries, "Our services" with a page to change a service and its capacity.

Search for a household: opened from a household's plan (``?household=<id>``), the page checks the household's gate
(404 for anyone who may not see its plan), writes one access entry (action ``search``) for the household, and each
result offers "add to the plan" and, where the organisation is in Samen, "refer". Without a household the search
writes nothing: the directory holds no personal data.

One URL, two renderings: the whole page, or for htmx the ``results`` partial (live results while typing); the form
works as a plain GET form without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samen.consent.policies import HouseholdAccess, household_access
from samen.consent.workspace import workspace
from samen.core import audit
from samen.core.actor import Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.core.vocabulary import DataCategory
from samen.socialmap import search as search_engine
from samen.socialmap import selectors, services
from samen.socialmap.forms import CapacityForm, SearchForm, ServiceForm
from samen.socialmap.models import Service, ServiceStatus

DAY_NAMES = {
    "MO": gettext_lazy("Monday"),
    "TU": gettext_lazy("Tuesday"),
    "WE": gettext_lazy("Wednesday"),
    "TH": gettext_lazy("Thursday"),
    "FR": gettext_lazy("Friday"),
    "SA": gettext_lazy("Saturday"),
    "SU": gettext_lazy("Sunday"),
}
SUMMARY_CHARS = 180


def _login(request: HttpRequest) -> HttpResponse | None:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(request.actor, "socialmap.search")
    return None


def _household_context(request: HttpRequest) -> HouseholdAccess | None:
    """The household the search is for (``?household=<id>``): its gate and its plan's rule, 404 otherwise."""
    raw = request.GET.get("household", "")
    if not raw:
        return None
    access = household_access(request.actor, raw)
    require(request.actor, "plans.view", (access.household, access.visible), hide=True)
    return access


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y") if moment else ""


def _capacity_text(capacities) -> tuple[str, str]:
    """The room a service has, in words, and the badge kind: free places, or full with how many wait."""
    if not capacities:
        return "", ""
    capacity = capacities[0]
    if capacity.available > 0:
        text = ngettext("%(count)d place free", "%(count)d places free", capacity.available) % {
            "count": capacity.available
        }
        return text, "success"
    if capacity.waiting:
        return ngettext("Full: %(count)d person waiting", "Full: %(count)d people waiting", capacity.waiting) % {
            "count": capacity.waiting
        }, "warning"
    return _("Full at the moment"), "warning"


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + " …"


def _card(service: Service, categories, capacities, *, household_id, now) -> dict:
    capacity, capacity_kind = _capacity_text(capacities)
    query = f"?{urlencode({'household': household_id})}" if household_id else ""
    return {
        "id": service.pk,
        "name": service.name,
        "organization": service.organization.name,
        "summary": _summary(service.description),
        "url": reverse("socialmap:service", args=[service.pk]) + query,
        "categories": categories,
        "is_free": service.is_free,
        "informal": service.informal,
        "capacity": capacity,
        "capacity_kind": capacity_kind,
        "closed": service.status == ServiceStatus.TEMPORARILY_CLOSED,
        "stale": selectors.is_stale(service, now),
        "add_url": reverse("plans:add_service_action", args=[household_id, service.pk]) if household_id else "",
    }


def _record_search(request: HttpRequest, access: HouseholdAccess) -> None:
    """NEN 7513: a search made for a household is logged for that household (not what was searched: the words may
    say more than the log needs)."""
    audit.record(
        actor=request.actor,
        action=AuditAction.SEARCH,
        obj=access.household,
        household_id=access.household.pk,
        data_category=DataCategory.GENERAL.value,
        purpose=AuditPurpose.CITIZEN if request.actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION,
        description="social map search",
    )


# Nobody reads 500 pages of results; a larger number (or one too large for the database's integers) is the last page.
MAX_PAGE = 500


def _page_number(request: HttpRequest) -> int:
    """``?page=`` as a page number from 1 to ``MAX_PAGE``; anything else is page 1."""
    try:
        return min(max(int(request.GET.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        return 1


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    access = _household_context(request)
    category_options, language_options = selectors.filter_choices()
    form = SearchForm(request.GET, categories=category_options, languages=language_options)
    page = _page_number(request)
    results = None
    cards = []
    if form.is_valid():
        now = timezone.now()
        results = search_engine.search(form.cleaned_data["q"], form.filters(), page=page, now=now)
        categories, capacities = selectors.result_details(results.services)
        household_id = access.household.pk if access else None
        cards = [
            _card(s, categories.get(s.pk, []), capacities.get(s.pk, []), household_id=household_id, now=now)
            for s in results.services
        ]
    if access is not None:
        _record_search(request, access)
    query = request.GET.copy()
    query.pop("page", None)

    def page_url(number: int) -> str:
        query["page"] = number
        return f"?{query.urlencode()}"

    context = {
        "form": form,
        "results": results,
        "cards": cards,
        "household": access.household if access else None,
        "household_id": access.household.pk if access else "",
        "plan_url": reverse("plans:plan", args=[access.household.pk]) if access else "",
        "previous_url": page_url(results.page - 1) if results and results.page > 1 else "",
        "next_url": page_url(results.page + 1) if results and results.has_next else "",
        "may_maintain": can(request.actor, "socialmap.maintain_any"),
    }
    if access is not None:
        context["workspace"] = workspace(request, access.household, current="plan", access=access)
    context["base"] = "ui/household.html" if access is not None else "ui/base.html"
    template = "socialmap/search.html#results" if request.htmx else "socialmap/search.html"
    return render(request, template, context)


def _schedule_rows(schedules) -> list[tuple]:
    rows = []
    for schedule in schedules:
        days = [str(DAY_NAMES[code]) for code in schedule.byday.split(",") if code.strip() in DAY_NAMES]
        hours = ""
        if schedule.opens_at and schedule.closes_at:
            hours = f"{schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}"
        text = ", ".join(days)
        rows.append((text or schedule.description or _("Opening hours"), hours or schedule.notes, False))
    return rows


@require_safe
def service_detail(request: HttpRequest, service_id: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    access = _household_context(request)
    page = selectors.service_page(service_id)
    if page is None:
        raise Http404
    service = page.service
    now = timezone.now()
    capacities = list(service.capacities.all())
    capacity, capacity_kind = _capacity_text(capacities)
    locations = page.locations
    organisation = service.organization.maintainer
    household = access.household if access else None
    referral_url = ""
    if household is not None and organisation is not None and organisation.is_active:
        referral_url = (
            reverse("referrals:new", args=[household.pk])
            + "?"
            + urlencode({"organisation": organisation.pk, "service": service.pk})
        )
    context = {
        "service": service,
        "categories": page.categories,
        "capacity": capacity,
        "capacity_kind": capacity_kind,
        "capacity_row": capacities[0] if capacities else None,
        "locations": locations,
        "schedules": _schedule_rows(page.schedules),
        "languages": [language.name or language.code for language in service.languages.all()],
        "phones": page.phones,
        "accessibility": [item for loc in locations for item in loc.accessibility.all()],
        "costs": list(service.cost_options.all()),
        "areas": [area.name for area in service.service_areas.all() if area.name],
        "checked": _date(service.checked_at),
        "stale": selectors.is_stale(service, now),
        "closed": service.status == ServiceStatus.TEMPORARILY_CLOSED,
        "household": household,
        "add_url": reverse("plans:add_service_action", args=[household.pk, service.pk]) if household else "",
        "referral_url": referral_url,
        "network_url": (
            reverse("socialmap:network_add", args=[household.pk]) + "?" + urlencode({"dienst": service.pk})
            if access is not None and can(request.actor, "socialmap.network_edit", access)
            else ""
        ),
        "back_url": reverse("socialmap:search") + (f"?{urlencode({'household': household.pk})}" if household else ""),
        "may_maintain": can(request.actor, "socialmap.maintain", service),
    }
    context["base"] = "ui/household.html" if access is not None else "ui/base.html"
    if access is not None:
        context["workspace"] = workspace(request, household, current="plan", access=access)
        _record_search(request, access)
    return render(request, "socialmap/service.html", context)


# --- keeping entries up to date ----------------------------------------------------------------------------------


def _maintainer_scope(request: HttpRequest) -> int | None:
    """``None``: every entry (the functional administrator); else the actor's organisation."""
    return None if request.actor.role == Role.FUNCTIONAL_ADMIN else request.actor.organisation_id


OURS_PAGE_SIZE = 50


@require_safe
def our_services(request: HttpRequest) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(request.actor, "socialmap.maintain_any")
    now = timezone.now()
    rows = []
    page = _page_number(request)
    start = (page - 1) * OURS_PAGE_SIZE
    services_list = list(selectors.maintained_by(_maintainer_scope(request))[start : start + OURS_PAGE_SIZE + 1])
    has_next = len(services_list) > OURS_PAGE_SIZE
    services_list = services_list[:OURS_PAGE_SIZE]
    capacities = selectors.capacities_of(s.pk for s in services_list)
    for service in services_list:
        capacity, kind = _capacity_text(capacities.get(service.pk, []))
        rows.append(
            {
                "name": service.name,
                "url": reverse("socialmap:edit", args=[service.pk]),
                "organization": service.organization.name,
                "checked": _date(service.checked_at),
                "stale": selectors.is_stale(service, now),
                "capacity": capacity,
                "status": ServiceStatus(service.status).label,
            }
        )
    stale = selectors.stale_count(_maintainer_scope(request), now)
    here = reverse("socialmap:ours")
    return render(
        request,
        "socialmap/our_services.html",
        {
            "rows": rows,
            "stale": stale,
            "page": page,
            "previous_url": f"{here}?page={page - 1}" if page > 1 else "",
            "next_url": f"{here}?page={page + 1}" if has_next else "",
            "may_import": can(request.actor, "socialmap.import"),
        },
    )


def _maintained(request: HttpRequest, service_id: str) -> Service:
    pk = selectors.parse_uuid(service_id)
    service = Service.objects.select_related("organization").filter(pk=pk).first() if pk else None
    if service is None or not can(request.actor, "socialmap.maintain", service):
        raise Http404
    return service


def _add_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@require_http_methods(["GET", "HEAD", "POST"])
def service_edit(request: HttpRequest, service_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    service = _maintained(request, service_id)
    initial = {name: getattr(service, name) for name in ServiceForm.base_fields}
    capacity = service.capacities.order_by("id").first()
    capacity_initial = (
        {"available": capacity.available, "maximum": capacity.maximum, "waiting": capacity.waiting} if capacity else {}
    )
    form = ServiceForm(request.POST if request.POST.get("form") == "service" else None, initial=initial)
    capacity_form = CapacityForm(
        request.POST if request.POST.get("form") == "capacity" else None, initial=capacity_initial
    )
    if request.method == "POST":
        bound = form if form.is_bound else capacity_form
        if bound.is_bound and bound.is_valid():
            try:
                if bound is form:
                    services.service_update(actor=request.actor, service=service, **form.cleaned_data)
                    notice = _("The service is saved. It counts as checked today.")
                else:
                    services.capacity_set(actor=request.actor, service=service, **capacity_form.cleaned_data)
                    notice = _("The room the service has is saved.")
            except ValidationError as error:
                _add_errors(bound, error)
            else:
                messages.success(request, notice)
                return HttpResponseRedirect(reverse("socialmap:edit", args=[service.pk]))
    context = {
        "service": service,
        "form": form,
        "capacity_form": capacity_form,
        "checked": _date(service.checked_at),
        "stale": selectors.is_stale(service),
        "service_url": reverse("socialmap:service", args=[service.pk]),
    }
    return render(request, "socialmap/edit.html", context)


@require_POST
def service_checked(request: HttpRequest, service_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(reverse("socialmap:ours"))
    service = _maintained(request, service_id)
    services.service_mark_checked(actor=request.actor, service=service)
    messages.success(request, _("Thank you. The service is marked as checked today."))
    return HttpResponseRedirect(reverse("socialmap:edit", args=[service.pk]))

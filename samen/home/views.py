"""The home page: one URL, one page per role.

The view asks the Actor's role, lets the policy decide every piece of data, reads it through
selectors and renders the role's template. Anonymous visitors are sent to the login page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from samen.caseload import selectors as caseload_selectors
from samen.consent.selectors import granted_pairs
from samen.core.actor import Actor, Role
from samen.core.policy import can, require
from samen.home import selectors
from samen.households import selectors as household_selectors
from samen.organisations import selectors as organisation_selectors
from samen.organisations.policies import networks_visible_to
from samen.reminders.selectors import unread_count


def _citizen(request: HttpRequest, actor: Actor) -> HttpResponse:
    household = household_selectors.household_of(actor.user)
    context: dict = {"household": None}
    if household is not None and can(actor, "households.view_household", household):
        members = household_selectors.read_member_rows(actor=actor, household=household)
        context = {"household": household, "member_table": selectors.citizen_member_table(members)}
    # The other households this citizen may open: as a representative, or in the informal network with a grant.
    context["other_households"] = selectors.other_households(actor, own=context["household"])
    context["unread_reminders"] = unread_count(actor) if can(actor, "reminders.view_list") else 0
    return render(request, "home/citizen.html", context)


def _work(request: HttpRequest, actor: Actor) -> HttpResponse:
    organisation = actor.organisation
    require(actor, "organisations.view_work_overview", organisation, hide=True)
    may_see_caseload = can(actor, "caseload.view")
    # What the actor may see by consent in all their households, read once for the two questions that need it.
    granted = granted_pairs(actor) if may_see_caseload else frozenset()
    context = {
        "organisation": organisation,
        "role_label": actor.role.label,
        "is_independent": actor.role == Role.CLIENT_SUPPORTER,
        "networks": selectors.work_networks(
            organisation_selectors.networks_with_organisations(networks_visible_to(actor)), organisation
        ),
        "colleague_count": organisation_selectors.colleague_count(organisation=organisation, user=actor.user),
        "may_see_caseload": may_see_caseload,
        "may_use_emergency_access": can(actor, "consent.break_the_glass_lookup"),
        "unread_reminders": unread_count(actor, granted=granted if may_see_caseload else None)
        if can(actor, "reminders.view_list")
        else 0,
        # What needs them over their households (the work queue): counts only, no household is named, so no
        # access-log entry (the list it links to writes one).
        "attention_lines": caseload_selectors.attention_lines(
            caseload_selectors.attention_totals(actor, granted=granted)
        )
        if may_see_caseload
        else [],
    }
    return render(request, "home/work.html", context)


def _facilitator(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "organisations.view_facilitated_networks", hide=True)
    networks = organisation_selectors.networks_with_organisations(
        networks_visible_to(actor), with_professional_counts=True
    )
    context = {
        "overview": selectors.facilitated_network_tables(networks),
        # The signals that were not answered in time come to the facilitator as notifications.
        "unread_reminders": unread_count(actor) if can(actor, "reminders.view_list") else 0,
    }
    return render(request, "home/facilitator.html", context)


def _policy_advisor(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "households.view_aggregate_figures", hide=True)
    require(actor, "organisations.view_type_figures", hide=True)
    return render(request, "home/policy_advisor.html", {"figures": selectors.policy_figures()})


def _functional_admin(request: HttpRequest, actor: Actor) -> HttpResponse:
    require(actor, "organisations.view_register", hide=True)
    page, organisation_table = selectors.organisation_register(request.GET.get("page"))
    networks = organisation_selectors.networks_with_counts(networks_visible_to(actor))
    context = {
        "page_obj": page,
        "organisation_table": organisation_table,
        "network_table": selectors.network_table(networks),
        "show_support_link": can(actor, "home.link_support_admin"),
    }
    return render(request, "home/functional_admin.html", context)


PAGES: dict[Role, Callable[[HttpRequest, Actor], HttpResponse]] = {
    Role.CITIZEN: _citizen,
    Role.PROFESSIONAL: _work,
    Role.COORDINATOR: _work,
    Role.CLIENT_SUPPORTER: _work,
    Role.NETWORK_FACILITATOR: _facilitator,
    Role.POLICY_ADVISOR: _policy_advisor,
    Role.FUNCTIONAL_ADMIN: _functional_admin,
}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not can(actor, "home.view_home"):
        return redirect_to_login(request.get_full_path())
    page = PAGES.get(actor.role)
    if page is None:
        raise Http404
    return page(request, actor)

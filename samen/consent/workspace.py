"""The household workspace: what every household page shows above its own content.

The household's name, its coordinator, and the sub-navigation between the household's pages (Overzicht · Plan ·
Gesprek · Dossier · Ons verhaal · Zelfredzaamheid · Wie helpt mee · Ons netwerk · Wie mag wat zien · Wie keek), with
the current page marked. A page is in the sub-navigation only when the policy lets the actor open it: every tab asks
its page's own rule (``samen.core.policy.can``), so the navigation never offers a page that would answer "not found".

A view builds it with ``workspace(request, household, current=..., visible=...)`` and passes it to a template that
extends ``ui/household.html``. ``visible`` is the set of categories the actor sees in the household, as the view
looked it up (``samen.consent.policies.categories_visible_to``, once per request): the rules for the plan, the
story and the assessments decide on it without a query. "Wie helpt mee" and "Wie mag wat zien" come with the
coordinator from ``samen.consent.policies.household_places``: one query (two for a citizen). A view that knows an
answer already passes it in ``known`` (``{"team": True}``).

The conversation tab holds the conversation, its signals, the meetings and the referrals.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samen.consent.policies import HouseholdAccess, household_places
from samen.core.actor import Role
from samen.core.policy import can
from samen.households.models import Household


@dataclass(frozen=True)
class TabSpec:
    key: str
    url_name: str
    label: str
    citizen_label: str  # the word a resident reads for the same page


# In the order of the sub-navigation.
TABS: tuple[TabSpec, ...] = (
    TabSpec("overview", "dossier:overview", _("Overview"), _("Overview")),
    TabSpec("plan", "plans:plan", pgettext_lazy("workspace", "Plan"), pgettext_lazy("workspace", "Our plan")),
    TabSpec(
        "conversation",
        "conversations:household",
        pgettext_lazy("workspace", "Conversation"),
        pgettext_lazy("workspace", "Conversation"),
    ),
    TabSpec("dossier", "dossier:timeline", *(pgettext_lazy("workspace", "Dossier"),) * 2),
    TabSpec("story", "dossier:intake", pgettext_lazy("workspace", "Story"), pgettext_lazy("workspace", "Our story")),
    TabSpec(
        "assessments",
        "assessments:overview",
        pgettext_lazy("workspace", "Self-reliance"),
        pgettext_lazy("workspace", "How are things going"),
    ),
    TabSpec("team", "households:team", _("Who helps"), _("Who helps")),
    TabSpec("network", "socialmap:network", pgettext_lazy("workspace", "Network"), _("Our network")),
    TabSpec("consent", "consent:matrix", _("Who may see what"), _("Who may see what")),
    TabSpec("access_log", "consent:access_log", _("Who looked"), _("Who looked")),
)
TAB_KEYS = frozenset(spec.key for spec in TABS)


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    url: str
    is_current: bool


def _may_open(request: HttpRequest, household: Household, visible, places, known: dict[str, bool]) -> dict[str, bool]:
    """Which of the household's pages the actor may open: each page's own rule (the ones that decide on the
    categories the actor sees, with ``visible``), and for "Wie helpt mee" and "Wie mag wat zien" the answers of
    their rules from ``household_places`` (one query for both and the coordinator)."""
    actor = request.actor
    by_visible = (household, visible)
    answers = {
        "overview": True,  # the workspace is only shown on a page the actor may see
        "dossier": can(actor, "dossier.view_overview", by_visible),
        "plan": can(actor, "plans.view", by_visible),
        "conversation": bool(visible),  # conversations.view: whoever sees a category (signals, meetings, referrals)
        "story": can(actor, "dossier.view_intake", by_visible),
        "assessments": can(actor, "assessments.view", by_visible),
        "team": places.may_view_team,
        "network": can(actor, "socialmap.network_view", by_visible),  # the household's own network map
        "consent": places.may_view_consent,
        **known,
    }
    answers["access_log"] = answers["consent"]  # "Wie keek" is shown to whoever may see "Wie mag wat zien"
    return answers


def workspace(
    request: HttpRequest,
    household: Household,
    *,
    current: str,
    visible=None,
    known: dict[str, bool] | None = None,
    access: HouseholdAccess | None = None,
) -> dict:
    """The workspace of ``household`` for the page ``current`` (a key of ``TABS``): its name, its coordinator
    and the tabs the actor may open. Pass ``access`` (the request's ``household_access``), or else ``visible``.
    One query (two for a citizen without ``access``) beyond the rules a view did not ask already."""
    if current not in TAB_KEYS:
        raise ValueError(f"unknown workspace page {current!r}")
    if access is not None:
        visible = access.visible
    if visible is None:
        raise TypeError("workspace() needs the categories the actor sees: access= or visible=")
    actor = request.actor
    places = household_places(actor, household, relation=access.citizen if access is not None else None)
    may_open = _may_open(request, household, visible, places, known or {})
    is_citizen = actor.role == Role.CITIZEN
    tabs = [
        Tab(
            key=spec.key,
            label=str(spec.citizen_label if is_citizen else spec.label),
            url=reverse(spec.url_name, args=[household.pk]),
            is_current=spec.key == current,
        )
        for spec in TABS
        if may_open[spec.key] or spec.key == current
    ]
    coordinator = places.coordinator
    return {
        "name": household.name,
        "overview_url": reverse("dossier:overview", args=[household.pk]),
        "coordinator": coordinator.user.get_full_name() if coordinator else "",
        "coordinator_organisation": coordinator.organisation.name if coordinator else "",
        "tabs": tabs,
        "current_label": next((tab.label for tab in tabs if tab.is_current), ""),
        "may_open": may_open,  # per page key: whether the actor may open it (the page may link to it, too)
        # "Het loopt niet goed" on every household page, for everyone who may raise a signal (no query with access).
        "signal_url": reverse("conversations:raise_signal", args=[household.pk])
        if access is not None and can(actor, "conversations.raise_signal", access)
        else "",
    }

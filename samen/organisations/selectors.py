"""Reads about organisations, networks and professionals: annotated querysets, a fixed number of queries.

Selectors do not decide access: lists that depend on who is asking start from a queryset that
``samen.organisations.policies`` scoped to the actor (``networks_visible_to``).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from samen.organisations.models import Membership, Network, Organisation


def active_memberships_of(user) -> list[Membership]:
    """The user's active memberships (organisation loaded), oldest first.

    The authentication backend (``samen.accounts.backends``) already loaded them with the user in
    this request; otherwise one query.
    """
    loaded = getattr(user, "_samen_active_memberships", None)
    if loaded is not None:
        return loaded
    return list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )


def active_professionals_count() -> Count:
    """Distinct people with an active membership and an active account (an aggregate over ``memberships``)."""
    return Count(
        "memberships__user",
        filter=Q(memberships__is_active=True, memberships__user__is_active=True),
        distinct=True,
    )


def colleague_count(*, organisation: Organisation, user) -> int:
    """How many other people actively work for ``organisation`` (one query)."""
    return (
        Membership.objects.filter(organisation=organisation, is_active=True, user__is_active=True)
        .exclude(user=user)
        .values("user")
        .distinct()
        .count()
    )


def networks_with_organisations(
    networks: QuerySet[Network], *, with_professional_counts: bool = False
) -> list[Network]:
    """The given networks, each with ``organisations.all()`` (active ones, by name) prefetched.

    With ``with_professional_counts`` every organisation carries ``professional_count``; all
    organisations of all networks come from one annotated query. Two queries in all.
    """
    organisations = Organisation.objects.filter(is_active=True).order_by("name")
    if with_professional_counts:
        organisations = organisations.annotate(professional_count=active_professionals_count())
    return list(networks.order_by("name").prefetch_related(Prefetch("organisations", queryset=organisations)))


def networks_with_counts(networks: QuerySet[Network]) -> list[Network]:
    """The given networks with ``organisation_count`` and ``facilitator_count`` (one query)."""
    return list(
        networks.annotate(
            organisation_count=Count("organisations", distinct=True),
            facilitator_count=Count("facilitators", distinct=True),
        ).order_by("name")
    )


def organisations_with_professional_counts() -> QuerySet[Organisation]:
    """Every organisation, active or not, with ``professional_count``, by name."""
    return Organisation.objects.annotate(professional_count=active_professionals_count()).order_by("name", "pk")


def organisation_type_figures() -> list[dict]:
    """Per organisation type: how many active organisations and how many professionals (one query).

    Raw counts: whoever shows them applies k-anonymity first.
    """
    return list(
        Organisation.objects.filter(is_active=True)
        .values("type")
        .annotate(organisations=Count("pk", distinct=True), professionals=active_professionals_count())
        .order_by("type")
    )

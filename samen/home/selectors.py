"""What the home pages show, shaped for their templates. Callers authorise first (see ``views``).

Tables are returned as ``{"headers", "rows", "numeric_columns"}`` for ``{% ui_table %}``.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from samen.consent.policies import households_visible_to
from samen.core.actor import Actor
from samen.core.anonymity import K_ANONYMITY, not_shown, suppress
from samen.households.selectors import LARGEST_HOUSEHOLD_SIZE, MemberRow, household_size_figures
from samen.organisations.models import Organisation, OrganisationType
from samen.organisations.selectors import organisation_type_figures, organisations_with_professional_counts

ORGANISATIONS_PER_PAGE = 50
OTHER_HOUSEHOLDS_SHOWN = 50


def other_households(actor: Actor, *, own=None) -> list:
    """The households other than ``own`` that a citizen may open (as a representative, or in the informal
    network with a grant), by name: one query, at most ``OTHER_HOUSEHOLDS_SHOWN``. Only names, for links."""
    households = households_visible_to(actor).only("id", "name").order_by("name", "pk")
    if own is not None:
        households = households.exclude(pk=own.pk)
    return list(households[:OTHER_HOUSEHOLDS_SHOWN])


def citizen_member_table(members: list[MemberRow]) -> dict:
    """The citizen's own household: first name, relation, age in years. Never the BSN."""
    rows = []
    for member in members:
        name = gettext("%(name)s (you)") % {"name": member.first_name} if member.is_self else member.first_name
        if member.age is None:
            age = gettext("not known")
        else:
            age = ngettext("%(years)d year", "%(years)d years", member.age) % {"years": member.age}
        rows.append([name, capfirst(member.relation), age])
    return {"headers": [gettext("First name"), gettext("Relation"), gettext("Age")], "rows": rows}


def work_networks(networks, organisation: Organisation) -> list[dict]:
    """Per network of ``organisation``: the network and the other organisations in it."""
    return [
        {"network": network, "others": [other for other in network.organisations.all() if other.pk != organisation.pk]}
        for network in networks
    ]


def facilitated_network_tables(networks) -> dict:
    """Per network a table of its organisations (name, type, active professionals).

    ``networks`` come from ``networks_with_organisations(..., with_professional_counts=True)``.
    """
    return {
        "headers": [gettext("Organisation"), gettext("Type"), gettext("Active professionals")],
        "numeric_columns": (2,),
        "networks": [
            {
                "network": network,
                "rows": [
                    [organisation.name, capfirst(organisation.type_label), organisation.professional_count]
                    for organisation in network.organisations.all()
                ],
            }
            for network in networks
        ],
    }


def household_size_label(size: int) -> str:
    """ "1 person", "2 people", ..., "6 or more people" (the largest size class)."""
    if size >= LARGEST_HOUSEHOLD_SIZE:
        return gettext("%(count)d or more people") % {"count": LARGEST_HOUSEHOLD_SIZE}
    return ngettext("%(count)d person", "%(count)d people", size) % {"count": size}


def policy_figures() -> dict:
    """Anonymous figures for the municipality (two queries), every group figure k-anonymous.

    * Households by size: a count below k reads "fewer than 5"; because the households card is the
      total of these counts, ``suppress`` also hides what would let one work a small one out.
    * Household members: members = the sum of size x households, a second way to work out hidden size
      classes, so the total is shown only when no size class is hidden.
    * Per organisation type: organisations are not people, their number is shown as is; professionals
      are suppressed like households, with the total row.
    """
    sizes = household_size_figures()
    by_size = suppress(sizes.households, total_shown=True)
    types = organisation_type_figures()
    professionals = suppress({row["type"]: row["professionals"] for row in types}, total_shown=True)
    type_rows = sorted(
        (
            [
                capfirst(str(OrganisationType(row["type"]).label)),
                row["organisations"],
                professionals.display(row["type"]),
            ]
            for row in types
        ),
        key=lambda row: row[0].lower(),
    )
    return {
        "k": K_ANONYMITY,
        "households": by_size.display_total(),
        "members": not_shown() if by_size.hidden else sizes.members,  # no hidden class: every class is k or more
        "size_chart": {
            "headers": [gettext("Household size"), gettext("Households")],
            "rows": [[household_size_label(size), by_size.display(size)] for size in sizes.households],
            "footer": [gettext("Total"), by_size.display_total()],
        },
        "type_table": {
            "headers": [gettext("Type of organisation"), gettext("Organisations"), gettext("Professionals")],
            "rows": type_rows,
            "numeric_columns": (1, 2),
            "footer": [
                gettext("Total"),
                sum(row["organisations"] for row in types),
                professionals.display_total(),
            ],
        },
    }


def organisation_register(page_number: str | None) -> tuple[Page, dict]:
    """One page of all organisations (name, type, active or not, professionals): two queries."""
    page = Paginator(organisations_with_professional_counts(), ORGANISATIONS_PER_PAGE).get_page(page_number)
    rows = [
        [
            organisation.name,
            capfirst(organisation.type_label),
            {"text": gettext("active"), "badge": "active"}
            if organisation.is_active
            else {"text": gettext("inactive"), "badge": "inactive"},
            organisation.professional_count,
        ]
        for organisation in page.object_list
    ]
    headers = [gettext("Organisation"), gettext("Type"), gettext("Status"), gettext("Professionals")]
    return page, {"headers": headers, "rows": rows, "numeric_columns": (3,)}


def network_table(networks) -> dict:
    """Networks from ``networks_with_counts``: name, organisations, facilitators."""
    return {
        "headers": [gettext("Network"), gettext("Organisations"), gettext("Facilitators")],
        "rows": [[network.name, network.organisation_count, network.facilitator_count] for network in networks],
        "numeric_columns": (1, 2),
    }

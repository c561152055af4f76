"""What the home pages show, shaped for their templates. Callers authorise first (see ``views``).

Tables are returned as ``{"headers", "rows", "numeric_columns"}`` for ``{% ui_table %}``.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext

from samen.households.selectors import MemberRow, household_figures
from samen.organisations.models import Organisation, OrganisationType
from samen.organisations.selectors import organisation_type_figures, organisations_with_professional_counts

# k-anonymity: a group figure below this is never shown (standards.md, privacy rule 5).
K_ANONYMITY = 5
ORGANISATIONS_PER_PAGE = 50


def k_anonymous(count: int, k: int = K_ANONYMITY) -> int | str:
    """``count`` itself, or "fewer than k" when it is below ``k`` (zero included)."""
    if count < k:
        return gettext("fewer than %(k)d") % {"k": k}
    return count


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
                    [organisation.name, capfirst(organisation.get_type_display()), organisation.professional_count]
                    for organisation in network.organisations.all()
                ],
            }
            for network in networks
        ],
    }


def policy_figures() -> dict:
    """Anonymous figures for the municipality; every count passes ``k_anonymous``.

    No totals are shown beside the per-type rows, so a suppressed row cannot be recovered by subtraction.
    """
    households = household_figures()
    rows = [
        [
            capfirst(OrganisationType(row["type"]).label),
            k_anonymous(row["organisations"]),
            k_anonymous(row["professionals"]),
        ]
        for row in organisation_type_figures()
    ]
    rows.sort(key=lambda row: str(row[0]).lower())
    return {
        "households": k_anonymous(households["households"]),
        "members": k_anonymous(households["members"]),
        "type_table": {
            "headers": [gettext("Type of organisation"), gettext("Organisations"), gettext("Professionals")],
            "rows": rows,
            "numeric_columns": (1, 2),
        },
    }


def organisation_register(page_number: str | None) -> tuple[Page, dict]:
    """One page of all organisations (name, type, active or not, professionals): two queries."""
    page = Paginator(organisations_with_professional_counts(), ORGANISATIONS_PER_PAGE).get_page(page_number)
    rows = [
        [
            organisation.name,
            capfirst(organisation.get_type_display()),
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

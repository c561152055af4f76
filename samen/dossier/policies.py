"""Who may read the household overview and write notes in the dossier (rules for ``samen.core.policy``).

Consent itself is decided in ``samen.consent.policies``; these rules only narrow it down:

- ``dossier.view_overview``: whoever may see at least one data category of the household now
  (``categories_visible_to``), after ``household_for`` let them see the household at all.
- ``dossier.add_note`` on ``(household, category)``: whoever may see ``category`` now AND writes as one of
  the people who work on the file: a citizen member of the household, a representative (within the scope of
  the representation), a professional or coordinator of the team with their organisation's consent, or the
  independent client supporter with a personal grant. The informal network and a break-the-glass access
  read only; everybody else nothing. A conversation summary and a document are written under the same rule.
- ``dossier.view_entry``: the entry's category is visible now; an entry hidden from the household is not shown
  to anyone who reads as a citizen (member, representative, informal network).
- ``dossier.hide_entry``: a professional or coordinator of the team with consent for the entry's category.
- ``dossier.view_intake``: whoever may see the household's general information; ``dossier.edit_intake``: the
  citizen (member or representative with general in scope) or the active coordinator with consent for general.
"""

from __future__ import annotations

from typing import Any

from samen.consent.models import DataCategory
from samen.consent.policies import (
    PROFESSIONAL_ROLES,
    categories_visible_to,
    is_active_coordinator,
    writable_categories,
)
from samen.core.actor import Actor, Role
from samen.core.policy import rule
from samen.households.models import Household
from samen.timeline.models import Entry


def _category(value: Any) -> DataCategory | None:
    try:
        return DataCategory(value)
    except ValueError:
        return None


@rule("dossier.view_overview")
def view_overview(actor: Actor, obj: Household | tuple[Household, frozenset[DataCategory]] | None) -> bool:
    """The household overview: for whoever may see at least one category of the household now. ``obj`` is the
    household, or ``(household, categories)`` when the caller already asked ``categories_visible_to`` in this
    request (the categories are then not looked up again)."""
    household, visible = obj if isinstance(obj, tuple) else (obj, None)
    if not isinstance(household, Household) or actor.user_id is None or not actor.is_authenticated:
        return False
    if visible is None:
        visible = categories_visible_to(actor, household)
    return bool(visible)


@rule("dossier.add_note")
def add_note(actor: Actor, obj: tuple[Household, str] | None) -> bool:
    """Writing a note in ``category`` of ``household``: ``obj`` is ``(household, category)``."""
    if not isinstance(obj, tuple) or len(obj) != 2:
        return False
    household, category = obj
    category = _category(category)
    if not isinstance(household, Household) or category is None:
        return False
    return category in writable_categories(actor, household)


def sees_for_the_household(actor: Actor) -> bool:
    """Whether ``actor`` reads as (or for) the household itself: then entries hidden from the household are not
    shown. Members, representatives and the informal network all act as citizens."""
    return actor.role == Role.CITIZEN


def entry_visible(actor: Actor, entry: Entry, visible: frozenset[DataCategory]) -> bool:
    """``entry`` for an actor who may see ``visible`` of its household now (asked in this request)."""
    if DataCategory(entry.category) not in visible:
        return False
    return not (entry.hidden_from_household and sees_for_the_household(actor))


@rule("dossier.view_entry")
def view_entry(actor: Actor, obj: Entry | tuple[Entry, frozenset[DataCategory]] | None) -> bool:
    """One entry (and its document): its category is visible to the actor now, and when it is hidden from the
    household, the actor does not read for the household. ``obj`` is the entry, or ``(entry, visible)``."""
    entry, visible = obj if isinstance(obj, tuple) else (obj, None)
    if not isinstance(entry, Entry) or actor.user_id is None or not actor.is_authenticated:
        return False
    if visible is None:
        visible = categories_visible_to(actor, entry.household_id)
    return entry_visible(actor, entry, visible)


@rule("dossier.hide_entry")
def hide_entry(actor: Actor, entry: Entry | None) -> bool:
    """Hiding an entry from the household: a professional or coordinator of the team whose organisation has
    consent for the entry's category (not the household, not the informal network, not the client supporter,
    not a break-the-glass access)."""
    if not isinstance(entry, Entry) or actor.role not in PROFESSIONAL_ROLES or actor.organisation_id is None:
        return False
    household = Household(pk=entry.household_id)
    category = _category(entry.category)
    return category is not None and category in writable_categories(actor, household)


@rule("dossier.view_intake")
def view_intake(actor: Actor, obj: Household | tuple[Household, frozenset[DataCategory]] | None) -> bool:
    """The intake: for whoever may see the household's general information now (its situation per life domain
    is then shown per domain, within consent). ``obj`` is the household or ``(household, visible)``."""
    household, visible = obj if isinstance(obj, tuple) else (obj, None)
    if not isinstance(household, Household) or actor.user_id is None or not actor.is_authenticated:
        return False
    if visible is None:
        visible = categories_visible_to(actor, household)
    return DataCategory.GENERAL in visible


@rule("dossier.edit_intake")
def edit_intake(actor: Actor, household: Household | None) -> bool:
    """Filling in the intake: the citizen (a member, or a representative whose scope holds general) alone, or
    the household's active coordinator with the household, with consent for general."""
    if not isinstance(household, Household) or actor.user_id is None or not actor.is_authenticated:
        return False
    if actor.role == Role.CITIZEN or is_active_coordinator(actor, household):
        return DataCategory.GENERAL in writable_categories(actor, household)
    return False

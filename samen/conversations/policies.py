"""Who may read and write the household's conversation, raise and resolve signals (rules for ``samen.core.policy``).

Consent is decided in ``samen.consent.policies``; these rules narrow it down, on the ``HouseholdAccess`` the view
asked once (``household_access``):

- ``conversations.view``: whoever may see at least one category of the household (the household, its informal
  network within what it shares, the team with consent, the supporter, a break-the-glass access). Each message is
  then shown only in the categories the reader sees (``sees_message``).
- ``conversations.post`` on ``(access, category)``: who may write in that category (``message_categories``: the
  household, a representative within scope, the informal network in what is shared with it, the team with consent,
  the supporter); never a break-the-glass reader.
- ``conversations.view_thread`` on ``(access, thread)``: the household thread and signal threads for every reader
  of the conversation; a thread between professionals only for professionals of an organisation named in it whose
  organisation has consent (the household sees that it exists, never its messages).
- ``conversations.start_thread``: a professional or coordinator of the team with consent.
- ``conversations.raise_signal``: everyone around the household who may write in its general category.
- ``conversations.resolve_signal`` on ``(access, signal)``: the household's active coordinator, or whoever raised it.
- ``conversations.facilitator``: a network facilitator (the escalated signals of their networks, without case content).
"""

from __future__ import annotations

from typing import Any

from samen.consent.policies import PROFESSIONAL_ROLES, HouseholdAccess, writable_categories
from samen.conversations.models import Message, Signal, Thread, ThreadKind
from samen.core.actor import Actor, Role
from samen.core.policy import rule
from samen.core.vocabulary import DataCategory


def _category(value: Any) -> DataCategory | None:
    try:
        return DataCategory(value)
    except ValueError:
        return None


def _is_access(value: Any) -> bool:
    return isinstance(value, HouseholdAccess) and value.household is not None


def in_professional_thread(actor: Actor, access: HouseholdAccess, organisation_ids: frozenset[int]) -> bool:
    """The actor reads a thread between professionals: they act for one of its organisations, and that
    organisation has consent in the household (they are in its team)."""
    return (
        actor.role in PROFESSIONAL_ROLES
        and actor.organisation_id is not None
        and actor.organisation_id in organisation_ids
        and bool(access.consented)
    )


def message_categories(actor: Actor, access: HouseholdAccess) -> frozenset[DataCategory]:
    """The categories in which ``actor`` may write in the conversation: where they may write a note
    (``writable_categories``), and for someone of the informal network what the household shares with them: they
    are in the team, and talk along (no queries with ``access``)."""
    writable = writable_categories(actor, access.household, access=access)
    relation = access.citizen
    if actor.role == Role.CITIZEN and not relation.is_member and not relation.representations:
        return writable | access.visible
    return writable


def sees_message(actor: Actor, access: HouseholdAccess, message: Message) -> bool:
    return _category(message.category) in access.visible


@rule("conversations.view")
def view(actor: Actor, access: HouseholdAccess | None) -> bool:
    return _is_access(access) and actor.is_authenticated and bool(access.visible)


@rule("conversations.post")
def post(actor: Actor, obj: tuple[HouseholdAccess, Any] | None) -> bool:
    if not isinstance(obj, tuple) or len(obj) != 2 or not _is_access(obj[0]):
        return False
    access, category = obj
    category = _category(category)
    return category is not None and category in message_categories(actor, access)


@rule("conversations.view_thread")
def view_thread(actor: Actor, obj: tuple[HouseholdAccess, Thread, frozenset[int]] | None) -> bool:
    """``obj`` is ``(access, thread, organisation ids of the thread)``."""
    if not isinstance(obj, tuple) or len(obj) != 3 or not _is_access(obj[0]) or not isinstance(obj[1], Thread):
        return False
    access, thread, organisation_ids = obj
    if thread.household_id != access.household.pk or not view(actor, access):
        return False
    if thread.kind == ThreadKind.PROFESSIONALS:
        return in_professional_thread(actor, access, frozenset(organisation_ids))
    return True


@rule("conversations.start_thread")
def start_thread(actor: Actor, access: HouseholdAccess | None) -> bool:
    return (
        _is_access(access)
        and actor.role in PROFESSIONAL_ROLES
        and actor.organisation_id is not None
        and bool(access.consented)
    )


@rule("conversations.raise_signal")
def raise_signal(actor: Actor, access: HouseholdAccess | None) -> bool:
    return _is_access(access) and DataCategory.GENERAL in message_categories(actor, access)


@rule("conversations.resolve_signal")
def resolve_signal(actor: Actor, obj: tuple[HouseholdAccess, Signal, bool] | None) -> bool:
    """``obj`` is ``(access, signal, is_active_coordinator)`` (the view asked the coordinator question once)."""
    if not isinstance(obj, tuple) or len(obj) != 3 or not _is_access(obj[0]) or not isinstance(obj[1], Signal):
        return False
    access, signal, is_coordinator = obj
    if signal.household_id != access.household.pk or not signal.is_open or not view(actor, access):
        return False
    return bool(is_coordinator) or (actor.user_id is not None and signal.raised_by_id == actor.user_id)


@rule("conversations.facilitator")
def facilitator(actor: Actor, obj: None = None) -> bool:
    return actor.is_authenticated and actor.role == Role.NETWORK_FACILITATOR

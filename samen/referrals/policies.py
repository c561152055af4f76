"""Who may see and do what with referrals (rules for ``samen.core.policy``). Deny by default.

The household's side (its pages, through the gate ``samen.consent.policies.household_access``):

- seeing a household's referrals (``referrals.view``): its members and active representatives, the professionals
  in its team whose organisation has consent, and the independent client supporter; each referral only when its
  data category is one the actor sees;
- asking for one (``referrals.request``, for a category): a professional or coordinator in the team whose
  organisation has consent for that category; or the household itself (an adult member, or a representative
  within their scope), who then allows the receiving organisation in the same form;
- answering the consent question of a referral that waits for it (``referrals.answer``): whoever decides on
  consent for its category (``consent.manage_category``);
- cancelling (``referrals.cancel``): the person who asked (for the same organisation), the household's active
  coordinator, and, as long as it is not accepted yet, whoever decides on consent for its category in the household
  (an adult member, a representative within their scope): the same people who could have said no.

The receiving organisation's side (its inbox, without a place in the team, before it accepts):

- accepting, rejecting, starting and completing (``referrals.handle``): a professional or coordinator acting for the
  receiving organisation (an active membership there);
- seeing it in the inbox (``referrals.view_received``): the same people, while it is requested, accepted or in
  progress, and afterwards only the professional who handled it. Never while it waits for the household's consent.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from samen.consent.models import ConsentGrant
from samen.consent.policies import (
    PROFESSIONAL_ROLES,
    HouseholdAccess,
    active_grant_q,
    citizen_relation,
    is_active_coordinator,
    parse_id,
)
from samen.core.actor import Actor, Role
from samen.core.policy import rule
from samen.core.vocabulary import DataCategory
from samen.organisations.models import OrganisationType
from samen.referrals.models import Referral, ReferralStatus

S = ReferralStatus
# The statuses in which the receiving organisation's professionals see a referral in their inbox.
INBOX_STATUSES: tuple[ReferralStatus, ...] = (S.REQUESTED, S.ACCEPTED, S.IN_PROGRESS)
# The household may cancel a referral until the receiving organisation accepted it.
HOUSEHOLD_MAY_CANCEL: tuple[ReferralStatus, ...] = (S.DRAFT, S.REQUESTED)
# Organisations a household cannot be referred to: the independent client supporter joins through the household.
NOT_REFERRABLE_TYPES = frozenset({OrganisationType.CLIENT_SUPPORT})


def _category(value) -> DataCategory | None:
    try:
        return DataCategory(value)
    except ValueError:
        return None


def _works_for_organisation(actor: Actor) -> bool:
    """A professional or coordinator acting for an active organisation through an active membership."""
    if actor.role not in PROFESSIONAL_ROLES or actor.user_id is None or actor.organisation is None:
        return False
    membership_active = actor.membership is None or actor.membership.is_active
    return bool(actor.organisation.is_active and membership_active and actor.user.is_active)


def is_receiver(actor: Actor, referral: Referral | None) -> bool:
    """The actor works, now, for the organisation the referral asks."""
    if referral is None or not _works_for_organisation(actor):
        return False
    return actor.organisation_id == referral.to_organisation_id


def is_requester(actor: Actor, referral: Referral | None) -> bool:
    """The actor asked for the referral, in the same capacity (for the same organisation, or as a citizen)."""
    if referral is None or actor.user_id is None or actor.user_id != referral.requested_by_id:
        return False
    if referral.from_organisation_id is None:
        return actor.role == Role.CITIZEN
    return actor.role in PROFESSIONAL_ROLES and actor.organisation_id == referral.from_organisation_id


def _speaks_for_household(access: HouseholdAccess) -> bool:
    """A member of the household, or an active representative of one of its members."""
    return access.citizen.is_member or bool(access.citizen.representations)


# --- the household's side ------------------------------------------------------------------------------------


@rule("referrals.view")
def view(actor: Actor, access: HouseholdAccess | None) -> bool:
    """The household's referrals page: its members and representatives, the team's professionals with consent, the
    independent client supporter. No query: it decides on the request's ``household_access``."""
    if not isinstance(access, HouseholdAccess) or actor.user_id is None:
        return False
    if actor.role == Role.CITIZEN:
        return _speaks_for_household(access)
    if actor.role == Role.CLIENT_SUPPORTER:
        return bool(access.visible)
    if actor.role in PROFESSIONAL_ROLES:
        return bool(access.consented)
    return False


def categories_to_refer(actor: Actor, access: HouseholdAccess | None) -> frozenset[DataCategory]:
    """The categories in which ``actor`` may refer the household: where their organisation has consent (a
    professional in the team), or where they decide on consent (the household itself)."""
    if not isinstance(access, HouseholdAccess) or actor.user_id is None:
        return frozenset()
    if actor.role == Role.CITIZEN:
        return access.citizen.manageable_categories & access.visible
    if actor.role in PROFESSIONAL_ROLES and _works_for_organisation(actor):
        if actor.organisation.type in NOT_REFERRABLE_TYPES:
            return frozenset()
        return access.consented
    return frozenset()


@rule("referrals.start")
def start(actor: Actor, access: HouseholdAccess | None) -> bool:
    """Opening the form to refer the household: whoever may refer it in at least one category."""
    return bool(categories_to_refer(actor, access))


@rule("referrals.request")
def request(actor: Actor, obj: tuple[HouseholdAccess, str] | None) -> bool:
    """Referring the household with a question in one category: ``obj`` is ``(access, category)``."""
    if not isinstance(obj, tuple) or len(obj) != 2:
        return False
    access, category = obj
    category = _category(category)
    return category is not None and category in categories_to_refer(actor, access)


@rule("referrals.answer")
def answer(actor: Actor, referral: Referral | None) -> bool:
    """Allowing (or not) the receiving organisation to see the referral's category: whoever decides on consent
    for it in the household (one query)."""
    if referral is None or actor.role != Role.CITIZEN or actor.user_id is None:
        return False
    category = _category(referral.category)
    relation = citizen_relation(actor, referral.household_id)
    return category is not None and category in relation.manageable_categories


@rule("referrals.cancel")
def cancel(actor: Actor, referral: Referral | None) -> bool:
    """Cancelling: the person who asked, the household's active coordinator, or, until it is accepted, whoever
    decides on consent for its category in the household. At most one query."""
    if referral is None or actor.user_id is None or not actor.is_authenticated:
        return False
    if is_requester(actor, referral):
        return True
    if actor.role == Role.CITIZEN:
        if referral.status not in HOUSEHOLD_MAY_CANCEL:
            return False
        category = _category(referral.category)
        return category in citizen_relation(actor, referral.household_id).manageable_categories
    if actor.role in PROFESSIONAL_ROLES:
        return is_active_coordinator(actor, referral.household_id)
    return False


# --- the receiving organisation's side -----------------------------------------------------------------------


@rule("referrals.view_inbox")
def view_inbox(actor: Actor, obj=None) -> bool:
    """The inbox "Verzoeken aan onze organisatie": professionals and coordinators, for the organisation they act for."""
    return _works_for_organisation(actor)


@rule("referrals.handle")
def handle(actor: Actor, referral: Referral | None) -> bool:
    """Accepting, rejecting, starting and completing: a professional of the receiving organisation."""
    return is_receiver(actor, referral)


@rule("referrals.view_received")
def view_received(actor: Actor, referral: Referral | None) -> bool:
    """A referral as the receiving organisation sees it: while it is open for them (requested, accepted, in
    progress), and after that only for the professional who handled it. Never before the household allowed it."""
    if not is_receiver(actor, referral):
        return False
    return referral.status in INBOX_STATUSES or referral.handled_by_id == actor.user_id


def received_referrals(actor: Actor) -> QuerySet[Referral]:
    """The referrals the actor's organisation sees in its inbox (``referrals.view_received`` as a query)."""
    if not _works_for_organisation(actor):
        return Referral.objects.none()
    return Referral.objects.filter(to_organisation_id=actor.organisation_id, status__in=INBOX_STATUSES)


def received_referral_for(actor: Actor, referral_id) -> Referral:
    """The referral with ``referral_id`` as its receiving organisation sees it; ``Http404`` when it is missing,
    not for the actor's organisation, not visible to them now, or the id is no id (one query)."""
    pk = parse_id(referral_id)
    if pk is None or not _works_for_organisation(actor):
        raise Http404
    referral = (
        Referral.objects.filter(pk=pk, to_organisation_id=actor.organisation_id)
        .select_related("household", "from_organisation", "to_organisation", "requested_by", "handled_by")
        .first()
    )
    if referral is None or not view_received(actor, referral):
        raise Http404
    return referral


def household_referral_for(access: HouseholdAccess, referral_id) -> Referral:
    """The referral with ``referral_id`` of the household of ``access``, if its category is one the actor sees;
    ``Http404`` otherwise, also for another household's referral (one query)."""
    pk = parse_id(referral_id)
    if pk is None:
        raise Http404
    referral = (
        Referral.objects.filter(pk=pk, household_id=access.household.pk, category__in=list(access.visible))
        .select_related("from_organisation", "to_organisation", "requested_by", "handled_by")
        .first()
    )
    if referral is None:
        raise Http404
    referral.household = access.household
    return referral


def organisation_has_consent(
    *, household_id: int, organisation_id: int, category: str, now: datetime.datetime | None = None
) -> bool:
    """Does the household allow the organisation to see ``category`` now (an active grant)? One query."""
    return ConsentGrant.objects.filter(
        active_grant_q(now or timezone.now()),
        household_id=household_id,
        organisation_id=organisation_id,
        category=category,
    ).exists()

"""Writes for consent: grants, revocations, requests and break-the-glass accesses. The only writers.

Every function is keyword-only, runs in one transaction, asks the policy first (``PermissionDenied``
when the actor may not), checks its input (``ValidationError`` with a message for the person, nothing
written), and writes its audit entries in the same transaction: one per data category it touches, each
with the household and the category, so the citizen's access log can show and filter them.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from stdnum.nl import bsn as stdnum_bsn

from samen.consent import selectors, tasks
from samen.consent.models import (
    BREAK_THE_GLASS_HOURS,
    BreakTheGlass,
    BreakTheGlassGround,
    ConsentGrant,
    ConsentRequest,
    ConsentRequestStatus,
    DataCategory,
    LegalBasis,
)
from samen.consent.policies import break_the_glass_of, households_visible_to
from samen.core import audit, policy
from samen.core.actor import Actor
from samen.core.models import AuditAction, AuditOutcome, AuditPurpose
from samen.core.text import clean_text
from samen.core.transactions import atomic_service
from samen.households.models import Household, TeamMember, TeamRole
from samen.organisations.models import Organisation
from samen.timeline.models import EventCode
from samen.timeline.services import event_record

MIN_REASON_LENGTH = 20
MIN_REASON_WORDS = 3
MAX_REASON_LENGTH = 2000
PERSONAL_GRANT_ROLES = (TeamRole.INFORMAL, TeamRole.SUPPORTER)
# BSN lookups for emergency access per person per (sliding) hour: enough for a real emergency, too few to
# probe which BSNs are in Samen. Counted from the audit log, which nobody can change or empty.
EMERGENCY_LOOKUPS_PER_HOUR = 5
EMERGENCY_LOOKUP_WINDOW = datetime.timedelta(hours=1)


# --- input checks ------------------------------------------------------------------------------------------


def clean_category(value: Any, *, field: str = "category") -> DataCategory:
    try:
        return DataCategory(value)
    except ValueError:
        raise ValidationError({field: _("This data category does not exist.")}, code="invalid_category") from None


def clean_categories(values: Iterable[Any] | str, *, field: str = "categories") -> list[DataCategory]:
    """Known categories, each once, in the fixed order of ``DataCategory``; at least one."""
    if isinstance(values, str):
        values = [values]
    chosen = {clean_category(value, field=field) for value in values}
    if not chosen:
        raise ValidationError({field: _("Choose at least one data category.")}, code="no_categories")
    return [category for category in DataCategory if category in chosen]


def _clean_legal_basis(value: Any) -> LegalBasis:
    try:
        return LegalBasis(value)
    except ValueError:
        raise ValidationError({"legal_basis": _("Choose a legal basis.")}, code="invalid_legal_basis") from None


def _clean_valid_until(value: datetime.datetime | datetime.date | None, now: datetime.datetime):
    """An end in the future. A date means "up to and including that day" (until midnight, local time)."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        if not isinstance(value, datetime.date):
            raise ValidationError({"valid_until": _("Enter a valid date.")}, code="invalid_date")
        value = timezone.make_aware(datetime.datetime.combine(value + datetime.timedelta(days=1), datetime.time()))
    elif timezone.is_naive(value):
        raise ValidationError({"valid_until": _("Enter a valid date.")}, code="invalid_date")
    if value <= now:
        raise ValidationError({"valid_until": _("The end date must be in the future.")}, code="end_in_past")
    return value


def _clean_text(value: Any, *, field: str, required_message: str) -> str:
    """A reason on one line, required, at most ``MAX_REASON_LENGTH`` characters."""
    return clean_text(
        value,
        field=field,
        max_length=MAX_REASON_LENGTH,
        one_line=True,
        messages={"required": required_message, "max_length": _("Use at most %(max)d characters.")},
    )


def _check_receiver(*, household: Household, organisation: Organisation | None, team_member: TeamMember | None) -> None:
    """The receiver of a grant must be in this household's team now: an organisation with an active
    professional in it, or an active informal member or supporter of this household."""
    if (organisation is None) == (team_member is None):
        raise ValidationError(_("Choose one organisation or one person to give access to."), code="one_receiver")
    if organisation is not None:
        in_team = TeamMember.objects.filter(
            household_id=household.pk,
            organisation_id=organisation.pk,
            organisation__is_active=True,
            role=TeamRole.PROFESSIONAL,
            left_at__isnull=True,
        ).exists()
        if not in_team:
            raise ValidationError(
                {
                    "organisation": _(
                        "%(organisation)s is not in the team around this household, so it cannot get access."
                    )
                    % {"organisation": organisation.name}
                },
                code="organisation_not_in_team",
            )
        return
    in_team = TeamMember.objects.filter(
        pk=team_member.pk, household_id=household.pk, role__in=PERSONAL_GRANT_ROLES, left_at__isnull=True
    ).exists()
    if not in_team:
        raise ValidationError(
            {"team_member": _("This person is not in the team around this household, so they cannot get access.")},
            code="person_not_in_team",
        )


def _lock_household(household_id: int) -> None:
    """Serialise the consent changes of one household (two clicks at once renew once, not twice). Always
    taken first, before the consent rows, so concurrent services lock in the same order."""
    list(Household.objects.select_for_update(no_key=True).filter(pk=household_id).values_list("pk", flat=True))


def _iso(moment: datetime.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# --- grants ------------------------------------------------------------------------------------------------


def _receiver_changes(grant: ConsentGrant) -> dict[str, Any]:
    if grant.organisation_id is not None:
        return {"organisation_id": grant.organisation_id, "organisation": grant.organisation.name}
    return {"team_member_id": grant.team_member_id}


def _receiver_name(grant: ConsentGrant) -> str:
    if grant.organisation_id is not None:
        return grant.organisation.name
    return grant.team_member.user.get_full_name()


def _consent_event(actor: Actor, grant: ConsentGrant, code: EventCode) -> None:
    """The household's timeline tells who may now (or no longer) see what, in the category it is about."""
    event_record(
        actor=actor,
        household=grant.household,
        category=grant.category,
        code=code,
        params={"receiver": _receiver_name(grant), "category": str(grant.category)},
    )


@atomic_service
def consent_grant_for_referral(
    *, actor: Actor, household: Household, category: DataCategory | str, organisation: Organisation, now=None
) -> ConsentGrant:
    """The household allows an organisation it asks to help (a referral, ``samen.referrals``) to see ``category``,
    in the same flow as the referral. Like ``consent_grant`` (the same checks, the grant, its audit entry and its
    timeline event), except that the organisation need not be in the team yet: a grant gives no access on its own,
    only to the organisation's professionals in the team, which it joins when it accepts the referral."""
    category = DataCategory(category)
    policy.require(actor, "consent.manage", household)
    policy.require(actor, "consent.manage_category", (household, category.value))
    return _write_grant(
        actor=actor,
        household=household,
        category=category,
        organisation=organisation,
        team_member=None,
        legal_basis=LegalBasis.CONSENT,
        valid_until=None,
        now=now or timezone.now(),
    )


def _write_grant(
    *,
    actor: Actor,
    household: Household,
    category: DataCategory,
    organisation: Organisation | None,
    team_member: TeamMember | None,
    legal_basis: LegalBasis,
    valid_until: datetime.datetime | None,
    now: datetime.datetime,
) -> ConsentGrant:
    """Create the grant; an open grant for the same receiver and category is revoked and replaced."""
    receiver = {"organisation": organisation} if organisation is not None else {"team_member": team_member}
    previous = (
        ConsentGrant.objects.select_for_update(no_key=True, of=("self",))
        .filter(household=household, category=category, revoked_at__isnull=True, **receiver)
        .first()
    )
    if previous is not None:
        previous.revoked_at, previous.revoked_by = now, actor.user
        previous.save(update_fields=["revoked_at", "revoked_by"])
    grant = ConsentGrant(
        household=household,
        category=category,
        legal_basis=legal_basis,
        valid_from=now,
        valid_until=valid_until,
        granted_by=actor.user,
        granted_at=now,
        replaces=previous,
        **receiver,
    )
    grant.save(force_insert=True)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE if previous is not None else AuditAction.CREATE,
        obj=grant,
        household_id=household.pk,
        data_category=category,
        purpose=AuditPurpose.CITIZEN,
        description="consent renewed" if previous is not None else "consent granted",
        changes={
            **_receiver_changes(grant),
            "legal_basis": str(legal_basis),
            "valid_from": _iso(now),
            "valid_until": _iso(valid_until),
            "replaces": previous.pk if previous is not None else None,
        },
    )
    if previous is None:
        _consent_event(actor, grant, EventCode.CONSENT_GIVEN)
    return grant


@atomic_service
def consent_grant(
    *,
    actor: Actor,
    household: Household,
    category: DataCategory | str,
    organisation: Organisation | None = None,
    team_member: TeamMember | None = None,
    legal_basis: LegalBasis | str,
    valid_until: datetime.datetime | datetime.date | None = None,
) -> ConsentGrant:
    """Allow an organisation in the team, or one informal member or supporter, to see one category.

    Granting what is already granted renews it: the open grant is revoked and the new one ``replaces`` it,
    so the history keeps both. The period starts now and ends at ``valid_until`` (none: until revoked).
    """
    policy.require(actor, "consent.manage", household)
    category = clean_category(category)
    policy.require(actor, "consent.manage_category", (household, category))
    legal_basis = _clean_legal_basis(legal_basis)
    now = timezone.now()
    valid_until = _clean_valid_until(valid_until, now)
    _check_receiver(household=household, organisation=organisation, team_member=team_member)
    _lock_household(household.pk)
    return _write_grant(
        actor=actor,
        household=household,
        category=category,
        organisation=organisation,
        team_member=team_member,
        legal_basis=legal_basis,
        valid_until=valid_until,
        now=now,
    )


@atomic_service
def consent_revoke(*, actor: Actor, grant: ConsentGrant) -> ConsentGrant:
    """Withdraw a grant; it stops counting on the very next request. The grant itself stays (history)."""
    _lock_household(grant.household_id)
    locked = (
        ConsentGrant.objects.select_for_update(no_key=True, of=("self",))
        .select_related("household", "organisation")
        .get(pk=grant.pk)
    )
    policy.require(actor, "consent.manage", locked.household)
    policy.require(actor, "consent.manage_category", (locked.household, locked.category))
    if locked.revoked_at is not None:
        raise ValidationError(_("This consent was already withdrawn."), code="already_revoked")
    now = timezone.now()
    locked.revoked_at, locked.revoked_by = now, actor.user
    locked.save(update_fields=["revoked_at", "revoked_by"])
    grant.revoked_at, grant.revoked_by = locked.revoked_at, locked.revoked_by
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        household_id=locked.household_id,
        data_category=locked.category,
        purpose=AuditPurpose.CITIZEN,
        description="consent revoked",
        changes={**_receiver_changes(locked), "revoked_at": [None, _iso(now)]},
    )
    _consent_event(actor, locked, EventCode.CONSENT_WITHDRAWN)
    return locked


# --- requests ----------------------------------------------------------------------------------------------


def _record_request(
    *,
    actor: Actor,
    request: ConsentRequest,
    action: AuditAction,
    purpose: AuditPurpose,
    description: str,
    changes: dict[str, Any],
) -> None:
    for category in request.categories:
        audit.record(
            actor=actor,
            action=action,
            obj=request,
            household_id=request.household_id,
            data_category=category,
            purpose=purpose,
            description=description,
            changes=changes,
        )


def _lock_open_request(request: ConsentRequest) -> ConsentRequest:
    locked = (
        ConsentRequest.objects.select_for_update(no_key=True, of=("self",))
        .select_related("household", "organisation", "team_member")
        .get(pk=request.pk)
    )
    if locked.status != ConsentRequestStatus.OPEN:
        raise ValidationError(_("This request has already been answered."), code="request_closed")
    return locked


def _close_request(
    request: ConsentRequest, *, actor: Actor, status: ConsentRequestStatus, now: datetime.datetime, approved=()
) -> None:
    request.status = status
    request.approved_categories = [str(category) for category in approved]
    request.answered_by = actor.user
    request.answered_at = now
    request.save(update_fields=["status", "approved_categories", "answered_by", "answered_at"])


def _end_request(
    request: ConsentRequest,
    *,
    actor: Actor,
    status: ConsentRequestStatus,
    purpose: AuditPurpose,
    description: str,
    now: datetime.datetime | None = None,
) -> None:
    """Close an open request without granting anything (declined or withdrawn) and log it per category."""
    _close_request(request, actor=actor, status=status, now=now or timezone.now())
    _record_request(
        actor=actor,
        request=request,
        action=AuditAction.UPDATE,
        purpose=purpose,
        description=description,
        changes={"status": ["open", str(status)]},
    )


@atomic_service
def consent_request_create(
    *,
    actor: Actor,
    team_member: TeamMember,
    categories: Iterable[DataCategory | str],
    legal_basis: LegalBasis | str,
    reason: str,
) -> ConsentRequest:
    """A professional in the team asks the household for access to some categories (one open request each)."""
    policy.require(actor, "consent.request", team_member)
    categories = clean_categories(categories)
    legal_basis = _clean_legal_basis(legal_basis)
    reason = _clean_text(reason, field="reason", required_message=_("Explain why your organisation needs to see this."))
    if ConsentRequest.objects.filter(team_member=team_member, status=ConsentRequestStatus.OPEN).exists():
        raise ValidationError(
            _("There is already a request waiting for an answer for this professional."), code="request_open"
        )
    now = timezone.now()
    request = ConsentRequest.objects.create(
        household_id=team_member.household_id,
        organisation_id=team_member.organisation_id,
        team_member=team_member,
        categories=[str(category) for category in categories],
        legal_basis=legal_basis,
        reason=reason,
        requested_by=actor.user if actor.user is not None else team_member.user,
        requested_at=now,
    )
    _record_request(
        actor=actor,
        request=request,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.CARE_COORDINATION,
        description="consent requested",
        changes={"organisation_id": request.organisation_id, "legal_basis": str(legal_basis)},
    )
    return request


@atomic_service
def consent_request_approve(
    *,
    actor: Actor,
    request: ConsentRequest,
    categories: Iterable[DataCategory | str],
    valid_until: datetime.datetime | datetime.date | None = None,
) -> list[ConsentGrant]:
    """Allow some or all of the requested categories: each becomes a grant to the asking organisation."""
    policy.require(actor, "consent.manage", request.household)
    _lock_household(request.household_id)
    locked = _lock_open_request(request)
    household = locked.household
    approved = clean_categories(categories)
    asked = set(locked.categories)
    if not asked.issuperset(approved):
        raise ValidationError(
            {"categories": _("You can only allow what was asked for.")}, code="category_not_requested"
        )
    for category in approved:
        policy.require(actor, "consent.manage_category", (household, category))
    now = timezone.now()
    valid_until = _clean_valid_until(valid_until, now)
    _check_receiver(household=household, organisation=locked.organisation, team_member=None)
    grants = [
        _write_grant(
            actor=actor,
            household=household,
            category=category,
            organisation=locked.organisation,
            team_member=None,
            legal_basis=LegalBasis(locked.legal_basis),
            valid_until=valid_until,
            now=now,
        )
        for category in approved
    ]
    _close_request(locked, actor=actor, status=ConsentRequestStatus.APPROVED, now=now, approved=approved)
    _record_request(
        actor=actor,
        request=locked,
        action=AuditAction.UPDATE,
        purpose=AuditPurpose.CITIZEN,
        description="consent request answered",
        changes={"status": ["open", "approved"], "allowed": [str(category) for category in approved]},
    )
    request.status, request.approved_categories = locked.status, locked.approved_categories
    return grants


@atomic_service
def consent_request_decline(*, actor: Actor, request: ConsentRequest) -> ConsentRequest:
    """Say no to a request: nothing is granted; the request stays in the history."""
    policy.require(actor, "consent.manage", request.household)
    locked = _lock_open_request(request)
    _end_request(
        locked,
        actor=actor,
        status=ConsentRequestStatus.DECLINED,
        purpose=AuditPurpose.CITIZEN,
        description="consent request answered",
    )
    request.status = locked.status
    return locked


@atomic_service
def consent_request_withdraw(*, actor: Actor, request: ConsentRequest) -> ConsentRequest:
    """The asking organisation takes its open request back (for example when the professional leaves)."""
    policy.require(actor, "consent.withdraw_request", request)
    locked = _lock_open_request(request)
    _end_request(
        locked,
        actor=actor,
        status=ConsentRequestStatus.WITHDRAWN,
        purpose=AuditPurpose.CARE_COORDINATION,
        description="consent request withdrawn",
    )
    request.status = locked.status
    return locked


@atomic_service
def consent_requests_withdraw_for_leaving_member(*, actor: Actor, member: TeamMember) -> int:
    """Someone leaves the team: their open requests end with them. Allowed to whoever may end their place in the
    team (the coordinator, the citizen, the person themselves); called by ``team_member_leave`` before it does so."""
    policy.require(actor, "households.remove_team_member", member)
    now = timezone.now()
    requests = list(
        ConsentRequest.objects.select_for_update(no_key=True, of=("self",)).filter(
            team_member=member, status=ConsentRequestStatus.OPEN
        )
    )
    for request in requests:
        _end_request(
            request,
            actor=actor,
            status=ConsentRequestStatus.WITHDRAWN,
            purpose=AuditPurpose.CARE_COORDINATION,
            description="consent request withdrawn: the professional left the team",
            now=now,
        )
    return len(requests)


# --- break the glass ---------------------------------------------------------------------------------------


def _clean_reason(value: Any) -> str:
    message = _("Explain in a few sentences (at least %(count)d characters) why you need access without consent.") % {
        "count": MIN_REASON_LENGTH
    }
    reason = _clean_text(value, field="reason", required_message=message)
    if len(reason) < MIN_REASON_LENGTH or len(reason.split()) < MIN_REASON_WORDS:
        raise ValidationError({"reason": message}, code="reason_too_short")
    return reason


def _clean_ground(value: Any) -> BreakTheGlassGround:
    try:
        return BreakTheGlassGround(value)
    except ValueError:
        raise ValidationError(
            {"legal_ground": _("Choose the legal ground for access without consent.")}, code="invalid_ground"
        ) from None


def _record_break_the_glass(
    *, actor: Actor, access: BreakTheGlass, action: AuditAction, description: str, changes: dict[str, Any]
) -> None:
    for category in access.categories:
        audit.record(
            actor=actor,
            action=action,
            obj=access,
            household_id=access.household_id,
            data_category=category,
            purpose=AuditPurpose.BREAK_THE_GLASS,
            description=description,
            changes=changes,
        )


@atomic_service
def break_the_glass_start(
    *,
    actor: Actor,
    household: Household,
    categories: Iterable[DataCategory | str],
    reason: str,
    legal_ground: BreakTheGlassGround | str,
) -> BreakTheGlass:
    """Access without consent for ``BREAK_THE_GLASS_HOURS`` hours, with a reason and a legal ground.

    Only for a professional acting for an active organisation; flagged in the audit log (purpose BTG) and
    shown to the household and its coordinator afterwards.
    """
    policy.require(actor, "consent.break_the_glass", household)
    categories = clean_categories(categories)
    reason = _clean_reason(reason)
    legal_ground = _clean_ground(legal_ground)
    _lock_household(household.pk)
    now = timezone.now()
    already = BreakTheGlass.objects.filter(
        household=household,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        ended_at__isnull=True,
        started_at__lte=now,
        expires_at__gt=now,
    ).exists()
    if already:
        raise ValidationError(
            _("You already have access without consent to this household. End it first to start a new one."),
            code="already_active",
        )
    access = BreakTheGlass.objects.create(
        household=household,
        user=actor.user,
        organisation=actor.organisation,
        role=str(actor.role),
        categories=[str(category) for category in categories],
        reason=reason,
        legal_ground=legal_ground,
        started_at=now,
        expires_at=now + datetime.timedelta(hours=BREAK_THE_GLASS_HOURS),
    )
    _record_break_the_glass(
        actor=actor,
        access=access,
        action=AuditAction.BREAK_THE_GLASS,
        description="break-the-glass access started",
        changes={"legal_ground": str(legal_ground), "reason": reason, "expires_at": _iso(access.expires_at)},
    )
    event_record(
        actor=actor,
        household=household,
        category=DataCategory.GENERAL,
        code=EventCode.EMERGENCY_ACCESS,
        params={"organisation": actor.organisation.name},
    )
    # The household and its coordinator hear about it by e-mail, once the access is really stored.
    transaction.on_commit(partial(tasks.send_break_the_glass_notifications.enqueue, access.pk), robust=True)
    return access


@atomic_service
def break_the_glass_end(*, actor: Actor, access: BreakTheGlass) -> BreakTheGlass:
    """End a break-the-glass access before it expires (by the professional who started it)."""
    locked = BreakTheGlass.objects.select_for_update(no_key=True).get(pk=access.pk)
    policy.require(actor, "consent.end_break_the_glass", locked)
    now = timezone.now()
    if not locked.is_active_at(now):
        raise ValidationError(_("This access without consent has already ended."), code="already_ended")
    locked.ended_at = now
    locked.save(update_fields=["ended_at"])
    access.ended_at = now
    _record_break_the_glass(
        actor=actor,
        access=locked,
        action=AuditAction.UPDATE,
        description="break-the-glass access ended",
        changes={"ended_at": _iso(now)},
    )
    return locked


# --- emergency access by BSN ("Noodtoegang") ---------------------------------------------------------------


class EmergencyOutcome(enum.Enum):
    STARTED = "started"  # the access without consent started
    NOT_FOUND = "not_found"  # no household has a member with this BSN
    ALREADY_VISIBLE = "already_visible"  # the actor already sees the household through its consent
    ALREADY_ACTIVE = "already_active"  # the actor already has an active access to it
    TOO_MANY = "too_many"  # too many lookups in the last hour: nothing was looked up


@dataclass(frozen=True)
class EmergencyAttempt:
    outcome: EmergencyOutcome
    household: Household | None = None
    access: BreakTheGlass | None = None


def clean_bsn(value: Any) -> str:
    """Nine digits that pass the elfproef (spaces and dots allowed in what was typed)."""
    try:
        return stdnum_bsn.validate(str(value or ""))
    except Exception:  # noqa: BLE001 - every stdnum error means the same to the person typing
        raise ValidationError(
            {"bsn": _("This is not a correct BSN. A BSN has nine digits; check the number and try again.")},
            code="invalid_bsn",
        ) from None


def _record_lookup(
    *, actor: Actor, outcome: AuditOutcome, household: Household | None, purpose: AuditPurpose, description: str
) -> None:
    """One audit entry per BSN lookup: who, when, the outcome and (when found) the household; never the BSN."""
    audit.record(
        actor=actor,
        action=AuditAction.SEARCH,
        object_type=selectors.EMERGENCY_LOOKUP,
        household_id=household.pk if household is not None else None,
        data_category=DataCategory.GENERAL.value if household is not None else "",
        purpose=purpose,
        outcome=outcome,
        description=description,
    )


def _lock_person(user_id: int) -> None:
    """Serialise one person's lookups, so two at once cannot both slip under the limit."""
    list(get_user_model().objects.select_for_update(no_key=True).filter(pk=user_id).values_list("pk", flat=True))


@sensitive_variables("bsn")
@atomic_service
def break_the_glass_by_bsn(
    *,
    actor: Actor,
    bsn: str,
    categories: Iterable[DataCategory | str],
    reason: str,
    legal_ground: BreakTheGlassGround | str,
) -> EmergencyAttempt:
    """Find the household of a member by BSN and start access without consent to it ("Noodtoegang").

    The input is checked first (``ValidationError``, nothing looked up or written). Then every lookup writes
    one audit entry (action ``search``, outcome success or failure, the household when found, never the BSN),
    also when it ends without access: no household found, a household the actor already sees through its
    consent, or an access of theirs that is still running. At most ``EMERGENCY_LOOKUPS_PER_HOUR`` lookups per
    person per hour; beyond that nothing is looked up and the refusal is logged (outcome denied).
    """
    policy.require(actor, "consent.break_the_glass_lookup")
    bsn = clean_bsn(bsn)
    categories = clean_categories(categories)
    reason = _clean_reason(reason)
    legal_ground = _clean_ground(legal_ground)
    _lock_person(actor.user_id)
    now = timezone.now()
    if selectors.emergency_lookups_since(actor.user_id, now - EMERGENCY_LOOKUP_WINDOW) >= EMERGENCY_LOOKUPS_PER_HOUR:
        _record_lookup(
            actor=actor,
            outcome=AuditOutcome.DENIED,
            household=None,
            purpose=AuditPurpose.BREAK_THE_GLASS,
            description="emergency access lookup refused: too many lookups in the last hour",
        )
        return EmergencyAttempt(EmergencyOutcome.TOO_MANY)
    household = selectors.household_by_bsn(bsn)
    if household is None:
        _record_lookup(
            actor=actor,
            outcome=AuditOutcome.FAILURE,
            household=None,
            purpose=AuditPurpose.BREAK_THE_GLASS,
            description="emergency access lookup: no household found",
        )
        return EmergencyAttempt(EmergencyOutcome.NOT_FOUND)
    running = break_the_glass_of(actor, household, now=now).order_by("-started_at", "-pk").first()
    if running is not None:
        _record_lookup(
            actor=actor,
            outcome=AuditOutcome.SUCCESS,
            household=household,
            purpose=AuditPurpose.BREAK_THE_GLASS,
            description="emergency access lookup: access already running",
        )
        return EmergencyAttempt(EmergencyOutcome.ALREADY_ACTIVE, household=household, access=running)
    if households_visible_to(actor, now=now).filter(pk=household.pk).exists():
        _record_lookup(
            actor=actor,
            outcome=AuditOutcome.SUCCESS,
            household=household,
            purpose=AuditPurpose.CARE_COORDINATION,
            description="emergency access lookup: household already visible through consent",
        )
        return EmergencyAttempt(EmergencyOutcome.ALREADY_VISIBLE, household=household)
    _record_lookup(
        actor=actor,
        outcome=AuditOutcome.SUCCESS,
        household=household,
        purpose=AuditPurpose.BREAK_THE_GLASS,
        description="emergency access lookup: household found",
    )
    access = break_the_glass_start(
        actor=actor, household=household, categories=categories, reason=reason, legal_ground=legal_ground
    )
    return EmergencyAttempt(EmergencyOutcome.STARTED, household=household, access=access)

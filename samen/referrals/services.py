"""Writing referrals. These services are the only writers of ``samen.referrals.models``.

Every function is keyword-only and runs in one transaction (``@atomic_service``): it locks the household's row
first (the lock order of ``samen.core.transactions``), asks the policy, checks its input (``ValidationError`` with a
message per field, nothing written), and writes its audit entry, the household's timeline event and, for a
rejected referral, the network's case event in that same transaction.

A change of status is one conditional UPDATE (``WHERE pk = … AND status = <the status it had> AND version = …``),
so two people can never both move a referral: the second finds it changed and gets a clear message. A move the
state machine does not allow (``models.TRANSITIONS``) raises ``ValidationError`` and changes nothing.

Consent in the same flow: a referral to an organisation the household has not allowed to see the question's
category is saved as ``draft``; the household's "yes" grants that consent and moves it to ``requested`` in one
transaction, its "no" cancels it. Accepting puts the accepting professional in the household's team.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samen.consent import services as consent_services
from samen.consent.policies import active_representation_q, household_access, parse_id
from samen.conversations.workdays import is_working_day
from samen.core import audit, policy
from samen.core.actor import SYSTEM, Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.text import clean_text
from samen.core.transactions import atomic_service
from samen.core.vocabulary import DataCategory
from samen.households import services as household_services
from samen.households.models import Household, HouseholdMember, Representative, TeamMember
from samen.organisations.models import CaseEventKind, Membership, MembershipRole, Organisation
from samen.organisations.services import case_event_record
from samen.referrals.models import (
    OPEN_STATUSES,
    QUESTION_MAX_LENGTH,
    REASON_MAX_LENGTH,
    STAMPS,
    WITH_REASON,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    is_legal,
)
from samen.referrals.policies import NOT_REFERRABLE_TYPES, organisation_has_consent
from samen.reminders.models import NotificationKind
from samen.reminders.services import notify
from samen.timeline.models import EventCode
from samen.timeline.services import event_record

S = ReferralStatus
# What the household's "no" writes as the reason.
NO_CONSENT_REASON = gettext_lazy("The resident did not give permission")
# A referral is stalled when it was not answered within this many working days ...
STALLED_REQUESTED_WORKING_DAYS = 5
# ... or, accepted or in progress, did not change for this many.
STALLED_ACTIVE_WORKING_DAYS = 20

EVENTS: dict[ReferralStatus, EventCode] = {
    S.REQUESTED: EventCode.REFERRAL_REQUESTED,
    S.ACCEPTED: EventCode.REFERRAL_ACCEPTED,
    S.REJECTED: EventCode.REFERRAL_REJECTED,
    S.IN_PROGRESS: EventCode.REFERRAL_STARTED,
    S.COMPLETED: EventCode.REFERRAL_COMPLETED,
    S.CANCELLED: EventCode.REFERRAL_CANCELLED,
}
# The rule each move asks (a move to ``requested`` is the household's answer).
PERMISSIONS: dict[ReferralStatus, str] = {
    S.REQUESTED: "referrals.answer",
    S.ACCEPTED: "referrals.handle",
    S.REJECTED: "referrals.handle",
    S.IN_PROGRESS: "referrals.handle",
    S.COMPLETED: "referrals.handle",
    S.CANCELLED: "referrals.cancel",
}
# How a status reads in "This referral is now: …" and "… cannot be …" (the message for an illegal move).
WANTED = {
    S.DRAFT: gettext_lazy("put back to waiting for permission"),
    S.REQUESTED: gettext_lazy("sent"),
    S.ACCEPTED: gettext_lazy("accepted"),
    S.REJECTED: gettext_lazy("rejected"),
    S.IN_PROGRESS: gettext_lazy("started"),
    S.COMPLETED: gettext_lazy("completed"),
    S.CANCELLED: gettext_lazy("cancelled"),
}
STALE = gettext_lazy("Someone else changed this referral in the meantime. Look at it again and then choose what to do.")


# --- checking input --------------------------------------------------------------------------------------------


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _clean_category(value: Any) -> DataCategory:
    try:
        return DataCategory(value)
    except ValueError:
        raise _invalid("category", _("Choose a kind of information from the list."), "invalid_category") from None


def _clean_question(value: Any) -> str:
    return clean_text(
        value,
        field="question",
        max_length=QUESTION_MAX_LENGTH,
        messages={"required": _("Write down what the organisation is asked to help with.")},
    )


def _clean_reason(value: Any) -> str:
    return clean_text(
        value,
        field="reason",
        max_length=REASON_MAX_LENGTH,
        one_line=True,
        messages={"required": _("Write down why. The others read it.")},
    )


def _clean_version(value: Any) -> int | None:
    if value is None:
        return None
    number = parse_id(value)
    if number is None:
        raise _invalid("version", str(STALE), "stale")
    return number


def _clean_organisation(value: Any, *, actor: Actor) -> Organisation:
    """An active organisation that a household can be referred to, other than the actor's own."""
    pk = value.pk if isinstance(value, Organisation) else parse_id(value)
    organisation = Organisation.objects.filter(pk=pk, is_active=True).first() if pk is not None else None
    if organisation is None or organisation.type in NOT_REFERRABLE_TYPES:
        raise _invalid("to_organisation", _("Choose an organisation from the list."), "invalid_organisation")
    if actor.organisation_id is not None and organisation.pk == actor.organisation_id:
        raise _invalid(
            "to_organisation",
            _("You cannot refer to your own organisation. Choose another organisation."),
            "own_organisation",
        )
    return organisation


def _illegal(current: str, wanted: str) -> ValidationError:
    """The clear message for a move the state machine does not allow."""
    label = ReferralStatus(current).label
    if current == wanted:
        message = _("This referral is already %(status)s.") % {"status": label}
    else:
        try:
            words = WANTED[ReferralStatus(wanted)]
        except ValueError:
            words = wanted
        message = _("This referral is now: %(status)s. That is why it cannot be %(wanted)s.") % {
            "status": label,
            "wanted": words,
        }
    return ValidationError(message, code="illegal_transition")


# --- helpers ---------------------------------------------------------------------------------------------------


def _lock_household(household_id: int) -> None:
    """The household's row, locked until the end of the transaction: every writer of a household's referrals takes it
    first, so they run one after the other."""
    list(Household.objects.select_for_update(no_key=True).filter(pk=household_id).values_list("pk", flat=True))


def _purpose(actor: Actor) -> AuditPurpose:
    if actor.user_id is None:
        return AuditPurpose.OPERATIONS
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def _record_change(
    actor: Actor, referral: Referral, from_status: str, to_status: str, now: datetime.datetime, reason: str = ""
) -> ReferralStatusChange:
    return ReferralStatusChange.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        changed_by=actor.user,
        organisation=actor.organisation if actor.role != Role.CITIZEN else None,
        role=str(actor.role),
        changed_at=now,
        reason=reason,
    )


def _audit(actor: Actor, referral: Referral, action: AuditAction, description: str, changes: dict) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=referral,
        household_id=referral.household_id,
        data_category=referral.category,
        purpose=_purpose(actor),
        description=description,
        changes=changes,
    )


def _event(actor: Actor, referral: Referral, status: ReferralStatus) -> None:
    """The household's timeline says what happened, with the receiving organisation's name. In the referral's own
    data category: that an organisation was asked to help with, say, mental health, is shown to whoever may see
    mental health, as the referral itself."""
    event_record(
        actor=actor,
        household=referral.household_id,
        category=referral.category,
        code=EVENTS[status],
        params={"organisation": referral.to_organisation.name},
    )


def _organisation_ids(referral: Referral) -> list[int]:
    return [pk for pk in (referral.from_organisation_id, referral.to_organisation_id) if pk is not None]


def _hours(since: datetime.datetime | None, until: datetime.datetime) -> int | None:
    return None if since is None else max(int((until - since).total_seconds() // 3600), 0)


def _grant_consent(actor: Actor, referral: Referral, now: datetime.datetime) -> None:
    """The household allows the receiving organisation to see the referral's category (consent in the same flow)."""
    consent_services.consent_grant_for_referral(
        actor=actor,
        household=referral.household,
        category=referral.category,
        organisation=referral.to_organisation,
        now=now,
    )


def _join_team(actor: Actor, referral: Referral, now: datetime.datetime) -> TeamMember | None:
    """The professional who accepted joins the household's team (``samen.households.services``)."""
    return household_services.team_join_by_referral(
        actor=actor, household_id=referral.household_id, referral_id=referral.pk, now=now
    )


# --- telling the people concerned ------------------------------------------------------------------------------


def _household_side(referral: Referral, now: datetime.datetime) -> set[int]:
    """Who hears news about a referral on the household's side: who asked, the active coordinator, the household's
    members with an account and its active representatives (three small queries). Whether each may still see it is
    checked again when the notification is read."""
    people = {referral.requested_by_id}
    people.update(
        TeamMember.objects.filter(
            household_id=referral.household_id, is_coordinator=True, left_at__isnull=True
        ).values_list("user_id", flat=True)
    )
    people.update(
        HouseholdMember.objects.filter(household_id=referral.household_id, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    people.update(
        Representative.objects.filter(
            active_representation_q(now), member__household_id=referral.household_id
        ).values_list("user_id", flat=True)
    )
    return people


def _receivers(referral: Referral) -> list[int]:
    """The active professionals and coordinators of the receiving organisation."""
    return list(
        Membership.objects.filter(
            organisation_id=referral.to_organisation_id,
            is_active=True,
            role__in=(MembershipRole.PROFESSIONAL, MembershipRole.COORDINATOR),
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )


def _notify(actor: Actor, referral: Referral, to: ReferralStatus, now: datetime.datetime) -> None:
    """Tell whoever the move concerns (``samen.reminders.services.notify``; never the actor themself).

    Sent (``requested``): the receiving organisation's professionals get a new request, without the household (they
    do not see it until they accept: the notification names only the referring organisation). Every move, and a
    referral that waits for permission: news for who asked, the coordinator and the household. Cancelled after it was
    answered: news for the professional who handled it."""
    household_url = reverse("referrals:detail", args=[referral.household_id, referral.pk])
    if to == S.REQUESTED:
        notify(
            actor=actor,
            recipients=_receivers(referral),
            household_id=None,
            kind=NotificationKind.REFERRAL_NEW,
            category=referral.category,
            url=reverse("referrals:received", args=[referral.pk]),
            params={
                "organisation": referral.from_organisation.name
                if referral.from_organisation
                else referral.household.name
            },
            group_key=f"referral-new:{referral.pk}",
        )
    notify(
        actor=actor,
        recipients=_household_side(referral, now),
        household_id=referral.household_id,
        kind=NotificationKind.REFERRAL_UPDATE,
        category=referral.category,
        url=household_url,
        params={"organisation": referral.to_organisation.name},
        group_key=f"referral:{referral.pk}",
    )
    if to == S.CANCELLED and referral.handled_by_id is not None:
        notify(
            actor=actor,
            recipients=[referral.handled_by_id],
            household_id=None,
            kind=NotificationKind.REFERRAL_UPDATE,
            category=referral.category,
            url=reverse("referrals:inbox"),
            params={"organisation": referral.to_organisation.name},
            group_key=f"referral-handled:{referral.pk}",
        )


# --- asking ----------------------------------------------------------------------------------------------------


@atomic_service
def referral_request(
    *,
    actor: Actor,
    household: Household,
    to_organisation: Organisation | int | str,
    question: Any,
    category: DataCategory | str = DataCategory.GENERAL,
    allow: bool = False,
) -> Referral:
    """Ask ``to_organisation`` to help ``household`` with ``question`` (in data ``category``).

    When the household has allowed that organisation to see the category, the referral is ``requested`` at once.
    Otherwise it waits for the household (``draft``); a resident who refers their own household gives that
    permission in the same step (``allow=True``), or is told that it is needed.
    """
    _lock_household(household.pk)
    try:
        access = household_access(actor, household.pk)
    except Http404:
        raise PermissionDenied from None
    category = _clean_category(category)
    policy.require(actor, "referrals.request", (access, category))
    question = _clean_question(question)
    organisation = _clean_organisation(to_organisation, actor=actor)
    household = access.household
    if Referral.objects.filter(household=household, to_organisation=organisation, status__in=OPEN_STATUSES).exists():
        raise _invalid(
            "to_organisation",
            _("%(organisation)s has already been asked to help this household. Look at that referral first.")
            % {"organisation": organisation.name},
            "already_open",
        )
    now = timezone.now()
    referral = Referral(
        household=household,
        from_organisation=actor.organisation if actor.role != Role.CITIZEN else None,
        to_organisation=organisation,
        requested_by=actor.user,
        question=question,
        category=category,
        created_at=now,
        changed_at=now,
    )
    consented = organisation_has_consent(
        household_id=household.pk, organisation_id=organisation.pk, category=category, now=now
    )
    if not consented and actor.role == Role.CITIZEN:
        if not allow:
            raise _invalid(
                "allow",
                _("%(organisation)s can only help when you allow it to see: %(category)s. Tick the box to allow it.")
                % {"organisation": organisation.name, "category": category.label},
                "consent_needed",
            )
        _grant_consent(actor, referral, now)
        consented = True
    if consented:
        referral.status, referral.requested_at = S.REQUESTED, now
    referral.save(force_insert=True)
    _record_change(actor, referral, "", referral.status, now)
    _audit(
        actor,
        referral,
        AuditAction.CREATE,
        "referral requested" if consented else "referral waits for consent",
        {
            "status": referral.status,
            "to_organisation": organisation.pk,
            "from_organisation": referral.from_organisation_id,
        },
    )
    if consented:
        _event(actor, referral, S.REQUESTED)
    _notify(actor, referral, ReferralStatus(referral.status), now)
    return referral


# --- moving ----------------------------------------------------------------------------------------------------


def _move(
    *,
    actor: Actor,
    referral: Referral,
    to: ReferralStatus,
    reason: Any = "",
    expected_version: Any = None,
    allow: bool = False,
    only_from: ReferralStatus | None = None,
    permission: str | None = None,
) -> Referral:
    """Move ``referral`` to ``to`` (inside the caller's transaction): lock, check, one conditional UPDATE, its
    history row, audit entry, timeline event and what the move brings with it. ``only_from``: refuse unless the
    referral is in that status now; ``permission``: the rule to ask instead of the move's own."""
    _lock_household(referral.household_id)
    current = (
        Referral.objects.select_related("household", "from_organisation", "to_organisation")
        .filter(pk=referral.pk)
        .first()
    )
    if current is None:
        raise Http404
    expected = _clean_version(expected_version)
    if expected is not None and expected != current.version:
        raise _invalid("version", str(STALE), "stale")
    if only_from is not None and current.status != only_from:
        raise ValidationError(
            _("This referral does not wait for permission any more. It is now: %(status)s.")
            % {"status": ReferralStatus(current.status).label},
            code="not_waiting",
        )
    if not is_legal(current.status, to):
        raise _illegal(current.status, to)
    policy.require(actor, permission or PERMISSIONS[to], current)
    reason = _clean_reason(reason) if to in WITH_REASON else ""
    now = timezone.now()
    if to == S.ACCEPTED and not organisation_has_consent(
        household_id=current.household_id,
        organisation_id=current.to_organisation_id,
        category=current.category,
        now=now,
    ):
        raise ValidationError(
            _(
                "The household no longer allows %(organisation)s to see: %(category)s. The referral cannot be "
                "accepted now; the person who asked for it can ask the household again."
            )
            % {"organisation": current.to_organisation.name, "category": DataCategory(current.category).label},
            code="consent_withdrawn",
        )
    if (
        to == S.REQUESTED
        and allow
        and not organisation_has_consent(
            household_id=current.household_id,
            organisation_id=current.to_organisation_id,
            category=current.category,
            now=now,
        )
    ):
        _grant_consent(actor, current, now)

    changes: dict[str, Any] = {"status": to, "version": F("version") + 1, "changed_at": now, STAMPS[to]: now}
    if to in WITH_REASON:
        changes["status_reason"] = reason
    if to in (S.ACCEPTED, S.REJECTED):
        changes["handled_by"] = actor.user
    moved = Referral.objects.filter(pk=current.pk, status=current.status, version=current.version).update(**changes)
    if moved != 1:
        raise _invalid("version", str(STALE), "stale")
    before, version = current.status, current.version
    current.status, current.version, current.changed_at = to, version + 1, now
    setattr(current, STAMPS[to], now)
    if to in WITH_REASON:
        current.status_reason = reason
    if to in (S.ACCEPTED, S.REJECTED):
        current.handled_by = actor.user

    _record_change(actor, current, before, to, now, reason)
    _audit(
        actor,
        current,
        AuditAction.UPDATE,
        f"referral {to}",
        {"status": [before, to], "version": [version, version + 1], "reason_given": bool(reason)},
    )
    _event(actor, current, to)
    if to == S.ACCEPTED:
        _join_team(actor, current, now)
    _notify(actor, current, to, now)
    if to == S.REJECTED:
        case_event_record(
            actor=actor,
            kind=CaseEventKind.REFERRAL_REJECTED,
            organisation_ids=_organisation_ids(current),
            occurred_on=timezone.localdate(now),
            hours=_hours(current.requested_at, now),
        )
    # The caller's object follows the row.
    for name in ("status", "version", "changed_at", STAMPS[to], "status_reason", "handled_by_id"):
        setattr(referral, name, getattr(current, name))
    return current


@atomic_service
def referral_move(
    *, actor: Actor, referral: Referral, to: ReferralStatus | str, reason: Any = "", expected_version: Any = None
) -> Referral:
    """Move ``referral`` to the status ``to`` (any of ``ReferralStatus``); what the view's buttons call. A move to
    ``requested`` is the household's "yes" (it grants the consent); every other move is one of the functions below.
    An unknown or illegal move raises ``ValidationError`` and changes nothing."""
    try:
        wanted = ReferralStatus(to)
    except ValueError:
        raise _invalid("to", _("Choose one of the buttons."), "invalid_status") from None
    return _move(
        actor=actor,
        referral=referral,
        to=wanted,
        reason=reason,
        expected_version=expected_version,
        allow=wanted == S.REQUESTED,
    )


@atomic_service
def referral_answer(*, actor: Actor, referral: Referral, allow: bool, expected_version: Any = None) -> Referral:
    """The household's answer to a referral that waits for its permission: yes grants the receiving organisation
    consent for the referral's category and sends it (``requested``); no cancels it, with the reason that the
    resident did not give permission. Only for a referral that still waits (``draft``)."""
    return _move(
        actor=actor,
        referral=referral,
        to=S.REQUESTED if allow else S.CANCELLED,
        reason="" if allow else str(NO_CONSENT_REASON),
        expected_version=expected_version,
        allow=allow,
        only_from=S.DRAFT,
        permission="referrals.answer",
    )


@atomic_service
def referral_accept(*, actor: Actor, referral: Referral, expected_version: Any = None) -> Referral:
    """The receiving organisation says yes; the accepting professional joins the household's team."""
    return _move(actor=actor, referral=referral, to=S.ACCEPTED, expected_version=expected_version)


@atomic_service
def referral_reject(*, actor: Actor, referral: Referral, reason: Any, expected_version: Any = None) -> Referral:
    """The receiving organisation says no, with a reason; the network hears of it (a case event, no household)."""
    return _move(actor=actor, referral=referral, to=S.REJECTED, reason=reason, expected_version=expected_version)


@atomic_service
def referral_start(*, actor: Actor, referral: Referral, expected_version: Any = None) -> Referral:
    return _move(actor=actor, referral=referral, to=S.IN_PROGRESS, expected_version=expected_version)


@atomic_service
def referral_complete(*, actor: Actor, referral: Referral, expected_version: Any = None) -> Referral:
    return _move(actor=actor, referral=referral, to=S.COMPLETED, expected_version=expected_version)


@atomic_service
def referral_cancel(*, actor: Actor, referral: Referral, reason: Any, expected_version: Any = None) -> Referral:
    return _move(actor=actor, referral=referral, to=S.CANCELLED, reason=reason, expected_version=expected_version)


# --- the daily job ---------------------------------------------------------------------------------------------


def stalled_before(today: datetime.date, working_days: int) -> datetime.datetime:
    """The moment before which a change is at least ``working_days`` working days old on ``today``: a change on day
    D counts when the days after D up to and including ``today`` hold that many working days (Monday to Friday
    without Dutch public holidays). The start, in Dutch time, of the ``working_days``-th working day counted back
    from ``today``."""
    day, counted = today, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == working_days:
                break
        day -= datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def stalled_referrals(now: datetime.datetime) -> Iterable[Referral]:
    """Requested and not answered within ``STALLED_REQUESTED_WORKING_DAYS`` working days, or accepted or in progress
    without a change for ``STALLED_ACTIVE_WORKING_DAYS``, and not reported for this stall yet."""
    today = timezone.localdate(now)
    return (
        Referral.objects.filter(
            Q(status=S.REQUESTED, changed_at__lt=stalled_before(today, STALLED_REQUESTED_WORKING_DAYS))
            | Q(
                status__in=(S.ACCEPTED, S.IN_PROGRESS),
                changed_at__lt=stalled_before(today, STALLED_ACTIVE_WORKING_DAYS),
            )
        )
        .filter(Q(stalled_version__isnull=True) | ~Q(stalled_version=F("version")))
        .only("pk", "status", "version", "changed_at", "from_organisation_id", "to_organisation_id")
        .order_by("pk")
    )


@atomic_service
def _report_stalled(*, referral: Referral, now: datetime.datetime) -> bool:
    """Mark one stall of ``referral`` as reported (a conditional UPDATE: only when it did not move meanwhile and was
    not reported yet) and record it for the network. False when someone else did, or it moved."""
    marked = (
        Referral.objects.filter(pk=referral.pk, status=referral.status, version=referral.version)
        .filter(Q(stalled_version__isnull=True) | ~Q(stalled_version=F("version")))
        .update(stalled_version=referral.version)
    )
    if not marked:
        return False
    case_event_record(
        actor=SYSTEM,
        kind=CaseEventKind.REFERRAL_STALLED,
        organisation_ids=_organisation_ids(referral),
        occurred_on=timezone.localdate(now),
        hours=_hours(referral.changed_at, now),
    )
    return True


def referrals_report_stalled(*, now: datetime.datetime | None = None) -> int:
    """The daily job: every referral that stalled since the last run becomes a case event for the networks of its
    organisations (no household, no person, no question). Idempotent: a stall is reported once (``stalled_version``);
    a referral that moves and stalls again is reported again. Returns how many were reported."""
    now = now or timezone.now()
    return sum(_report_stalled(referral=referral, now=now) for referral in list(stalled_referrals(now)))

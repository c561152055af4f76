"""Writes for households, their teams, the coordinator, invitations and representatives. The only writers.

Every function is keyword-only, runs in one transaction, asks the policy (``policies.py``) and writes its
audit entry in that same transaction, with the household's id. Changes to a team first lock the
household's row, so two changes to one team (two handovers at once) run one after the other and the
policy decides on the team as it is then.

Bad input raises ``ValidationError`` with a message per parameter name (``exc.message_dict``) and writes
nothing; an actor the policy refuses gets ``PermissionDenied`` and writes nothing either. E-mails are sent
by tasks (``tasks.py``) enqueued once the transaction has committed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.accounts.models import User
from samen.consent import services as consent_services
from samen.consent.models import DataCategory, LegalBasis
from samen.core import audit, policy
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.text import clean_text as _clean_text
from samen.core.transactions import atomic_service
from samen.households import tasks, tokens
from samen.households.models import (
    CoordinatorHandover,
    Household,
    HouseholdMember,
    Invitation,
    Representative,
    RepresentativeKind,
    TeamMember,
    TeamRole,
)
from samen.households.selectors import active_coordinator, active_representations
from samen.organisations.actors import actor_for_user
from samen.organisations.models import Membership, MembershipRole, Organisation
from samen.timeline.models import EventCode
from samen.timeline.services import event_record

INVITATION_VALID_DAYS = 14
REASON_MAX_LENGTH = 2000
DESCRIPTION_MAX_LENGTH = TeamMember._meta.get_field("description").max_length
NAME_MAX_LENGTH = Invitation._meta.get_field("name").max_length
EMAIL_MAX_LENGTH = Invitation._meta.get_field("email").max_length
EVIDENCE_MAX_LENGTH = Representative._meta.get_field("evidence").max_length
FULL_NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length
PASSWORD_MAX_LENGTH = 4096

# The member fields ``household_create`` accepts.
MEMBER_FIELDS = frozenset({"given_name", "family_name", "date_of_birth", "relation", "bsn", "bsn_is_synthetic", "user"})
# The membership roles in which someone works in a team as a professional.
PROFESSIONAL_MEMBERSHIP_ROLES = (MembershipRole.PROFESSIONAL, MembershipRole.COORDINATOR)

GENERAL = DataCategory.GENERAL.value
INVALID_LINK = _("This invitation link is not valid. Check that you copied the whole link.")


# --- checking input ------------------------------------------------------------------------------


def _invalid(field: str, message, code: str, params: dict[str, Any] | None = None) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code, params=params)})


def _clean_categories(categories: Any, *, field: str = "categories", required: bool = True) -> list[str]:
    """Known data categories, each once, in the order of ``DataCategory``."""
    if isinstance(categories, str) or not isinstance(categories, Iterable):
        raise _invalid(field, _("Choose data categories from the list."), "invalid")
    chosen = set()
    for category in categories:
        if str(category) not in DataCategory.values:
            raise _invalid(field, _("Choose data categories from the list."), "invalid_choice")
        chosen.add(str(category))
    if required and not chosen:
        raise _invalid(field, _("Choose at least one data category."), "required")
    return [category for category in DataCategory.values if category in chosen]


def _check_choice(value: Any, choices: type, *, field: str) -> str:
    if str(value) not in choices.values:
        raise _invalid(field, _("Choose one of the options."), "invalid_choice")
    return str(value)


def _team_event(actor: Actor, member: TeamMember, code: EventCode, **params) -> None:
    """The household's timeline tells who joined or left the team, or who coordinates now (general category)."""
    event_record(actor=actor, household=member.household, category=GENERAL, code=code, params=params)


def _member_name(member: TeamMember) -> str:
    name = member.user.get_full_name()
    return f"{name} ({member.organisation.name})" if member.organisation_id is not None else name


def _lock(household: Household) -> Household:
    """The household's row, locked until the end of the transaction (serialises changes to its team)."""
    return Household.objects.select_for_update(no_key=True).get(pk=household.pk)


def _works_for(user, organisation: Organisation, roles: Sequence[str]) -> bool:
    return (
        user.is_active
        and organisation.is_active
        and Membership.objects.filter(user=user, organisation=organisation, role__in=roles, is_active=True).exists()
    )


def _in_team(household: Household, user) -> bool:
    return TeamMember.objects.filter(household=household, user=user, left_at__isnull=True).exists()


def _fresh_member(member: TeamMember) -> TeamMember:
    return (
        TeamMember.objects.select_for_update(no_key=True, of=("self",))
        .select_related("user", "organisation")
        .get(pk=member.pk)
    )


def _on_commit(task, *args) -> None:
    """Enqueue ``task`` once the transaction commits; a queue that is down never undoes the change."""
    transaction.on_commit(partial(task.enqueue, *args), robust=True)


# --- households ----------------------------------------------------------------------------------


@atomic_service
def household_create(
    *, actor: Actor, name: str, city: str = "", members: Sequence[Mapping[str, Any]] = ()
) -> Household:
    """Register a household with its members (setup, imports, tests; the demo generator has its own bulk path).

    ``members`` are mappings with the ``HouseholdMember`` fields in ``MEMBER_FIELDS``. Errors about a
    member are reported as ``member_<index>_<field>``. The BSN is never written to the audit log.
    """
    policy.require(actor, "households.create")
    household = Household(
        name=_clean_text(name, field="name", max_length=Household._meta.get_field("name").max_length),
        city=_clean_text(city, field="city", max_length=Household._meta.get_field("city").max_length, required=False),
    )
    household.full_clean()
    household.save()
    for index, data in enumerate(members):
        unknown = set(data) - MEMBER_FIELDS
        if unknown:
            raise _invalid(f"member_{index}", _("Unknown member details."), "invalid")
        member = HouseholdMember(household=household, **data)
        try:
            member.full_clean()
        except ValidationError as exc:
            errors = {f"member_{index}_{field}": field_errors for field, field_errors in exc.error_dict.items()}
            raise ValidationError(errors) from None
        member.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=household,
        household_id=household.pk,
        data_category=GENERAL,
        purpose=AuditPurpose.OPERATIONS,
        changes={"members": len(members)},
    )
    return household


# --- the team ------------------------------------------------------------------------------------


@atomic_service
def team_join_by_referral(*, actor: Actor, household_id: int, referral_id: int, now=None) -> TeamMember | None:
    """The professional who accepted a referral (``samen.referrals``) joins the household's team for their
    organisation, so that they can work in it within the consent the household gave that organisation. The caller
    already decided that ``actor`` may accept it; nothing happens when they are in the team already. Audited, and
    told in the household's timeline like any new team member."""
    if TeamMember.objects.filter(household_id=household_id, user_id=actor.user_id, left_at__isnull=True).exists():
        return None
    member = TeamMember.objects.create(
        household_id=household_id,
        user=actor.user,
        organisation=actor.organisation,
        role=TeamRole.PROFESSIONAL,
        joined_at=now or timezone.now(),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=member,
        household_id=household_id,
        data_category=DataCategory.GENERAL.value,
        description="professional joined the team by accepting a referral",
        changes={
            "user": actor.user_id,
            "organisation": actor.organisation_id,
            "role": TeamRole.PROFESSIONAL.value,
            "referral": referral_id,
        },
    )
    event_record(
        actor=actor,
        household=household_id,
        category=DataCategory.GENERAL,
        code=EventCode.TEAM_JOINED,
        params={"name": f"{actor.user.get_full_name()} ({actor.organisation.name})", "role": TeamRole.PROFESSIONAL},
    )
    return member


@atomic_service
def team_add_professional(
    *,
    actor: Actor,
    household: Household,
    user,
    organisation: Organisation,
    description: str = "",
    categories: Iterable[str],
    legal_basis: LegalBasis | str,
    reason: str,
) -> TeamMember:
    """Put a professional of ``organisation`` in the team and ask the household for consent.

    Creates the team member and an open ``ConsentRequest`` for ``categories`` with ``legal_basis`` and
    ``reason``; the citizen (or representative) approves or declines it (``samen.consent.services``).
    Until then the professional sees nothing of the household's content. Once committed, the professional
    gets an e-mail (``tasks.send_team_welcome``).
    """
    household = _lock(household)
    candidate = TeamMember(household=household, user=user, organisation=organisation, role=TeamRole.PROFESSIONAL)
    policy.require(actor, "households.add_professional", candidate)
    description = _clean_text(description, field="description", max_length=DESCRIPTION_MAX_LENGTH, required=False)
    categories = _clean_categories(categories)
    legal_basis = _check_choice(legal_basis, LegalBasis, field="legal_basis")
    reason = _clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    if organisation.is_independent:
        raise _invalid(
            "organisation",
            _("An independent client supporter joins the team through the resident, not as a professional."),
            "independent_organisation",
        )
    if not _works_for(user, organisation, PROFESSIONAL_MEMBERSHIP_ROLES):
        raise _invalid(
            "user",
            _("This person does not work for %(organisation)s (or their account is not active)."),
            "not_in_organisation",
            {"organisation": organisation.name},
        )
    if _in_team(household, user):
        raise _invalid("user", _("This person is already in the team."), "already_in_team")
    member = TeamMember.objects.create(
        household=household,
        user=user,
        organisation=organisation,
        role=TeamRole.PROFESSIONAL,
        description=description,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=member,
        household_id=household.pk,
        data_category=GENERAL,
        description="professional added to the team",
        changes={"user": user.pk, "organisation": organisation.pk, "role": TeamRole.PROFESSIONAL.value},
    )
    _team_event(actor, member, EventCode.TEAM_JOINED, name=_member_name(member), role=member.role)
    # The consent app's service writes the request and its audit entries (one per category).
    consent_services.consent_request_create(
        actor=actor, team_member=member, categories=categories, legal_basis=legal_basis, reason=reason
    )
    _on_commit(tasks.send_team_welcome, member.pk)
    return member


@atomic_service
def team_add_supporter(
    *, actor: Actor, household: Household, user, organisation: Organisation, description: str = ""
) -> TeamMember:
    """The citizen (or representative) brings in an independent client supporter (Wmo 2015).

    Only by the citizen's delegation, and only from an organisation for independent client support.
    No consent request: what the supporter may see, the citizen grants them directly.
    """
    household = _lock(household)
    policy.require(actor, "households.delegate", household)
    description = _clean_text(description, field="description", max_length=DESCRIPTION_MAX_LENGTH, required=False)
    if not organisation.is_independent:
        raise _invalid(
            "organisation",
            _("An independent client supporter comes from an organisation for independent client support."),
            "not_independent",
        )
    if not _works_for(user, organisation, (MembershipRole.CLIENT_SUPPORTER,)):
        raise _invalid(
            "user",
            _("This person is not a client supporter at %(organisation)s (or their account is not active)."),
            "not_in_organisation",
            {"organisation": organisation.name},
        )
    if _in_team(household, user):
        raise _invalid("user", _("This person is already in the team."), "already_in_team")
    member = TeamMember.objects.create(
        household=household, user=user, organisation=organisation, role=TeamRole.SUPPORTER, description=description
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=member,
        household_id=household.pk,
        data_category=GENERAL,
        purpose=AuditPurpose.CITIZEN,
        description="independent client supporter added by the household",
        changes={"user": user.pk, "organisation": organisation.pk, "role": TeamRole.SUPPORTER.value},
    )
    _team_event(actor, member, EventCode.TEAM_JOINED, name=_member_name(member), role=member.role)
    return member


@atomic_service
def team_member_leave(*, actor: Actor, member: TeamMember, reason: str) -> TeamMember:
    """End someone's place in the team (the row stays, for the history). Their open consent requests are
    withdrawn. The coordinator hands the coordination over first."""
    _lock(member.household)
    member = _fresh_member(member)
    policy.require(actor, "households.remove_team_member", member)
    if member.left_at is not None:
        raise _invalid("member", _("This person has already left the team."), "already_left")
    if member.is_coordinator:
        raise _invalid(
            "member",
            _("The coordinator cannot leave the team before handing the coordination over to someone else."),
            "coordinator_must_hand_over",
        )
    reason = _clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    withdrawn = consent_services.consent_requests_withdraw_for_leaving_member(actor=actor, member=member)
    now = timezone.now()
    member.left_at = now
    member.left_reason = reason
    member.save(update_fields=["left_at", "left_reason"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=member,
        household_id=member.household_id,
        data_category=GENERAL,
        description="left the team",
        changes={"left_at": now.isoformat(), "consent_requests_withdrawn": withdrawn},
    )
    _team_event(actor, member, EventCode.TEAM_LEFT, name=_member_name(member))
    return member


# --- the coordinator -----------------------------------------------------------------------------


def _check_can_coordinate(member: TeamMember, household: Household, *, field: str) -> None:
    """``member`` is an active professional in ``household``'s team who still works for their organisation."""
    if member.household_id != household.pk or member.left_at is not None:
        raise _invalid(field, _("This person is not in this household's team."), "not_in_team")
    if member.role != TeamRole.PROFESSIONAL:
        raise _invalid(field, _("Only a professional in the team can be the coordinator."), "not_professional")
    if not _works_for(member.user, member.organisation, PROFESSIONAL_MEMBERSHIP_ROLES):
        raise _invalid(
            field, _("This person no longer works for their organisation in the team."), "not_in_organisation"
        )


def _record_handover(
    *, actor: Actor, household: Household, previous: TeamMember | None, member: TeamMember, reason: str
) -> CoordinatorHandover:
    handover = CoordinatorHandover.objects.create(
        household=household, from_member=previous, to_member=member, reason=reason, recorded_by=actor.user
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=handover,
        household_id=household.pk,
        data_category=GENERAL,
        description="coordinator handover" if previous else "first coordinator",
        changes={"coordinator": [previous.pk if previous else None, member.pk]},
    )
    _on_commit(tasks.send_handover_notifications, handover.pk)
    _team_event(
        actor,
        member,
        EventCode.COORDINATOR_CHANGED,
        name=member.user.get_full_name(),
        organisation=member.organisation.name,
    )
    return handover


@atomic_service
def coordinator_assign_first(
    *, actor: Actor, household: Household, member: TeamMember, reason: str = ""
) -> CoordinatorHandover:
    """Make ``member`` the household's first coordinator (only while there is none; later it is a handover).

    Recorded as a handover without a previous coordinator; the new coordinator and the household are told.
    """
    household = _lock(household)
    member = _fresh_member(member)
    policy.require(actor, "households.assign_first_coordinator", member)
    _check_can_coordinate(member, household, field="member")
    reason = _clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH, required=False)
    if active_coordinator(household) is not None:
        raise _invalid(
            "member",
            _("This household already has a coordinator. Hand the coordination over instead."),
            "has_coordinator",
        )
    member.is_coordinator = True
    member.save(update_fields=["is_coordinator"])
    return _record_handover(actor=actor, household=household, previous=None, member=member, reason=reason)


@atomic_service
def coordinator_handover(
    *, actor: Actor, household: Household, to_member: TeamMember, reason: str
) -> CoordinatorHandover:
    """Hand the coordination over to another professional in the team, with a reason.

    In one transaction: the previous coordinator stops, ``to_member`` starts (never zero, never two: the
    database refuses a second active coordinator), the handover is recorded (from, to, reason, date, who
    recorded it) and audited. Once committed, both coordinators and the household get an e-mail.
    """
    household = _lock(household)
    policy.require(actor, "households.hand_over", household)
    reason = _clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    previous = active_coordinator(household)
    if previous is None:  # the policy allows a handover only from an active coordinator; kept as a guard
        raise _invalid("to_member", _("This household has no coordinator yet."), "no_coordinator")
    to_member = _fresh_member(to_member)
    _check_can_coordinate(to_member, household, field="to_member")
    if to_member.pk == previous.pk:
        raise _invalid("to_member", _("This person is the coordinator already."), "already_coordinator")
    previous.is_coordinator = False
    previous.save(update_fields=["is_coordinator"])  # first, so that there is never a second coordinator
    to_member.is_coordinator = True
    to_member.save(update_fields=["is_coordinator"])
    return _record_handover(actor=actor, household=household, previous=previous, member=to_member, reason=reason)


# --- the informal network ------------------------------------------------------------------------


@atomic_service
def invitation_create(
    *, actor: Actor, household: Household, name: str, email: str, description: str = ""
) -> Invitation:
    """The citizen (or representative) invites someone they trust by e-mail; the link works for 14 days.

    The link's token is derived from a random salt (``tokens.py``); only its SHA-256 is stored. The
    e-mail is sent by a task once the invitation is committed.
    """
    policy.require(actor, "households.delegate", household)
    name = _clean_text(name, field="name", max_length=NAME_MAX_LENGTH)
    description = _clean_text(description, field="description", max_length=DESCRIPTION_MAX_LENGTH, required=False)
    email = _clean_text(email, field="email", max_length=EMAIL_MAX_LENGTH).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise _invalid("email", _("Enter an e-mail address like name@example.nl."), "invalid") from None
    now = timezone.now()
    if Invitation.objects.filter(
        household=household, email=email, accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now
    ).exists():
        raise _invalid("email", _("This address already has an invitation that has not been used yet."), "duplicate")
    salt = tokens.new_salt()
    invitation = Invitation.objects.create(
        household=household,
        email=email,
        name=name,
        description=description,
        token_hash=tokens.hash_token(tokens.token_for(salt)),
        token_salt=salt,
        invited_by=actor.user,
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_VALID_DAYS),
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=invitation,
        household_id=household.pk,
        data_category=GENERAL,
        purpose=AuditPurpose.CITIZEN,
        description="informal network invited",
        changes={"expires_at": invitation.expires_at.isoformat()},
    )
    _on_commit(tasks.send_invitation, invitation.pk)
    return invitation


def _open_invitation(token: Any) -> Invitation:
    """The open invitation behind ``token``, locked with its household; a clear error when the link does not work.

    The token itself is never written anywhere (not in the audit log, not in an error message).
    """
    if not isinstance(token, str) or not 0 < len(token) <= 200:
        raise _invalid("token", INVALID_LINK, "invalid")
    found = Invitation.objects.filter(token_hash=tokens.hash_token(token)).only("household_id").first()
    if found is None:
        raise _invalid("token", INVALID_LINK, "invalid")
    _lock(Household(pk=found.household_id))
    invitation = (
        Invitation.objects.select_for_update(no_key=True, of=("self",)).select_related("household").get(pk=found.pk)
    )
    if invitation.withdrawn_at is not None:
        raise _invalid("token", _("This invitation has been withdrawn."), "withdrawn")
    if invitation.accepted_at is not None:
        raise _invalid("token", _("This invitation has already been used."), "used")
    if invitation.expires_at <= timezone.now():
        raise _invalid(
            "token", _("This invitation has expired. Ask the person who invited you for a new one."), "expired"
        )
    return invitation


def _accept(*, invitation: Invitation, user, actor: Actor) -> TeamMember:
    household = invitation.household
    if HouseholdMember.objects.filter(household=household, user=user).exists():
        raise _invalid("token", _("You are a member of this household already."), "household_member")
    if _in_team(household, user):
        raise _invalid("token", _("You are in this household's team already."), "already_in_team")
    if actor.is_professional:
        raise _invalid(
            "token",
            _(
                "You are logged in for an organisation. Professionals join a household's team through its "
                "coordinator, not with an invitation."
            ),
            "professional",
        )
    now = timezone.now()
    member = TeamMember.objects.create(
        household=household, user=user, role=TeamRole.INFORMAL, description=invitation.description, joined_at=now
    )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=member,
        household_id=household.pk,
        data_category=GENERAL,
        description="invitation accepted",
        changes={"invitation": invitation.pk, "role": TeamRole.INFORMAL.value},
    )
    _team_event(actor, member, EventCode.TEAM_JOINED, name=_member_name(member), role=member.role)
    return member


@atomic_service
def invitation_accept(*, token: str, user, actor: Actor | None = None) -> TeamMember:
    """``user`` (logged in) accepts the invitation behind ``token`` and joins the team as informal network.

    No consent comes with it: what they may see, the citizen grants them afterwards. Professionals (acting
    for an organisation) are refused: they join a team through the coordinator.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    actor = actor or actor_for_user(user)
    if actor.user_id != user.pk:
        raise PermissionDenied
    invitation = _open_invitation(token)
    return _accept(invitation=invitation, user=user, actor=actor)


@atomic_service
def invitation_sign_up(*, token: str, full_name: str, password: str, ip_address: str | None = None) -> TeamMember:
    """Someone without an account accepts an invitation: a citizen account for the invitation's e-mail address
    (no household membership) is created and joins the team as informal network, in one transaction.

    The link is the proof: only who received the e-mail has it. The password follows the site's password rules
    (``AUTH_PASSWORD_VALIDATORS``). Audited twice: the new account and the acceptance. Never the token or the
    password.
    """
    invitation = _open_invitation(token)
    full_name = _clean_text(full_name, field="full_name", max_length=FULL_NAME_MAX_LENGTH)
    if not isinstance(password, str) or not password:
        raise _invalid("password", _("Choose a password."), "required")
    if "\x00" in password or len(password) > PASSWORD_MAX_LENGTH:
        raise _invalid("password", _("This password cannot be used. Choose another one."), "invalid")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise _invalid(
            "email",
            _("There is already an account with this e-mail address. Log in to accept the invitation."),
            "account_exists",
        )
    user = User(email=invitation.email, full_name=full_name)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None
    user.set_password(password)
    user.save()
    actor = Actor(user=user, role=Role.CITIZEN, ip_address=ip_address)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=user,
        household_id=invitation.household_id,
        data_category=GENERAL,
        purpose=AuditPurpose.CITIZEN,
        description="account created with an invitation",
        changes={"invitation": invitation.pk},
    )
    return _accept(invitation=invitation, user=user, actor=actor)


@atomic_service
def invitation_withdraw(*, actor: Actor, invitation: Invitation) -> Invitation:
    """The citizen (or representative) withdraws an invitation that has not been used; the link stops working."""
    invitation = (
        Invitation.objects.select_for_update(no_key=True, of=("self",))
        .select_related("household")
        .get(pk=invitation.pk)
    )
    policy.require(actor, "households.delegate", invitation.household)
    if invitation.accepted_at is not None:
        raise _invalid(
            "invitation",
            _("This invitation has already been used. Remove the person from the team instead."),
            "used",
        )
    if invitation.withdrawn_at is not None:
        raise _invalid("invitation", _("This invitation has already been withdrawn."), "withdrawn")
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=invitation,
        household_id=invitation.household_id,
        data_category=GENERAL,
        purpose=AuditPurpose.CITIZEN,
        description="invitation withdrawn",
        changes={"withdrawn_at": invitation.withdrawn_at.isoformat()},
    )
    return invitation


# --- representatives -----------------------------------------------------------------------------


def _clean_valid_until(value: Any, *, now: datetime.datetime) -> datetime.datetime | None:
    """A moment in the future; a date means "up to and including that day" (local time)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = timezone.make_aware(datetime.datetime.combine(value + datetime.timedelta(days=1), datetime.time.min))
    if not isinstance(value, datetime.datetime) or timezone.is_naive(value):
        raise _invalid("valid_until", _("Enter a valid date."), "invalid")
    if value <= now:
        raise _invalid("valid_until", _("The end date must be in the future."), "in_the_past")
    return value


@atomic_service
def representative_add(
    *,
    actor: Actor,
    member: HouseholdMember,
    user,
    kind: RepresentativeKind | str,
    scope: Iterable[str] = (),
    valid_until: datetime.datetime | datetime.date | None = None,
    evidence: str = "",
) -> Representative:
    """Register ``user`` as representative of ``member`` (a functional administrator, on evidence).

    ``scope`` lists the data categories they may act on; empty means all. ``evidence`` says what the
    registration rests on (e.g. the court decision's reference), never the document itself.
    """
    policy.require(actor, "households.register_representative", member)
    now = timezone.now()
    kind = _check_choice(kind, RepresentativeKind, field="kind")
    scope = _clean_categories(scope, field="scope", required=False)
    valid_until = _clean_valid_until(valid_until, now=now)
    evidence = _clean_text(evidence, field="evidence", max_length=EVIDENCE_MAX_LENGTH, required=False)
    if user is None or not user.is_active:
        raise _invalid("user", _("This account is not active."), "inactive")
    if member.user_id == user.pk:
        raise _invalid("user", _("Someone cannot be their own representative."), "self")
    if active_representations(now=now).filter(member=member, user=user).exists():
        raise _invalid("user", _("This person already represents this household member."), "duplicate")
    representative = Representative.objects.create(
        member=member, user=user, kind=kind, scope=scope, valid_from=now, valid_until=valid_until, evidence=evidence
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=representative,
        household_id=member.household_id,
        person_id=member.pk,
        data_category=GENERAL,
        purpose=AuditPurpose.OPERATIONS,
        description="representative registered",
        changes={
            "user": user.pk,
            "kind": kind,
            "scope": scope,
            "valid_until": valid_until.isoformat() if valid_until else None,
        },
    )
    return representative


@atomic_service
def representative_end(*, actor: Actor, rep: Representative) -> Representative:
    """End a representation now (a functional administrator); the row stays for the history."""
    rep = Representative.objects.select_for_update(no_key=True, of=("self",)).select_related("member").get(pk=rep.pk)
    policy.require(actor, "households.register_representative", rep.member)
    if rep.ended_at is not None:
        raise _invalid("rep", _("This representation has already ended."), "already_ended")
    rep.ended_at = timezone.now()
    rep.save(update_fields=["ended_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=rep,
        household_id=rep.member.household_id,
        person_id=rep.member_id,
        data_category=GENERAL,
        purpose=AuditPurpose.OPERATIONS,
        description="representation ended",
        changes={"ended_at": rep.ended_at.isoformat()},
    )
    return rep

"""Writing the household's own network map ("netwerkkaart"). These services are the only writers of ``NetworkPerson``.

Every function is keyword-only, runs in one transaction (``atomic_service``), locks the household's row first (so two
changes to one household's map run one after the other), asks the policy (``socialmap.network_edit`` on the actor's
``household_access`` at that moment) and writes its audit entry in the same transaction: general category, never the
names of the people on the map (they are third parties; the entry names the row).

Bad input raises ``ValidationError`` with a message per parameter name and writes nothing. Changes are optimistic:
the caller passes the ``version`` it loaded; when someone else changed the person in between, ``NetworkConflict``
carries what is saved now, and nothing is written.

The map does not write timeline events: the dossier's timeline tells what happened in the plan, the team and the
consent, and the map is the household's own notebook of its people. What the map starts elsewhere tells it there:
an invitation is the households app's own (``invitation_create``, audited; "joined the team" once accepted), an
action in the plan is the plan's (``action_add``, "action added").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samen.consent.policies import HouseholdAccess, household_access, parse_id
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.core.text import clean_text
from samen.core.transactions import atomic_service
from samen.core.vocabulary import DataCategory
from samen.households import services as household_services
from samen.households.models import Household, Invitation, TeamMember
from samen.socialmap.models import (
    NETWORK_HELPS_WITH_MAX_LENGTH,
    NETWORK_NAME_MAX_LENGTH,
    Closeness,
    NetworkPerson,
    NetworkRelation,
    Service,
)
from samen.socialmap.search import SHOWN_STATUSES

GENERAL = DataCategory.GENERAL.value
FIELDS = ("name", "relation", "closeness", "helps_with", "team_member", "service")
NAME_MESSAGES = {"required": _("Write the name of the person."), "invalid": _("Write the name of the person.")}
STALE = _("This page was out of date. Open it again and make your change once more.")


@dataclass
class NetworkConflict(Exception):  # noqa: N818 - the name says what happened
    """Someone else changed the person after the page was loaded. ``current``: what is saved now, per field;
    ``current_version``: the version to save on top of."""

    current: dict[str, Any] = field(default_factory=dict)
    current_version: int = 0

    def __str__(self) -> str:
        return f"conflict: the person is at version {self.current_version}"


def _invalid(field_name: str, message, code: str) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


def _purpose(actor: Actor) -> AuditPurpose:
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def _lock(household_id: int) -> Household:
    """The household's row, locked until the end of the transaction (serialises changes to its map)."""
    return Household.objects.select_for_update(no_key=True).get(pk=household_id)


def _access(actor: Actor, household_id: int) -> HouseholdAccess:
    """The actor's access to the household now; ``PermissionDenied`` for someone who may not see it (a service
    refuses, the view already answered 404)."""
    try:
        return household_access(actor, household_id)
    except Http404:
        raise PermissionDenied from None


def _require_keeper(actor: Actor, household_id: int) -> HouseholdAccess:
    access = _access(actor, household_id)
    require(actor, "socialmap.network_edit", access)
    return access


def _record(actor: Actor, action: AuditAction, person: NetworkPerson, description: str, **changes) -> None:
    audit.record(
        actor=actor,
        action=action,
        obj=person,
        household_id=person.household_id,
        data_category=GENERAL,
        purpose=_purpose(actor),
        description=description,
        changes=changes or None,
    )


# --- input ---------------------------------------------------------------------------------------------------------


def clean_relation(value: Any) -> str:
    if not isinstance(value, str) or value not in NetworkRelation.values:
        raise _invalid("relation", _("Choose who this person is for you."), "invalid_choice")
    return value


def clean_closeness(value: Any) -> int:
    number = value if isinstance(value, int) and not isinstance(value, bool) else parse_id(value)
    if number not in Closeness.values:
        raise _invalid("closeness", _("Choose how close this person is."), "invalid_choice")
    return number


def _team_member(household_id: int, value: Any, *, person_id: int | None) -> TeamMember | None:
    """Someone in the household's team now, not on the map yet under another entry (or ``None``)."""
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, TeamMember) else parse_id(value)
    found = (
        TeamMember.objects.filter(pk=pk, household_id=household_id, left_at__isnull=True)
        .select_related("user", "organisation")
        .first()
        if pk
        else None
    )
    if found is None:
        raise _invalid("team_member", _("Choose someone from the team in the list."), "unknown_team_member")
    taken = NetworkPerson.objects.filter(household_id=household_id, team_member=found)
    if person_id is not None:
        taken = taken.exclude(pk=person_id)
    if taken.exists():
        raise _invalid("team_member", _("This person from the team is on the map already."), "team_member_taken")
    return found


def _service(value: Any) -> Service | None:
    if value in (None, ""):
        return None
    if isinstance(value, Service):
        return value
    try:
        pk = UUID(str(value))
    except ValueError:
        pk = None
    found = Service.objects.filter(pk=pk, status__in=SHOWN_STATUSES).first() if pk else None  # not a hidden one
    if found is None:
        raise _invalid("service", _("This service is not in the social map (any more)."), "unknown_service")
    return found


def _cleaned(household_id: int, *, name, relation, closeness, helps_with, team_member, service, person_id=None) -> dict:
    """Every field checked; all problems at once (one message per field), so the form shows them together."""
    errors: dict[str, list] = {}
    values: dict[str, Any] = {}
    checks = {
        "name": lambda: clean_text(
            name, field="name", max_length=NETWORK_NAME_MAX_LENGTH, one_line=True, messages=NAME_MESSAGES
        ),
        "relation": lambda: clean_relation(relation),
        "closeness": lambda: clean_closeness(closeness),
        "helps_with": lambda: clean_text(
            helps_with, field="helps_with", max_length=NETWORK_HELPS_WITH_MAX_LENGTH, required=False
        ),
        "team_member": lambda: _team_member(household_id, team_member, person_id=person_id),
        "service": lambda: _service(service),
    }
    for name_, check in checks.items():
        try:
            values[name_] = check()
        except ValidationError as error:
            for field_name, messages in error.message_dict.items():
                errors.setdefault(field_name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return values


def _saved(person: NetworkPerson) -> dict[str, Any]:
    return {
        "name": person.name,
        "relation": person.relation,
        "closeness": person.closeness,
        "helps_with": person.helps_with,
        "team_member": person.team_member_id,
        "service": person.service_id,
    }


def _version(value: Any) -> int:
    number = value if isinstance(value, int) and not isinstance(value, bool) else parse_id(value)
    if number is None:
        raise _invalid("version", STALE, "bad_version")
    return number


def _locked_person(actor: Actor, person: NetworkPerson | int) -> tuple[HouseholdAccess, NetworkPerson]:
    """The person's household locked, the actor allowed to keep its map, and the person's row locked."""
    pk = person.pk if isinstance(person, NetworkPerson) else parse_id(person)
    household_id = NetworkPerson.objects.filter(pk=pk).values_list("household_id", flat=True).first() if pk else None
    if household_id is None:
        raise _invalid("person", _("This person is not on the map (any more)."), "missing")
    _lock(household_id)
    access = _require_keeper(actor, household_id)
    locked = NetworkPerson.objects.select_for_update(no_key=True).filter(pk=pk, household_id=household_id).first()
    if locked is None:  # removed while we waited for the lock
        raise _invalid("person", _("This person is not on the map (any more)."), "missing")
    return access, locked


# --- the services --------------------------------------------------------------------------------------------------


@atomic_service
def network_person_add(
    *,
    actor: Actor,
    household: Household | int,
    name: Any,
    relation: Any,
    closeness: Any,
    helps_with: Any = "",
    team_member: Any = None,
    service: Any = None,
) -> NetworkPerson:
    """Put someone on the household's map."""
    household_id = household.pk if isinstance(household, Household) else parse_id(household)
    if household_id is None:
        raise PermissionDenied
    _lock(household_id)
    _require_keeper(actor, household_id)
    values = _cleaned(
        household_id,
        name=name,
        relation=relation,
        closeness=closeness,
        helps_with=helps_with,
        team_member=team_member,
        service=service,
    )
    now = timezone.now()
    person = NetworkPerson.objects.create(
        household_id=household_id,
        created_at=now,
        created_by=actor.user,
        updated_at=now,
        updated_by=actor.user,
        **values,
    )
    _record(
        actor,
        AuditAction.CREATE,
        person,
        "network person added",
        relation=person.relation,
        closeness=person.closeness,
        team_member=person.team_member_id,
    )
    return person


@atomic_service
def network_person_update(
    *,
    actor: Actor,
    person: NetworkPerson | int,
    expected_version: Any,
    name: Any,
    relation: Any,
    closeness: Any,
    helps_with: Any = "",
    team_member: Any = None,
    service: Any = None,
) -> NetworkPerson:
    """Change what the map says about someone. ``NetworkConflict`` when someone else changed it since it was
    loaded (nothing is written)."""
    expected = _version(expected_version)
    _access, person = _locked_person(actor, person)
    values = _cleaned(
        person.household_id,
        name=name,
        relation=relation,
        closeness=closeness,
        helps_with=helps_with,
        team_member=team_member,
        service=service,
        person_id=person.pk,
    )
    if person.version != expected:
        raise NetworkConflict(current=_saved(person), current_version=person.version)
    before = _saved(person)
    for name_, value in values.items():
        setattr(person, name_, value)
    changed = [name_ for name_, value in _saved(person).items() if before[name_] != value]
    person.version += 1
    person.updated_at = timezone.now()
    person.updated_by = actor.user
    person.save(update_fields=[*FIELDS, "version", "updated_at", "updated_by"])
    _record(actor, AuditAction.UPDATE, person, "network person changed", fields=changed)
    return person


@atomic_service
def network_person_remove(*, actor: Actor, person: NetworkPerson | int, expected_version: Any) -> NetworkPerson:
    """Take someone off the map (their place in the team, if any, stays: leaving the team is the team page's)."""
    expected = _version(expected_version)
    _access, person = _locked_person(actor, person)
    if person.version != expected:
        raise NetworkConflict(current=_saved(person), current_version=person.version)
    pk = person.pk
    _record(actor, AuditAction.DELETE, person, "network person removed", relation=person.relation)
    person.delete()
    person.pk = pk
    return person


def invitable(person: NetworkPerson) -> bool:
    """Whether the map offers to invite this person into the team by e-mail: someone from the informal network who
    is not in the team (professionals join through the coordinator, ``households.add_professional``)."""
    return person.relation != NetworkRelation.PROFESSIONAL and person.team_member_id is None


def open_invitation(person: NetworkPerson) -> bool:
    """The invitation sent from the map is still open (not used, not withdrawn, not expired)."""
    return person.invitation_id is not None and person.invitation.is_open_at(timezone.now())


@atomic_service
def network_person_invite(
    *, actor: Actor, person: NetworkPerson | int, email: Any, expected_version: Any
) -> Invitation:
    """Invite someone on the map into the household's team, with the households app's own invitation
    (``invitation_create``: the rule ``households.delegate``, the e-mail, the link that works for 14 days). The
    person's entry remembers the invitation, so the map shows it is on its way and, once accepted, their place in
    the team."""
    expected = _version(expected_version)
    _access, person = _locked_person(actor, person)
    if person.version != expected:
        raise NetworkConflict(current=_saved(person), current_version=person.version)
    if not invitable(person):
        if person.relation == NetworkRelation.PROFESSIONAL:
            message = _("A professional joins the team through the coordinator, not with an invitation.")
        else:
            message = _("This person is in the team already.")
        raise _invalid("person", message, "not_invitable")
    if open_invitation(person):
        raise _invalid("person", _("This person has an invitation that has not been used yet."), "invited")
    description = person.helps_with.replace("\n", " ")[: household_services.DESCRIPTION_MAX_LENGTH].strip()
    invitation = household_services.invitation_create(
        actor=actor,
        household=Household.objects.get(pk=person.household_id),
        name=person.name,
        email=email,
        description=description,
    )
    person.invitation = invitation
    person.version += 1
    person.updated_at = timezone.now()
    person.updated_by = actor.user
    person.save(update_fields=["invitation", "version", "updated_at", "updated_by"])
    _record(actor, AuditAction.UPDATE, person, "network person invited into the team", invitation=invitation.pk)
    return person.invitation

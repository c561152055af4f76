"""Reading referrals: a household's list, the receiving organisation's inbox, the organisations to refer to, and a
referral as a FHIR R4 Task.

Each read is a fixed number of queries, whatever the number of referrals or steps. Selectors do not decide access:
call them after the policy (``samen.referrals.policies``) and pass what it allows (the categories, the actor's
organisation). They write no access entry; the page that shows them writes its one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet

from samen.core.actor import Actor
from samen.organisations.models import Organisation
from samen.referrals.models import FHIR_TASK_STATUS, Referral, ReferralStatus, ReferralStatusChange
from samen.referrals.policies import NOT_REFERRABLE_TYPES, received_referrals

RELATED = ("from_organisation", "to_organisation", "requested_by", "handled_by")


def _with_history(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Each referral with its steps (who, for which organisation), oldest first: one query more for all of them."""
    steps = ReferralStatusChange.objects.select_related("changed_by", "organisation").order_by("changed_at", "pk")
    return referrals.prefetch_related(Prefetch("changes", queryset=steps))


def household_referrals(household_id: int, categories: Iterable[str]) -> list[Referral]:
    """The household's referrals in ``categories`` (the ones the actor sees), newest first, with their steps. Two
    queries."""
    referrals = Referral.objects.filter(household_id=household_id, category__in=[str(c) for c in categories])
    return list(_with_history(referrals.select_related(*RELATED)).order_by("-created_at", "-pk"))


def referral_history(referral: Referral) -> list[ReferralStatusChange]:
    """The steps of one referral, oldest first (one query)."""
    return list(
        ReferralStatusChange.objects.filter(referral=referral)
        .select_related("changed_by", "organisation")
        .order_by("changed_at", "pk")
    )


def inbox(actor: Actor) -> list[Referral]:
    """The referrals the actor's organisation is asked to handle (requested, accepted, in progress), each with its
    household and who asked; the longest waiting first. One query."""
    return list(
        received_referrals(actor)
        .select_related("household", "from_organisation", "requested_by")
        .order_by("changed_at", "pk")
    )


def organisations_to_refer_to(actor: Actor) -> QuerySet[Organisation]:
    """The active organisations a household can be referred to by ``actor``: not their own, not an independent
    client support organisation (a supporter joins through the household), by name."""
    organisations = Organisation.objects.filter(is_active=True).exclude(type__in=NOT_REFERRABLE_TYPES)
    if actor.organisation_id is not None:
        organisations = organisations.exclude(pk=actor.organisation_id)
    return organisations.order_by("name")


# --- FHIR ------------------------------------------------------------------------------------------------------

TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code"


def _instant(moment: datetime.datetime | None) -> str | None:
    """A FHIR ``instant``/``dateTime``: ISO 8601 with seconds and the offset (UTC)."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _organisation(organisation: Organisation) -> dict[str, str]:
    return {"reference": f"Organization/{organisation.pk}", "display": organisation.name}


def referral_as_fhir_task(referral: Referral) -> dict[str, Any]:
    """``referral`` as a FHIR R4 Task (the Gravity closed-loop referral pattern, ``standards.md``): status, intent
    ``order``, code ``fulfill``, ``for`` the household (a Group), ``owner`` the receiving organisation,
    ``requester`` the referring organisation (or, when the household referred itself, the household), when it was
    authored and last changed, and the reason of a rejection or cancellation. No question text and no names of
    people: the Task says who is asked what status it has, the question belongs in a ServiceRequest."""
    task: dict[str, Any] = {
        "resourceType": "Task",
        "id": str(referral.pk),
        "status": FHIR_TASK_STATUS[ReferralStatus(referral.status)],
        "intent": "order",
        "code": {"coding": [{"system": TASK_CODE_SYSTEM, "code": "fulfill"}]},
        "for": {"reference": f"Group/{referral.household_id}"},
        "authoredOn": _instant(referral.requested_at or referral.created_at),
        "lastModified": _instant(referral.changed_at),
        "owner": _organisation(referral.to_organisation),
        "requester": (
            _organisation(referral.from_organisation)
            if referral.from_organisation_id is not None
            else {"reference": f"Group/{referral.household_id}"}
        ),
    }
    if referral.status_reason:
        task["statusReason"] = {"text": referral.status_reason}
    if referral.started_at is not None:
        period = {"start": _instant(referral.started_at)}
        if referral.completed_at is not None:
            period["end"] = _instant(referral.completed_at)
        task["executionPeriod"] = period
    return task

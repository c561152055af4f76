"""Factories for referrals (test set-up only; they bypass the services). ``ReferralFactory(status=...)`` fills in the
timestamps and the handler that status implies, so every row it makes passes the database's constraints."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.core.vocabulary import DataCategory
from samen.households.tests.factories import HouseholdFactory
from samen.organisations.tests.factories import OrganisationFactory
from samen.referrals.models import WITH_REASON, Referral, ReferralStatus, ReferralStatusChange

S = ReferralStatus
# The path to each status, from ``draft``.
PATHS: dict[ReferralStatus, tuple[ReferralStatus, ...]] = {
    S.DRAFT: (),
    S.REQUESTED: (S.REQUESTED,),
    S.ACCEPTED: (S.REQUESTED, S.ACCEPTED),
    S.REJECTED: (S.REQUESTED, S.REJECTED),
    S.IN_PROGRESS: (S.REQUESTED, S.ACCEPTED, S.IN_PROGRESS),
    S.COMPLETED: (S.REQUESTED, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED),
    S.CANCELLED: (S.REQUESTED, S.CANCELLED),
}
STAMP_OF = {
    S.REQUESTED: "requested_at",
    S.ACCEPTED: "accepted_at",
    S.REJECTED: "rejected_at",
    S.IN_PROGRESS: "started_at",
    S.COMPLETED: "completed_at",
    S.CANCELLED: "cancelled_at",
}


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral in ``status`` (default ``requested``), its steps an hour apart ending ``changed`` ago."""

    class Meta:
        model = Referral
        exclude = ("changed",)

    household = factory.SubFactory(HouseholdFactory)
    from_organisation = factory.SubFactory(OrganisationFactory)
    to_organisation = factory.SubFactory(OrganisationFactory)
    requested_by = factory.SubFactory(UserFactory)
    question = "Kunnen jullie helpen met een overzicht van de schulden en een betalingsregeling?"
    category = DataCategory.GENERAL
    status = S.REQUESTED
    changed = datetime.timedelta(hours=1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        status = ReferralStatus(kwargs["status"])
        path = PATHS[status]
        end = timezone.now() - kwargs.pop("changed", datetime.timedelta(hours=1))
        start = end - datetime.timedelta(hours=len(path))
        kwargs.setdefault("created_at", start)
        for step, moved in enumerate(path, start=1):
            kwargs.setdefault(STAMP_OF[moved], start + datetime.timedelta(hours=step))
        kwargs.setdefault("changed_at", end if path else start)
        if status in WITH_REASON:
            kwargs.setdefault("status_reason", "Geen plek op dit moment.")
        if status in (S.ACCEPTED, S.REJECTED, S.IN_PROGRESS, S.COMPLETED):
            kwargs.setdefault("handled_by", UserFactory())
        return super()._create(model_class, *args, **kwargs)


class ReferralStatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralStatusChange

    referral = factory.SubFactory(ReferralFactory)
    from_status = S.DRAFT
    to_status = S.REQUESTED
    changed_by = factory.SubFactory(UserFactory)

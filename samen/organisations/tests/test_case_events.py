"""Case events for a network: which organisations, what kind, which day and how long, never the household."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from samen.core.actor import SYSTEM
from samen.core.models import AuditEntry
from samen.organisations.models import CaseEvent, CaseEventKind, Network
from samen.organisations.services import case_event_record, networks_of
from samen.organisations.tests.factories import NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 12, 3)


def test_one_row_per_pair_in_every_network_that_holds_the_pair():
    a, b, c, outside = (OrganisationFactory() for _ in range(4))
    west = NetworkFactory(organisations=[a, b, c])
    east = NetworkFactory(organisations=[a, b])
    created = case_event_record(
        actor=SYSTEM,
        kind=CaseEventKind.SIGNAL_SHARED,
        organisation_ids=[c.pk, a.pk, b.pk, outside.pk],
        occurred_on=DAY,
        signal_kind="plan",
    )
    rows = sorted((e.network_id, e.organisation_a_id, e.organisation_b_id) for e in created)
    pairs_west = sorted((x.pk, y.pk) for x, y in ((a, b), (a, c), (b, c)))
    assert rows == sorted(
        [(west.pk, *pair) for pair in [tuple(sorted(p)) for p in pairs_west]] + [(east.pk, *sorted((a.pk, b.pk)))]
    )
    assert all(e.organisation_a_id < e.organisation_b_id for e in created)
    assert CaseEvent.objects.count() == 4  # the pairs with the outsider are in no network


def test_a_single_organisation_and_the_hours():
    a = OrganisationFactory()
    network = NetworkFactory(organisations=[a])
    [event] = case_event_record(
        actor=SYSTEM, kind=CaseEventKind.REFERRAL_REJECTED, organisation_ids=[a.pk], occurred_on=DAY, hours=-3
    )
    assert (event.network, event.organisation_b_id, event.hours) == (network, None, 0)


def test_nothing_of_the_household_is_stored_and_each_row_is_audited_without_one():
    fields = {field.name for field in CaseEvent._meta.get_fields()}
    assert not fields & {"household", "person", "text", "user"}
    a, b = OrganisationFactory(), OrganisationFactory()
    NetworkFactory(organisations=[a, b])
    case_event_record(actor=SYSTEM, kind="signal_escalated", organisation_ids=[a.pk, b.pk], occurred_on=DAY)
    entry = AuditEntry.objects.get(object_type="organisations.caseevent")
    assert entry.household_id is None


def test_the_database_refuses_an_unordered_pair_and_an_unknown_kind():
    a, b = sorted([OrganisationFactory(), OrganisationFactory()], key=lambda o: o.pk)
    network = NetworkFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(
            network=network, kind="signal_shared", organisation_a=b, organisation_b=a, occurred_on=DAY
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(network=network, kind="gossip", organisation_a=a, occurred_on=DAY)
    with pytest.raises(ValueError):
        case_event_record(actor=SYSTEM, kind="gossip", organisation_ids=[a.pk], occurred_on=DAY)


def test_networks_of_needs_every_organisation_and_the_response_norm_is_bounded():
    a, b = OrganisationFactory(), OrganisationFactory()
    both = NetworkFactory(organisations=[a, b])
    NetworkFactory(organisations=[a])
    assert networks_of([a.pk, b.pk]) == [both]
    assert networks_of([]) == []
    assert both.signal_response_days == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        Network.objects.filter(pk=both.pk).update(signal_response_days=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Network.objects.filter(pk=both.pk).update(signal_response_days=21)

"""What the database itself guarantees about consent, and the words residents read."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from samen.consent.models import CATEGORY_DESCRIPTIONS, DataCategory
from samen.consent.tests.factories import BreakTheGlassFactory, ConsentGrantFactory, TeamMemberFactory


def test_residents_read_the_categories_in_plain_dutch():
    with translation.override("nl"):
        assert [str(category.label) for category in DataCategory] == [
            "algemeen",
            "gezondheid",
            "psychische gezondheid",
            "geld en schulden",
            "veiligheid",
            "justitie",
            "jeugd",
        ]
        assert str(CATEGORY_DESCRIPTIONS[DataCategory.FINANCES]).startswith("Je inkomen")
    assert set(CATEGORY_DESCRIPTIONS) == set(DataCategory)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "broken",
    [
        {"category": "horoscope"},
        {"legal_basis": "because"},
        {"organisation": None},  # no receiver
        {"valid_until": "valid_from"},  # an empty period
        {"revoked_at": "now"},  # revoked without saying by whom
    ],
    ids=["category", "legal basis", "receiver", "period", "revocation"],
)
def test_the_database_refuses_a_broken_grant(broken):
    grant = ConsentGrantFactory.build(household=TeamMemberFactory().household)
    grant.organisation.save()
    grant.organisation_id = grant.organisation.pk
    grant.granted_by.save()
    grant.granted_by_id = grant.granted_by.pk
    for name, value in broken.items():
        if value == "valid_from":
            value = grant.valid_from
        elif value == "now":
            value = timezone.now()
        setattr(grant, name, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        grant.save()


@pytest.mark.django_db
def test_one_open_grant_per_receiver_and_category():
    member = TeamMemberFactory()
    ConsentGrantFactory(household=member.household, organisation=member.organisation)
    ConsentGrantFactory(household=member.household, organisation=member.organisation, revoked=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentGrantFactory(household=member.household, organisation=member.organisation)


@pytest.mark.django_db
def test_break_the_glass_needs_a_known_legal_ground():
    with pytest.raises(IntegrityError), transaction.atomic():
        BreakTheGlassFactory(legal_ground="because")

"""The database itself refuses what the service would never write."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from samen.dossier.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields", [{"category": "no-such-category"}, {"text": ""}, {"kind": "letter"}, {"author_role": "king"}]
)
def test_constraints(fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory(**fields)


def test_a_household_with_notes_cannot_be_deleted():
    entry = EntryFactory()
    with pytest.raises(ProtectedError):
        entry.household.delete()


def test_str_never_holds_the_text():
    entry = EntryFactory(text="Geheime schuld bij de buren")
    assert "Geheime" not in str(entry)
    assert str(entry.pk) in str(entry)

import factory

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import DataCategory
from samen.core.actor import Role
from samen.dossier.models import Entry, EntryKind
from samen.households.tests.factories import HouseholdFactory


class EntryFactory(factory.django.DjangoModelFactory):
    """A note by a resident (no organisation) in ``general``; pass ``organisation`` and ``author_role`` for a
    professional's note."""

    class Meta:
        model = Entry

    household = factory.SubFactory(HouseholdFactory)
    kind = EntryKind.NOTE
    category = DataCategory.GENERAL
    text = factory.Sequence(lambda n: f"Notitie {n}")
    written_by = factory.SubFactory(UserFactory)
    organisation = None
    author_role = Role.CITIZEN

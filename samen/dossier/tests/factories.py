import factory

from samen.accounts.tests.factories import UserFactory
from samen.consent.models import DataCategory
from samen.core.actor import Role
from samen.dossier.models import Intake, IntakeSituation
from samen.households.tests.factories import HouseholdFactory
from samen.timeline.models import Entry, EntryKind


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


TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class DocumentEntryFactory(EntryFactory):
    """A document entry with a small PDF stored under ``documents_dir()`` (written by the factory itself)."""

    kind = EntryKind.DOCUMENT
    text = "Brief van de gemeente"
    file_name = "brief.pdf"
    content_type = "application/pdf"
    file_size = len(TINY_PDF)

    @factory.lazy_attribute
    def stored_name(self):
        from django.core.files.base import ContentFile

        from samen.dossier import documents

        return documents.store(ContentFile(TINY_PDF))


class IntakeFactory(factory.django.DjangoModelFactory):
    """An intake filled in by the household itself (pass ``filled_by``)."""

    class Meta:
        model = Intake

    household = factory.SubFactory(HouseholdFactory)
    question = "We willen rust in de schulden en dat Noor weer naar school gaat."
    involved = "De huisarts en een buurvrouw."
    wants = "Over een jaar geen aanmaningen meer."
    filled_by = None
    filled_by_role = Role.CITIZEN


class IntakeSituationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeSituation

    intake = factory.SubFactory(IntakeFactory)
    domain = "finances"
    text = factory.Sequence(lambda n: f"Situatie {n}")

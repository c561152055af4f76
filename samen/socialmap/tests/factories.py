"""Factories for the social map (test set-up only; they bypass the services, so call ``indexing.reindex`` after
making services whose search or filter columns a test reads — ``indexed_service`` does)."""

from __future__ import annotations

import factory

from samen.socialmap import indexing
from samen.socialmap.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Taxonomy,
    TaxonomyTerm,
)


class DirectoryOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Stichting Voorbeeld {n}")
    description = "Een organisatie in de wijk."


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    organization = factory.SubFactory(DirectoryOrganizationFactory)
    name = factory.Sequence(lambda n: f"Dienst {n}")
    description = "Hulp voor bewoners."


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy

    name = "Samen categorieën"
    description = "De categorieën van de sociale kaart."


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    name = factory.Sequence(lambda n: f"Categorie {n}")
    description = "Een categorie."
    taxonomy_detail = factory.SubFactory(TaxonomyFactory)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    location_type = "physical"
    name = factory.Sequence(lambda n: f"Buurthuis {n}")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    location = factory.SubFactory(LocationFactory)
    address_1 = "Dorpsstraat 1"
    city = "Voorbeeldstad"
    state_province = "Utrecht"
    postal_code = "3511 AB"
    country = "NL"
    address_type = "physical"


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


class CostOptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostOption

    service = factory.SubFactory(ServiceFactory)
    option = "Gratis"
    currency = "EUR"
    amount = 0


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language

    name = "Nederlands"
    code = "nld"


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    freq = "WEEKLY"
    byday = "MO,TU,WE,TH,FR"


class CapacityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCapacity

    service = factory.SubFactory(ServiceFactory)
    unit = "plaatsen"
    available = 3
    maximum = 10


def attach(service: Service, term: TaxonomyTerm) -> Attribute:
    """Put ``service`` in the category ``term`` (an HSDS attribute)."""
    return Attribute.objects.create(link_id=service.pk, link_entity="service", taxonomy_term=term)


def indexed_service(**kwargs) -> Service:
    """A service whose search and filter columns are filled, as the services leave them."""
    terms = kwargs.pop("terms", ())
    service = ServiceFactory(**kwargs)
    for term in terms:
        attach(service, term)
    indexing.reindex([service.pk])
    service.refresh_from_db()
    return service


# --- the household's own network ---


class NetworkPersonFactory(factory.django.DjangoModelFactory):
    """Someone on a household's own network map. Traits: ``further`` (the outer circle), ``professional``."""

    class Meta:
        model = "socialmap.NetworkPerson"

    household = factory.SubFactory("samen.households.tests.factories.HouseholdFactory")
    name = factory.Sequence(lambda n: f"Buur {n}")
    relation = "neighbour"
    closeness = 1
    helps_with = "Haalt de boodschappen."

    class Params:
        further = factory.Trait(closeness=3)
        professional = factory.Trait(relation="professional", closeness=2, helps_with="Huisarts.")

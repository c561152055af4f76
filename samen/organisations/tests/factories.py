import factory

from samen.accounts.tests.factories import UserFactory
from samen.organisations.models import Membership, MembershipRole, Network, Organisation, OrganisationType


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    type = OrganisationType.NEIGHBOURHOOD_TEAM

    class Params:
        municipality = factory.Trait(type=OrganisationType.MUNICIPALITY)
        youth_care = factory.Trait(type=OrganisationType.YOUTH_CARE)
        debt_counselling = factory.Trait(type=OrganisationType.DEBT_COUNSELLING)
        client_support = factory.Trait(type=OrganisationType.CLIENT_SUPPORT)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MembershipRole.PROFESSIONAL

    class Params:
        coordinator = factory.Trait(role=MembershipRole.COORDINATOR)
        client_supporter = factory.Trait(
            role=MembershipRole.CLIENT_SUPPORTER,
            organisation=factory.SubFactory(OrganisationFactory, client_support=True),
        )
        facilitator = factory.Trait(role=MembershipRole.NETWORK_FACILITATOR)
        policy_advisor = factory.Trait(
            role=MembershipRole.POLICY_ADVISOR, organisation=factory.SubFactory(OrganisationFactory, municipality=True)
        )
        functional_admin = factory.Trait(
            role=MembershipRole.FUNCTIONAL_ADMIN,
            organisation=factory.SubFactory(OrganisationFactory, municipality=True),
        )


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Netwerk {n}")

    @factory.post_generation
    def organisations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.organisations.add(*extracted)

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.facilitators.add(*extracted)

import datetime

import factory
from django.utils import timezone

from samen.accounts.tests.factories import UserFactory
from samen.households import tokens
from samen.households.models import (
    Household,
    HouseholdMember,
    Invitation,
    Relation,
    Representative,
    RepresentativeKind,
    TeamMember,
    TeamRole,
)
from samen.organisations.models import Membership, MembershipRole
from samen.organisations.tests.factories import OrganisationFactory


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    name = factory.Sequence(lambda n: f"Huishouden {n}")
    city = "Voorbeeldstad"
    is_synthetic = True


class HouseholdMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdMember

    household = factory.SubFactory(HouseholdFactory)
    given_name = factory.Faker("first_name", locale="nl_NL")
    family_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = datetime.date(1985, 5, 17)
    relation = Relation.PARENT


class CitizenFactory(HouseholdMemberFactory):
    """A household member with an account (a citizen who logs in)."""

    user = factory.SubFactory(UserFactory)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    """Someone in a household's team. Traits: ``professional`` (the default), ``coordinator``, ``informal``,
    ``supporter``. Professionals and supporters also get an active membership of their organisation (pass
    ``membership=False`` to leave it out), so ``actor_for_user(member.user)`` acts for that organisation."""

    class Meta:
        model = TeamMember
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = TeamRole.PROFESSIONAL
    description = "Helpt bij de schulden"

    class Params:
        professional = factory.Trait(role=TeamRole.PROFESSIONAL)
        coordinator = factory.Trait(role=TeamRole.PROFESSIONAL, is_coordinator=True, description="Gezinscoach")
        informal = factory.Trait(role=TeamRole.INFORMAL, organisation=None, description="Buurvrouw")
        supporter = factory.Trait(
            role=TeamRole.SUPPORTER,
            organisation=factory.SubFactory(OrganisationFactory, client_support=True),
            description="Onafhankelijke cliëntondersteuner",
        )

    @factory.post_generation
    def membership(obj, create, extracted, **kwargs):
        if not create or extracted is False or obj.organisation_id is None:
            return
        if obj.role == TeamRole.SUPPORTER:
            role = MembershipRole.CLIENT_SUPPORTER
        elif obj.is_coordinator:
            role = MembershipRole.COORDINATOR
        else:
            role = MembershipRole.PROFESSIONAL
        Membership.objects.get_or_create(user=obj.user, organisation=obj.organisation, role=role)


class RepresentativeFactory(factory.django.DjangoModelFactory):
    """A representation in force for a household member. Traits: ``expired``, ``ended``, ``future``."""

    class Meta:
        model = Representative

    member = factory.SubFactory(HouseholdMemberFactory)
    user = factory.SubFactory(UserFactory)
    kind = RepresentativeKind.MENTOR
    valid_from = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    valid_until = None

    class Params:
        expired = factory.Trait(valid_until=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)))
        ended = factory.Trait(ended_at=factory.LazyFunction(timezone.now))
        future = factory.Trait(valid_from=factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7)))


class InvitationFactory(factory.django.DjangoModelFactory):
    """An open invitation; its link's token is ``tokens.invitation_token(invitation)``. Trait: ``expired``."""

    class Meta:
        model = Invitation

    household = factory.SubFactory(HouseholdFactory)
    email = factory.Sequence(lambda n: f"buur{n}@example.test")
    name = factory.Faker("name", locale="nl_NL")
    description = "Buurvrouw"
    token_salt = factory.LazyFunction(tokens.new_salt)
    token_hash = factory.LazyAttribute(lambda o: tokens.hash_token(tokens.token_for(o.token_salt)))
    invited_by = factory.SubFactory(UserFactory)
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + datetime.timedelta(days=14))

    class Params:
        expired = factory.Trait(
            created_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=15)),
        )

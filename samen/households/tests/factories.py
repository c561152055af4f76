import datetime

import factory

from samen.households.models import Household, HouseholdMember, Relation


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

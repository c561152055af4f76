"""The pure generator: deterministic households, plausible structure, BSNs that pass the elfproef."""

from __future__ import annotations

import random

import pytest
from stdnum.nl import bsn as stdnum_bsn

from samen.demo.generator import (
    MAX_MEMBERS,
    NETWORKS,
    ORGANISATIONS,
    DemoGenerator,
    bsn_for_slot,
    display_family_name,
    synthetic_bsn_permutation,
)
from samen.demo.logins import DEMO_LOGINS
from samen.households.models import Relation
from samen.organisations.models import MembershipRole, OrganisationType


def test_the_same_seed_gives_the_same_households_and_another_seed_does_not():
    first, again, other = DemoGenerator(2026), DemoGenerator(2026), DemoGenerator(7)
    households = [first.household(i) for i in range(30)]
    assert [again.household(i) for i in range(30)] == households
    assert [other.household(i) for i in range(30)] != households


def test_a_household_depends_only_on_seed_and_index():
    # generated in another order, and after other draws, household 17 is still household 17
    generator = DemoGenerator(2026)
    expected = generator.household(17)
    other = DemoGenerator(2026)
    other.professionals()
    other.household(500)
    assert other.household(17) == expected


def test_the_global_random_generator_is_left_alone():
    state = random.getstate()
    generator = DemoGenerator(3)
    generator.professionals()
    for index in range(20):
        generator.household(index)
    assert random.getstate() == state


def test_households_are_plausible():
    generator = DemoGenerator(2026)
    for index in range(400):
        household = generator.household(index)
        assert 1 <= len(household.members) <= MAX_MEMBERS
        assert household.name
        parents = [m for m in household.members if m.relation == Relation.PARENT]
        children = [m for m in household.members if m.relation == Relation.CHILD]
        if children:
            assert parents, household.name
            youngest_parent = max(p.date_of_birth for p in parents)
            assert all((c.date_of_birth - youngest_parent).days > 18 * 365 for c in children), household.name
            # one shared family name, mostly: the children share one
            assert len({c.family_name for c in children}) == 1


def test_household_zero_is_a_family_with_children_for_the_demo_citizen():
    for seed in (2026, 1, 99):
        members = DemoGenerator(seed).household(0).members
        assert members[0].relation == Relation.PARENT
        assert any(m.relation == Relation.CHILD for m in members)


def test_bsns_pass_the_elfproef_and_are_unique_per_slot():
    permutation = synthetic_bsn_permutation(2026)
    slots = {*range(20_000), *range(0, 10**7, 997), 10**7 - 1}
    numbers = [bsn_for_slot(slot, permutation) for slot in slots]
    assert all(stdnum_bsn.is_valid(number) for number in numbers)
    assert len(set(numbers)) == len(numbers)


def test_the_bsn_mapping_depends_on_the_seed():
    assert bsn_for_slot(5, synthetic_bsn_permutation(1)) != bsn_for_slot(5, synthetic_bsn_permutation(2))


def test_a_slot_outside_the_range_is_refused():
    with pytest.raises(ValueError):
        bsn_for_slot(10**7, synthetic_bsn_permutation(1))


def test_not_every_member_has_a_bsn_and_the_bsn_is_not_in_the_repr():
    generator = DemoGenerator(2026)
    members = [m for i in range(200) for m in generator.household(i).members]
    with_bsn = [m for m in members if m.bsn]
    assert 0 < len(with_bsn) < len(members)
    assert with_bsn[0].bsn not in repr(with_bsn[0])


def test_a_dutch_prefix_is_capitalised_without_a_first_name():
    assert display_family_name("van der Berg") == "Van der Berg"
    assert display_family_name("Jansen") == "Jansen"


def test_the_municipality_covers_every_organisation_type_and_the_networks_exist():
    assert {spec.type for spec in ORGANISATIONS} == set(OrganisationType.values)
    names = {spec.name for spec in ORGANISATIONS}
    assert 10 <= len(names) <= 14
    assert all(set(network.organisations) <= names for network in NETWORKS)


def test_about_forty_professionals_with_every_demo_login_but_the_citizen():
    professionals = DemoGenerator(2026).professionals()
    assert 35 <= len(professionals) <= 45
    assert len({p.email for p in professionals}) == len(professionals)
    logins = {p.login.email for p in professionals if p.login is not None}
    assert logins == {login.email for login in DEMO_LOGINS if login.role != "citizen"}
    client_support = {spec.name for spec in ORGANISATIONS if spec.type == OrganisationType.CLIENT_SUPPORT}
    supporters = [p for p in professionals if p.role == MembershipRole.CLIENT_SUPPORTER]
    assert supporters and all(p.organisation in client_support for p in supporters)
    staff = [p for p in professionals if p.is_staff]
    assert [p.role for p in staff] == [MembershipRole.FUNCTIONAL_ADMIN]

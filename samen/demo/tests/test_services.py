"""The demo municipality in the database: what it holds, the demo logins, idempotency, determinism."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from django.db import transaction
from stdnum.nl import bsn as stdnum_bsn

from samen.accounts.models import User
from samen.core.actor import Role
from samen.core.audit import verify_chain
from samen.core.models import AuditAction, AuditEntry
from samen.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from samen.demo.models import DemoDataset
from samen.demo.services import DemoConflict, demo_municipality_load
from samen.households.models import Household, HouseholdMember, Relation
from samen.organisations.actors import actor_for_user
from samen.organisations.models import Membership, MembershipRole, Network, Organisation, OrganisationType

pytestmark = pytest.mark.django_db

MODELS = (Organisation, Network, User, Membership, Household, HouseholdMember, DemoDataset, AuditEntry)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def snapshot() -> dict[str, list]:
    """What a run made, independent of primary keys."""
    members = HouseholdMember.objects.order_by("household_id", "pk")
    return {
        "households": list(Household.objects.order_by("pk").values_list("name", flat=True)),
        "members": list(members.values_list("given_name", "family_name", "date_of_birth", "relation", "bsn")),
        "professionals": list(User.objects.order_by("pk").values_list("email", "full_name")),
    }


def generate_then_roll_back(**kwargs) -> dict[str, list]:
    """Generate into what is, in effect, a fresh database, and leave it fresh again."""
    with transaction.atomic():
        demo_municipality_load(**kwargs)
        result = snapshot()
        transaction.set_rollback(True)
    assert Household.objects.count() == 0
    return result


def test_every_organisation_type_and_two_networks_with_a_facilitator(generate):
    generate()
    assert set(Organisation.objects.values_list("type", flat=True)) == set(OrganisationType.values)
    networks = Network.objects.prefetch_related("organisations", "facilitators")
    assert sorted(n.name for n in networks) == ["Netwerk Noord", "Netwerk Zuid"]
    facilitator = User.objects.get(email=_login(Role.NETWORK_FACILITATOR).email)
    for network in networks:
        assert network.organisations.count() >= 4
        assert list(network.facilitators.all()) == [facilitator]


def test_each_demo_login_acts_in_its_role(generate):
    generate()
    for login in DEMO_LOGINS:
        user = User.objects.get(email=login.email)
        assert actor_for_user(user).role == login.role, login.email
        assert user.is_active and not user.is_superuser


def test_demo_logins_belong_to_the_right_organisations(generate):
    generate()
    organisation_type = {
        Role.COORDINATOR: OrganisationType.NEIGHBOURHOOD_TEAM,
        Role.PROFESSIONAL: OrganisationType.DEBT_COUNSELLING,
        Role.CLIENT_SUPPORTER: OrganisationType.CLIENT_SUPPORT,
        Role.NETWORK_FACILITATOR: OrganisationType.WELFARE,
        Role.POLICY_ADVISOR: OrganisationType.MUNICIPALITY,
        Role.FUNCTIONAL_ADMIN: OrganisationType.MUNICIPALITY,
    }
    for role, expected in organisation_type.items():
        actor = actor_for_user(User.objects.get(email=_login(role).email))
        assert actor.organisation.type == expected, role
    admin = User.objects.get(email=_login(Role.FUNCTIONAL_ADMIN).email)
    assert admin.is_staff
    assert User.objects.filter(is_staff=True).get() == admin  # no other account may use the support admin


def test_the_demo_password_is_hashed_once_with_argon2_and_works_only_for_demo_logins(argon2, generate):
    generate()
    demo = User.objects.filter(email__in=[login.email for login in DEMO_LOGINS])
    assert demo.count() == len(DEMO_LOGINS)
    hashes = set(demo.values_list("password", flat=True))
    assert len(hashes) == 1  # hashed once
    assert hashes.pop().startswith("argon2") and check_password(DEMO_PASSWORD, demo.first().password)
    others = User.objects.exclude(pk__in=demo)
    assert others.count() >= 30
    assert not any(user.has_usable_password() for user in others)


def test_roles_are_where_they_belong(generate):
    generate()
    professionals = Membership.objects.select_related("organisation")
    assert 35 <= professionals.values("user").distinct().count() <= 45
    supporters = professionals.filter(role=MembershipRole.CLIENT_SUPPORTER)
    assert supporters.exists()
    assert {m.organisation.type for m in supporters} == {OrganisationType.CLIENT_SUPPORT}
    assert (
        professionals.filter(organisation__type=OrganisationType.CLIENT_SUPPORT)
        .exclude(role=MembershipRole.CLIENT_SUPPORTER)
        .count()
        == 0
    )
    for role in (MembershipRole.POLICY_ADVISOR, MembershipRole.FUNCTIONAL_ADMIN):
        (membership,) = professionals.filter(role=role)
        assert membership.organisation.type == OrganisationType.MUNICIPALITY
    assert professionals.filter(role=MembershipRole.COORDINATOR).count() >= 3
    assert professionals.filter(role=MembershipRole.PROFESSIONAL).count() > len(professionals) / 2


def test_the_citizen_is_a_parent_in_the_first_household_and_has_no_membership(generate):
    generate()
    citizen = User.objects.get(email=_login(Role.CITIZEN).email)
    member = HouseholdMember.objects.select_related("household").get(user=citizen)
    assert member.household == Household.objects.order_by("pk").first()
    assert member.relation == Relation.PARENT
    assert member.household.members.filter(relation=Relation.CHILD).exists()
    assert citizen.full_name == f"{member.given_name} {member.family_name}"
    assert not Membership.objects.filter(user=citizen).exists()
    assert HouseholdMember.objects.filter(user__isnull=False).count() == 1


def test_households_are_synthetic_with_one_to_six_members(generate):
    generate(households=20)
    assert Household.objects.count() == 20
    assert not Household.objects.filter(is_synthetic=False).exists()
    sizes = [h.members.count() for h in Household.objects.all()]
    assert all(1 <= size <= 6 for size in sizes)
    assert len(set(sizes)) > 1


def test_bsns_are_valid_unique_marked_synthetic_and_not_universal(generate):
    generate(households=40)
    bsns = list(HouseholdMember.objects.exclude(bsn="").values_list("bsn", flat=True))
    assert bsns and all(stdnum_bsn.is_valid(number) for number in bsns)
    assert len(set(bsns)) == len(bsns)
    assert not HouseholdMember.objects.exclude(bsn="").filter(bsn_is_synthetic=False).exists()
    assert HouseholdMember.objects.filter(bsn="").exists()


def test_the_same_seed_gives_the_same_municipality_and_another_seed_does_not(db):
    first = generate_then_roll_back(seed=2026, households=15)
    second = generate_then_roll_back(seed=2026, households=15)
    other = generate_then_roll_back(seed=11, households=15)
    assert first == second
    assert other["households"] != first["households"]
    assert other["members"] != first["members"]
    assert [m[4] for m in other["members"]] != [m[4] for m in first["members"]]


def test_a_second_run_creates_nothing(generate):
    generate()
    before = row_counts()
    result = demo_municipality_load(seed=2026, households=20)
    assert result.status == "already_loaded"
    assert row_counts() == before
    generate(households=10)  # fewer households of the same seed: also already there
    assert row_counts() == before


def test_more_households_of_the_same_seed_extend_the_dataset_with_the_same_households(db):
    fresh = generate_then_roll_back(seed=2026, households=12)
    demo_municipality_load(seed=2026, households=5)
    result = demo_municipality_load(seed=2026, households=12)
    assert result.status == "extended" and result.created_households == 7
    assert snapshot() == fresh
    dataset = DemoDataset.objects.get()
    assert dataset.households == 12 and dataset.members == HouseholdMember.objects.count()
    assert AuditEntry.objects.count() == 2


def test_one_audit_entry_per_run_without_personal_data(generate):
    generate()
    generate()
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.CREATE
    assert entry.role == Role.SYSTEM and entry.user_id is None
    assert entry.description.startswith("demo municipality generated: seed 2026, 20 households")
    assert entry.object_type == "demo.demodataset"
    text = entry.description + str(entry.changes)
    assert not any(number in text for number in HouseholdMember.objects.exclude(bsn="").values_list("bsn", flat=True))
    assert list(verify_chain()) == []


def test_another_seed_in_the_same_database_is_refused(generate):
    generate()
    before = row_counts()
    with pytest.raises(DemoConflict, match="seed 2026"):
        demo_municipality_load(seed=5, households=20)
    assert row_counts() == before


def test_demo_accounts_without_a_record_are_refused(db):
    User.objects.create_user(email=_login(Role.COORDINATOR).email)
    with pytest.raises(DemoConflict):
        demo_municipality_load(seed=2026, households=3)
    assert not Household.objects.exists()


@pytest.mark.parametrize("kwargs", [{"households": 0}, {"households": 1_000_001}, {"seed": -1}])
def test_out_of_range_arguments_are_refused(db, kwargs):
    with pytest.raises(ValueError):
        demo_municipality_load(**kwargs)
    assert not Organisation.objects.exists()


def test_households_are_inserted_in_batches_not_per_row(db):
    from samen.demo.tests.test_teams import count_statements

    # 50 more households (about 125 members, 30 teams with 65 members, 120 grants) are 5 more batches of 10;
    # each writes households, members, team members, first coordinators and grants in chunks of 10 rows.
    few, many = count_statements(10, batch_size=10), count_statements(60, batch_size=10)
    # The reads are the same but for the conversation prompts: which rules fire when a demo round closes depends on
    # the data (R6 reads paper and practice), and each card is a few reads (on PostgreSQL 15 more were seen). A read
    # per household would be 50 more.
    assert abs(many[0] - few[0]) <= 25
    assert many[1] - few[1] <= 100


def _login(role: Role):
    return next(login for login in DEMO_LOGINS if login.role == role)

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from samen.accounts.tests.factories import UserFactory
from samen.core.actor import ANONYMOUS, SYSTEM
from samen.core.audit import verify_chain
from samen.core.models import AuditAction, AuditEntry
from samen.organisations import services
from samen.organisations.actors import actor_for_user
from samen.organisations.models import MembershipRole, Organisation, OrganisationType
from samen.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_actor():
    return actor_for_user(MembershipFactory(functional_admin=True).user)


def test_functional_admin_creates_an_organisation_with_its_audit_entry(admin_actor):
    organisation = services.organisation_create(
        actor=admin_actor, name="  Wijkteam Oost ", type=OrganisationType.NEIGHBOURHOOD_TEAM, city="Voorbeeldstad"
    )
    assert organisation.name == "Wijkteam Oost"
    entry = AuditEntry.objects.get(object_type="organisations.organisation", object_id=str(organisation.pk))
    assert entry.action == AuditAction.CREATE
    assert entry.user_id == admin_actor.user_id
    assert entry.role == "functional_admin"
    assert entry.changes == {"name": "Wijkteam Oost", "type": "neighbourhood_team"}
    assert list(verify_chain()) == []


@pytest.mark.parametrize("role_trait", ["coordinator", "policy_advisor", "facilitator", "client_supporter"])
def test_other_roles_may_not_manage_organisations(role_trait):
    actor = actor_for_user(MembershipFactory(**{role_trait: True}).user)
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=actor, name="X", type=OrganisationType.WELFARE)
    assert not Organisation.objects.filter(name="X").exists()
    assert not AuditEntry.objects.exists()


def test_anonymous_and_citizens_may_not_manage_organisations():
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=ANONYMOUS, name="X", type=OrganisationType.WELFARE)
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=actor_for_user(UserFactory()), name="X", type=OrganisationType.WELFARE)


@pytest.mark.parametrize(
    ("name", "type_"),
    [("", OrganisationType.WELFARE), ("x" * 201, OrganisationType.WELFARE), ("Ok", "not-a-type")],
)
def test_bad_input_is_refused_and_nothing_is_written(admin_actor, name, type_):
    before = Organisation.objects.count()
    with pytest.raises(ValidationError):
        services.organisation_create(actor=admin_actor, name=name, type=type_)
    assert Organisation.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_update_records_only_what_changed(admin_actor):
    organisation = OrganisationFactory(name="Oud", city="A")
    services.organisation_update(
        actor=admin_actor, organisation=organisation, name="Nieuw", type=organisation.type, city="A", is_active=True
    )
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.changes == {"name": ["Oud", "Nieuw"]}


def test_a_client_supporter_only_belongs_to_an_independent_organisation(admin_actor):
    provider = OrganisationFactory(youth_care=True)
    with pytest.raises(services.MembershipNotAllowed):
        services.membership_create(
            actor=admin_actor, user=UserFactory(), organisation=provider, role=MembershipRole.CLIENT_SUPPORTER
        )
    independent = OrganisationFactory(client_support=True)
    membership = services.membership_create(
        actor=admin_actor, user=UserFactory(), organisation=independent, role=MembershipRole.CLIENT_SUPPORTER
    )
    assert membership.pk


def test_ending_a_membership_removes_the_professional_role(admin_actor):
    membership = MembershipFactory()
    services.membership_end(actor=admin_actor, membership=membership)
    assert actor_for_user(membership.user).role == "citizen"
    assert AuditEntry.objects.filter(object_type="organisations.membership", action=AuditAction.UPDATE).count() == 1


def test_the_system_actor_may_set_up_a_network():
    organisations = [OrganisationFactory(), OrganisationFactory()]
    facilitator = UserFactory()
    network = services.network_create(
        actor=SYSTEM, name="Netwerk West", organisations=organisations, facilitators=[facilitator]
    )
    assert set(network.organisations.all()) == set(organisations)
    assert list(network.facilitators.all()) == [facilitator]
    assert AuditEntry.objects.get().object_type == "organisations.network"

"""The support admin: gated by the policy, and every save goes through the audited services."""

import pytest

from samen.core.models import AuditAction, AuditEntry
from samen.organisations.models import Organisation, OrganisationType
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
BACKEND = "samen.accounts.backends.SamenBackend"


def _staff(client, **trait):
    membership = MembershipFactory(**trait)
    membership.user.is_staff = True
    membership.user.save(update_fields=["is_staff"])
    client.force_login(membership.user, backend=BACKEND)
    return membership


def test_functional_admin_adds_an_organisation_through_the_service(client):
    _staff(client, functional_admin=True)
    assert client.get("/beheer/support/organisations/organisation/").status_code == 200
    response = client.post(
        "/beheer/support/organisations/organisation/add/",
        {"name": "Buurtkracht", "type": OrganisationType.VOLUNTEER_INITIATIVE, "city": "", "is_active": "on"},
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Buurtkracht")
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_type="organisations.organisation", object_id=str(organisation.pk)
    ).exists()


def test_staff_without_the_administrator_role_is_refused(client):
    _staff(client, coordinator=True)
    assert client.get("/beheer/support/organisations/organisation/").status_code == 403
    response = client.post(
        "/beheer/support/organisations/organisation/add/", {"name": "X", "type": OrganisationType.WELFARE}
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="X").exists()


def test_the_audit_log_is_not_shown_without_its_own_permission(client):
    _staff(client, functional_admin=True)
    assert client.get("/beheer/support/core/auditentry/").status_code == 403

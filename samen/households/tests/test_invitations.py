"""The citizen invites their informal network: a link by e-mail, only its hash stored, 14 days valid."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from samen.accounts.models import User
from samen.accounts.tests.factories import UserFactory
from samen.consent.models import ConsentGrant, ConsentRequest
from samen.core.actor import ANONYMOUS
from samen.core.models import AuditEntry, AuditPurpose
from samen.households import services, tasks, tokens
from samen.households.models import Invitation, TeamMember, TeamRole
from samen.households.tests.factories import CitizenFactory, InvitationFactory, RepresentativeFactory
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

act = actor_for_user


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SAMEN_BASE_URL = "https://samen.example.nl"


def invite(team, **overrides):
    arguments = {
        "actor": act(team.citizen.user),
        "household": team.household,
        "name": "Petra de Buurvrouw",
        "email": " Petra@Example.test ",
        "description": "Haalt de kinderen op",
    }
    return services.invitation_create(**{**arguments, **overrides})


def error_codes(exc):
    return {field: [error.code for error in errors] for field, errors in exc.error_dict.items()}


def test_the_citizen_invites_someone_and_the_link_arrives_by_email(
    team, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(team)
    token = tokens.invitation_token(invitation)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = Invitation.objects.filter(pk=invitation.pk).values().get()
    assert not any(token in str(value) for value in stored.values())  # the token itself is not stored
    assert invitation.email == "petra@example.test"
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    [message] = mailoutbox
    assert message.to == ["petra@example.test"]
    inviter = team.citizen.user.full_name
    assert message.subject == f"{inviter} vraagt of je wilt meehelpen"
    assert f"https://samen.example.nl/uitnodiging/{token}/" in message.body
    assert "Hallo Petra de Buurvrouw," in message.body
    assert f"Je ziet alleen de delen van het plan die {inviter} met je deelt." in message.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    entry = AuditEntry.objects.get(object_type="households.invitation")
    assert (entry.household_id, entry.purpose) == (team.household.pk, AuditPurpose.CITIZEN)
    assert "petra" not in str(entry.changes).lower()


def test_a_representative_may_invite_but_not_professionals_other_households_expired_representatives(team):
    representative = RepresentativeFactory(member=team.citizen)
    assert invite(team, actor=act(representative.user), email="a@example.test").pk
    refused = [
        act(team.coordinator.user),
        act(team.professional.user),
        act(CitizenFactory().user),
        act(RepresentativeFactory(member=team.citizen, expired=True).user),
        act(RepresentativeFactory(member=team.citizen, ended=True).user),
        act(RepresentativeFactory(member=team.citizen, future=True).user),
        ANONYMOUS,
    ]
    for actor in refused:
        with pytest.raises(PermissionDenied):
            invite(team, actor=actor, email="b@example.test")
    assert not Invitation.objects.filter(email="b@example.test").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "x" * 201}, "name", "max_length"),
        ({"email": "not an address"}, "email", "invalid"),
        ({"email": ""}, "email", "required"),
        ({"email": "a" * 250 + "@example.test"}, "email", "max_length"),
        ({"description": "x" * 201}, "description", "max_length"),
    ],
)
def test_bad_invitation_input_is_refused_and_nothing_is_sent(
    team, overrides, field, code, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as caught:
        invite(team, **overrides)
    assert error_codes(caught.value) == {field: [code]}
    assert not Invitation.objects.exists() and not AuditEntry.objects.exists() and mailoutbox == []


def test_a_name_with_markup_is_kept_as_typed(team):
    invitation = invite(team, name="<script>alert(1)</script> Piet")
    assert invitation.name == "<script>alert(1)</script> Piet"


def test_one_open_invitation_per_address(team):
    invite(team)
    with pytest.raises(ValidationError) as caught:
        invite(team, email="petra@example.test")
    assert error_codes(caught.value) == {"email": ["duplicate"]}


def test_accepting_makes_an_informal_team_member_without_any_consent(team):
    invitation = invite(team)
    petra = UserFactory()
    member = services.invitation_accept(token=tokens.invitation_token(invitation), user=petra)
    assert (member.household, member.user, member.role, member.organisation) == (
        team.household,
        petra,
        TeamRole.INFORMAL,
        None,
    )
    assert member.description == "Haalt de kinderen op"
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.accepted_at) == (petra, member.joined_at)
    assert not ConsentGrant.objects.filter(team_member=member).exists()
    assert not ConsentRequest.objects.filter(team_member=member).exists()
    entry = AuditEntry.objects.get(object_type="households.teammember")
    assert (entry.user_id, entry.household_id) == (petra.pk, team.household.pk)


def test_the_link_works_for_14_days(team, monkeypatch):
    invitation = invite(team)
    token = tokens.invitation_token(invitation)
    created = invitation.created_at
    monkeypatch.setattr(timezone, "now", lambda: created + datetime.timedelta(days=14, seconds=1))
    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(token=token, user=UserFactory())
    assert error_codes(caught.value) == {"token": ["expired"]}
    with translation.override("nl"):
        assert caught.value.messages == [
            "Deze uitnodiging is verlopen. Vraag de persoon die je uitnodigde om een nieuwe."
        ]
    monkeypatch.setattr(timezone, "now", lambda: created + datetime.timedelta(days=13, hours=23))
    assert services.invitation_accept(token=token, user=UserFactory()).pk


def test_an_expired_withdrawn_used_or_unknown_link_gives_a_clear_error_and_changes_nothing(team):
    expired = InvitationFactory(household=team.household, expired=True)
    withdrawn = InvitationFactory(household=team.household, withdrawn_at=timezone.now())
    used = InvitationFactory(household=team.household)
    services.invitation_accept(token=tokens.invitation_token(used), user=UserFactory())
    members = TeamMember.objects.count()
    cases = [
        (tokens.invitation_token(expired), "expired"),
        (tokens.invitation_token(withdrawn), "withdrawn"),
        (tokens.invitation_token(used), "used"),
        ("not-a-token", "invalid"),
        ("", "invalid"),
        ("x" * 5000, "invalid"),
    ]
    for token, code in cases:
        with pytest.raises(ValidationError) as caught:
            services.invitation_accept(token=token, user=UserFactory())
        assert error_codes(caught.value) == {"token": [code]}
    assert TeamMember.objects.count() == members


def test_household_members_and_team_members_do_not_accept_again(team):
    for user, code in ((team.citizen.user, "household_member"), (team.professional.user, "already_in_team")):
        invitation = InvitationFactory(household=team.household)
        with pytest.raises(ValidationError) as caught:
            services.invitation_accept(token=tokens.invitation_token(invitation), user=user)
        assert error_codes(caught.value) == {"token": [code]}


def test_only_the_logged_in_person_accepts_for_themselves(team):
    invitation = InvitationFactory(household=team.household)
    token = tokens.invitation_token(invitation)
    with pytest.raises(PermissionDenied):
        services.invitation_accept(token=token, user=UserFactory(), actor=act(UserFactory()))
    with pytest.raises(PermissionDenied):
        services.invitation_accept(token=token, user=UserFactory(is_active=False))
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_citizen_withdraws_an_invitation_and_the_link_stops_working(team, mailoutbox):
    invitation = invite(team)
    for actor in (act(team.coordinator.user), act(CitizenFactory().user), ANONYMOUS):
        with pytest.raises(PermissionDenied):
            services.invitation_withdraw(actor=actor, invitation=invitation)
    services.invitation_withdraw(actor=act(team.citizen.user), invitation=invitation)
    with pytest.raises(ValidationError) as caught:
        services.invitation_withdraw(actor=act(team.citizen.user), invitation=invitation)
    assert error_codes(caught.value) == {"invitation": ["withdrawn"]}
    with pytest.raises(ValidationError):
        services.invitation_accept(token=tokens.invitation_token(invitation), user=UserFactory())
    # A task that runs after the withdrawal (queued before) sends nothing.
    assert tasks.send_invitation.call(invitation.pk) is False
    assert mailoutbox == []


def test_a_used_invitation_cannot_be_withdrawn(team):
    invitation = invite(team)
    services.invitation_accept(token=tokens.invitation_token(invitation), user=UserFactory())
    with pytest.raises(ValidationError) as caught:
        services.invitation_withdraw(actor=act(team.citizen.user), invitation=invitation)
    assert error_codes(caught.value) == {"invitation": ["used"]}


def test_the_invitation_email_is_sent_once(team, mailoutbox):
    invitation = invite(team)
    assert tasks.send_invitation.call(invitation.pk) is True
    assert tasks.send_invitation.call(invitation.pk) is False
    assert len(mailoutbox) == 1


def test_after_a_new_secret_key_the_old_link_is_not_mailed(team, mailoutbox, settings):
    invitation = invite(team)
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40
    assert tasks.send_invitation.call(invitation.pk) is False
    assert mailoutbox == []


# --- refusing professionals, signing up with the link ------------------------------------------------------


def test_a_professional_acting_for_an_organisation_cannot_accept(team):
    invitation = InvitationFactory(household=team.household)
    outsider = MembershipFactory().user  # a professional of another organisation, not in this team
    with pytest.raises(ValidationError) as caught:
        services.invitation_accept(token=tokens.invitation_token(invitation), user=outsider)
    assert error_codes(caught.value) == {"token": ["professional"]}
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not TeamMember.objects.filter(user=outsider).exists()


def sign_up(token, **overrides):
    arguments = {"token": token, "full_name": "Petra de Buurvrouw", "password": "lange-zin met 7 woorden!"}
    return services.invitation_sign_up(**{**arguments, **overrides})


def test_someone_without_an_account_signs_up_and_joins_in_one_go(team):
    invitation = InvitationFactory(household=team.household, email="petra@example.test", description="Buurvrouw")
    token = tokens.invitation_token(invitation)
    member = sign_up(token, ip_address="192.0.2.7")
    user = member.user
    assert (user.email, user.full_name, user.is_active) == ("petra@example.test", "Petra de Buurvrouw", True)
    assert user.check_password("lange-zin met 7 woorden!")
    assert not user.memberships.exists()
    assert not hasattr(user, "household_member") or user.household_member is None
    assert act(user).role == "citizen"
    assert (member.household, member.role, member.description) == (team.household, TeamRole.INFORMAL, "Buurvrouw")
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    entries = list(AuditEntry.objects.order_by("sequence"))
    assert [(entry.object_type, entry.description) for entry in entries] == [
        ("accounts.user", "account created with an invitation"),
        ("households.teammember", "invitation accepted"),
        ("timeline.entry", "event added (team_joined)"),
    ]
    for entry in entries:
        assert (entry.user_id, entry.household_id, entry.ip_address) == (user.pk, team.household.pk, "192.0.2.7")
        assert token not in str(entry.changes) and token not in entry.description
        assert "lange-zin" not in str(entry.changes)


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"full_name": ""}, "full_name", "required"),
        ({"full_name": "x" * 201}, "full_name", "max_length"),
        ({"password": ""}, "password", "required"),
        ({"password": "kort"}, "password", "password_too_short"),
        ({"password": "12345678901234"}, "password", "password_entirely_numeric"),
        ({"password": "password123"}, "password", "password_too_common"),
        ({"password": None}, "password", "required"),
    ],
)
def test_bad_sign_up_input_is_refused_and_nothing_is_written(team, overrides, field, code):
    invitation = InvitationFactory(household=team.household)
    users = User.objects.count()
    with pytest.raises(ValidationError) as caught:
        sign_up(tokens.invitation_token(invitation), **overrides)
    assert code in error_codes(caught.value)[field]
    assert User.objects.count() == users
    assert not AuditEntry.objects.exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_signing_up_with_an_address_that_has_an_account_asks_to_log_in(team):
    UserFactory(email="petra@example.test")
    invitation = InvitationFactory(household=team.household, email="petra@example.test")
    with pytest.raises(ValidationError) as caught:
        sign_up(tokens.invitation_token(invitation))
    assert error_codes(caught.value) == {"email": ["account_exists"]}


def test_signing_up_with_a_link_that_does_not_work_creates_no_account(team):
    expired = InvitationFactory(household=team.household, expired=True)
    used = InvitationFactory(household=team.household)
    services.invitation_accept(token=tokens.invitation_token(used), user=UserFactory())
    users = User.objects.count()
    for token, code in ((tokens.invitation_token(expired), "expired"), (tokens.invitation_token(used), "used")):
        with pytest.raises(ValidationError) as caught:
            sign_up(token)
        assert error_codes(caught.value) == {"token": [code]}
    with pytest.raises(ValidationError):
        sign_up("not-a-token")
    assert User.objects.count() == users

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from samen.accounts import services
from samen.core.actor import ANONYMOUS
from samen.core.audit import verify_chain
from samen.core.models import AuditAction, AuditEntry, AuditOutcome, AuditPurpose
from samen.organisations.actors import actor_for_user
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_failed_login_is_audited_with_the_typed_address_cut_to_254_characters():
    typed = "x\x00" + "a" * 400
    services.user_log_in_failed(actor=ANONYMOUS, attempted_email=typed, reason=services.LoginFailure.WRONG_CREDENTIALS)
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.LOGIN_FAILED
    assert entry.outcome == AuditOutcome.FAILURE
    assert entry.purpose == AuditPurpose.OPERATIONS
    assert entry.changes["attempted_email"] == ("x" + "a" * 400)[:254]
    assert entry.changes["reason"] == "wrong_credentials"
    assert entry.changes["unknown_account_failures_in_window"] == 1  # no such account: the window's first
    assert not list(verify_chain())


def test_device_start_reuses_the_unconfirmed_device_and_audits_once():
    actor = actor_for_user(MembershipFactory().user)
    first = services.second_factor_device_start(actor=actor)
    again = services.second_factor_device_start(actor=actor)
    assert first == again
    assert not first.confirmed
    assert AuditEntry.objects.filter(action=AuditAction.CREATE, object_type="otp_totp.totpdevice").count() == 1


def test_device_start_does_not_touch_a_confirmed_device():
    user = MembershipFactory().user
    confirmed = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    device = services.second_factor_device_start(actor=actor_for_user(user))
    assert device != confirmed
    assert TOTPDevice.objects.filter(user=user, confirmed=True).get() == confirmed


def test_secret_text_is_base32_in_groups_of_four():
    device = TOTPDevice(key="00" * 20)
    assert services.totp_secret_text(device) == "AAAA AAAA AAAA AAAA AAAA AAAA AAAA AAAA"


def test_qr_image_is_a_base64_svg_data_uri():
    user = MembershipFactory().user
    image = services.totp_qr_image(TOTPDevice(user=user, key="00" * 20))
    assert image.src.startswith("data:image/svg+xml;base64,")
    assert image.size > 100

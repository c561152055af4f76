import base64
import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from samen.accounts.tests.factories import UserFactory
from samen.core.models import AuditAction, AuditEntry, AuditOutcome
from samen.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HOME_URL = reverse("home:home")
VERIFY_URL = reverse("accounts:second_factor")
SETUP_URL = reverse("accounts:second_factor_setup")
WRONG_CODE = "This code is not right or has expired."
THROTTLED = "You entered a wrong code too often."


@pytest.fixture
def required(settings):
    settings.REQUIRE_SECOND_FACTOR = True


def code(device, drift=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


# --- who is asked ------------------------------------------------------------------------------


def test_professional_is_sent_to_the_second_factor(required, log_in):
    client = log_in(MembershipFactory().user)
    response = client.get(HOME_URL)
    assert response.status_code == 302
    assert response.url == f"{VERIFY_URL}?next=%2F"


def test_citizen_is_never_asked(required, log_in):
    client = log_in(UserFactory())
    assert client.get(HOME_URL).status_code == 200
    assert client.get(VERIFY_URL).url == HOME_URL
    assert client.get(SETUP_URL).url == HOME_URL
    assert not TOTPDevice.objects.exists()


def test_professional_is_not_asked_when_the_setting_is_off(settings, log_in):
    settings.REQUIRE_SECOND_FACTOR = False
    client = log_in(MembershipFactory().user)
    assert client.get(HOME_URL).status_code == 200


def test_unverified_professional_can_still_log_out_and_switch_language(required, log_in):
    client = log_in(MembershipFactory().user)
    assert client.get(reverse("accounts:logout")).status_code == 200
    response = client.post(reverse("set_language"), {"language": "nl", "next": VERIFY_URL})
    assert response.url == VERIFY_URL


def test_post_elsewhere_is_redirected_without_next(required, log_in):
    client = log_in(MembershipFactory().user)
    response = client.post(reverse("accounts:choose_membership"), {"membership": "1"})
    assert response.url == VERIFY_URL


def test_anonymous_visitor_must_log_in_first(client):
    response = client.get(VERIFY_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


# --- setting up an app -------------------------------------------------------------------------


def test_professional_without_an_app_is_sent_to_set_one_up(required, log_in):
    client = log_in(MembershipFactory().user)
    response = client.get(f"{VERIFY_URL}?next=/account/organisatie-kiezen/")
    assert response.url == f"{SETUP_URL}?next=%2Faccount%2Forganisatie-kiezen%2F"


def test_setup_shows_a_qr_code_image_and_the_grouped_secret(required, log_in):
    user = MembershipFactory().user
    client = log_in(user)
    response = client.get(SETUP_URL)
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    grouped = " ".join(re.findall(".{1,4}", secret))
    assert f"<code>{grouped}</code>" in html
    match = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" width="(\d+)"', html)
    assert match is not None
    svg = base64.b64decode(match.group(1)).decode()
    assert svg.startswith("<svg") and "style" not in svg
    assert "<svg" not in html  # an image, not inline SVG
    # A reload shows the same secret (the app someone already scanned keeps working).
    assert f"<code>{grouped}</code>" in client.get(SETUP_URL).content.decode()
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_setup_confirms_the_app_with_a_real_code(required, log_in):
    user = MembershipFactory().user
    client = log_in(user)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=user)

    response = client.post(SETUP_URL, {"token": code(device), "next": "/account/organisatie-kiezen/"})
    assert response.status_code == 302
    assert response.url == "/account/organisatie-kiezen/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(HOME_URL).status_code == 200  # verified for this session
    actions = list(AuditEntry.objects.filter(object_type="otp_totp.totpdevice").values_list("action", flat=True))
    assert actions == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.LOGIN]


def test_setup_refuses_a_wrong_code(required, log_in):
    user = MembershipFactory().user
    client = log_in(user)
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP_URL, {"token": f"{(int(code(device)) + 1) % 1_000_000:06d}"})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(HOME_URL).status_code == 302


def test_someone_with_only_the_password_cannot_add_their_own_app(required, log_in):
    user = MembershipFactory().user
    confirmed_device(user)
    client = log_in(user)
    response = client.get(SETUP_URL)
    assert response.status_code == 302
    assert response.url == VERIFY_URL
    assert TOTPDevice.objects.filter(user=user).count() == 1
    response = client.post(SETUP_URL, {"token": "123456"})
    assert response.url == VERIFY_URL


# --- passing the second factor -----------------------------------------------------------------


def test_right_code_verifies_the_session_and_is_audited(required, log_in):
    user = MembershipFactory().user
    device = confirmed_device(user)
    client = log_in(user)
    response = client.post(VERIFY_URL, {"token": code(device), "next": "/account/organisatie-kiezen/"})
    assert response.status_code == 302
    assert response.url == "/account/organisatie-kiezen/"
    assert client.get(HOME_URL).status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.user_id == user.pk
    assert entry.object_id == str(device.pk)
    # Already verified: the page sends one onwards.
    assert client.get(VERIFY_URL).url == HOME_URL


def test_code_with_spaces_is_accepted(required, log_in):
    user = MembershipFactory().user
    device = confirmed_device(user)
    client = log_in(user)
    token = code(device)
    assert client.post(VERIFY_URL, {"token": f" {token[:3]} {token[3:]} "}).url == HOME_URL


def test_wrong_code_is_refused_and_then_throttled(required, log_in):
    user = MembershipFactory().user
    device = confirmed_device(user)
    client = log_in(user)
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY_URL, {"token": wrong})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    failed = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert failed.outcome == AuditOutcome.FAILURE
    assert wrong not in failed.description + str(failed.changes)

    # django-otp's throttling: straight after a failure even the right code has to wait.
    response = client.post(VERIFY_URL, {"token": code(device)})
    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    assert client.get(HOME_URL).status_code == 302


def test_expired_code_is_refused(required, log_in):
    user = MembershipFactory().user
    device = confirmed_device(user)
    client = log_in(user)
    response = client.post(VERIFY_URL, {"token": code(device, drift=-3)})
    assert WRONG_CODE in response.content.decode()
    assert client.get(HOME_URL).status_code == 302


def test_a_code_cannot_be_used_twice(required, log_in):
    user = MembershipFactory().user
    device = confirmed_device(user)
    token = code(device)
    client = log_in(user)
    assert client.post(VERIFY_URL, {"token": token}).status_code == 302
    client.logout()
    log_in(user)  # a new session, e.g. someone who saw the code over the user's shoulder
    response = client.post(VERIFY_URL, {"token": token})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()


@pytest.mark.parametrize("token", ["", "12345", "1234567", "abcdef", "<script>alert(1)</script>", "1" * 10_000])
def test_bad_input_gets_a_clear_message(required, log_in, token):
    user = MembershipFactory().user
    confirmed_device(user)
    client = log_in(user)
    response = client.post(VERIFY_URL, {"token": token})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter the 6-digit code from your app." in html
    assert "<script>alert(1)</script>" not in html

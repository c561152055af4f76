"""Writes of the accounts app: logging in and out, the second factor, a new password, the active role.

Each function is keyword-only, runs in one transaction and writes its audit entry there. Logging in
and out change the session, so those functions take the ``request`` (its ``actor`` is who acts).
Passwords and codes are never written to the audit log.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from enum import StrEnum

import django_otp
import segno
from django.contrib import auth
from django_otp.plugins.otp_totp.models import TOTPDevice

from samen.accounts import throttle
from samen.accounts.models import User
from samen.core import audit
from samen.core.actor import Actor
from samen.core.middleware import ACTIVE_MEMBERSHIP_SESSION_KEY, client_ip
from samen.core.models import AuditAction, AuditOutcome, AuditPurpose
from samen.core.transactions import atomic_service
from samen.organisations.actors import actor_for_user
from samen.organisations.models import Membership

TOTP_DEVICE_NAME = "Authenticator app"


class LoginFailure(StrEnum):
    INVALID_INPUT = "invalid_input"
    WRONG_CREDENTIALS = "wrong_credentials"
    LOCKED_OUT = "locked_out"


def _actor_after_login(request, user: User) -> Actor:
    actor = actor_for_user(
        user,
        membership_id=request.session.get(ACTIVE_MEMBERSHIP_SESSION_KEY),
        ip_address=client_ip(request),
    )
    request.actor = actor
    return actor


@atomic_service
def user_log_in(*, request, user: User) -> Actor:
    """Log ``user`` in on this request (a new session; django-axes resets its counter) and audit it."""
    auth.login(request, user)
    actor = _actor_after_login(request, user)
    audit.record(
        actor=actor,
        action=AuditAction.LOGIN,
        obj=user,
        purpose=AuditPurpose.OPERATIONS,
        description="Logged in with e-mail address and password",
    )
    return actor


def _account_for(attempted_email: str) -> User | None:
    """The account the address belongs to (compared as the login compares), or None."""
    email = attempted_email.replace("\x00", "").strip().lower()[:254]
    if not email:
        return None
    return User.objects.filter(email__iexact=email).only("pk", "email").first()


@atomic_service
def user_log_in_failed(
    *, actor: Actor, attempted_email: str, reason: LoginFailure, address: throttle.Count | None = None
) -> bool:
    """Audit a failed login: the address as typed (at most 254 characters), never the password.

    ``address`` is this failure as counted for the internet address (``throttle.LOGIN_FAILURES``). A failure for an
    existing account is about a person and always gets its own entry (on that user). Failures for e-mail addresses
    without an account are summed per internet address and window (``throttle.UNKNOWN_ACCOUNT_FAILURES``), so
    made-up addresses cannot flood the log: an entry for the window's first one (with the count of the window
    before), and one when the address is blocked (with the count so far); the others only count. Returns whether
    an entry was written.
    """
    attempted = attempted_email.replace("\x00", "")[:254]
    changes = {"attempted_email": attempted, "reason": str(reason)}
    if address is not None and address.count:
        changes["address_failures_in_window"] = address.count
    blocked_now = address is not None and address.blocked_until is not None
    if blocked_now:
        changes["blocked_until"] = address.blocked_until.isoformat()
    account = _account_for(attempted)
    if account is not None:
        audit.record(
            actor=actor,
            action=AuditAction.LOGIN_FAILED,
            obj=account,
            outcome=AuditOutcome.FAILURE,
            purpose=AuditPurpose.OPERATIONS,
            description=f"Login failed ({reason})",
            changes=changes,
        )
        return True
    unknown = throttle.UNKNOWN_ACCOUNT_FAILURES.hit(actor.ip_address)
    if not (unknown.first_in_window or blocked_now or unknown.count == 0):
        return False
    changes |= {
        "unknown_account_failures_in_window": unknown.count,
        "window_start": unknown.window_start.isoformat(),
        "window_end": unknown.window_end.isoformat(),
    }
    if unknown.first_in_window:
        changes["unknown_account_failures_in_previous_window"] = unknown.previous_count
        description = (
            f"Login failed for an address without an account ({reason}); further failures like it from this "
            "internet address until the end of the window are counted, not written one by one"
        )
    elif blocked_now:
        description = f"Login failed for an address without an account ({reason}); this internet address is blocked"
    else:  # not counted (the cache failed): written one by one
        description = f"Login failed for an address without an account ({reason})"
    audit.record(
        actor=actor,
        action=AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        purpose=AuditPurpose.OPERATIONS,
        description=description,
        changes=changes,
    )
    return True


@atomic_service
def user_log_out(*, request) -> None:
    """Audit the logout (as the one logging out), then end the session."""
    actor = request.actor
    audit.record(
        actor=actor,
        action=AuditAction.LOGOUT,
        obj=actor.user,
        purpose=AuditPurpose.OPERATIONS,
        description="Logged out",
    )
    auth.logout(request)


# --- second factor -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    """The result of checking a code: ``ok``, or why not (``throttled`` means: wait a moment)."""

    ok: bool
    throttled: bool = False


def _check_code(device: TOTPDevice, token: str) -> CodeCheck:
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(ok=False, throttled=True)
    return CodeCheck(ok=bool(device.verify_token(token)))


def _audit_code_failure(actor: Actor, device: TOTPDevice, check: CodeCheck) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.LOGIN_FAILED,
        obj=device,
        outcome=AuditOutcome.FAILURE,
        purpose=AuditPurpose.OPERATIONS,
        description="Second factor refused" + (" (too many wrong codes, waiting)" if check.throttled else ""),
    )


@atomic_service
def second_factor_device_start(*, actor: Actor) -> TOTPDevice:
    """The device being set up: the unconfirmed one that exists (so a reload keeps the secret), or a new one."""
    device = TOTPDevice.objects.filter(user_id=actor.user_id, confirmed=False).order_by("-pk").first()
    if device is not None:
        return device
    device = TOTPDevice.objects.create(user_id=actor.user_id, name=TOTP_DEVICE_NAME, confirmed=False)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=device,
        purpose=AuditPurpose.OPERATIONS,
        description="Started setting up a second factor (authenticator app)",
    )
    return device


@atomic_service
def second_factor_device_confirm(*, request, device: TOTPDevice, token: str) -> CodeCheck:
    """Confirm a new device with a code from the app; on success the session counts as verified."""
    actor = request.actor
    device = TOTPDevice.objects.select_for_update(no_key=True).get(pk=device.pk, user_id=actor.user_id, confirmed=False)
    check = _check_code(device, token)
    if not check.ok:
        _audit_code_failure(actor, device, check)
        return check
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=device,
        purpose=AuditPurpose.OPERATIONS,
        description="Second factor (authenticator app) set up",
        changes={"confirmed": [False, True]},
    )
    _second_factor_passed(request, actor, device)
    return check


@atomic_service
def second_factor_verify(*, request, token: str) -> CodeCheck:
    """Check a code against the user's confirmed devices; on success the session counts as verified."""
    actor = request.actor
    devices = list(
        TOTPDevice.objects.select_for_update(no_key=True).filter(user_id=actor.user_id, confirmed=True).order_by("pk")
    )
    last = CodeCheck(ok=False)
    for device in devices:
        last = _check_code(device, token)
        if last.ok:
            _second_factor_passed(request, actor, device)
            return last
    if devices:
        _audit_code_failure(actor, devices[0], last)
    return last


def _second_factor_passed(request, actor: Actor, device: TOTPDevice) -> None:
    django_otp.login(request, device)
    audit.record(
        actor=actor,
        action=AuditAction.LOGIN,
        obj=device,
        purpose=AuditPurpose.OPERATIONS,
        description="Second factor (authenticator app) passed",
    )


def totp_secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@dataclass(frozen=True)
class QrImage:
    src: str
    size: int


QR_SCALE = 5


def totp_qr_image(device: TOTPDevice) -> QrImage:
    """The ``otpauth://`` link as a QR code: an SVG image in a base64 ``data:`` URI (the CSP allows it)."""
    qr = segno.make(device.config_url, error="m", micro=False)
    buffer = io.BytesIO()
    qr.save(
        buffer,
        kind="svg",
        scale=QR_SCALE,
        border=4,
        dark="#000",
        light="#fff",
        xmldecl=False,
        svgclass=None,
        lineclass=None,
    )
    width, _height = qr.symbol_size(scale=QR_SCALE, border=4)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return QrImage(src=f"data:image/svg+xml;base64,{encoded}", size=width)


# --- password reset and active membership ------------------------------------------------------


@atomic_service
def password_reset_complete(*, actor: Actor, form) -> User:
    """Save the new password from a valid reset form (Django's SetPasswordForm) and audit it.

    ``actor`` is the (anonymous) request's actor; the entry names the user who held the link.
    """
    user = form.save()
    audit.record(
        actor=actor_for_user(user, ip_address=actor.ip_address),
        action=AuditAction.UPDATE,
        obj=user,
        purpose=AuditPurpose.OPERATIONS,
        description="New password chosen with a reset link",
        changes={"password": "changed"},
    )
    return user


@atomic_service
def active_membership_choose(*, request, membership: Membership) -> Actor:
    """Act for ``membership`` (already checked by ``policies.membership_for``) from now on in this session."""
    request.session[ACTIVE_MEMBERSHIP_SESSION_KEY] = membership.pk
    actor = _actor_after_login(request, request.user)
    audit.record(
        actor=actor,
        action=AuditAction.LOGIN,
        obj=membership,
        purpose=AuditPurpose.OPERATIONS,
        description=f"Now acting as {membership.role} for organisation {membership.organisation_id}",
    )
    return actor

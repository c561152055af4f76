"""Accounts pages: log in, log out, throttling, password reset, second factor, choosing a role.

Thin views: parse the form, ask the policy, call a service, render. The services write the audit log.
"""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from samen.accounts import services, throttle
from samen.accounts.forms import (
    ChooseMembershipForm,
    LoginForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    TokenForm,
)
from samen.accounts.policies import membership_for
from samen.accounts.selectors import has_confirmed_totp_device
from samen.accounts.services import LoginFailure
from samen.core.middleware import client_ip
from samen.core.policy import can
from samen.organisations.selectors import active_memberships_of

DEFAULT_COOL_OFF_MINUTES = 15


def _next_url(request) -> str:
    """The ``next`` parameter when it points to this site, else ``""`` (no open redirects)."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(url_name: str, next_url: str) -> str:
    url = reverse(url_name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


# --- log in, log out, throttling ---------------------------------------------------------------


def too_many_attempts(request, block: throttle.Block, *, reason: str) -> HttpResponse:
    """HTTP 429 for an internet address that reached a limit (``samen.accounts.throttle``): a plain page that says
    what happened and from what time (Dutch clock) to try again, with ``Retry-After`` in seconds."""
    seconds = block.seconds_left
    context = {
        "reason": reason,
        "minutes": max(1, -(-seconds // 60)),
        "until": formats.time_format(timezone.localtime(block.until), "H:i"),
    }
    response = render(request, "accounts/too_many_attempts.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


LOGIN_REASON = "login"
PASSWORD_RESET_REASON = "password_reset"  # noqa: S105 (a page's reason, not a secret)
INVITATION_REASON = "invitation"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def login_view(request):
    if request.user.is_authenticated:
        return redirect("home:home")
    next_url = _next_url(request)
    if request.method == "POST":
        # Too many failed logins from this internet address (any accounts): refused before any password is checked.
        block = throttle.LOGIN_FAILURES.blocked(client_ip(request))
        if block is not None:
            return too_many_attempts(request, block, reason=LOGIN_REASON)
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            services.user_log_in(request=request, user=form.user)
            return HttpResponseRedirect(next_url or reverse("home:home"))
        attempted_email = form.attempted_email()
        if attempted_email:
            if getattr(request, "axes_locked_out", False):
                reason = LoginFailure.LOCKED_OUT
            elif form.attempted_authentication:
                reason = LoginFailure.WRONG_CREDENTIALS
            else:
                reason = LoginFailure.INVALID_INPUT
            counted = throttle.LOGIN_FAILURES.hit(client_ip(request))
            services.user_log_in_failed(
                actor=request.actor, attempted_email=attempted_email, reason=reason, address=counted
            )
            if counted.blocked_until is not None:
                return too_many_attempts(request, throttle.Block(until=counted.blocked_until), reason=LOGIN_REASON)
    else:
        form = LoginForm(request)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def locked_out(request, *args, **kwargs):
    """django-axes' lockout response (``AXES_LOCKOUT_CALLABLE``): too many wrong passwords, HTTP 429.

    Axes calls this with ``(request, original_response, credentials)`` (older versions: ``(request,
    credentials)``); neither is needed here.
    """
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60) if cool_off else DEFAULT_COOL_OFF_MINUTES
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def logout_view(request):
    if request.method == "POST":
        if request.user.is_authenticated:
            services.user_log_out(request=request)
        messages.info(request, _("You are logged out."))
        return redirect("accounts:login")
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return render(request, "accounts/logout.html")


# --- second factor -----------------------------------------------------------------------------


def _code_error(check: services.CodeCheck) -> str:
    if check.throttled:
        return _("You entered a wrong code too often. Wait a moment, then enter the newest code from your app.")
    return _("This code is not right or has expired. Enter the newest code from your app.")


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def second_factor(request):
    actor = request.actor
    next_url = _next_url(request)
    if not can(actor, "accounts.use_second_factor") or request.user.is_verified():
        return HttpResponseRedirect(next_url or reverse("home:home"))
    if not has_confirmed_totp_device(request.user):
        return redirect(_with_next("accounts:second_factor_setup", next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.second_factor_verify(request=request, token=form.cleaned_data["token"])
        if check.ok:
            return HttpResponseRedirect(next_url or reverse("home:home"))
        form.add_error("token", _code_error(check))
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url})


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def second_factor_setup(request):
    actor = request.actor
    next_url = _next_url(request)
    if not can(actor, "accounts.set_up_second_factor", request.user):
        if can(actor, "accounts.use_second_factor"):
            # Has an app already but has not passed it in this session: first the code.
            return redirect(_with_next("accounts:second_factor", next_url))
        return HttpResponseRedirect(next_url or reverse("home:home"))
    device = services.second_factor_device_start(actor=actor)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = services.second_factor_device_confirm(request=request, device=device, token=form.cleaned_data["token"])
        if check.ok:
            messages.info(request, _("Your app is set up. From now on you log in with a code from the app."))
            return HttpResponseRedirect(next_url or reverse("home:home"))
        form.add_error("token", _code_error(check))
    context = {
        "form": form,
        "next": next_url,
        "secret": services.totp_secret_text(device),
        "qr": services.totp_qr_image(device),
    }
    return render(request, "accounts/second_factor_setup.html", context)


# --- choosing the organisation and role to act for ---------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def choose_membership(request):
    actor = request.actor
    next_url = _next_url(request)
    form = ChooseMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = membership_for(actor, form.cleaned_data["membership"])
        services.active_membership_choose(request=request, membership=membership)
        messages.info(
            request,
            _("You now work for %(organisation)s as %(role)s.")
            % {"organisation": membership.organisation.name, "role": membership.role_label},
        )
        return HttpResponseRedirect(next_url or reverse("home:home"))
    memberships = active_memberships_of(request.user)
    if not memberships:
        return redirect("home:home")
    context = {
        "form": form,
        "next": next_url,
        "memberships": memberships,
        "current_id": actor.membership.pk if actor.membership is not None else None,
    }
    return render(request, "accounts/choose_membership.html", context)


# --- password reset (Django's views, our templates and forms) ----------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link. The next page is the same whether or not the address has an account.

    Limited per internet address (``throttle.PASSWORD_RESET_REQUESTS``: 429 when reached) and per e-mail address
    (``throttle.PASSWORD_RESET_EMAILS``: beyond it no more e-mails are sent, and the page says nothing else, so
    nobody can flood one person's mailbox or learn whether the address has an account)."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        block = throttle.PASSWORD_RESET_REQUESTS.blocked(client_ip(request))
        if block is not None:
            return too_many_attempts(request, block, reason=PASSWORD_RESET_REASON)
        throttle.PASSWORD_RESET_REQUESTS.hit(client_ip(request))  # the request that reaches the limit is still served
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if throttle.PASSWORD_RESET_EMAILS.blocked(email) is not None:
            return HttpResponseRedirect(self.get_success_url())  # the same page as after sending
        throttle.PASSWORD_RESET_EMAILS.hit(email)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form):
        services.password_reset_complete(actor=self.request.actor, form=form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"

"""Forms of the accounts pages: they parse and validate input; services do the writing.

Every field has a maximum length, so very long input gets a clear message before anything
expensive (like hashing a password) happens.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import auth
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

EMAIL_MAX_LENGTH = 254
PASSWORD_MAX_LENGTH = 4096
TOKEN_LENGTH = 6

EMAIL_ERRORS = {
    "required": _("Enter your e-mail address."),
    "invalid": _("Enter an e-mail address like name@example.nl."),
    "max_length": _("An e-mail address has at most %(limit_value)d characters; you entered %(show_value)d."),
}
PASSWORD_ERRORS = {
    "required": _("Enter your password."),
    "max_length": _("A password has at most %(limit_value)d characters; you entered %(show_value)d."),
}


class EmailAddressField(forms.EmailField):
    """An e-mail field that reports only "too long" for a very long value (not also "not an address")."""

    def run_validators(self, value):
        if self.max_length is not None and value and len(value) > self.max_length:
            raise forms.ValidationError(
                self.error_messages["max_length"],
                code="max_length",
                params={"limit_value": self.max_length, "show_value": len(value)},
            )
        super().run_validators(value)


def normalise_email(value: str) -> str:
    """Compare e-mail addresses case-insensitively: the login and its throttling use this form."""
    return value.strip().lower()


class LoginForm(forms.Form):
    """E-mail and password, checked with ``django.contrib.auth.authenticate`` (so django-axes counts it).

    After ``is_valid()``: ``user`` is the authenticated user, or None. ``attempted_authentication``
    tells whether the credentials were checked at all (they are not when a field is invalid).
    """

    email = EmailAddressField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=PASSWORD_MAX_LENGTH,
        strip=False,
        error_messages=PASSWORD_ERRORS,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("The e-mail address or password is not right. Please try again."),
    }

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        self.attempted_authentication = False
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        password = cleaned.get("password")
        if email and password and not self.errors:
            self.attempted_authentication = True
            self.user = auth.authenticate(self.request, username=normalise_email(email), password=password)
            if self.user is None:
                raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return cleaned

    def attempted_email(self) -> str:
        """The e-mail address as typed, safe to store in the audit log (never the password)."""
        raw = self.data.get("email", "") if self.is_bound else ""
        return str(raw).replace("\x00", "")[:EMAIL_MAX_LENGTH]


class TokenForm(forms.Form):
    """The 6-digit code from an authenticator app. Spaces are allowed ("123 456")."""

    token = forms.CharField(
        label=_("Code from your app"),
        help_text=_("The 6 digits your authenticator app shows now."),
        max_length=20,
        error_messages={
            "required": _("Enter the 6-digit code from your app."),
            "max_length": _("Enter the 6-digit code from your app."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def clean_token(self) -> str:
        token = re.sub(r"[\s-]", "", self.cleaned_data["token"])
        if not re.fullmatch(rf"[0-9]{{{TOKEN_LENGTH}}}", token):
            raise forms.ValidationError(_("Enter the 6-digit code from your app."), code="invalid")
        return token


class ChooseMembershipForm(forms.Form):
    """Which membership (organisation and role) to act for; the view checks that it is the user's own."""

    membership = forms.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "required": _("Choose an organisation and role."),
            "invalid": _("Choose an organisation and role."),
            "min_value": _("Choose an organisation and role."),
            "max_value": _("Choose an organisation and role."),
        },
    )


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    email = EmailAddressField(
        label=_("E-mail address"),
        help_text=_("The e-mail address you use to log in to Samen."),
        max_length=EMAIL_MAX_LENGTH,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class NewPasswordForm(auth_forms.SetPasswordForm):
    """Choose a new password (after a reset link). Capped at 4096 characters, like the login."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            field = self.fields[name]
            field.max_length = PASSWORD_MAX_LENGTH
            field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH))
            field.error_messages["max_length"] = PASSWORD_ERRORS["max_length"]
            field.error_messages["required"] = _("Enter a new password.")
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password2"].label = _("New password again")

"""Forms of the "Wie helpt mee" page: they only parse and check the input; the service decides and writes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.households.models import Invitation

MAX_ID = 2**63 - 1
NAME_MAX_LENGTH = Invitation._meta.get_field("name").max_length
DESCRIPTION_MAX_LENGTH = Invitation._meta.get_field("description").max_length
EMAIL_MAX_LENGTH = 254

NO_MARKUP = _("Use letters, numbers and punctuation; the signs < and > are not allowed.")
BUTTON_ERROR = _("Something went wrong with this button. Please try again.")


def _without_markup(value: str) -> str:
    if "<" in value or ">" in value:
        raise forms.ValidationError(NO_MARKUP, code="markup")
    return value


class InvitationForm(forms.Form):
    """Invite someone the citizen trusts (informal network) by e-mail."""

    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": _("Fill in the name of the person you want to invite."),
            "max_length": _("Use at most %(limit_value)d characters for the name."),
        },
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("We send the invitation to this address. The link works for 14 days."),
        error_messages={
            "required": _("Fill in the e-mail address of the person you want to invite."),
            "invalid": _("Enter an e-mail address like name@example.nl."),
            "max_length": _("This e-mail address is too long."),
        },
    )
    description = forms.CharField(
        label=_("What does this person do for you?"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("For example: neighbour, helps with letters. You may leave this empty."),
        error_messages={"max_length": _("Use at most %(limit_value)d characters for what this person does.")},
    )

    def clean_name(self) -> str:
        return _without_markup(self.cleaned_data["name"])

    def clean_description(self) -> str:
        return _without_markup(self.cleaned_data["description"])


class WithdrawInvitationForm(forms.Form):
    """Withdraw one open invitation of this household."""

    invitation = forms.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), BUTTON_ERROR),
    )

"""The one form of the notification centre: how a person wants to hear by e-mail that something waits."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.reminders.models import EmailChoice


class _ChoiceRadios(forms.RadioSelect):
    """Radios drawn by the page itself; the error summary links to the first of them."""

    def id_for_label(self, id_, index=None):
        return f"email-{EmailChoice.values[0]}"


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("When do you want an e-mail?"),
        choices=EmailChoice.choices,
        widget=_ChoiceRadios,
        error_messages={
            "required": _("Choose when you want an e-mail."),
            "invalid_choice": _("Choose one of the options."),
        },
    )

"""Forms of the "Wie mag wat zien" page: they only parse; the view looks the objects up inside the household
and the services decide and write. Every field is small and typed, so tampered input gets a clear message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.consent.models import DataCategory

MAX_ID = 2**63 - 1

ID_ERRORS = {
    "required": _("Something went wrong with this button. Please try again."),
    "invalid": _("Something went wrong with this button. Please try again."),
    "min_value": _("Something went wrong with this button. Please try again."),
    "max_value": _("Something went wrong with this button. Please try again."),
}
CATEGORY_ERRORS = {
    "required": _("Choose what kind of information this is about."),
    "invalid_choice": _("This kind of information does not exist."),
}


def _id_field(*, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(required=required, min_value=1, max_value=MAX_ID, error_messages=ID_ERRORS)


class GrantForm(forms.Form):
    """Allow one receiver (an organisation or one person in the team) to see one category."""

    category = forms.ChoiceField(choices=DataCategory.choices, error_messages=CATEGORY_ERRORS)
    organisation = _id_field(required=False)
    person = _id_field(required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and (cleaned.get("organisation") is None) == (cleaned.get("person") is None):
            raise forms.ValidationError(_("Choose one organisation or one person."), code="one_receiver")
        return cleaned


class RevokeForm(forms.Form):
    """Withdraw one open grant of this household."""

    grant = _id_field()


class RequestAnswerForm(forms.Form):
    """Answer an open consent request: allow the chosen categories, or say no."""

    APPROVE, DECLINE = "approve", "decline"

    decision = forms.ChoiceField(
        choices=[(APPROVE, _("allow")), (DECLINE, _("decline"))],
        error_messages={
            "required": _("Choose whether you allow this or not."),
            "invalid_choice": _("Choose whether you allow this or not."),
        },
    )
    categories = forms.MultipleChoiceField(
        choices=DataCategory.choices,
        required=False,
        error_messages={"invalid_choice": _("This kind of information does not exist.")},
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == self.APPROVE
            and not cleaned.get("categories")
            and "categories" not in self.errors
        ):
            raise forms.ValidationError(
                _('Tick at least one kind of information to allow, or choose "Decline".'), code="no_categories"
            )
        return cleaned

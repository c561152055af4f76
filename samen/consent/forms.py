"""Forms of the "Wie mag wat zien" page: they only parse; the view looks the objects up inside the household
and the services decide and write. Every field is small and typed, so tampered input gets a clear message."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from samen.consent.models import BreakTheGlassGround, DataCategory
from samen.consent.services import MAX_REASON_LENGTH, MIN_REASON_LENGTH, MIN_REASON_WORDS, clean_bsn

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


# --- emergency access ("Noodtoegang") ---------------------------------------------------------------------

NO_MARKUP = _("Use letters, numbers and punctuation; the signs < and > are not allowed.")


class _GroupRadios(forms.RadioSelect):
    """Radios drawn by the page itself; the error summary links to the first of them."""

    def id_for_label(self, id_, index=None):
        return f"ground-{BreakTheGlassGround.values[0]}"


class _GroupCheckboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        return f"category-{DataCategory.values[0]}"


class BreakTheGlassForm(forms.Form):
    """Start access without consent: the BSN of a household member, the legal ground, the reason, the
    categories and an explicit confirmation. The service checks all of it again and decides."""

    bsn = forms.CharField(
        label=_("BSN of a member of the household"),
        max_length=20,
        help_text=_("Nine digits. We use it only to find the household; it is not stored with the access."),
        error_messages={
            "required": _("Fill in the BSN of a member of the household."),
            "max_length": _("This is not a correct BSN. A BSN has nine digits; check the number and try again."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "spellcheck": "false"}),
    )
    legal_ground = forms.ChoiceField(
        label=_("Legal ground"),
        choices=BreakTheGlassGround.choices,
        widget=_GroupRadios,
        error_messages={
            "required": _("Choose the legal ground for access without consent."),
            "invalid_choice": _("Choose the legal ground for access without consent."),
        },
    )
    reason = forms.CharField(
        label=_("Why do you need access now?"),
        max_length=MAX_REASON_LENGTH,
        # The minimum in this text is MIN_REASON_LENGTH (20); a lazy text cannot be filled in at import time.
        help_text=_(
            "Describe the situation in a few sentences (at least 20 characters). "
            "The household and its coordinator will read this."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Explain why you need access without consent."),
            "max_length": _("Use at most %(limit_value)d characters."),
        },
    )
    categories = forms.MultipleChoiceField(
        label=_("Which information do you need?"),
        choices=DataCategory.choices,
        widget=_GroupCheckboxes,
        error_messages={
            "required": _("Choose at least one kind of information."),
            "invalid_choice": _("This kind of information does not exist."),
        },
    )
    confirm = forms.BooleanField(
        label=_("I understand this is logged and the household and its coordinator will see it."),
        error_messages={"required": _("Tick the box to confirm that you understand this.")},
    )

    def clean_bsn(self) -> str:
        try:
            return clean_bsn(self.cleaned_data["bsn"])
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["bsn"][0], code="invalid_bsn") from None

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if "<" in reason or ">" in reason:
            raise forms.ValidationError(NO_MARKUP, code="markup")
        text = " ".join(reason.split())
        if len(text) < MIN_REASON_LENGTH or len(text.split()) < MIN_REASON_WORDS:
            raise forms.ValidationError(
                _("Explain in a few sentences (at least %(count)d characters) why you need access without consent.")
                % {"count": MIN_REASON_LENGTH},
                code="reason_too_short",
            )
        return reason


class EndBreakTheGlassForm(forms.Form):
    """Stop one's own access without consent early."""

    access = _id_field()

"""The referral forms. They only parse the input; who may refer, answer or move a referral, and whether a move is
allowed now, is decided by the policy and the services (which check everything again)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.core.vocabulary import DataCategory
from samen.referrals.models import QUESTION_MAX_LENGTH, REASON_MAX_LENGTH, ReferralStatus

TOO_LONG = _("This is too long: at most %(limit_value)d characters, it has %(show_value)d.")
BAD_CHARACTER = _("This contains a character we cannot store.")
STALE = _("This page was out of date. Open it again and make your change once more.")


class ReferralForm(forms.Form):
    """Refer the household: to which organisation, with what question, in which kind of information. A resident who
    refers their own household also allows the organisation to see it (``allow``)."""

    to_organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        empty_label=_("Choose ..."),
        error_messages={
            "required": _("Choose an organisation from the list."),
            "invalid_choice": _("Choose an organisation from the list."),
        },
    )
    question = forms.CharField(
        label=_("Question for the organisation"),
        help_text=_("Write what the organisation is asked to do. The organisation and the household read this."),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Write down what the organisation is asked to help with."),
            "max_length": TOO_LONG,
            "null_characters_not_allowed": BAD_CHARACTER,
        },
    )
    category = forms.ChoiceField(
        label=_("Kind of information"),
        help_text=_("The organisation may see this kind of information of the household, if the household allows it."),
        error_messages={
            "required": _("Choose a kind of information from the list."),
            "invalid_choice": _("Choose a kind of information from the list."),
        },
    )
    allow = forms.BooleanField(
        label=_("I allow this organisation to see this kind of information."),
        required=False,
    )

    def __init__(self, *args, organisations, categories, citizen: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = organisations
        self.fields["category"].choices = [
            (category.value, category.label.capitalize()) for category in DataCategory if category in categories
        ]
        if len(categories) == 1:
            self.fields["category"].initial = next(iter(categories)).value
        elif DataCategory.GENERAL in categories:
            self.fields["category"].initial = DataCategory.GENERAL.value
        if citizen:
            self.fields["question"].label = _("What you need help with")
            self.fields["question"].help_text = _("Write it in your own words. The organisation reads this.")
            self.fields["category"].help_text = _("The organisation may see this kind of information about you.")
        else:
            del self.fields["allow"]


def _version_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, error_messages={"required": STALE})


class MoveForm(forms.Form):
    """A button on a referral: the status it moves to, a reason (for rejecting and cancelling) and the version the
    page showed."""

    to = forms.ChoiceField(choices=ReferralStatus.choices, error_messages={"required": _("Choose one of the buttons.")})
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG, "null_characters_not_allowed": BAD_CHARACTER},
    )
    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].error_messages["invalid_choice"] = _("Choose one of the buttons.")


class AnswerForm(forms.Form):
    """The household's answer: may the organisation see it, yes or no."""

    decision = forms.ChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        error_messages={"required": _("Choose yes or no."), "invalid_choice": _("Choose yes or no.")},
    )
    version = _version_field()

"""Forms of the "Wie helpt mee" page: they only parse and check the input; the service decides and writes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from samen.accounts.models import User
from samen.consent.models import DataCategory, LegalBasis
from samen.households.models import Invitation, TeamMember
from samen.organisations.models import Organisation

MAX_ID = 2**63 - 1
NAME_MAX_LENGTH = Invitation._meta.get_field("name").max_length
DESCRIPTION_MAX_LENGTH = Invitation._meta.get_field("description").max_length
EMAIL_MAX_LENGTH = 254
TEAM_DESCRIPTION_MAX_LENGTH = TeamMember._meta.get_field("description").max_length
REASON_MAX_LENGTH = 2000
FULL_NAME_MAX_LENGTH = User._meta.get_field("full_name").max_length
PASSWORD_MAX_LENGTH = 4096

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


# --- building the team (the coordinator) ------------------------------------------------------------


class CategoryCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose field label (and the error summary's link) points at the first box."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.type_label})"


class AddProfessionalForm(forms.Form):
    """Put a professional of an organisation of the network in the team, and ask the household for consent.

    The organisations offered are the only ones accepted: a tampered or foreign id is "not in the list"."""

    organisation = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Organisation"),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Choose the organisation the professional works for."),
            "invalid_choice": _("Choose an organisation from the list."),
        },
    )
    email = forms.EmailField(
        label=_("E-mail address of the professional"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("The address they use to log in to Samen."),
        error_messages={
            "required": _("Fill in the e-mail address of the professional."),
            "invalid": _("Enter an e-mail address like name@example.nl."),
            "max_length": _("This e-mail address is too long."),
        },
    )
    description = forms.CharField(
        label=_("What will they do for the household?"),
        max_length=TEAM_DESCRIPTION_MAX_LENGTH,
        help_text=_("A short description the household reads, for example: helps with the debts."),
        error_messages={
            "required": _("Fill in what this professional will do."),
            "max_length": _("Use at most %(limit_value)d characters for what they will do."),
        },
    )
    categories = forms.MultipleChoiceField(
        label=_("Information to ask the household for"),
        choices=DataCategory.choices,
        widget=CategoryCheckboxes,
        error_messages={
            "required": _("Tick at least one kind of information."),
            "invalid_choice": _("This kind of information does not exist."),
        },
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        choices=LegalBasis.choices,
        initial=LegalBasis.CONSENT,
        error_messages={
            "required": _("Choose the legal basis."),
            "invalid_choice": _("Choose a legal basis from the list."),
        },
    )
    reason = forms.CharField(
        label=_("Why do they need this information?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The household reads this when they decide."),
        error_messages={
            "required": _("Explain why this professional needs this information."),
            "max_length": _("Use at most %(limit_value)d characters for the reason."),
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_description(self) -> str:
        return _without_markup(self.cleaned_data["description"])


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.user.get_full_name()} ({obj.organisation.name})"


class HandoverForm(forms.Form):
    """Choose the new coordinator among the team's professionals (the list is the only thing accepted)."""

    to_member = CandidateChoiceField(
        queryset=TeamMember.objects.none(),
        label=_("New coordinator"),
        empty_label=_("Choose a professional"),
        error_messages={
            "required": _("Choose who becomes the coordinator."),
            "invalid_choice": _("Choose a professional from the list."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The household and the team see this reason."),
        error_messages={
            "required": _("Fill in why the coordination is handed over."),
            "max_length": _("Use at most %(limit_value)d characters for the reason."),
        },
    )

    def __init__(self, *args, candidates, reason_required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_member"].queryset = candidates
        self.fields["reason"].required = reason_required
        if not reason_required:
            self.fields["reason"].help_text = _("You may leave this empty for the first coordinator.")


# --- accepting an invitation ----------------------------------------------------------------------


class SignUpForm(forms.Form):
    """An account for someone who was invited: the e-mail address is the invitation's and cannot be changed."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=FULL_NAME_MAX_LENGTH,
        error_messages={
            "required": _("Fill in your name."),
            "max_length": _("Use at most %(limit_value)d characters for your name."),
        },
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={
            "required": _("Choose a password."),
            "max_length": _("This password is too long."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = " ".join(password_validation.password_validators_help_texts())

    def clean_full_name(self) -> str:
        return _without_markup(self.cleaned_data["full_name"])


class SupporterForm(forms.Form):
    """The citizen brings in an independent client supporter: an organisation for independent client support (the
    only ones offered and accepted) and the supporter's e-mail address. Prefixed: it shares the page with the
    invitation form."""

    prefix = "supporter"

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Where does the client supporter work?"),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Choose the organisation the client supporter works for."),
            "invalid_choice": _("Choose an organisation from the list."),
        },
    )
    email = forms.EmailField(
        label=_("E-mail address of the client supporter"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": _("Fill in the e-mail address of the client supporter."),
            "invalid": _("Enter an e-mail address like name@example.nl."),
            "max_length": _("This e-mail address is too long."),
        },
    )
    description = forms.CharField(
        label=_("What does this person do for you?"),
        required=False,
        max_length=TEAM_DESCRIPTION_MAX_LENGTH,
        help_text=_("You may leave this empty."),
        error_messages={"max_length": _("Use at most %(limit_value)d characters for what this person does.")},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def clean_description(self) -> str:
        return _without_markup(self.cleaned_data["description"])

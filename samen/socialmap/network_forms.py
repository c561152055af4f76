"""The forms of the household's own network map. They only parse the input; the services check everything again and
decide (``network_services``)."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samen.households.models import Invitation
from samen.plans.forms import ActionForm
from samen.socialmap.models import NETWORK_HELPS_WITH_MAX_LENGTH, NETWORK_NAME_MAX_LENGTH, Closeness, NetworkRelation

TOO_LONG = _("This is too long: at most %(limit_value)d characters, it has %(show_value)d.")
BAD_CHARACTER = _("This contains a character we cannot store.")
STALE = _("This page was out of date. Open it again and make your change once more.")

CLOSENESS_HELP = {
    Closeness.CLOSE: _("Close: you can always call on them"),
    Closeness.MIDDLE: _("In between: you see them now and then"),
    Closeness.FURTHER: _("Further away: you know where to find them"),
}


def _version_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, error_messages={"required": STALE})


def _clean_version(value: str) -> int:
    if not value.isdigit() or len(value) > 9 or int(value) < 1:
        raise forms.ValidationError(STALE, code="bad_version")
    return int(value)


class NetworkPersonForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NETWORK_NAME_MAX_LENGTH,
        help_text=_("As you call them, for example Aunt Ans or Mr Jansen from next door."),
        error_messages={
            "required": _("Write the name of the person."),
            "max_length": TOO_LONG,
            "null_characters_not_allowed": BAD_CHARACTER,
        },
    )
    relation = forms.ChoiceField(
        label=_("Who is this for you?"),
        choices=[(value, capfirst(str(label))) for value, label in NetworkRelation.choices],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose who this person is for you."),
            "invalid_choice": _("Choose who this person is for you."),
        },
    )
    closeness = forms.TypedChoiceField(
        label=_("How close is this person?"),
        coerce=int,
        choices=[(value, CLOSENESS_HELP[Closeness(value)]) for value in Closeness.values],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how close this person is."),
            "invalid_choice": _("Choose how close this person is."),
        },
    )
    helps_with = forms.CharField(
        label=_("What does this person help with?"),
        required=False,
        max_length=NETWORK_HELPS_WITH_MAX_LENGTH,
        help_text=_("For example: picks up the children on Tuesdays, helps with letters. You may leave this empty."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG, "null_characters_not_allowed": BAD_CHARACTER},
    )
    team_member = forms.ChoiceField(
        label=_("Is this person in the team already?"),
        required=False,
        help_text=_("Choose them here if they are in the team around the household, so the map shows it."),
        error_messages={"invalid_choice": _("Choose someone from the team in the list.")},
    )
    service = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, team: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if team:
            self.fields["team_member"].choices = [("", _("No, not in the team")), *team]
        else:
            del self.fields["team_member"]


class NetworkPersonEditForm(NetworkPersonForm):
    version = _version_field()

    def clean_version(self) -> int:
        return _clean_version(self.cleaned_data["version"])


class RemoveForm(forms.Form):
    version = _version_field()

    def clean_version(self) -> int:
        return _clean_version(self.cleaned_data["version"])


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=Invitation._meta.get_field("email").max_length,
        help_text=_("We send the invitation to this address. The link works for 14 days."),
        error_messages={
            "required": _("Fill in the e-mail address of the person you want to invite."),
            "invalid": _("Enter an e-mail address like name@example.nl."),
            "max_length": _("This e-mail address is too long."),
        },
    )
    version = _version_field()

    def clean_version(self) -> int:
        return _clean_version(self.cleaned_data["version"])


class NetworkActionForm(ActionForm):
    """The plan's own action form (``samen.plans.forms.ActionForm``: what, who, before when) with the goal it
    belongs to in front: from the map, the action is not started from a goal."""

    field_order = ["goal", "text", "owner", "due_date"]

    goal = forms.ChoiceField(
        label=_("For which goal?"),
        error_messages={
            "required": _("Choose the goal this action is for."),
            "invalid_choice": _("Choose the goal this action is for."),
        },
    )

    def __init__(self, *args, goals: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", _("Choose ...")), *goals]
        self.order_fields(self.field_order)

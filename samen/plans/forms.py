"""The plan's forms. They only parse the input; what an actor may write is decided by the policy and the
services (which check everything again)."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samen.assessments.domains import domain_label
from samen.consent.models import DataCategory
from samen.plans.models import (
    ACTION_MAX_LENGTH,
    GOAL_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    GoalStatus,
    ZrmDomain,
)

TOO_LONG = _("This is too long: at most %(limit_value)d characters, it has %(show_value)d.")
BAD_CHARACTER = _("This contains a character we cannot store.")


def _text(label, *, max_length: int, required: bool = True, help_text="", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Please write something here."),
            "max_length": TOO_LONG,
            "null_characters_not_allowed": BAD_CHARACTER,
        },
    )


def _version_field() -> forms.CharField:
    return forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": _("This page was out of date. Open it again and make your change once more.")},
    )


def _clean_version(value: str) -> int:
    if not value.isdigit() or len(value) > 9 or int(value) < 1:
        raise forms.ValidationError(
            _("This page was out of date. Open it again and make your change once more."), code="bad_version"
        )
    return int(value)


def _choose(choices) -> list[tuple[str, str]]:
    return [("", _("Choose ...")), *choices]


class PlanForm(forms.Form):
    question = _text(_("Our question"), max_length=TEXT_MAX_LENGTH, required=False, help_text=_("In your own words."))
    strengths = _text(_("What goes well"), max_length=TEXT_MAX_LENGTH, required=False)
    worries = _text(_("What worries us"), max_length=TEXT_MAX_LENGTH, required=False)
    version = _version_field()

    def clean_version(self) -> int:
        return _clean_version(self.cleaned_data["version"])


class _TucksAway:
    """A form whose rarely needed fields (``tucked``) wait behind one disclosure, so the page starts short.

    The disclosure opens by itself when one of them has an error or a value someone changed."""

    tucked: tuple[str, ...] = ()
    tucked_summary = ""

    def main_fields(self) -> list:
        return [field for field in self.visible_fields() if field.name not in self.tucked]

    def tucked_fields(self) -> list:
        return [field for field in self.visible_fields() if field.name in self.tucked]

    def tucked_open(self) -> bool:
        return any(
            field.errors or str(field.value() or "") != str(field.initial or "") for field in self.tucked_fields()
        )


class GoalForm(_TucksAway, forms.Form):
    tucked = ("category",)
    tucked_summary = _("Who may see this goal?")

    text = _text(
        _("The goal"), max_length=GOAL_MAX_LENGTH, help_text=_("In your own words: what do you want to reach?")
    )
    domain = forms.ChoiceField(
        label=_("Life domain"),
        choices=_choose([(domain.value, capfirst(str(domain.label))) for domain in ZrmDomain]),
        error_messages={
            "required": _("Choose a life domain."),
            "invalid_choice": _("Choose a life domain from the list."),
        },
    )
    member = forms.ChoiceField(
        label=_("Who is it about?"),
        required=False,
        error_messages={"invalid_choice": _("Choose someone from this household.")},
    )
    category = forms.ChoiceField(
        label=_("Kind of information"),
        required=False,
        help_text=_(
            "Leave empty to choose it from the life domain. "
            "Only people who may see this kind of information see the goal."
        ),
        error_messages={"invalid_choice": _("You cannot write about this kind of information.")},
    )

    def __init__(self, *args, members, categories: frozenset[DataCategory], plain: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if plain:  # a resident reads the life domains in plain words
            plain_domains = [(domain.value, domain_label(domain, plain=True)) for domain in ZrmDomain]
            self.fields["domain"].choices = _choose(plain_domains)
            self.fields["domain"].label = _("What part of life is it about?")
        self.fields["member"].choices = [("", _("The whole household")), *[(str(m.pk), str(m)) for m in members]]
        self.fields["category"].choices = [
            ("", _("Choose from the life domain")),
            *[(c.value, capfirst(str(c.label))) for c in DataCategory if c in categories],
        ]


class GoalEditForm(GoalForm):
    status = forms.ChoiceField(
        label=_("How far is it?"),
        choices=[(status.value, capfirst(str(status.label))) for status in GoalStatus],
        error_messages={"required": _("Choose a status."), "invalid_choice": _("Choose a status from the list.")},
    )
    version = _version_field()

    def clean_version(self) -> int:
        return _clean_version(self.cleaned_data["version"])


class ActionForm(forms.Form):
    text = _text(_("What will be done?"), max_length=ACTION_MAX_LENGTH, rows=2)
    owner = forms.ChoiceField(
        label=_("Who does it?"),
        error_messages={
            "required": _("Choose who does this."),
            "invalid_choice": _("Choose who does this from the list."),
        },
    )
    due_date = forms.DateField(
        label=_("Before (date)"),
        required=False,
        help_text=_("For example 2027-03-31."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date, for example 2027-03-31.")},
    )

    def __init__(self, *args, owners: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = _choose(owners)


class ActionEditForm(ActionForm):
    reason = _text(
        _("Does the date move? Say why (optional)"),
        max_length=NOTE_MAX_LENGTH,
        required=False,
        rows=2,
        help_text=_("For example: the appointment at the bank is later. Everyone in the plan can read it."),
    )
    version = _version_field()

    def clean_version(self) -> int:
        return _clean_version(self.cleaned_data["version"])


class DoneForm(forms.Form):
    note = _text(_("How did it go?"), max_length=NOTE_MAX_LENGTH, required=False, rows=2)


class AgreementForm(forms.Form):
    text = _text(_("New agreement"), max_length=NOTE_MAX_LENGTH, rows=2)


class EvaluationForm(forms.Form):
    date = forms.DateField(
        label=_("On what day do you look back together?"),
        help_text=_("For example 2027-03-31."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a date, for example 2027-03-31.")},
    )


class OutcomeForm(forms.Form):
    outcome = _text(
        _("How did it go?"),
        max_length=TEXT_MAX_LENGTH,
        help_text=_("What went well, what did not, and what happens next."),
        rows=6,
    )
    version = _version_field()

    def clean_version(self) -> int:
        return _clean_version(self.cleaned_data["version"])


class DiffForm(forms.Form):
    a = forms.TypedChoiceField(
        label=_("Older version"), coerce=int, error_messages={"invalid_choice": _("Choose a version from the list.")}
    )
    b = forms.TypedChoiceField(
        label=_("Newer version"), coerce=int, error_messages={"invalid_choice": _("Choose a version from the list.")}
    )

    def __init__(self, *args, numbers: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(number), _("Version %(number)d") % {"number": number}) for number in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


class ServiceActionForm(ActionForm):
    """An action that uses a service of the social map: first the goal it serves, then what, who and when."""

    goal = forms.ChoiceField(
        label=_("For which goal?"),
        error_messages={
            "required": _("Choose the goal this helps with."),
            "invalid_choice": _("Choose the goal from the list."),
        },
    )

    field_order = ["goal", "text", "owner", "due_date"]

    def __init__(self, *args, goals: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = _choose(goals)

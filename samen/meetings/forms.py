"""The meeting pages' forms. They only parse the input (a date and a time become one moment in the Netherlands'
time zone); what is allowed and valid is decided by the services, which check everything again."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samen.assessments.domains import domain_label
from samen.consent.models import DataCategory
from samen.meetings.models import (
    OUTCOME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    VIDEO_URL_MAX_LENGTH,
)
from samen.meetings.services import MAX_OUTCOMES
from samen.plans.models import ZrmDomain

TOO_LONG = _("This is too long: at most %(limit_value)d characters, it has %(show_value)d.")
BAD_CHARACTER = _("This contains a character we cannot store.")
OUT_OF_DATE = _("This page was out of date. Open it again and make your change once more.")
DURATIONS = (15, 30, 45, 60, 90, 120, 180, 240)
FIRST_OUTCOME_LINES = 3


def _messages(**extra) -> dict:
    return {"max_length": TOO_LONG, "null_characters_not_allowed": BAD_CHARACTER, **extra}


def _choose(choices) -> list[tuple[str, str]]:
    return [("", _("Choose ...")), *choices]


class Checkboxes(forms.CheckboxSelectMultiple):
    """Checkboxes drawn by the page itself; the field's label (and the error summary's link) points at the first."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**31 - 1,
        error_messages=dict.fromkeys(("required", "invalid", "min_value", "max_value"), OUT_OF_DATE),
    )


def _duration_label(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return str(_("1 hour")) if hours == 1 else str(_("%(count)d hours")) % {"count": hours}
    if minutes > 60:
        return str(_("%(hours)d hours and %(minutes)d minutes")) % {"hours": minutes // 60, "minutes": minutes % 60}
    return str(_("%(count)d minutes")) % {"count": minutes}


class MeetingForm(forms.Form):
    """Plan a meeting, or change a planned one (with ``version``)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("Everyone who is invited sees it in their calendar: no names and not what it is about."),
        error_messages=_messages(required=_("Give the meeting a title, for example: kitchen-table meeting.")),
    )
    date = forms.DateField(
        label=_("Date"),
        help_text=_("For example 2027-03-31."),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a date, for example 2027-03-31.")},
    )
    time = forms.TimeField(
        label=_("Time"),
        help_text=_("For example 14:30."),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Enter a time."), "invalid": _("Enter a time, for example 14:30.")},
    )
    duration = forms.TypedChoiceField(
        label=_("How long"),
        coerce=int,
        initial=60,
        error_messages={
            "required": _("Choose how long the meeting takes."),
            "invalid_choice": _("Choose how long the meeting takes from the list."),
        },
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=PLACE_MAX_LENGTH,
        help_text=_("For example: at home, or the address of the neighbourhood team."),
        error_messages=_messages(),
    )
    video_url = forms.CharField(
        label=_("Video link"),
        required=False,
        max_length=VIDEO_URL_MAX_LENGTH,
        help_text=_("If you meet by video: the link, starting with https://."),
        widget=forms.TextInput(attrs={"inputmode": "url", "spellcheck": "false", "autocomplete": "off"}),
        error_messages=_messages(),
    )
    participants = forms.MultipleChoiceField(
        label=_("Who takes part?"),
        required=False,
        widget=Checkboxes,
        error_messages={"invalid_choice": _("Choose people from the list.")},
    )
    guests = forms.CharField(
        label=_("Others who take part"),
        required=False,
        help_text=_("People without an account, for example a neighbour. One per line; after a comma what they do."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=_messages(),
    )
    signals = forms.MultipleChoiceField(
        label=_("Signals that are still open"),
        required=False,
        widget=Checkboxes,
        error_messages={"invalid_choice": _("Choose signals from the list.")},
    )
    evaluations = forms.MultipleChoiceField(
        label=_("Evaluation moments"),
        required=False,
        widget=Checkboxes,
        error_messages={"invalid_choice": _("Choose evaluation moments from the list.")},
    )
    questions = forms.CharField(
        label=_("Questions for the agenda"),
        required=False,
        help_text=_("One question per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_messages(),
    )

    def __init__(
        self,
        *args,
        participants: list[tuple[str, str]],
        signals: list[tuple[str, str]],
        evaluations: list[tuple[str, str]],
        with_version: bool = False,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["duration"].choices = [(minutes, _duration_label(minutes)) for minutes in DURATIONS]
        self.fields["participants"].choices = participants
        self.fields["signals"].choices = signals
        self.fields["evaluations"].choices = evaluations
        if with_version:
            self.fields["version"] = _version_field()

    def clean(self) -> dict:
        cleaned = super().clean()
        day, time = cleaned.get("date"), cleaned.get("time")
        if day is not None and time is not None:
            cleaned["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return cleaned


class HoldForm(forms.Form):
    """Record a meeting as held: outcome lines (a text and a kind of information each). "Add a line" sends the form
    to show one more line, keeping what was typed; the service receives the lines in order. How many lines there
    are travels in the page as ``lines`` (``line_count``; anything else than a number in range means three)."""

    version = _version_field()

    def __init__(self, *args, categories: frozenset[DataCategory], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        count = FIRST_OUTCOME_LINES
        if self.is_bound:
            try:
                count = min(max(int(self.data.get("lines", count)), 1), MAX_OUTCOMES)
            except (TypeError, ValueError):
                count = FIRST_OUTCOME_LINES
            if "more" in self.data:
                count = min(count + 1, MAX_OUTCOMES)
        self.line_count = count
        choices = [(c.value, capfirst(str(c.label))) for c in DataCategory if c in categories]
        self.line_fields = []
        for index in range(count):
            text_name, category_name = f"outcome-{index}", f"category-{index}"
            self.fields[text_name] = forms.CharField(
                label=_("Outcome %(number)d") % {"number": index + 1},
                required=False,
                max_length=OUTCOME_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages=_messages(),
            )
            self.fields[category_name] = forms.ChoiceField(
                label=_("Kind of information of outcome %(number)d") % {"number": index + 1},
                choices=choices,
                initial=DataCategory.GENERAL.value,
                required=False,
                error_messages={"invalid_choice": _("You cannot write about this kind of information.")},
            )
            self.line_fields.append((text_name, category_name))

    def lines_bound(self) -> list[tuple]:
        return [(self[text], self[category]) for text, category in self.line_fields]

    def outcomes(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data.get(text, ""), self.cleaned_data.get(category) or DataCategory.GENERAL.value)
            for text, category in self.line_fields
        ]


class VersionForm(forms.Form):
    """A button that changes a meeting (cancel) sends the version it was shown."""

    version = _version_field()


class GoalFromOutcomeForm(forms.Form):
    domain = forms.ChoiceField(
        label=_("Life domain"),
        error_messages={
            "required": _("Choose a life domain."),
            "invalid_choice": _("Choose a life domain from the list."),
        },
    )

    def __init__(self, *args, plain: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = _choose(
            [(domain.value, domain_label(domain, plain=plain)) for domain in ZrmDomain]
        )
        if plain:
            self.fields["domain"].label = _("What part of life is it about?")


class ActionFromOutcomeForm(forms.Form):
    goal = forms.ChoiceField(
        label=_("Under which goal?"),
        error_messages={"required": _("Choose a goal."), "invalid_choice": _("Choose a goal from the list.")},
    )
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

    def __init__(self, *args, goals: list[tuple[str, str]], owners: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = _choose(goals)
        self.fields["owner"].choices = _choose(owners)


class CoordinatorFromOutcomeForm(forms.Form):
    to_member = forms.ChoiceField(
        label=_("New coordinator"),
        error_messages={
            "required": _("Choose who becomes the coordinator."),
            "invalid_choice": _("Choose a professional from the list."),
        },
    )

    def __init__(self, *args, candidates: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_member"].choices = _choose(candidates)

"""The pulse pages' forms. They only parse the input; ``services`` decide what is valid and check it again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.collaboration.items import OPEN_QUESTION, OPEN_TEXT_MAX_LENGTH, SCALE, items_of_round
from samen.collaboration.models import INTERVAL_WEEKS_MAX, INTERVAL_WEEKS_MIN, PulseRound

DONT_KNOW = "x"
TOO_LONG = _("This is too long: at most %(limit_value)d characters, it has %(show_value)d.")
BAD_CHARACTER = _("This contains a character we cannot store.")
NOT_SAID = ""


class PulseForm(forms.Form):
    """The questions of one round: the organisation (or "I'd rather not say"), a 1-7 answer or "don't know" per
    item, and the open question."""

    organisation = forms.ChoiceField(
        label=_("For which organisation do you work in this network?"),
        help_text=_("Only used for figures per organisation, and only when enough colleagues answered."),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    open_text = forms.CharField(
        label=OPEN_QUESTION,
        help_text=_("Optional. Do not write names. Shown to the network only when at least 10 people answered."),
        required=False,
        max_length=OPEN_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": TOO_LONG, "null_characters_not_allowed": BAD_CHARACTER},
    )

    def __init__(self, *args, pulse_round: PulseRound, organisations: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            *((str(pk), name) for pk, name in organisations),
            (NOT_SAID, _("I'd rather not say")),
        ]
        self.item_codes = []
        scale = [(str(value), str(value)) for value in SCALE]
        for item in items_of_round(pulse_round.rotating_item):
            self.fields[item.code] = forms.ChoiceField(
                label=item.text,
                required=False,
                choices=[*scale, (DONT_KNOW, _("Don't know / does not apply"))],
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": _("Choose one of the answers.")},
            )
            self.item_codes.append(item.code)

    @property
    def item_fields(self):
        return [self[code] for code in self.item_codes]

    def answers(self) -> dict[str, int | None]:
        return {
            code: None if self.cleaned_data.get(code) in ("", DONT_KNOW, None) else int(self.cleaned_data[code])
            for code in self.item_codes
        }


class ScheduleForm(forms.Form):
    opens_on = forms.DateField(
        label=_("Opens on"),
        required=False,
        help_text=_("Leave empty for one interval after the last round."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, for example 14-06-2027.")},
    )


class IntervalForm(forms.Form):
    interval_weeks = forms.IntegerField(
        label=_("Weeks between rounds"),
        min_value=INTERVAL_WEEKS_MIN,
        max_value=INTERVAL_WEEKS_MAX,
        error_messages={
            "required": _("Choose a number of weeks from 2 to 12."),
            "invalid": _("Choose a number of weeks from 2 to 12."),
            "min_value": _("Choose a number of weeks from 2 to 12."),
            "max_value": _("Choose a number of weeks from 2 to 12."),
        },
    )


# --- conversation prompts, the learning log and the charter ---------------------------------------------------------

ACTION_ROWS = 3


def _text_field(label, *, required=False, max_length=4000, rows=3, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Fill this in."),
            "max_length": TOO_LONG,
            "null_characters_not_allowed": BAD_CHARACTER,
        },
    )


def _date_field(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Enter a date."), "invalid": _("Enter a date, for example 14-06-2027.")},
    )


class PlanPromptForm(forms.Form):
    planned_on = _date_field(_("Network meeting on"), required=True)


class LearningEntryForm(forms.Form):
    """The ten parts of a learning entry (``design/collaboration.md`` section 3); the safety check is asked on the
    entry's page, of each participant, anonymously."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Fill this in."), "max_length": TOO_LONG},
    )
    happened_on = _date_field(_("Date"), required=True)
    trigger = forms.ChoiceField(label=_("What made us look back?"), widget=forms.RadioSelect)
    entry_type = forms.ChoiceField(label=_("What kind of situation?"), widget=forms.RadioSelect)
    organisations = forms.MultipleChoiceField(
        label=_("Organisations involved"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose organisations of this network.")},
    )
    roles = forms.CharField(
        label=_("Roles involved"),
        required=False,
        max_length=200,
        help_text=_("Roles, not names: for example coordinator, debt counsellor, youth worker."),
        error_messages={"max_length": TOO_LONG},
    )
    intended = _text_field(
        _("What was supposed to happen?"),
        required=True,
        help_text=_("The intended outcome for the household; which agreement or principle applied."),
    )  # noqa: E501
    happened = _text_field(_("What actually happened?"), required=True, help_text=_("Facts only."))
    perspectives = _text_field(_("A short perspective per organisation"))
    household_view = _text_field(_("The household's view, if you asked for it"))
    causes = forms.MultipleChoiceField(
        label=_("Why the difference?"), required=False, widget=forms.CheckboxSelectMultiple
    )
    causes_text = _text_field(_("Why the difference, in your words"))
    keep_doing = _text_field(_("What do we keep doing?"))
    change = _text_field(_("What do we change?"))
    charter_impact = forms.ChoiceField(label=_("Does the charter change?"), widget=forms.RadioSelect)
    charter_note = _text_field(
        _("Which principle, and how?"),
        help_text=_("The Min Specs test: could we still reach our purpose if we broke it? If so, drop it."),
    )
    review_on = _date_field(_("When do we look at it again?"))
    visibility = forms.ChoiceField(
        label=_("Who may read it?"),
        widget=forms.RadioSelect,
        help_text=_(
            "A lesson shared upwards shows its title, why the difference and the lessons to every network and to the "
            "municipality's policy advisors: never the organisations, the roles, what happened or the household's view."
        ),
    )

    def __init__(self, *args, organisations: list[tuple[int, str]], **kwargs):
        from samen.collaboration.models import Cause, CharterImpact, EntryType, Trigger, Visibility

        super().__init__(*args, **kwargs)
        self.fields["trigger"].choices = Trigger.choices
        self.fields["entry_type"].choices = EntryType.choices
        self.fields["organisations"].choices = [(str(pk), name) for pk, name in organisations]
        self.fields["causes"].choices = Cause.choices
        self.fields["charter_impact"].choices = CharterImpact.choices
        self.fields["visibility"].choices = Visibility.choices
        organisation_choices = [("", _("Choose ...")), *((str(pk), name) for pk, name in organisations)]
        for index in range(ACTION_ROWS):
            number = index + 1
            self.fields[f"action_text_{index}"] = forms.CharField(
                label=_("Action %(number)d") % {"number": number},
                required=False,
                max_length=500,
                error_messages={"max_length": TOO_LONG},
            )
            self.fields[f"action_owner_{index}"] = forms.CharField(
                label=_("Who does it (a role)"), required=False, max_length=200, error_messages={"max_length": TOO_LONG}
            )
            self.fields[f"action_organisation_{index}"] = forms.ChoiceField(
                label=_("Organisation"),
                required=False,
                choices=organisation_choices,
                error_messages={"invalid_choice": _("Choose organisations of this network.")},
            )
            self.fields[f"action_due_{index}"] = _date_field(_("Date"))
            self.fields[f"action_experiment_{index}"] = forms.BooleanField(label=_("An experiment"), required=False)

    @property
    def action_rows(self):
        return [
            {
                "number": index + 1,
                "text": self[f"action_text_{index}"],
                "owner": self[f"action_owner_{index}"],
                "organisation": self[f"action_organisation_{index}"],
                "due": self[f"action_due_{index}"],
                "experiment": self[f"action_experiment_{index}"],
            }
            for index in range(ACTION_ROWS)
        ]

    def data_for_service(self, *, prompt=None, follows=None) -> dict:
        data = {name: self.cleaned_data.get(name) for name in self.fields if not name.startswith("action_")}
        data["prompt"] = prompt
        data["follows"] = follows
        data["actions"] = [
            {
                "text": self.cleaned_data.get(f"action_text_{index}"),
                "owner_role": self.cleaned_data.get(f"action_owner_{index}"),
                "organisation": self.cleaned_data.get(f"action_organisation_{index}"),
                "due_on": self.cleaned_data.get(f"action_due_{index}"),
                "experiment": self.cleaned_data.get(f"action_experiment_{index}"),
            }
            for index in range(ACTION_ROWS)
        ]
        return data


class SafetyForm(forms.Form):
    value = forms.ChoiceField(
        label=_("Could you say what you wanted to say?"),
        help_text=_("1 is not at all, 5 is completely. Anonymous: nobody sees what you answered."),
        choices=[(str(value), str(value)) for value in (1, 2, 3, 4, 5)],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the answers."), "invalid_choice": _("Choose one of the answers.")},
    )


class CharterForm(forms.Form):
    """Up to seven principles (one sentence each, and a one-line why), the learning entry that led to the change, and
    what changed."""

    entry = forms.ChoiceField(label=_("Which learning entry led to this change?"), required=False)
    note = forms.CharField(
        label=_("What changed?"), required=False, max_length=500, error_messages={"max_length": TOO_LONG}
    )

    def __init__(self, *args, entries: list[tuple[int, str]], **kwargs):
        from samen.collaboration.models import PRINCIPLE_MAX_LENGTH, PRINCIPLES_MAX

        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("None")), *((str(pk), title) for pk, title in entries)]
        self.fields["entry"].error_messages["invalid_choice"] = _("Choose an entry of this network.")
        for index in range(1, PRINCIPLES_MAX + 1):
            self.fields[f"text_{index}"] = forms.CharField(
                label=_("Principle %(number)d") % {"number": index},
                required=False,
                max_length=PRINCIPLE_MAX_LENGTH,
                error_messages={"max_length": TOO_LONG},
            )
            self.fields[f"why_{index}"] = forms.CharField(
                label=_("Why (one line)"),
                required=False,
                max_length=PRINCIPLE_MAX_LENGTH,
                error_messages={"max_length": TOO_LONG},
            )
        self.principle_count = PRINCIPLES_MAX

    @property
    def principle_rows(self):
        return [
            {"number": index, "text": self[f"text_{index}"], "why": self[f"why_{index}"]}
            for index in range(1, self.principle_count + 1)
        ]

    def principles(self) -> list[dict]:
        return [
            {"text": self.cleaned_data.get(f"text_{index}"), "why": self.cleaned_data.get(f"why_{index}")}
            for index in range(1, self.principle_count + 1)
        ]


class ThresholdsForm(forms.Form):
    """One number per threshold of the rules (``prompts.THRESHOLDS``); shares as fractions (0.5 is 50%)."""

    def __init__(self, *args, **kwargs):
        from samen.collaboration.prompts import THRESHOLDS

        super().__init__(*args, **kwargs)
        for key, threshold in THRESHOLDS.items():
            self.fields[key] = forms.DecimalField(
                label=threshold.label,
                required=False,
                min_value=threshold.low,
                max_value=threshold.high,
                decimal_places=2,
                localize=True,
                help_text=_("Default: %(value)s") % {"value": f"{threshold.default:g}"},
                error_messages={
                    "invalid": _("Enter a number."),
                    "min_value": _("Enter a number of at least %(limit_value)s."),
                    "max_value": _("Enter a number of at most %(limit_value)s."),
                    "max_decimal_places": _("Use at most two decimals."),
                    "max_digits": _("Enter a number."),
                },
            )

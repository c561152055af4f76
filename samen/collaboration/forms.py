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
        widget=forms.DateInput(attrs={"type": "date"}),
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

"""The forms to record a ZRM and a spinnenweb, and to choose the domain of the trend chart. They only parse the
input; who may record what for whom is decided by the policy and passed in (``members``, ``domains``)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samen.assessments.domains import (
    SPINNENWEB_MAX,
    SPINNENWEB_MIN,
    SpinnenwebTheme,
    ZrmDomain,
    ZrmScale,
    domain_label,
)


class _Radios(forms.RadioSelect):
    """Radios drawn by the page in a fieldset; the error summary links to the first of them."""

    def __init__(self, attrs=None, choices=()) -> None:
        super().__init__({"class": "utrecht-radio-button utrecht-radio-button--html-input", **(attrs or {})}, choices)

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, 0 if index is None else index)


def _member_choices(members) -> list[tuple[str, str]]:
    return [(str(member.pk), f"{member.given_name} {member.family_name}") for member in members]


class _MemberForm(forms.Form):
    member = forms.ChoiceField(
        label=_("Who is it about?"),
        error_messages={
            "required": _("Choose who it is about."),
            "invalid_choice": _("Choose a member of this household from the list."),
        },
    )

    def __init__(self, *args, members, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(member.pk): member for member in members}
        self.fields["member"].choices = [("", _("Choose ...")), *_member_choices(members)]

    def clean_member(self):
        return self.members[self.cleaned_data["member"]]


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"required": _("Fill in the date."), "invalid": _("Enter a valid date, like 2026-03-01.")},
    )


class ZrmForm(_MemberForm):
    assessed_on = _date_field(_("Date of the conversation"))

    def __init__(self, *args, domains: list[ZrmDomain], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessed_on"].initial = timezone.localdate()
        self.domains = domains
        choices = [(str(scale.value), f"{scale.value} {scale.label}") for scale in ZrmScale]
        for domain in domains:
            self.fields[domain.value] = forms.TypedChoiceField(
                label=capfirst(str(domain.label)),
                choices=choices,
                coerce=int,
                widget=_Radios,
                error_messages={
                    "required": _("Choose a score for this domain."),
                    "invalid_choice": _("Choose a score from 1 to 5."),
                },
            )

    def score_fields(self):
        return [self[domain.value] for domain in self.domains]

    def scores(self) -> dict[str, int]:
        return {domain.value: self.cleaned_data[domain.value] for domain in self.domains}


class SpinnenwebForm(_MemberForm):
    """The themes the actor may fill in (``themes``, in the spinnenweb's order); no input for the others. A number
    sent for another theme anyway is passed on (``scores``), so the service refuses it with a clear message."""

    filled_on = _date_field(_("Date"))

    def __init__(self, *args, themes: list[SpinnenwebTheme], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["filled_on"].initial = timezone.localdate()
        self.fields["member"].label = _("Whose spinnenweb is it?")
        self.themes = [theme for theme in SpinnenwebTheme if theme in themes]
        choices = [(str(number), str(number)) for number in range(SPINNENWEB_MIN, SPINNENWEB_MAX + 1)]
        for theme in self.themes:
            self.fields[theme.value] = forms.TypedChoiceField(
                label=theme.label,
                choices=choices,
                coerce=int,
                widget=_Radios,
                error_messages={
                    "required": _("Choose a number from 0 to 10."),
                    "invalid_choice": _("Choose a number from 0 to 10."),
                },
            )

    def score_fields(self):
        return [self[theme.value] for theme in self.themes]

    def scores(self) -> dict[str, object]:
        scores: dict[str, object] = {theme.value: self.cleaned_data[theme.value] for theme in self.themes}
        for theme in SpinnenwebTheme:
            sent = self.data.get(theme.value)
            if theme not in self.themes and sent not in (None, ""):
                scores[theme.value] = str(sent)[:10]
        return scores


class TrendForm(forms.Form):
    """Which domain the ZRM trend chart shows (a GET form; a wrong value falls back to the first domain)."""

    domein = forms.ChoiceField(label=_("Show the trend of"), required=False)

    def __init__(self, *args, domains: list[ZrmDomain], plain: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.domains = domains
        self.fields["domein"].choices = [(domain.value, domain_label(domain, plain=plain)) for domain in domains]

    def chosen(self) -> ZrmDomain | None:
        if not self.domains:
            return None
        if self.is_valid() and self.cleaned_data.get("domein"):
            return ZrmDomain(self.cleaned_data["domein"])
        return self.domains[0]

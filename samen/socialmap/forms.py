"""The social map's forms: the search with its filters (a GET form that works without JavaScript), changing a
service and its capacity. Forms parse and say what is wrong; the services decide and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.socialmap.models import NAME_MAX_LENGTH, TEXT_MAX_LENGTH, ServiceStatus
from samen.socialmap.search import QUERY_MAX_LENGTH, Filters

TOO_LONG = _("This is too long: at most %(limit_value)d characters (now %(show_value)d).")
KIND_CHOICES = [
    ("", _("All help")),
    ("formal", _("Organisations")),
    ("informal", _("Volunteers and neighbourhood initiatives")),
]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("What are you looking for?"),
        help_text=_("For example: debts, lonely, rent arrears."),
        required=False,
        max_length=QUERY_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("Subject"), required=False)
    area = forms.CharField(
        label=_("Postcode or neighbourhood"),
        help_text=_("For example 3511 or Oost."),
        required=False,
        max_length=60,
        error_messages={"max_length": TOO_LONG},
    )
    kind = forms.ChoiceField(label=_("Who helps"), required=False, choices=KIND_CHOICES)
    language = forms.ChoiceField(label=_("Language"), required=False)
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    capacity = forms.BooleanField(label=_("Has room now"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)
    accessible = forms.BooleanField(label=_("Says how accessible it is"), required=False)

    def __init__(self, *args, categories: list[tuple[str, str]], languages: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All subjects")), *categories]
        self.fields["language"].choices = [("", _("Any language")), *languages]

    def filters(self) -> Filters:
        data = self.cleaned_data
        kind = data.get("kind") or ""
        return Filters(
            category=_uuid(data.get("category")),
            area=data.get("area") or "",
            free=bool(data.get("free")),
            language=data.get("language") or "",
            accessible=bool(data.get("accessible")),
            open_now=bool(data.get("open_now")),
            has_capacity=bool(data.get("capacity")),
            informal={"formal": False, "informal": True}.get(kind),
        )

    @property
    def has_filters(self) -> bool:
        return self.is_bound and any(
            self.cleaned_data.get(name)
            for name in ("category", "area", "kind", "language", "free", "capacity", "open_now", "accessible")
        )


def _uuid(value):
    from samen.socialmap.selectors import parse_uuid

    return parse_uuid(value) if value else None


def _text(label, *, max_length: int, required: bool = False, rows: int = 4, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        error_messages={"required": _("Please write something here."), "max_length": TOO_LONG},
    )


class ServiceForm(forms.Form):
    name = _text(_("Name"), max_length=NAME_MAX_LENGTH, required=True, rows=0)
    description = _text(_("What it offers"), max_length=TEXT_MAX_LENGTH)
    eligibility_description = _text(_("For whom"), max_length=TEXT_MAX_LENGTH, rows=2)
    application_process = _text(_("How to apply"), max_length=TEXT_MAX_LENGTH, rows=2)
    fees_description = _text(_("Costs"), max_length=TEXT_MAX_LENGTH, rows=2)
    wait_time = _text(_("Waiting time"), max_length=NAME_MAX_LENGTH, rows=0, help_text=_("For example: 2 weeks."))
    alert = _text(
        _("Notice"), max_length=TEXT_MAX_LENGTH, rows=2, help_text=_("For example: closed during the summer.")
    )
    status = forms.ChoiceField(label=_("Status"), choices=ServiceStatus.choices)


def _count(label, *, required: bool, help_text="") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=100_000,
        help_text=help_text,
        error_messages={
            "required": _("Fill in a number."),
            "invalid": _("Fill in a whole number, for example 3."),
            "min_value": _("Fill in a number from 0 to 100,000."),
            "max_value": _("Fill in a number from 0 to 100,000."),
        },
    )


class CapacityForm(forms.Form):
    available = _count(_("Free places now"), required=True)
    maximum = _count(_("Places in total"), required=False)
    waiting = _count(_("People on the waiting list"), required=False)

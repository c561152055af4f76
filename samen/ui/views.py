"""The error pages (403, 404, 500), referenced from ``config/urls.py``, and the design catalogue (/ontwerp/).

403 and 404 render in the normal layout with the request context. 500 renders standalone, with
static context only: no context processors, so no database or session access while something is
already broken.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "ui/errors/403.html", status=403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "ui/errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponseServerError(loader.get_template("ui/errors/500.html").render({}))


# --- the design catalogue (/ontwerp/, development mode) -------------------------------------------------------


class _SpecimenForm(forms.Form):
    """A form that shows every kind of field, empty and with an error (sample content, in Dutch)."""

    name = forms.CharField(label="Je naam", max_length=100, help_text="Zoals op je post staat.")
    note = forms.CharField(label="Een notitie", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label="Soort informatie", choices=[("", "Kies ..."), ("a", "Algemeen"), ("b", "Geld")])
    agree = forms.BooleanField(label="Ik ga akkoord", required=False)
    what = forms.ChoiceField(
        label="Wat gaat er niet goed?",
        choices=[("plan", "Het plan werkt niet"), ("part", "Iemand doet zijn deel niet"), ("other", "Iets anders")],
        widget=forms.RadioSelect,
        help_text="Kies wat het best past.",
    )
    who = forms.MultipleChoiceField(
        label="Over welke organisaties gaat het?",
        choices=[("1", "Wijkteam Noord"), ("2", "Schuldhulp Zuid")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _cell(label: str, state: str, positive: bool, button: str) -> dict:
    return {
        "label": label,
        "state": state,
        "positive": positive,
        "note": "",
        "form_url": "#",
        "fields": [],
        "button_label": button,
    }


def design(request: HttpRequest) -> HttpResponse:
    """Every ``ui`` component in its states, to build new pages from (development mode only; see
    ``samen/ui/templatetags/ui.py``). A test checks that every component tag appears here. The explanations are
    for developers (English); the sample content is Dutch, as users see it."""
    if not settings.DEBUG:
        raise Http404
    invalid = _SpecimenForm({"name": "", "note": "x" * 4001, "kind": "z"})
    invalid.is_valid()
    return render(
        request,
        "ui/design.html",
        {
            "empty_form": _SpecimenForm(),
            "invalid_form": invalid,
            "page_obj": Paginator(list(range(60)), 10).get_page(2),
            "table_headers": [{"text": "Naam", "href": "?sort=name", "sort": "ascending"}, "Rol", "Aantal"],
            "table_rows": [
                [{"text": "Familie Bakker", "href": "#"}, {"text": "regisseur", "badge": "active"}, 3],
                ["Familie De Vries", {"text": "teamlid", "badge": "neutral"}, 12],
            ],
            "table_footer": ["Totaal", "", 15],
            "numeric_columns": (2,),
            "bar_headers": ["Organisatie", "Aantal"],
            "summary_rows": [("Onze vraag", "We willen rust in huis."), ("Regisseur", "Sanne de Vries")],
            "attention": [
                {"text": "3 acties over de datum", "href": "#"},
                {"text": "1 evaluatie om te doen", "href": "#"},
                {"text": "Verder vraagt vandaag niets je aandacht.", "calm": True},
            ],
            "decision_columns": ["Algemeen", "Gezondheid"],
            "decision_rows": [
                {
                    "key": "row-1",
                    "name": "Wijkteam Noord",
                    "kind": "wijkteam",
                    "badge": "",
                    "note": "",
                    "messages": [],
                    "is_changed": True,
                    "cells": [
                        _cell("Algemeen", "Mag zien", True, "Intrekken"),
                        _cell("Gezondheid", "Mag niet zien", False, "Toestaan"),
                    ],
                },
            ],
            "bar_rows": [["Wijkteam", 12], ["Schuldhulp", 7], ["Jeugdhulp", "minder dan 5"]],
            "radar_axes": ["Geld", "Wonen", "Werk", "Gezondheid", "Gezin"],
            "radar_series": [
                {"label": "1 mei", "values": [2, 3, 2, 4, 3]},
                {"label": "1 juni", "values": [3, 3, 4, 4, 4]},
            ],
            "line_labels": ["1 mrt", "1 apr", "1 mei", "1 jun"],
            "line_series": [{"label": "Geld", "values": [2, 2, 3, 4]}, {"label": "Wonen", "values": [3, 3, 3, 4]}],
            "diverging_rows": [
                {"label": "1. Rekenen op toezeggingen", "negative": 0.1, "neutral": 0.2, "positive": 0.7},
                {"label": "9. Papier klopt met praktijk", "negative": 0.45, "neutral": 0.25, "positive": 0.3},
                {"label": "12. Gedeelde ambitie"},
            ],
            "diverging_headers": ["Vraag", "Oneens (1-3)", "In het midden (4)", "Eens (5-7)"],
            "heatmap_columns": ["Wijkteam Zuid", "Jeugdhulp"],
            "heatmap_rows": [
                {"label": "Vertrouwen", "values": [0.3, -0.8]},
                {"label": "Je uitspreken", "values": [-1.6, None]},
            ],
            "sample_workspace": {
                "name": "Familie Bakker",
                "coordinator": "Sanne de Vries",
                "coordinator_organisation": "Wijkteam Noord",
                "tabs": [
                    {"label": "Overzicht", "url": "#", "is_current": True},
                    {"label": "Plan", "url": "#", "is_current": False},
                    {"label": "Wie helpt mee", "url": "#", "is_current": False},
                ],
                "current_label": "Overzicht",
            },
        },
    )

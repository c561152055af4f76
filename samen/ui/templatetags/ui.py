"""NL Design System components as template tags: pages use these, never the component classes.

{% load ui %}
{% ui_form_errors form %}            error summary at the top of a form
{% ui_field form.email %}            label, description, error, input with aria-describedby/-invalid
{% ui_button _("Save") %}            primary submit button; variant="secondary"|"subtle", type, name, value
{% ui_link_button url _("Next") %}   a link that looks like a button
{% ui_alert "ok" message title %}    kind: info | ok | warning | error
{% ui_badge text "success" %}        status badge: neutral | success | warning | danger | active | inactive
{% ui_table caption headers rows %}  rows: a list of lists of cells (strings, numbers or dicts with
                                     "text" and "href" (a link) or "badge" (a badge kind));
                                     numeric_columns=(1, 2); empty=_("Nothing yet.") shown instead of
                                     a table without rows. The first cell of a row is its header.
                                     footer=[_("Total"), 12] adds a <tfoot> row (first cell its header).
{% ui_card title body href %}        a (linked) card for the home pages; level=3 for the heading level
{% ui_pagination page_obj %}         previous / page x of y / next, keeps the other query parameters
{% ui_bar_chart title rows headers %}
                                     a horizontal bar chart (inline SVG, no JavaScript) with the same
                                     figures as a table right below it. rows: [[label, value], ...];
                                     a number draws a bar, anything else (e.g. "fewer than 5" from
                                     samen.core.anonymity) draws no bar and shows that text, in the chart
                                     and the table. headers: [label header, value header] for the table.
                                     Options: description=_("...") (said with the chart, before "the
                                     table below gives the same figures"), footer=[_("Total"), 200] for
                                     the table, level=3 for the title's heading level, chart_id="..."
                                     (default "chart-<slug of title>"; give one when two charts share a
                                     title). The SVG has role="img", its name is the visible title
                                     (aria-labelledby) and its description the visible text under it
                                     (aria-describedby). It scales with its viewBox (width 100%, at most
                                     24rem wide in samen.css), so it fits 360 px screens and print;
                                     colours come from samen.css (design tokens), never inline styles.
                                     Keep labels short (about 30 characters): SVG text does not wrap.
"""

from __future__ import annotations

import functools
from typing import Any

from django import forms, template
from django.contrib.staticfiles.storage import staticfiles_storage
from django.forms.boundfield import BoundField
from django.utils.text import slugify
from django.utils.translation import gettext

register = template.Library()


@register.simple_tag
def asset(path: str) -> str:
    """``{% static %}`` for the layout's fixed files, looked up once per process (the manifest does
    not change while the server runs); the layout renders on every page."""
    return _asset_url(path)


@functools.lru_cache(maxsize=64)
def _asset_url(path: str) -> str:
    return staticfiles_storage.url(path)


_INPUT_CLASSES = {
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
}
_TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


@register.inclusion_tag("ui/components/field.html")
def ui_field(field: BoundField, **attrs) -> dict:
    widget = field.field.widget
    css = next((c for cls, c in _INPUT_CLASSES.items() if isinstance(widget, cls)), _TEXTBOX)
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_description")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        css += " utrecht-textbox--invalid" if css == _TEXTBOX else ""
    widget_attrs = {"class": css, **attrs}
    if described_by:
        widget_attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        widget_attrs["aria-invalid"] = "true"
    if field.field.required and not isinstance(widget, forms.CheckboxInput):
        widget_attrs["required"] = True
    return {
        "field": field,
        "widget_html": field.as_widget(attrs=widget_attrs),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
    }


@register.inclusion_tag("ui/components/form_errors.html")
def ui_form_errors(form: forms.Form) -> dict:
    field_errors = [(form[name], errors) for name, errors in form.errors.items() if name != "__all__"]
    return {"form": form, "non_field_errors": form.non_field_errors(), "field_errors": field_errors}


@register.inclusion_tag("ui/components/button.html")
def ui_button(label: str, variant: str = "primary", type: str = "submit", name: str = "", value: str = "") -> dict:  # noqa: A002
    return {"label": label, "variant": variant, "type": type, "name": name, "value": value}


@register.inclusion_tag("ui/components/link_button.html")
def ui_link_button(href: str, label: str, variant: str = "primary") -> dict:
    return {"href": href, "label": label, "variant": variant}


@register.inclusion_tag("ui/components/alert.html")
def ui_alert(kind: str, message: str, title: str = "") -> dict:
    kind = kind if kind in {"info", "ok", "warning", "error"} else "info"
    return {"kind": kind, "message": message, "title": title}


@register.inclusion_tag("ui/components/badge.html")
def ui_badge(text: str, kind: str = "neutral") -> dict:
    return {"text": text, "kind": kind}


def _table_cell(value: Any, *, numeric: bool) -> dict:
    """One cell as the template needs it. Cells come as plain values or as dicts with "text" and "href" (a link)
    or "badge" (a badge kind); normalising them here lets the template read every cell with dict lookups only
    (a failed attribute lookup on a plain value is the slowest path of Django's template engine)."""
    if isinstance(value, dict):
        text = value.get("text")
        return {
            "text": "" if text is None else text,
            "href": value.get("href", ""),
            "badge": value.get("badge", ""),
            "numeric": numeric,
        }
    return {"text": "" if value is None else value, "href": "", "badge": "", "numeric": numeric}


@register.inclusion_tag("ui/components/table.html")
def ui_table(
    caption: str, headers: list, rows: list, numeric_columns: tuple = (), empty: str = "", footer: list | None = None
) -> dict:
    def cells(values) -> list[dict]:
        return [_table_cell(value, numeric=index in numeric_columns) for index, value in enumerate(values)]

    return {
        "caption": caption,
        "headers": cells(headers),
        "rows": [cells(row) for row in rows],
        "empty": empty,
        "footer": cells(footer) if footer else None,
    }


@register.inclusion_tag("ui/components/card.html")
def ui_card(title: str, body: str = "", href: str = "", level: int = 2) -> dict:
    level = level if level in {2, 3, 4} else 2
    return {"title": title, "body": body, "href": href, "level": level}


@register.inclusion_tag("ui/components/pagination.html", takes_context=True)
def ui_pagination(context, page_obj) -> dict:
    request = context.get("request")
    query = request.GET.copy() if request is not None else None

    def url_for(number: int) -> str:
        if query is None:
            return f"?page={number}"
        query["page"] = number
        return f"?{query.urlencode()}"

    return {
        "page_obj": page_obj,
        "previous_url": url_for(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next_url": url_for(page_obj.next_page_number()) if page_obj.has_next() else "",
    }


# Bar chart geometry, in SVG user units (the chart scales as a whole with its viewBox).
CHART_WIDTH = 320
CHART_VALUE_SPACE = 72  # room right of the longest bar for its number
CHART_ROW_HEIGHT = 50  # a label line, then the bar with its number (text is 16 units, see samen.css)
CHART_LABEL_BASELINE = 17
CHART_BAR_OFFSET = 24
CHART_BAR_HEIGHT = 18
CHART_VALUE_GAP = 6


def _units(number: float) -> str:
    """A coordinate for an SVG attribute: never localised (no decimal comma), at most one decimal."""
    return f"{round(number, 1):g}"


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.inclusion_tag("ui/components/bar_chart.html")
def ui_bar_chart(
    title: str,
    rows: list,
    headers: list,
    description: str = "",
    footer: list | None = None,
    level: int = 2,
    chart_id: str = "",
) -> dict:
    numbers = [value for _, value in rows if _is_number(value)]
    largest = max(numbers, default=0)
    longest_bar = CHART_WIDTH - CHART_VALUE_SPACE
    bars = []
    for index, (label, value) in enumerate(rows):
        top = index * CHART_ROW_HEIGHT
        width = 0.0
        if _is_number(value) and value > 0 and largest > 0:
            width = max(longest_bar * value / largest, 1.0)  # a small count still shows a sliver
        bars.append(
            {
                "label": label,
                "value": value,
                "hidden": not _is_number(value),
                "label_y": _units(top + CHART_LABEL_BASELINE),
                "bar_y": _units(top + CHART_BAR_OFFSET),
                "width": _units(width) if width else "",
                "value_x": _units(width + CHART_VALUE_GAP if width else 0),
                "value_y": _units(top + CHART_BAR_OFFSET + CHART_BAR_HEIGHT / 2),
            }
        )
    return {
        "title": title,
        "description": description,
        "chart_id": chart_id or f"chart-{slugify(title) or 'figures'}",
        "level": level if level in {2, 3, 4} else 2,
        "width": CHART_WIDTH,
        "height": _units(max(len(rows), 1) * CHART_ROW_HEIGHT),
        "bar_height": CHART_BAR_HEIGHT,
        "bars": bars,
        "table_caption": gettext("%(title)s (table)") % {"title": title},
        "headers": headers,
        "rows": [list(row) for row in rows],
        "numeric_columns": (1,),
        "footer": footer,
    }

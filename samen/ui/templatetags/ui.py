"""NL Design System components as template tags: pages use these, never the component classes.

The living catalogue of every component in its states is /ontwerp/ (development mode, ``samen.ui.views.design``);
a new page uses these tags, and a new component is added here and to that catalogue.

{% load ui %}
Forms
{% ui_form_errors form %}            error summary at the top of a form (links to the fields)
{% ui_field form.email %}            label, description, error, input with aria-describedby/-invalid. An error shows
                                     only after a submit (the server sets it). A text's limit is never enforced by
                                     the browser (a paste would be cut off silently): a text area shows the limit
                                     and, with JavaScript, how much is left; the server refuses too long a text
                                     with a message and keeps what was typed.
Actions
{% ui_button _("Save") %}            a submit button; variant="primary" (one per view) | "secondary" | "subtle";
                                     type, name, value; context=_("Health") adds words for screen readers only
                                     ("Withdraw" is heard as "Withdraw: Health")
{% ui_link_button url _("Next") %}   a link that looks like a button; variant and context as for ui_button
{% ui_actions %}…{% end_ui_actions %}      a row of buttons and link-buttons that wraps on a phone
Feedback and status
{% ui_alert "ok" message title %}    kind: info | ok | warning | error; href=url link=_("Read them") adds a link
                                     after the message
{% ui_badge text "success" %}        status badge: neutral | success | warning | danger | active | inactive
{% ui_empty _("No notes yet.") %}    an empty state: what is not there yet
Content
{% ui_page_header title lead %}…{% end_ui_page_header %}
                                     the page's h1, an optional lead paragraph, then its actions (the block)
{% ui_card title body href %}        a card (a grid item; the whole card is the link when href is given);
                                     level=3 for the heading level; meta="…" a quiet line under the title;
                                     user_text=True when title and body are names and texts people typed
{% ui_panel %}…{% end_ui_panel %}    a bordered block of content; highlight=True for the one that changed
{% ui_summary_list rows %}           label/value rows (GOV.UK's summary list): rows = [(label, value), ...];
                                     user_text=True when the values are what people typed (line breaks kept), or
                                     a third item per row, (label, value, True), for one such value
{% ui_disclosure _("Change") %}…{% end_ui_disclosure %}
                                     a <details> that opens more (an edit form); open=True to start open; works
                                     without JavaScript
{% ui_attention items %}             the work queue: items = [{"text": "3 actions past their date", "href": "..."}],
                                     each a link; an item with "calm": True is shown as good news
{% ui_choices form.kind %}         radios or checkboxes in a fieldset: the field's label as legend, its help text
                                     and error, one line per choice (a label that wraps at word boundaries).
{% ui_table caption headers rows %}  rows: a list of lists of cells (strings, numbers or dicts with
                                     "text" and "href" (a link) or "badge" (a badge kind));
                                     numeric_columns=(1, 2); empty=_("Nothing yet.") shown instead of
                                     a table without rows. The first cell of a row is its header.
                                     footer=[_("Total"), 12] adds a <tfoot> row (first cell its header).
                                     caption_hidden=True when a heading right above already says it (the
                                     caption is then for screen readers only).
                                     A header cell may be a dict {"text", "href", "sort": "ascending" |
                                     "descending" | ""}: a sortable column (a link, with aria-sort).
                                     On a phone every row of a table with more than two columns becomes a
                                     block of "label: value" lines (stack=True/False to choose).
{% ui_decision_table caption who_header columns rows %}
                                     who may do what (the consent matrix): a row per "who", a column per "what",
                                     each cell its state in words and at most one button, allowing and withdrawing
                                     of equal weight. rows: objects with key, name, kind, badge, note, messages,
                                     is_changed (marked, with its messages, focused) and cells (label, state,
                                     positive, note, form_url, fields, button_label). A phone gets a card per row.
                                     Buttons work without JavaScript; with htmx only the row is replaced.
{% ui_pagination page_obj %}         previous / page x of y / next, keeps the other query parameters
{% ui_diverging_bars title rows headers %}
                                     agreement per statement around a centre line (disagree left, agree right); a
                                     row {"label"} alone for a figure below k (hidden_text=...); the table alternative
{% ui_heatmap title columns rows corner %}
                                     differences as shaded cells with the number written in each, above filled and
                                     below outlined; rows [{"label", "values"}]; the table alternative
Charts (each with a table of the same figures below it)
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
{% ui_radar_chart title axes series axis_header %}
    a radar chart: one axis per label in ``axes`` (e.g. the ZRM domains), one polygon per moment in
    ``series`` ([{"label": "1 March 2026", "values": [3, 4, None, ...]}, ...], oldest first); at most three
    moments are drawn (the last three given), told apart by line pattern and point shape, not only colour.
    None is "no score": no point on that axis. The table right below gives the same figures (axes as rows,
    moments as columns). Options: min_value=0, max_value=5 (the scale; the centre is min_value),
    description, level, chart_id, empty=_("...") shown instead of the chart when there is no series,
    missing=_("...") the table's text for a missing value (default "no score").
{% ui_line_chart title x_labels series x_header %}
    a line chart of a trend: one point per moment in ``x_labels`` (oldest first), one line per series
    ([{"label": "finances", "values": [2, 3, 3, 4]}, ...], None leaves a gap); up to six lines are told
    apart by pattern and point shape. The table below has a row per moment and a column per line.
    Options as for the radar chart (min_value, max_value, description, level, chart_id, empty).
Both: role="img" named by the visible title (aria-labelledby) and described by the visible text under it;
no JavaScript, no inline style; colours and patterns in samen.css ("samen-chart__series--1" ... "--6").
"""

from __future__ import annotations

import functools
import math
from typing import Any

from django import forms, template
from django.contrib.staticfiles.storage import staticfiles_storage
from django.forms.boundfield import BoundField
from django.template.base import token_kwargs
from django.template.loader import get_template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
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


# --- block components: {% ui_x ... %} content {% end_ui_x %} ---------------------------------------------------


class _BlockComponentNode(template.Node):
    """A component that wraps a block of the page: its template gets the arguments and ``content``."""

    def __init__(self, template_name: str, nodelist, args: list, kwargs: dict, defaults: dict):
        self.template_name = template_name
        self.nodelist = nodelist
        self.args = args
        self.kwargs = kwargs
        self.defaults = defaults

    def render(self, context) -> str:
        values = dict(self.defaults)
        names = list(self.defaults)
        for name, arg in zip(names, self.args, strict=False):
            values[name] = arg.resolve(context)
        for name, value in self.kwargs.items():
            values[name] = value.resolve(context)
        values["content"] = mark_safe(self.nodelist.render(context))  # noqa: S308 - rendered by the template engine
        return get_template(self.template_name).render(values)


def _block_component(name: str, template_name: str, **defaults):
    """Register ``{% name arg… key=value… %}…{% end_name %}``; positional arguments fill ``defaults`` in order."""

    def parse(parser, token):
        bits = token.split_contents()[1:]
        args, kwargs = [], {}
        while bits and "=" not in bits[0]:
            args.append(parser.compile_filter(bits.pop(0)))
        kwargs = token_kwargs(bits, parser)
        if bits:
            raise template.TemplateSyntaxError(f"{name}: cannot read the arguments {bits!r}")
        unknown = set(kwargs) - set(defaults)
        if unknown or len(args) > len(defaults):
            raise template.TemplateSyntaxError(f"{name}: unknown arguments {sorted(unknown) or args}")
        nodelist = parser.parse((f"end_{name}",))
        parser.delete_first_token()
        return _BlockComponentNode(template_name, nodelist, args, kwargs, defaults)

    register.tag(name, parse)


_block_component("ui_actions", "ui/components/actions.html")
_block_component("ui_panel", "ui/components/panel.html", highlight=False, label="", element="div")
_block_component("ui_disclosure", "ui/components/disclosure.html", summary="", open=False)
_block_component("ui_page_header", "ui/components/page_header.html", title="", lead="")


# --- forms -----------------------------------------------------------------------------------------------------

_INPUT_CLASSES = {
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
}
_TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
_INVALID = {
    _TEXTBOX: " utrecht-textbox--invalid",
    _INPUT_CLASSES[forms.Textarea]: " utrecht-textarea--invalid",
    _INPUT_CLASSES[forms.Select]: " utrecht-select--invalid",
}


@register.inclusion_tag("ui/components/field.html")
def ui_field(field: BoundField, **attrs) -> dict:
    widget = field.field.widget
    css = next((c for cls, c in _INPUT_CLASSES.items() if isinstance(widget, cls)), _TEXTBOX)
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_description")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        css += _INVALID.get(css, "")
    # Never let the browser cut a text off at its limit (a paste would lose the rest without a word): the server
    # refuses too long a text with a message and keeps it. A text area says its limit instead.
    limit = widget.attrs.get("maxlength") or attrs.pop("maxlength", None)
    widget_attrs = {"class": css, **attrs, "maxlength": False}
    counter = None
    if limit and isinstance(widget, forms.Textarea):
        shown_limit = number_format(int(limit), force_grouping=True)
        counter = {
            "id": f"{field.auto_id}_counter",
            "limit": int(limit),
            "text": gettext("At most %(count)s characters.") % {"count": shown_limit},
            "left": gettext("%(count)s characters left."),
            "over": gettext("%(count)s characters too many."),
        }
        described_by.append(counter["id"])
        widget_attrs.update({"data-samen-limit": limit, "data-samen-counter": counter["id"]})
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
        "counter": counter,
    }


@register.inclusion_tag("ui/components/form_errors.html")
def ui_form_errors(form: forms.Form) -> dict:
    field_errors = [(form[name], errors) for name, errors in form.errors.items() if name != "__all__"]
    return {"form": form, "non_field_errors": form.non_field_errors(), "field_errors": field_errors}


@register.inclusion_tag("ui/components/choices.html")
def ui_choices(field: BoundField) -> dict:
    is_checkbox = isinstance(field.field.widget, forms.CheckboxSelectMultiple)
    return {"field": field, "is_checkbox": is_checkbox, "described": f"{field.auto_id}_help" if field.help_text else ""}


# --- actions ---------------------------------------------------------------------------------------------------

_VARIANTS = {"primary": "primary-action", "secondary": "secondary-action", "subtle": "subtle"}


@register.inclusion_tag("ui/components/button.html")
def ui_button(
    label: str,
    variant: str = "primary",
    type: str = "submit",  # noqa: A002
    name: str = "",
    value: str = "",
    context: str = "",
) -> dict:
    return {
        "label": label,
        "appearance": _VARIANTS.get(variant, "primary-action"),
        "type": type,
        "name": name,
        "value": value,
        "context": context,
    }


@register.inclusion_tag("ui/components/link_button.html")
def ui_link_button(href: str, label: str, variant: str = "primary", context: str = "") -> dict:
    return {"href": href, "label": label, "appearance": _VARIANTS.get(variant, "primary-action"), "context": context}


# --- feedback and status ---------------------------------------------------------------------------------------


@register.inclusion_tag("ui/components/alert.html")
def ui_alert(kind: str, message: str, title: str = "", href: str = "", link: str = "") -> dict:
    kind = kind if kind in {"info", "ok", "warning", "error"} else "info"
    return {"kind": kind, "message": message, "title": title, "href": href, "link": link}


@register.inclusion_tag("ui/components/badge.html")
def ui_badge(text: str, kind: str = "neutral") -> dict:
    return {"text": text, "kind": kind}


@register.inclusion_tag("ui/components/empty.html")
def ui_empty(text: str) -> dict:
    return {"text": text}


# --- content ---------------------------------------------------------------------------------------------------


@register.inclusion_tag("ui/components/summary_list.html")
def ui_summary_list(rows: list, user_text: bool = False) -> dict:
    """Rows are (label, value) or (label, value, is_user_text): a value someone typed keeps its line breaks and
    is marked as theirs (``data-user-text``)."""
    return {"rows": [(row[0], row[1], row[2] if len(row) > 2 else user_text) for row in rows]}


@register.inclusion_tag("ui/components/attention.html")
def ui_attention(items: list) -> dict:
    return {"items": items}


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
            "sort": value.get("sort", ""),
            "numeric": numeric,
        }
    return {"text": "" if value is None else value, "href": "", "badge": "", "sort": "", "numeric": numeric}


@register.inclusion_tag("ui/components/table.html")
def ui_table(
    caption: str,
    headers: list,
    rows: list,
    numeric_columns: tuple = (),
    empty: str = "",
    footer: list | None = None,
    caption_hidden: bool = False,
    stack: bool | None = None,
) -> dict:
    def cells(values) -> list[dict]:
        return [_table_cell(value, numeric=index in numeric_columns) for index, value in enumerate(values)]

    header_cells = cells(headers)
    labels = [header["text"] for header in header_cells]

    def labelled(values) -> list[dict]:
        row = cells(values)
        for index, cell in enumerate(row):
            cell["label"] = labels[index] if index < len(labels) else ""
        return row

    return {
        "caption": caption,
        "caption_hidden": caption_hidden,
        # Two short columns fit a phone as a table; wider tables become a block per row there.
        "stack": len(header_cells) > 2 if stack is None else stack,
        "headers": header_cells,
        "rows": [labelled(row) for row in rows],
        "empty": empty,
        "footer": labelled(footer) if footer else None,
    }


@register.inclusion_tag("ui/components/decision_table.html")
def ui_decision_table(caption: str, who_header: str, columns: list, rows: list) -> dict:
    return {"caption": caption, "who_header": who_header, "columns": columns, "rows": rows}


@register.inclusion_tag("ui/components/card.html")
def ui_card(
    title: str, body: str = "", href: str = "", level: int = 2, meta: str = "", user_text: bool = False
) -> dict:
    level = level if level in {2, 3, 4} else 2
    return {"title": title, "body": body, "href": href, "level": level, "meta": meta, "user_text": user_text}


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


@register.inclusion_tag("ui/components/page_links.html")
def ui_page_links(number: int, previous_url: str = "", next_url: str = "", label: str = "") -> dict:
    """Previous and next for a list read with LIMIT + 1 (it knows whether there is more, not how many pages).
    ``label`` names the navigation when a page has more than one ("Pages" otherwise)."""
    return {"number": number, "previous_url": previous_url, "next_url": next_url, "label": label}


# --- charts ----------------------------------------------------------------------------------------------------

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
        "has_numbers": bool(numbers),
        "table_caption": gettext("%(title)s (table)") % {"title": title},
        "headers": headers,
        "rows": [list(row) for row in rows],
        "numeric_columns": (1,),
        "footer": footer,
    }


# --- radar ("spinnenweb") and line charts (usage in the module docstring) -----------------------------------

RADAR_WIDTH = 600
RADAR_HEIGHT = 460
RADAR_RADIUS = 150
RADAR_LABEL_GAP = 14
RADAR_LABEL_LINE = 16  # label line height (text is 14 units, see samen.css)
RADAR_LABEL_CHARS = 16  # wrap axis labels at about this many characters
RADAR_NUMBER_GAP = 24  # the axis number (phone layout) sits this far beyond the outer ring
RADAR_MAX_SERIES = 3
LINE_WIDTH = 600
LINE_HEIGHT = 300
LINE_LEFT = 44
LINE_RIGHT = 24
LINE_TOP = 16
LINE_BOTTOM = 44
LINE_MAX_SERIES = 6
LINE_MAX_X_LABELS = 5
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")


def _wrap(label: str, width: int = RADAR_LABEL_CHARS) -> list[str]:
    lines: list[str] = []
    for word in str(label).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _marker(shape: str, x: float, y: float, size: float = 5) -> dict:
    """A point shape as an SVG element name with its attributes (strings, never localised)."""
    if shape == "circle":
        return {"circle": True, "cx": _units(x), "cy": _units(y), "r": _units(size - 0.5)}
    if shape == "square":
        points = [(x - size, y - size), (x + size, y - size), (x + size, y + size), (x - size, y + size)]
    elif shape == "triangle":
        points = [(x, y - size - 1), (x + size + 1, y + size), (x - size - 1, y + size)]
    else:  # diamond
        points = [(x, y - size - 1), (x + size + 1, y), (x, y + size + 1), (x - size - 1, y)]
    return {"circle": False, "points": " ".join(f"{_units(px)},{_units(py)}" for px, py in points)}


def _scale(value: float, low: float, high: float) -> float:
    if high <= low:
        return 0.0
    return min(max((value - low) / (high - low), 0.0), 1.0)


def _ticks(low: float, high: float) -> list[float]:
    span = high - low
    step = 1 if span <= 10 else math.ceil(span / 10)
    values = []
    value = low
    while value <= high + 1e-9:
        values.append(value)
        value += step
    return values


def _no_value() -> str:
    return gettext("no score")


def _chart_table(axis_header: str, row_labels: list, columns: list[dict], missing: str = "") -> tuple[list, list]:
    headers = [axis_header, *(column["label"] for column in columns)]
    missing = missing or _no_value()
    rows = []
    for index, label in enumerate(row_labels):
        cells = [label]
        for column in columns:
            values = column.get("values") or []
            value = values[index] if index < len(values) else None
            cells.append(value if _is_number(value) else missing)
        rows.append(cells)
    return headers, rows


def _common(title, description, level, chart_id, empty) -> dict:
    return {
        "title": title,
        "description": description,
        "chart_id": chart_id or f"chart-{slugify(title) or 'figures'}",
        "level": level if level in {2, 3, 4} else 2,
        "empty": empty or gettext("There are no figures yet."),
        "table_caption": gettext("%(title)s (table)") % {"title": title},
    }


@register.inclusion_tag("ui/components/radar_chart.html")
def ui_radar_chart(
    title: str,
    axes: list,
    series: list,
    axis_header: str,
    min_value: float = 0,
    max_value: float = 5,
    description: str = "",
    level: int = 2,
    chart_id: str = "",
    empty: str = "",
    missing: str = "",
) -> dict:
    series = [item for item in series if item][-RADAR_MAX_SERIES:]
    count = len(axes)
    cx, cy = RADAR_WIDTH / 2, RADAR_HEIGHT / 2

    def point(index: int, fraction: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        return cx + RADAR_RADIUS * fraction * math.cos(angle), cy + RADAR_RADIUS * fraction * math.sin(angle)

    rings = []
    for tick in _ticks(min_value, max_value):
        fraction = _scale(tick, min_value, max_value)
        if fraction <= 0:
            continue
        ring = " ".join(f"{_units(x)},{_units(y)}" for x, y in (point(i, fraction) for i in range(count)))
        label_x, label_y = point(0, fraction)
        rings.append({"points": ring, "value": f"{tick:g}", "label_x": _units(cx + 4), "label_y": _units(label_y)})
    spokes, labels = [], []
    for index, label in enumerate(axes):
        x, y = point(index, 1)
        spokes.append({"x": _units(x), "y": _units(y)})
        angle = -math.pi / 2 + 2 * math.pi * index / max(count, 1)
        lx = cx + (RADAR_RADIUS + RADAR_LABEL_GAP) * math.cos(angle)
        ly = cy + (RADAR_RADIUS + RADAR_LABEL_GAP) * math.sin(angle)
        cosine = math.cos(angle)
        anchor = "middle" if abs(cosine) < 0.2 else ("start" if cosine > 0 else "end")
        lines = _wrap(label)
        if math.sin(angle) < -0.2:  # above the centre: the last line ends near the axis
            first_y = ly - (len(lines) - 1) * RADAR_LABEL_LINE
        elif math.sin(angle) > 0.2:  # below: the first line starts near the axis
            first_y = ly + RADAR_LABEL_LINE * 0.8
        else:
            first_y = ly - (len(lines) - 1) * RADAR_LABEL_LINE / 2 + 5
        # On a phone the axis carries its number instead (larger; the list under the chart names the numbers).
        nx = cx + (RADAR_RADIUS + RADAR_NUMBER_GAP) * math.cos(angle)
        ny = cy + (RADAR_RADIUS + RADAR_NUMBER_GAP) * math.sin(angle)
        labels.append(
            {
                "anchor": anchor,
                "x": _units(lx),
                "lines": [{"text": text, "y": _units(first_y + n * RADAR_LABEL_LINE)} for n, text in enumerate(lines)],
                "number": index + 1,
                "number_x": _units(nx),
                "number_y": _units(ny),
            }
        )
    shapes = []
    for number, item in enumerate(series, start=1):
        values = list(item.get("values") or [])
        corners, markers = [], []
        for index in range(count):
            value = values[index] if index < len(values) else None
            if not _is_number(value):
                continue
            x, y = point(index, _scale(value, min_value, max_value))
            corners.append(f"{_units(x)},{_units(y)}")
            markers.append(_marker(MARKERS[number - 1], x, y))
        shapes.append(
            {"number": number, "label": item.get("label", ""), "points": " ".join(corners), "markers": markers}
        )
    headers, rows = _chart_table(axis_header, list(axes), series, missing)
    return {
        **_common(title, description, level, chart_id, empty),
        "width": RADAR_WIDTH,
        "height": RADAR_HEIGHT,
        "cx": _units(cx),
        "cy": _units(cy),
        "rings": rings,
        "spokes": spokes,
        "labels": labels,
        "series": shapes,
        "has_data": bool(shapes) and bool(count),
        "headers": headers,
        "rows": rows,
        "numeric_columns": tuple(range(1, len(headers))),
    }


@register.inclusion_tag("ui/components/line_chart.html")
def ui_line_chart(
    title: str,
    x_labels: list,
    series: list,
    x_header: str,
    min_value: float = 0,
    max_value: float = 5,
    description: str = "",
    level: int = 2,
    chart_id: str = "",
    empty: str = "",
    missing: str = "",
) -> dict:
    series = [item for item in series if item][:LINE_MAX_SERIES]
    count = len(x_labels)
    plot_width = LINE_WIDTH - LINE_LEFT - LINE_RIGHT
    plot_height = LINE_HEIGHT - LINE_TOP - LINE_BOTTOM
    bottom = LINE_TOP + plot_height

    def x_at(index: int) -> float:
        if count <= 1:
            return LINE_LEFT + plot_width / 2
        return LINE_LEFT + plot_width * index / (count - 1)

    def y_at(value: float) -> float:
        return bottom - plot_height * _scale(value, min_value, max_value)

    grid = [{"y": _units(y_at(tick)), "value": f"{tick:g}"} for tick in _ticks(min_value, max_value)]
    step = max(1, math.ceil(count / LINE_MAX_X_LABELS))
    shown = set(range(0, count, step)) | ({count - 1} if count else set())
    if count > 1 and (count - 1) % step:
        shown.discard((count - 1) // step * step)  # keep the last label clear of its neighbour
    ticks = []
    for index, label in enumerate(x_labels):
        if index in shown:
            anchor = "middle"
            if count > 1 and index == 0:
                anchor = "start"
            elif count > 1 and index == count - 1:
                anchor = "end"
            is_end = index in (0, count - 1)  # a phone shows only the first and the last date
            ticks.append({"x": _units(x_at(index)), "label": label, "anchor": anchor, "is_end": is_end})
    lines = []
    for number, item in enumerate(series, start=1):
        values = list(item.get("values") or [])
        segments, current, markers = [], [], []
        for index in range(count):
            value = values[index] if index < len(values) else None
            if not _is_number(value):
                if current:
                    segments.append(current)
                current = []
                continue
            x, y = x_at(index), y_at(value)
            current.append(f"{_units(x)},{_units(y)}")
            markers.append(_marker(MARKERS[number - 1], x, y))
        if current:
            segments.append(current)
        lines.append(
            {
                "number": number,
                "label": item.get("label", ""),
                "segments": [" ".join(segment) for segment in segments if len(segment) > 1],
                "markers": markers,
            }
        )
    headers, rows = _chart_table(x_header, list(x_labels), series, missing)
    return {
        **_common(title, description, level, chart_id, empty),
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "left": LINE_LEFT,
        "right": LINE_WIDTH - LINE_RIGHT,
        "top": LINE_TOP,
        "bottom": bottom,
        "label_x": LINE_LEFT - 8,
        "x_label_y": bottom + 24,
        "grid": grid,
        "ticks": ticks,
        "series": lines,
        "has_data": bool(lines) and bool(count),
        "headers": headers,
        "rows": rows,
        "numeric_columns": tuple(range(1, len(headers))),
    }


# --- diverging stacked bars and a heatmap (the network pulse) ----------------------------------------------------

DIVERGING_HALF = 150  # units from the centre to the end of a 100% side
DIVERGING_ROW_HEIGHT = 50


def _share(value) -> float | None:
    return float(value) if _is_number(value) and 0 <= value <= 1 else None


@register.inclusion_tag("ui/components/diverging_bars.html")
def ui_diverging_bars(
    title: str,
    rows: list,
    headers: list,
    description: str = "",
    level: int = 2,
    chart_id: str = "",
    hidden_text: str = "",
) -> dict:
    """Agreement per statement as one bar around a centre line: disagreeing to the left, agreeing to the right, the
    middle answer across the centre. ``rows``: dicts with "label" and the shares "negative", "neutral", "positive"
    (0..1, adding up to 1), or with only a "label" for a row that may not be shown (``hidden_text`` in its place).
    ``headers``: the table's four column headers (statement, disagree, neutral, agree)."""
    centre = CHART_WIDTH / 2
    bars = []
    table = []
    for index, row in enumerate(rows):
        top = index * DIVERGING_ROW_HEIGHT
        negative, neutral, positive = (_share(row.get(key)) for key in ("negative", "neutral", "positive"))
        shown = None not in (negative, neutral, positive)
        bar = {"label": row.get("label", ""), "label_y": _units(top + CHART_LABEL_BASELINE), "shown": shown}
        if shown:
            left_of_neutral = centre - DIVERGING_HALF * neutral / 2
            bar.update(
                {
                    "bar_y": _units(top + CHART_BAR_OFFSET),
                    "negative_x": _units(left_of_neutral - DIVERGING_HALF * negative),
                    "negative_width": _units(DIVERGING_HALF * negative),
                    "neutral_x": _units(left_of_neutral),
                    "neutral_width": _units(DIVERGING_HALF * neutral),
                    "positive_x": _units(centre + DIVERGING_HALF * neutral / 2),
                    "positive_width": _units(DIVERGING_HALF * positive),
                }
            )
            table.append([bar["label"], *(f"{round(share * 100)}%" for share in (negative, neutral, positive))])
        else:
            bar["hidden_y"] = _units(top + CHART_BAR_OFFSET + CHART_BAR_HEIGHT / 2)
            table.append([bar["label"], hidden_text, hidden_text, hidden_text])
        bars.append(bar)
    return {
        **_common(title, description, level, chart_id, ""),
        "width": CHART_WIDTH,
        "height": _units(max(len(rows), 1) * DIVERGING_ROW_HEIGHT + 4),
        "centre": _units(centre),
        "bar_height": CHART_BAR_HEIGHT,
        "bars": bars,
        "hidden_text": hidden_text,
        "has_data": any(bar["shown"] for bar in bars),
        "headers": headers,
        "rows": table,
        "numeric_columns": (1, 2, 3),
        "footer": None,
    }


HEATMAP_LABEL_WIDTH = 150
HEATMAP_CELL_WIDTH = 120
HEATMAP_CELL_HEIGHT = 36
HEATMAP_HEADER_HEIGHT = 40
HEATMAP_STEPS = 4  # how many shades each direction has


@register.inclusion_tag("ui/components/heatmap.html")
def ui_heatmap(
    title: str,
    columns: list,
    rows: list,
    corner: str,
    description: str = "",
    level: int = 2,
    chart_id: str = "",
    scale: float = 1.0,
    missing: str = "",
) -> dict:
    """Differences as a grid of shaded cells: a row per thing measured, a column per group. ``rows``: dicts with
    "label" and "values" (a number per column, or None where it may not be shown). A cell's shade deepens with the
    size of the difference (``scale`` is the difference that gets the deepest shade), its pattern says the
    direction (above: filled; below: outlined), and the number is written in it, so colour is never the only cue."""
    cells = []
    table = []
    for row_index, row in enumerate(rows):
        y = HEATMAP_HEADER_HEIGHT + row_index * HEATMAP_CELL_HEIGHT
        table_row = [row.get("label", "")]
        for column_index, value in enumerate(row.get("values") or []):
            x = HEATMAP_LABEL_WIDTH + column_index * HEATMAP_CELL_WIDTH
            cell = {"x": _units(x), "y": _units(y), "text_x": _units(x + HEATMAP_CELL_WIDTH / 2)}
            cell["text_y"] = _units(y + HEATMAP_CELL_HEIGHT / 2)
            if _is_number(value):
                step = min(HEATMAP_STEPS, max(1, math.ceil(abs(value) / scale * HEATMAP_STEPS))) if value else 0
                sign = "+" if value > 0 else "-" if value < 0 else ""
                kind = "above" if value > 0 else "below" if value < 0 else "same"
                cell.update({"text": sign + number_format(abs(value), 1), "kind": kind, "step": step})
                table_row.append(cell["text"])
            else:
                cell.update({"text": missing or _no_value(), "kind": "none", "step": 0})
                table_row.append(cell["text"])
            cells.append(cell)
        cells.append({"label": row.get("label", ""), "label_y": _units(y + HEATMAP_CELL_HEIGHT / 2)})
        table.append(table_row)
    heads = [
        {"text": str(column), "x": _units(HEATMAP_LABEL_WIDTH + index * HEATMAP_CELL_WIDTH + HEATMAP_CELL_WIDTH / 2)}
        for index, column in enumerate(columns)
    ]
    return {
        **_common(title, description, level, chart_id, ""),
        "width": _units(HEATMAP_LABEL_WIDTH + max(len(columns), 1) * HEATMAP_CELL_WIDTH),
        "height": _units(HEATMAP_HEADER_HEIGHT + max(len(rows), 1) * HEATMAP_CELL_HEIGHT),
        "cell_width": HEATMAP_CELL_WIDTH,
        "cell_height": HEATMAP_CELL_HEIGHT,
        "header_y": _units(HEATMAP_HEADER_HEIGHT / 2),
        "heads": heads,
        "cells": cells,
        "has_data": bool(columns) and bool(rows),
        "headers": [corner, *(str(column) for column in columns)],
        "rows": table,
        "numeric_columns": tuple(range(1, len(columns) + 1)),
        "footer": None,
    }

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
{% ui_card title body href %}        a (linked) card for the home pages; level=3 for the heading level
{% ui_pagination page_obj %}         previous / page x of y / next, keeps the other query parameters
"""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()

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


@register.inclusion_tag("ui/components/table.html")
def ui_table(caption: str, headers: list, rows: list, numeric_columns: tuple = (), empty: str = "") -> dict:
    return {"caption": caption, "headers": headers, "rows": rows, "numeric_columns": numeric_columns, "empty": empty}


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

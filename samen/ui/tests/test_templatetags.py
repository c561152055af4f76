"""The NL Design System component tags: the markup that makes forms, tables and lists accessible."""

import re
from html import unescape
from urllib.parse import parse_qs

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def render(source: str, **context) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


class ExampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As it is in your passport.", max_length=10)
    agree = forms.BooleanField(label="I agree", required=False)


def test_field_renders_label_description_and_input():
    html = render("{% ui_field form.name %}", form=ExampleForm())
    assert '<label class="utrecht-form-label" for="id_name">Name</label>' in html
    assert 'id="id_name_description"' in html and "As it is in your passport." in html
    assert 'aria-describedby="id_name_description"' in html
    assert "aria-invalid" not in html
    assert "required" in html
    assert "utrecht-form-field__error-message" not in html


def test_field_with_an_error_is_described_by_it_and_invalid():
    form = ExampleForm(data={"name": "<script>alert(1)</script>"})
    assert not form.is_valid()
    html = render("{% ui_field form.name %}", form=form)
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_name_description id_name_error"' in html
    error = re.search(r'<div class="[^"]*utrecht-form-field-error-message" id="id_name_error">(.*?)</div>', html)
    assert error and "at most 10 characters" in error.group(1)
    assert "utrecht-form-field--invalid" in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html  # what was typed is kept, escaped
    assert "<script>" not in html


def test_checkbox_field_has_its_label_after_the_input():
    html = render("{% ui_field form.agree %}", form=ExampleForm())
    assert html.index('type="checkbox"') < html.index("<label")
    assert "utrecht-form-label--checkbox" in html
    assert "required" not in html


def test_form_errors_summary_links_to_the_fields():
    form = ExampleForm(data={"name": ""})
    form.is_valid()
    html = render("{% ui_form_errors form %}", form=form)
    assert 'role="alert"' in html and 'id="form-errors"' in html
    assert 'href="#id_name"' in html


def test_table_has_caption_and_header_scopes():
    html = render(
        "{% ui_table caption headers rows numeric_columns=numeric %}",
        caption="Organisations",
        headers=["Name", "Status", "People"],
        rows=[
            [{"text": "Wijkteam", "href": "/org/1/"}, {"text": "active", "badge": "active"}, 7],
            ["Schuldhulp", "inactive", 0],
        ],
        numeric=(2,),
    )
    assert '<caption class="utrecht-table__caption">Organisations</caption>' in html
    assert html.count('scope="col"') == 3
    assert html.count('scope="row"') == 2
    assert '<a class="utrecht-link utrecht-link--html-a" href="/org/1/">Wijkteam</a>' in html
    assert '<span class="utrecht-status-badge utrecht-status-badge--active">Active</span>' in html
    assert re.search(r'utrecht-table__cell--numeric-data" role="cell" data-label="[^"]+"><span>7</span></td>', html)
    assert re.search(r'utrecht-table__cell--numeric-data" role="cell" data-label="[^"]+"><span>0</span></td>', html)
    assert 'role="region" aria-label="Organisations"' in html and 'tabindex="0"' in html


def test_table_without_rows_says_so_when_asked():
    html = render('{% ui_table "Networks" headers rows empty="None yet." %}', headers=["Name"], rows=[])
    assert "<table" not in html
    assert "Networks: None yet." in html
    assert "<table" in render('{% ui_table "Networks" headers rows %}', headers=["Name"], rows=[])


def test_table_escapes_cell_content():
    html = render('{% ui_table "T" headers rows %}', headers=["A"], rows=[["<b>x</b>"]])
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def _pagination(url: str, items: int = 30) -> str:
    request = RequestFactory().get(url)
    page = Paginator(list(range(items)), 10).get_page(request.GET.get("page"))
    return Template("{% load ui %}{% ui_pagination page_obj %}").render(Context({"request": request, "page_obj": page}))


def _links(html: str) -> dict[str, dict]:
    """rel -> the query parameters of that link."""
    return {rel: parse_qs(unescape(query)) for query, rel in re.findall(r'href="\?([^"]*)" rel="(prev|next)"', html)}


def test_pagination_keeps_the_other_query_parameters():
    html = _pagination("/zoeken/?q=jeugd&wijk=noord&page=2")
    assert 'aria-current="page"' in html and "Page 2 of 3" in html
    assert _links(html) == {
        "prev": {"q": ["jeugd"], "wijk": ["noord"], "page": ["1"]},
        "next": {"q": ["jeugd"], "wijk": ["noord"], "page": ["3"]},
    }


def test_pagination_on_the_first_page_has_no_previous_link():
    html = _pagination("/zoeken/?q=jeugd")
    assert _links(html) == {"next": {"q": ["jeugd"], "page": ["2"]}}


def test_pagination_hidden_for_a_single_page():
    assert _pagination("/?page=1", items=2).strip() == ""


def test_card_heading_level_and_link():
    html = render('{% ui_card "Plan" "Read your plan." "/plan/" level=3 %}')
    assert (
        '<h3 class="samen-card__title"><a class="utrecht-link utrecht-link--html-a" href="/plan/">Plan</a></h3>' in html
    )
    assert "<h2" in render('{% ui_card "Plan" %}')
    assert "<h2" in render('{% ui_card "Plan" level=7 %}')  # an unknown level falls back to 2


def test_badge_and_alert():
    assert render('{% ui_badge "independent" %}').strip() == (
        '<span class="utrecht-status-badge utrecht-status-badge--neutral">Independent</span>'
    )
    assert "utrecht-status-badge--danger" in render('{% ui_badge "late" "danger" %}')
    assert 'role="alert"' in render('{% ui_alert "error" "Broken" %}')
    assert 'role="status"' in render('{% ui_alert "ok" "Saved" %}')
    assert "utrecht-alert--info" in render('{% ui_alert "nonsense" "Hi" %}')


def test_buttons():
    assert 'type="submit"' in render('{% ui_button "Save" %}')
    assert "utrecht-button--secondary-action" in render('{% ui_button "Back" variant="secondary" %}')
    html = render('{% ui_link_button "/next/" "Next" %}')
    assert 'href="/next/"' in html and "utrecht-button-link--primary-action" in html


def test_table_footer_row():
    html = render(
        '{% ui_table "Types" headers rows numeric_columns=numeric footer=footer %}',
        headers=["Type", "Count"],
        rows=[["Welfare", 7]],
        numeric=(1,),
        footer=["Total", 7],
    )
    footer = re.search(r'<tfoot class="utrecht-table__footer"[^>]*>(.*?)</tfoot>', html, re.DOTALL).group(1)
    assert '<th class="utrecht-table__header-cell" scope="row" role="rowheader">Total</th>' in footer
    assert re.search(r'utrecht-table__cell--numeric-data" role="cell" data-label="[^"]+"><span>7</span></td>', footer)
    assert "<tfoot" not in render('{% ui_table "Types" headers rows %}', headers=["Type"], rows=[["Welfare"]])


# --- bar chart ----------------------------------------------------------------------------------------

CHART_ROWS = [["1 person", 60], ["2 people", 30], ["3 people", "fewer than 5"], ["4 people", 0]]


def _chart(**options) -> str:
    options.setdefault("rows", CHART_ROWS)
    return render(
        '{% ui_bar_chart "Households by size" rows headers description=description footer=footer %}',
        headers=["Household size", "Households"],
        description=options.get("description", ""),
        footer=options.get("footer"),
        rows=options["rows"],
    )


def _svg(html: str) -> str:
    return html[html.index("<svg") : html.index("</svg>") + len("</svg>")]


def test_chart_is_an_image_named_by_its_visible_title_and_described_by_visible_text():
    html = _chart(description="How big households are.")
    svg_tag = re.search(r"<svg [^>]*>", html).group(0)
    assert 'role="img"' in svg_tag
    assert 'aria-labelledby="chart-households-by-size-title"' in svg_tag
    assert 'aria-describedby="chart-households-by-size-description"' in svg_tag
    assert '<h2 class="samen-chart__title" id="chart-households-by-size-title">Households by size</h2>' in html
    description = re.search(
        r'<p class="samen-chart__description" id="chart-households-by-size-description">(.*?)</p>', html
    )
    assert description.group(1) == "How big households are. Under the chart, the same figures are in a table."


def test_chart_scales_with_its_view_box_and_has_no_inline_style():
    svg = _svg(_chart())
    assert 'viewBox="0 0 320 200"' in svg and 'width="100%"' in svg  # four rows of 50 units
    assert "style" not in svg and "<script" not in svg
    assert 'class="samen-chart__bar"' in svg


def test_bars_are_sized_from_the_data():
    svg = _svg(_chart())
    widths = [float(width) for width in re.findall(r'<rect [^>]*width="([0-9.]+)"', svg)]
    assert widths == [248.0, 124.0]  # the largest fills the room left for its number; half is half as long
    assert re.search(r'x="254" y="[0-9.]+" dominant-baseline="central">60</text>', svg)  # the number after it


def test_hidden_and_zero_values_draw_no_bar_and_show_their_text_in_chart_and_table():
    html = _chart()
    svg = _svg(html)
    assert svg.count("<rect") == 2
    hidden_row = re.search(r'<g class="samen-chart__row samen-chart__row--hidden">(.*?)</g>', svg, re.DOTALL).group(1)
    assert "3 people" in hidden_row and ">fewer than 5</text>" in hidden_row and "<rect" not in hidden_row
    assert re.search(r'x="0" y="[0-9.]+" dominant-baseline="central">0</text>', svg)  # zero: no bar, just 0
    table = html[html.index("<table") :]
    assert '<caption class="utrecht-table__caption">Households by size (table)</caption>' in table
    assert re.search(
        r'scope="row" role="rowheader"><span>3 people</span></th><td class="utrecht-table__cell '
        r'utrecht-table__cell--numeric-data" role="cell" data-label="[^"]+"><span>fewer than 5</span></td>',
        table,
    )
    assert re.search(r'numeric-data" role="cell" data-label="[^"]+"><span>60</span></td>', table)


def test_a_small_count_still_shows_a_sliver():
    svg = _svg(_chart(rows=[["many", 100_000], ["one", 1]]))
    assert re.findall(r'<rect [^>]*width="([0-9.]+)"', svg) == ["248", "1"]


def test_chart_coordinates_are_never_localised():
    with translation.override("nl"):
        svg = _svg(_chart(rows=[["a", 3], ["b", 2]]))
    assert 'width="165.3"' in svg and "," not in re.sub(r">[^<]*<", "><", svg)


def test_chart_escapes_labels_and_has_a_table_footer():
    html = _chart(rows=[["<b>x</b>", 5]], footer=["Total", 5])
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<tfoot" in html


def test_chart_without_rows_and_with_another_id_and_level():
    html = render(
        '{% ui_bar_chart "Signals" rows headers level=3 chart_id="signals-week" %}',
        rows=[],
        headers=["Week", "Signals"],
    )
    assert '<h3 class="samen-chart__title" id="signals-week-title">' in html
    # Nothing to draw: no empty picture, a sentence that sends the reader to the table instead.
    assert "<svg" not in html and "too few to draw these figures" in html
    assert "<table" in html

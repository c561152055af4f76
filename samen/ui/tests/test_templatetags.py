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
    assert '<span class="utrecht-status-badge utrecht-status-badge--active">active</span>' in html
    assert 'utrecht-table__cell--numeric-data">7</td>' in html
    assert 'utrecht-table__cell--numeric-data">0</td>' in html
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
        '<span class="utrecht-status-badge utrecht-status-badge--neutral">independent</span>'
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

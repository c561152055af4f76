"""The radar and line chart tags: accessible inline SVG with the same figures in a table, no script, no style."""

import re

import pytest
from django.template import Context, Template
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def render(source: str, **context) -> str:
    return Template("{% load ui %}" + source).render(Context(context))


AXES = ["Finances", "Housing", "Health", "Network"]


def radar(series, **options) -> str:
    context = {"axes": AXES, "series": series, **options}
    extra = " ".join(f"{key}={key}" for key in options)
    return render(f'{{% ui_radar_chart "Self-reliance" axes series "Domain" max_value=5 {extra} %}}', **context)


def _polygons(html: str) -> list[list[tuple[float, float]]]:
    found = re.findall(r'<polygon class="samen-chart__area" points="([^"]+)"', html)
    return [[tuple(float(n) for n in pair.split(",")) for pair in points.split()] for points in found]


def test_the_radar_is_an_image_named_by_its_visible_title_with_a_table():
    html = radar([{"label": "1 Jan 2026", "values": [1, 2, 3, 5]}])
    assert '<svg class="samen-chart__svg samen-chart__svg--wide" role="img"' in html
    assert 'aria-labelledby="chart-self-reliance-title"' in html
    assert 'id="chart-self-reliance-title">Self-reliance</h2>' in html
    assert 'aria-describedby="chart-self-reliance-description"' in html
    assert "Under the chart, the same figures are in a table." in html
    assert '<caption class="utrecht-table__caption">Self-reliance (table)</caption>' in html
    rows = re.findall(r'scope="row" role="rowheader"><span>([^<]+)</span></th>(.*?)</tr>', html)
    assert [(label, re.findall(r"><span>(\d+)</span></td>", cells)) for label, cells in rows] == [
        ("Finances", ["1"]),
        ("Housing", ["2"]),
        ("Health", ["3"]),
        ("Network", ["5"]),
    ]
    assert "<script" not in html and "style=" not in html


def test_radar_geometry():
    html = radar([{"label": "now", "values": [5, 5, 5, 5]}, {"label": "later", "values": [1, None, 3, 0]}])
    full, partial = _polygons(html)
    # A full score reaches the outer ring (radius 150) on each axis: up, right, down, left of the centre.
    assert full == [(300.0, 80.0), (450.0, 230.0), (300.0, 380.0), (150.0, 230.0)]
    # 1 of 5 is a fifth of the way out; no score draws no point on that axis; 0 is the centre.
    assert partial == [(300.0, 200.0), (300.0, 320.0), (300.0, 230.0)]
    assert html.count('class="samen-chart__point"') == 4 + 3
    assert "no score" in html  # the table says so for the missing value


def test_at_most_three_moments_each_with_its_own_pattern_class_and_a_legend():
    series = [{"label": f"moment {n}", "values": [n % 5 + 1] * 4} for n in range(5)]
    html = radar(series)
    assert len(_polygons(html)) == 3
    for number in (1, 2, 3):
        assert f"samen-chart__series--{number}" in html
    assert "samen-chart__series--4" not in html
    assert "moment 0" not in html and "moment 4" in html  # the newest three
    assert html.count('class="samen-chart__legend-item"') == 3


def test_axis_labels_are_drawn_and_wrapped():
    html = render(
        '{% ui_radar_chart "T" axes series "Domain" %}',
        axes=["Taking part in society", "B", "C"],
        series=[{"label": "x", "values": [1, 2, 3]}],
    )
    assert "<tspan" in html and ">Taking part in<" in html and ">society<" in html
    assert 'text-anchor="middle"' in html and 'text-anchor="start"' in html and 'text-anchor="end"' in html


def test_labels_and_titles_are_escaped():
    html = render(
        '{% ui_radar_chart title axes series "<b>" %}{% ui_line_chart title labels series "<b>" %}',
        title="<script>alert(1)</script>",
        axes=["<img src=x>", "b", "c"],
        labels=["<i>day</i>"],
        series=[{"label": "<u>now</u>", "values": [1, 2, 3]}],
    )
    assert "<script>" not in html and "<img" not in html and "<u>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x&gt;" in html


@pytest.mark.parametrize("series", [[], [None]])
def test_no_data_shows_the_empty_text_and_no_chart(series):
    html = render(
        '{% ui_radar_chart "T" axes series "Domain" empty="Nothing yet." %}'
        '{% ui_line_chart "L" labels series "Date" empty="No trend yet." %}',
        axes=AXES,
        labels=[],
        series=series,
    )
    assert "Nothing yet." in html and "No trend yet." in html
    assert "<svg" not in html and "<table" not in html


def test_the_line_chart_geometry_and_table():
    html = render(
        '{% ui_line_chart "Finances over time" labels series "Date" min_value=1 max_value=5 %}',
        labels=["Jan", "Apr", "Jul"],
        series=[{"label": "Finances", "values": [1, 3, 5]}],
    )
    (points,) = re.findall(r'<polyline class="samen-chart__line" points="([^"]+)"', html)
    # Left edge at x 44, right edge at 576; 1 at the bottom (y 256), 5 at the top (y 16).
    assert points == "44,256 310,136 576,16"
    assert 'role="img"' in html and 'aria-labelledby="chart-finances-over-time-title"' in html
    rows = re.findall(r'scope="row" role="rowheader"><span>([^<]+)</span></th><td[^>]*><span>([^<]+)</span></td>', html)
    assert rows == [("Jan", "1"), ("Apr", "3"), ("Jul", "5")]
    assert re.findall(r'dominant-baseline="central">(\d+)</text>', html) == ["1", "2", "3", "4", "5"]


def test_a_gap_in_a_line_and_a_single_point():
    html = render(
        '{% ui_line_chart "T" labels series "Date" max_value=10 %}',
        labels=["a", "b", "c", "d", "e"],
        series=[{"label": "x", "values": [1, 2, None, 4, 5]}, {"label": "y", "values": [None, None, 7]}],
    )
    assert len(re.findall(r"<polyline", html)) == 2  # x: two pieces; y: one point, no line
    assert html.count("samen-chart__point") == 5
    assert "no score" in html
    assert "samen-chart__series--2" in html


def test_many_moments_show_a_few_date_labels_and_every_row_in_the_table():
    labels = [f"m{n}" for n in range(12)]
    html = render(
        '{% ui_line_chart "T" labels series "Date" %}', labels=labels, series=[{"label": "x", "values": [3] * 12}]
    )
    drawn = re.findall(r'<text class="samen-chart__axis-label[^"]*"[^>]*>([^<]+)</text>', html)
    # A phone shows the first and the last date only (the others are hidden there by samen.css).
    ends = re.findall(r'<text class="samen-chart__axis-label samen-chart__axis-label--end"[^>]*>([^<]+)</text>', html)
    assert ends == ["m0", "m11"]
    assert 2 <= len(drawn) <= 6 and drawn[0] == "m0" and drawn[-1] == "m11"
    assert len(re.findall(r'scope="row"', html)) == 12


def test_coordinates_are_never_localised():
    with translation.override("nl"):
        html = render(
            '{% ui_line_chart "T" labels series "Datum" %}',
            labels=["a", "b", "c"],
            series=[{"label": "x", "values": [1, 2, 3]}],
        )
    points = re.findall(r'points="([^"]+)"', html)
    assert points and all("," in p and not re.search(r"\d,\d+,", p.split()[0]) for p in points)


def test_diverging_bars_put_disagreeing_left_and_agreeing_right_of_the_centre():
    from samen.ui.templatetags.ui import CHART_WIDTH, DIVERGING_HALF, ui_diverging_bars

    rows = [{"label": "1. Vertrouwen", "negative": 0.2, "neutral": 0.2, "positive": 0.6}, {"label": "12. Ambitie"}]
    chart = ui_diverging_bars("Per vraag", rows, ["Vraag", "Oneens", "Midden", "Eens"], hidden_text="minder dan 5")
    centre = CHART_WIDTH / 2
    shown, hidden = chart["bars"]
    # The middle answer straddles the centre; disagreeing ends left of it, agreeing starts right of it.
    assert float(shown["neutral_x"]) == centre - DIVERGING_HALF * 0.1
    assert float(shown["negative_x"]) + float(shown["negative_width"]) == float(shown["neutral_x"])
    assert float(shown["positive_x"]) == centre + DIVERGING_HALF * 0.1
    assert float(shown["positive_width"]) == DIVERGING_HALF * 0.6
    assert not hidden["shown"]
    assert chart["rows"] == [["1. Vertrouwen", "20%", "20%", "60%"], ["12. Ambitie"] + ["minder dan 5"] * 3]
    html = render(
        '{% ui_diverging_bars "Per vraag" rows headers hidden_text="minder dan 5" %}',
        rows=rows,
        headers=["Vraag", "Oneens", "Midden", "Eens"],
    )
    assert 'role="img"' in html and "minder dan 5" in html and "<table" in html


def test_the_heatmap_writes_every_number_and_shades_by_size_and_direction():
    from samen.ui.templatetags.ui import ui_heatmap

    with translation.override("nl"):
        chart = ui_heatmap(
            "Verschillen",
            ["Wijkteam", "Jeugdhulp"],
            [{"label": "Vertrouwen", "values": [0.3, -1.0]}, {"label": "Belangen", "values": [0.0, None]}],
            "Thema",
            missing="-",
        )
    cells = [cell for cell in chart["cells"] if "kind" in cell]
    assert [(cell["text"], cell["kind"], cell["step"]) for cell in cells] == [
        ("+0,3", "above", 2),
        ("-1,0", "below", 4),
        ("0,0", "same", 0),
        ("-", "none", 0),
    ]
    assert chart["rows"] == [["Vertrouwen", "+0,3", "-1,0"], ["Belangen", "0,0", "-"]]

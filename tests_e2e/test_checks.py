"""The page checks of ``tests_e2e/checks.py`` catch what they claim to, and pass what is fine.

Hand-written pages (``page.set_content`` on about:blank: no app, no CSP, no database), one case per claim:
the purple link-button of issue 8, large and small text at 3.2:1, tiny chart labels, a table clipped by its
scroll container, a broken word, a gradient background.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests_e2e.checks import (
    assert_no_clipped_text,
    assert_readable_contrast,
    clipping_problems,
    readability_problems,
)
from tests_e2e.helpers import DESKTOP, VIEWPORTS, check_page


@pytest.fixture
def blank(browser) -> Iterator:
    """A page of its own at 1280 px, without the live server: these tests bring their own HTML."""
    context = browser.new_context(viewport=VIEWPORTS[DESKTOP])
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def show(page, body: str, *, style: str = "") -> None:
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Checks</title>'
        f"<style>body {{ font: 16px/1.5 sans-serif; margin: 8px; }} {style}</style></head>"
        f"<body><main>{body}</main></body></html>"
    )


def checks_of(problems) -> list[str]:
    return [problem.check for problem in problems]


# --- contrast --------------------------------------------------------------------------------------


def test_dark_blue_link_button_on_purple_fails_with_selector_colours_ratio_and_width(blank):
    show(
        blank,
        '<a class="button-link" href="#x">Nieuw plan</a>',
        style=".button-link { display: inline-block; padding: 8px 16px; color: #1a237e; background: #5b21b6; }",
    )

    with pytest.raises(AssertionError) as excinfo:
        assert_readable_contrast(blank)

    message = str(excinfo.value)
    assert 'a.button-link "Nieuw plan"' in message
    assert "#1a237e on #5b21b6 is 1.47:1, needs 4.5:1" in message
    assert "at 1280 px" in message


def test_white_link_button_on_purple_passes(blank):
    show(
        blank,
        '<a class="button-link" href="#x">Nieuw plan</a>',
        style=".button-link { display: inline-block; padding: 8px 16px; color: #fff; background: #5b21b6; }",
    )

    assert_readable_contrast(blank)


def test_large_or_bold_text_needs_3_to_1_and_small_text_4_5_to_1(blank):
    # #8f8f8f on white is 3.23:1.
    show(
        blank,
        '<h1 id="large">Groot</h1><p id="bold-large">Vet en groot</p>'
        '<p id="small">Klein</p><p id="bold-small">Vet maar klein</p><p id="almost">Groot genoeg? Niet vet.</p>',
        style="main p, main h1 { color: #8f8f8f; } #large { font-size: 24px; font-weight: 400; }"
        " #bold-large { font-size: 19px; font-weight: 700; } #bold-small { font-size: 18px; font-weight: 700; }"
        " #almost { font-size: 19px; }",
    )

    failing = {problem.selector: problem.detail for problem in readability_problems(blank)}

    assert set(failing) == {"p#small", "p#bold-small", "p#almost"}
    assert "is 3.23:1, needs 4.5:1" in failing["p#small"]


def test_aria_hidden_text_counts_and_hidden_text_does_not(blank):
    show(
        blank,
        '<p aria-hidden="true" id="decorative">Zichtbaar</p>'
        '<p class="grey" style="display: none">Niet getoond</p>'
        '<p class="grey" style="visibility: hidden">Onzichtbaar</p>'
        '<div style="opacity: 0"><p class="grey">Doorzichtig</p></div>'
        '<span class="visually-hidden grey">Alleen voor schermlezers</span>',
        style=".grey, #decorative { color: #ccc; } .visually-hidden { position: absolute; width: 1px; height: 1px;"
        " overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }",
    )

    problems = readability_problems(blank)

    assert [problem.selector for problem in problems] == ["p#decorative"]


def test_transparency_of_text_and_backgrounds_is_composited(blank):
    show(
        blank,
        '<div class="dim"><p id="faded">Half doorzichtig wit op zwart</p></div>'
        '<div class="veil"><p id="veiled">Zwart op half zwart</p></div>',
        style=".dim { background: #000; } #faded { color: #fff; opacity: 0.3; }"
        " .veil { background: rgba(0, 0, 0, 0.6); } #veiled { color: #000; }",
    )

    failing = {problem.selector: problem.detail for problem in readability_problems(blank)}

    assert set(failing) == {"p#faded", "p#veiled"}
    assert "#4d4d4d (#ffffff at 30% opacity) on #000000" in failing["p#faded"]
    assert "#000000 on #666666" in failing["p#veiled"]


def test_form_field_value_and_placeholder_count(blank):
    show(
        blank,
        '<label for="name">Naam</label><input id="name" value="Fatima">'
        '<label for="search">Zoek</label><input id="search" placeholder="Zoek een huishouden">',
        style="#name { color: #bbb; } #search::placeholder { color: #ccc; }",
    )

    failing = {problem.selector: problem.text for problem in readability_problems(blank)}

    assert failing == {"input#name": "Fatima", "input#search": "Zoek een huishouden"}


def test_text_over_a_gradient_fails_as_contrast_unknown(blank):
    show(
        blank,
        '<div class="hero"><p>Welkom</p></div>',
        style=".hero { background-image: linear-gradient(#5b21b6, #1a237e); color: #fff; }",
    )

    with pytest.raises(AssertionError, match=r'div\.hero > p "Welkom": background image, contrast unknown'):
        assert_readable_contrast(blank)


# --- text size -------------------------------------------------------------------------------------

CHART = (
    '<svg viewBox="0 0 400 200" width="{width}" role="img" aria-label="Grafiek">'
    '<rect width="400" height="200" fill="#fff"/><text x="10" y="100" font-size="{size}" fill="#000">Financiën</text>'
    "</svg>"
)


@pytest.mark.parametrize(
    ("width", "size", "rendered"),
    [(400, 6, "6.0"), (200, 12, "6.0")],
    ids=["6px-label", "12px-label-drawn-at-half-size"],
)
def test_tiny_svg_label_fails(blank, width, size, rendered):
    show(blank, CHART.format(width=width, size=size))

    problems = readability_problems(blank)

    assert checks_of(problems) == ["text size"]
    assert problems[0].text == "Financiën"
    assert f"renders at {rendered} px" in problems[0].detail


def test_14px_svg_label_passes(blank):
    show(blank, CHART.format(width=400, size=14))

    assert_readable_contrast(blank)


def test_small_html_text_fails(blank):
    show(blank, "<p><small>Bijgewerkt op 3 maart</small></p>", style="small { font-size: 10px; }")

    problems = readability_problems(blank)

    assert checks_of(problems) == ["text size"]
    assert "renders at 10.0 px, needs at least 12 px" in problems[0].detail


# --- clipping and broken words ---------------------------------------------------------------------

TABLE = (
    '<div class="scroller"><table><thead><tr><th>Huishouden</th><th>Wijk</th><th>Regisseur</th></tr></thead>'
    "<tbody><tr><td>Familie Bakker</td><td>Noord</td><td>Sanne de Vries</td></tr></tbody></table></div>"
)


def test_table_clipped_by_its_scroll_container_fails(blank):
    show(blank, TABLE, style=".scroller { width: 200px; overflow-x: auto; } td, th { padding: 4px 24px; }")

    with pytest.raises(AssertionError) as excinfo:
        assert_no_clipped_text(blank)

    message = str(excinfo.value)
    assert '"Regisseur": hidden by main > div.scroller (overflow: auto' in message
    assert "past the right edge" in message


def test_table_that_fits_its_container_passes(blank):
    show(blank, TABLE, style=".scroller { width: 600px; overflow-x: auto; } td, th { padding: 4px; }")

    assert_no_clipped_text(blank)


def test_ellipsis_fails(blank):
    show(
        blank,
        '<p class="short">Familie Bakker-van der Heijden uit Noord</p>',
        style=".short { width: 120px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }",
    )

    problems = clipping_problems(blank)

    assert checks_of(problems) == ["clipped text"]
    assert "cut off by main > p.short (overflow: hidden, text-overflow: ellipsis)" in problems[0].detail


def test_word_broken_across_lines_fails(blank):
    show(blank, '<p class="narrow">Zelfredzaamheidsmatrix</p>', style=".narrow { width: 80px; word-break: break-all; }")

    problems = clipping_problems(blank)

    assert checks_of(problems) == ["broken word"]
    assert 'the word "Zelfredzaamheidsmatrix" is broken over' in problems[0].detail


def test_e_mail_address_may_wrap_and_hyphens_may_break(blank):
    show(
        blank,
        '<p class="narrow">Mail netwerkcoordinator@demo.samen.test</p><p class="narrow">ZRM-scores-overzicht</p>',
        style=".narrow { width: 90px; overflow-wrap: anywhere; }",
    )
    heights = blank.eval_on_selector_all(".narrow", "(els) => els.map((el) => el.getBoundingClientRect().height)")
    assert min(heights) > 40, "both paragraphs wrap"

    assert_no_clipped_text(blank)


def test_clipping_ignores_absolutely_positioned_text_outside_its_clipping_ancestor(blank):
    # The label escapes the overflow:hidden box: its containing block is the positioned <main>.
    show(
        blank,
        '<div class="box"><span class="label">Buiten het vak</span></div>',
        style="main { position: relative; } .box { width: 50px; height: 20px; overflow: hidden; }"
        " .label { position: absolute; top: 40px; left: 0; white-space: nowrap; }",
    )

    assert_no_clipped_text(blank)


# --- check_page ------------------------------------------------------------------------------------


def test_check_page_reports_every_check_at_both_widths(blank):
    show(
        blank,
        '<h1>Pagina</h1><a class="button-link" href="#x">Nieuw plan</a>' + TABLE,
        style=".button-link { color: #1a237e; background: #5b21b6; }"
        " .scroller { max-width: 100%; overflow-x: auto; } td, th { padding: 4px 40px; }",
    )

    with pytest.raises(AssertionError) as excinfo:
        check_page(blank)

    message = str(excinfo.value)
    assert "at 1280 px, contrast:" in message
    assert "at 360 px, contrast:" in message
    assert "at 360 px, clipped text:" in message
    assert "at 1280 px, clipped text:" not in message  # clipping is a 360 px check
    assert blank.viewport_size == VIEWPORTS[DESKTOP]

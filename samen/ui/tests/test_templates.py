"""Every template in the project obeys the strict Content Security Policy: no inline script or style."""

import re
from pathlib import Path

import pytest

SAMEN = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(SAMEN.glob("*/templates/**/*.html"))

SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL)
JAVASCRIPT_URL = re.compile(r"""\b(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def test_templates_are_found():
    names = {path.relative_to(SAMEN).as_posix() for path in TEMPLATES}
    assert "ui/templates/ui/base.html" in names
    assert "home/templates/home/citizen.html" in names


def problems(text: str) -> list[str]:
    found = []
    found += [f"inline <script>: {tag}" for tag in SCRIPT_TAG.findall(text) if not re.search(r"\ssrc\s*=", tag)]
    found += ["style= attribute" for _ in STYLE_ATTRIBUTE.findall(text)]
    found += ["<style> element" for _ in STYLE_ELEMENT.findall(text)]
    found += ["inline event handler (on...=)" for _ in EVENT_HANDLER.findall(text)]
    found += ["javascript: URL" for _ in JAVASCRIPT_URL.findall(text)]
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<div style="color: red">',
        "<p\n  style='x'>",
        "<style>p{}</style>",
        '<button onclick="go()">',
        '<a href="javascript:go()">',
    ],
)
def test_the_scan_catches_inline_code(snippet):
    assert problems(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/samen/samen.js" defer></script>',
        '<p class="onafhankelijk">',
        "<p>styles on ones</p>",
        '<a href="/javascript-cursus/">',
    ],
)
def test_the_scan_allows_what_csp_allows(snippet):
    assert not problems(snippet)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(SAMEN).as_posix())
def test_no_inline_script_or_style(path):
    assert problems(path.read_text(encoding="utf-8")) == []

"""Browser checks computed from the rendered page, for what axe-core cannot decide (axe stays in ``axe.py``).

axe reports text on a background it cannot resolve (a purple link-button, a badge inside a flex item) as
"incomplete", not as a violation, and it says nothing about clipped text or tiny chart labels. These checks
measure what a sighted visitor gets:

- ``assert_readable_contrast``: every visible text (text nodes, SVG ``<text>``, the value or placeholder of a
  form field) has WCAG 2.x contrast against the background composited from its ancestors (4.5:1, or 3:1 for
  large text), and renders at 12 px or more on screen. Text over a background image or gradient fails as
  "contrast unknown": a check that cannot decide must not pass.
- ``assert_no_clipped_text`` (used at 360 px): no visible text reaches outside the visible box of an ancestor
  that clips it (overflow hidden/clip/auto/scroll: a table that scrolls inside its container and hides
  columns, an ellipsis), and no word is broken across two lines.

Both run one script in the page (``page.evaluate``, outside the page's Content Security Policy) and fail once
with every problem found: a readable selector, the text, why, and the viewport width.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

# Helpers shared by both scripts: which text is visible, its colours, a readable selector.
_COMMON_JS = r"""
  const styles = new Map();
  const style = (el) => {
    let cs = styles.get(el);
    if (!cs) {
      cs = getComputedStyle(el);
      styles.set(el, cs);
    }
    return cs;
  };

  // Any CSS colour (rgb(), oklch(), color-mix(), named) to sRGB 0-255 and alpha 0-1, through a 1x1 canvas.
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const colours = new Map();
  const parseColour = (value) => {
    if (colours.has(value)) return colours.get(value);
    let colour;
    const match = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)\s*(?:[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(value);
    if (match) {
      let alpha = match[4] === undefined ? 1 : parseFloat(match[4]);
      if (match[5]) alpha /= 100;
      colour = {r: +match[1], g: +match[2], b: +match[3], a: alpha};
    } else {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "#000";
      ctx.fillStyle = value;
      ctx.fillRect(0, 0, 1, 1);
      const data = ctx.getImageData(0, 0, 1, 1).data;
      colour = {r: data[0], g: data[1], b: data[2], a: data[3] / 255};
    }
    colours.set(value, colour);
    return colour;
  };

  // A readable selector: tag, id or (at most two) classes, position among siblings of the same tag. Rows, cells
  // and list items are told apart by position; their classes repeat the table's.
  const PLAIN = new Set(["thead", "tbody", "tfoot", "tr", "td", "th", "caption", "li", "tspan"]);
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) return `${name}#${CSS.escape(el.id)}`;
    const written = PLAIN.has(name) ? "" : el.getAttribute("class") || "";
    const classes = written.trim().split(/\s+/).filter(Boolean).slice(0, 2);
    if (classes.length) name += "." + classes.map((c) => CSS.escape(c)).join(".");
    const parent = el.parentElement;
    if (parent) {
      const same = Array.from(parent.children).filter((child) => child.tagName === el.tagName);
      if (same.length > 1) name += `:nth-of-type(${same.indexOf(el) + 1})`;
    }
    return name;
  };
  const selector = (el) => {
    const parts = [];
    const top = document.body;
    for (let node = el; node && node !== top && node !== document.documentElement; node = node.parentElement) {
      parts.unshift(describe(node));
      if (node.id) break;
      if (parts.length >= 5 && node.parentElement !== document.body) {
        parts.unshift("…");
        break;
      }
    }
    return parts.join(" > ") || describe(el);
  };
  const shorten = (text, limit = 60) => {
    const flat = text.replace(/\s+/g, " ").trim();
    return flat.length > limit ? flat.slice(0, limit - 1) + "…" : flat;
  };

  // Product of the opacity of the element and its ancestors.
  const opacities = new Map();
  const opacity = (el) => {
    if (!el || el.nodeType !== 1) return 1;
    if (opacities.has(el)) return opacities.get(el);
    const value = parseFloat(style(el).opacity) * opacity(el.parentElement);
    opacities.set(el, value);
    return value;
  };

  // Visually hidden (the screen-reader-only pattern): an ancestor that clips its content to at most 1 px.
  const hiders = new Map();
  const visuallyHidden = (el) => {
    if (!el || el.nodeType !== 1) return false;
    if (hiders.has(el)) return hiders.get(el);
    const cs = style(el);
    let hidden = false;
    if (cs.overflowX !== "visible" || cs.overflowY !== "visible" || cs.clip !== "auto" || cs.clipPath !== "none") {
      const box = el.getBoundingClientRect();
      hidden = box.width <= 1 || box.height <= 1 || /^inset\(\s*50%/.test(cs.clipPath) ||
        /rect\(0px,? 0px,? 0px,? 0px\)/.test(cs.clip);
    }
    hidden = hidden || visuallyHidden(el.parentElement);
    hiders.set(el, hidden);
    return hidden;
  };

  // Seen by a sighted visitor: rendered, not visibility:hidden, not transparent anywhere up the tree, not
  // clipped away, somewhere on the page (the skip link waits above it until it gets focus). aria-hidden text is
  // still read by the eye, so it counts.
  const shown = (el) => {
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true})) {
      return false;
    }
    if (style(el).visibility !== "visible" || opacity(el) <= 0 || visuallyHidden(el)) return false;
    return true;
  };
  const onPage = (rects) =>
    rects.some((rect) => rect.right + window.scrollX > 0 && rect.bottom + window.scrollY > 0);
  const rectsOf = (rangeOrElement) =>
    Array.from(rangeOrElement.getClientRects()).filter((rect) => rect.width > 0 && rect.height > 0);

  const SKIP = new Set([
    "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "SELECT", "OPTION", "OPTGROUP", "TITLE", "DESC",
  ]);
  // Every visible, non-whitespace text node: {node, el (its parent element), rects}.
  const visibleTexts = () => {
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: (node) => (/\S/.test(node.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
    });
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || SKIP.has(el.tagName.toUpperCase()) || el.closest("svg title, svg desc, svg defs")) continue;
      if (!shown(el)) continue;
      range.selectNodeContents(node);
      const rects = rectsOf(range);
      if (!rects.length || !onPage(rects)) continue;
      found.push({node, el, rects});
    }
    return found;
  };
"""

_READABILITY_JS = (
    "() => {"
    + _COMMON_JS
    + r"""
  const MIN_SIZE = 12;
  const hex = (c) => "#" + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const channel = (v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };

  // The background behind el's text: the background colours of el and its ancestors composited onto the white
  // canvas, each with the opacity of its subtree. A background image (url or gradient) on the way, before an
  // opaque colour covers it, makes the background unknown.
  const backgrounds = new Map();
  const background = (el) => {
    if (backgrounds.has(el)) return backgrounds.get(el);
    const layers = [];
    let result = null;
    for (let node = el; node; node = node.parentElement) {
      const cs = style(node);
      if (cs.backgroundImage && cs.backgroundImage !== "none") {
        const image = cs.backgroundImage.match(/^[a-z-]+/)?.[0] || "image";
        result = {unknown: `${image} on ${selector(node)}`};
        break;
      }
      const colour = parseColour(cs.backgroundColor);
      const alpha = colour.a * opacity(node);
      if (alpha > 0) {
        layers.push({...colour, a: Math.min(1, alpha)});
        if (alpha >= 1) break;
      }
    }
    if (!result) {
      let colour = {r: 255, g: 255, b: 255, a: 1};
      for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
      result = {colour};
    }
    backgrounds.set(el, result);
    return result;
  };

  // One problem per element, check and reason (an element's text nodes share its colours and size).
  const problems = [];
  const reported = new Map();
  const report = (el, check, text, detail) => {
    const known = reported.get(el) || new Set();
    reported.set(el, known);
    if (known.has(check + detail)) return;
    known.add(check + detail);
    problems.push({check, selector: selector(el), text: shorten(text), detail});
  };

  // One text: contrast of its colour against its background, and its size on screen.
  const check = (el, text, colourValue, extraAlpha, backgroundEl, renderedSize, sizeNote) => {
    const cs = style(el);
    const size = parseFloat(cs.fontSize);
    const weight = parseInt(cs.fontWeight, 10) || 400;
    const shownSize = renderedSize ?? size;
    if (shownSize < MIN_SIZE - 0.01) {
      const how = `renders at ${shownSize.toFixed(1)} px${sizeNote || ""}, needs at least ${MIN_SIZE} px`;
      report(el, "text size", text, how);
    }
    const large = shownSize >= 24 || (shownSize >= 18.66 && weight >= 700);
    const needed = large ? 3 : 4.5;
    const kind = `${Math.round(shownSize * 10) / 10} px, weight ${weight}, ${large ? "large" : "normal"} text`;
    const back = background(backgroundEl);
    if (back.unknown) {
      report(el, "contrast", text, `background image, contrast unknown (${back.unknown}; ${kind}, needs ${needed}:1)`);
      return;
    }
    if (/^url\(/.test(colourValue)) {
      report(el, "contrast", text, `text painted with ${colourValue.slice(0, 40)}, contrast unknown`);
      return;
    }
    const raw = parseColour(colourValue);
    const alpha = raw.a * extraAlpha * opacity(el);
    const fore = over({...raw, a: Math.min(1, alpha)}, back.colour);
    const value = ratio(fore, back.colour);
    if (value < needed) {
      const seeThrough = alpha < 1 ? ` (${hex(raw)} at ${Math.round(alpha * 100)}% opacity)` : "";
      report(
        el,
        "contrast",
        text,
        `${hex(fore)}${seeThrough} on ${hex(back.colour)} is ${value.toFixed(2)}:1, needs ${needed}:1 (${kind})`,
      );
    }
  };

  for (const {node, el} of visibleTexts()) {
    if (el instanceof SVGElement) {
      const cs = style(el);
      if (cs.fill === "none") continue;
      const matrix = el.getScreenCTM && el.getScreenCTM();
      const scale = matrix ? Math.hypot(matrix.c, matrix.d) : 1;
      const size = parseFloat(cs.fontSize);
      const note = Math.abs(scale - 1) > 0.01 ? ` (font-size ${size} px x scale ${scale.toFixed(2)})` : "";
      check(el, node.data, cs.fill, parseFloat(cs.fillOpacity), el, size * scale, note);
    } else {
      check(el, node.data, style(el).color, 1, el, null, "");
    }
  }

  // What form fields show: the value, or the placeholder (in its own colour) when there is no value.
  const NO_TEXT = new Set(["hidden", "checkbox", "radio", "file", "range", "color", "image"]);
  for (const field of document.querySelectorAll("input, textarea, select")) {
    if (field.tagName === "INPUT" && NO_TEXT.has(field.type)) continue;
    if (!shown(field) || !rectsOf(field).length) continue;
    let text = "";
    let colour = style(field).color;
    if (field.tagName === "SELECT") {
      text = field.selectedOptions.length ? field.selectedOptions[0].text : "";
    } else if (field.value) {
      text = field.type === "password" ? "•".repeat(field.value.length) : field.value;
    } else if (field.placeholder) {
      text = field.placeholder;
      colour = getComputedStyle(field, "::placeholder").color;
    }
    if (!/\S/.test(text)) continue;
    check(field, text, colour, 1, field, null, "");
  }
  return problems;
}"""
)

_CLIPPING_JS = (
    "() => {"
    + _COMMON_JS
    + r"""
  const problems = [];
  const px = (value) => Math.round(value);
  const CLIPS = new Set(["hidden", "clip", "auto", "scroll"]);

  // The ancestors whose overflow clips el's content, nearest first. An absolutely positioned element escapes
  // the ancestors below its containing block, a fixed one all of them (unless a transform makes a new one).
  const clippers = (el) => {
    const found = [];
    let escaping = "";
    const top = document.body;
    for (let node = el; node && node !== top && node !== document.documentElement; node = node.parentElement) {
      const cs = style(node);
      if (node !== el && escaping) {
        const containing = cs.transform !== "none" || cs.filter !== "none" || cs.contain.includes("paint") ||
          (escaping === "absolute" && cs.position !== "static");
        if (!containing) continue;
        escaping = "";
      }
      const clipsX = CLIPS.has(cs.overflowX);
      const clipsY = CLIPS.has(cs.overflowY);
      if ((clipsX || clipsY) && !/^(inline|contents)$/.test(cs.display)) found.push({node, cs, clipsX, clipsY});
      if (cs.position === "absolute" || cs.position === "fixed") escaping = cs.position;
    }
    return found;
  };

  const lines = (rects) => {
    const tops = [];
    for (const rect of rects) {
      if (!tops.some((top) => Math.abs(top.y - rect.top) < Math.min(top.h, rect.height) / 2)) {
        tops.push({y: rect.top, h: rect.height});
      }
    }
    return tops.length;
  };

  const range = document.createRange();
  for (const {node, el, rects} of visibleTexts()) {
    // Cut off by a clipping ancestor: a rectangle of the text outside the ancestor's visible (padding) box.
    for (const {node: box, cs, clipsX, clipsY} of clippers(el)) {
      const outer = box.getBoundingClientRect();
      const left = outer.left + box.clientLeft;
      const top = outer.top + box.clientTop;
      const right = left + box.clientWidth;
      const bottom = top + box.clientHeight;
      const cut = [];
      for (const rect of rects) {
        const slack = rect.height * 0.2; // the font's ascent and descent may poke out of a tight line box
        if (clipsX && rect.right > right + 1) {
          cut.push(`reaches ${px(rect.right)} px, past the right edge at ${px(right)} px`);
        } else if (clipsX && rect.left < left - 1) {
          cut.push(`starts at ${px(rect.left)} px, before the left edge at ${px(left)} px`);
        } else if (clipsY && rect.bottom > bottom + slack) {
          cut.push(`reaches ${px(rect.bottom)} px, below the bottom edge at ${px(bottom)} px`);
        } else if (clipsY && rect.top < top - slack) {
          cut.push(`starts at ${px(rect.top)} px, above the top edge at ${px(top)} px`);
        }
      }
      if (cut.length) {
        const hidden = rects.every(
          (rect) => rect.left >= right || rect.right <= left || rect.top >= bottom || rect.bottom <= top,
        );
        const overflow =
          cs.overflowX === cs.overflowY ? cs.overflowX : `overflow-x: ${cs.overflowX}, overflow-y: ${cs.overflowY}`;
        const ellipsis = cs.textOverflow === "ellipsis" ? ", text-overflow: ellipsis" : "";
        problems.push({
          check: "clipped text",
          selector: selector(el),
          text: shorten(node.data),
          detail: `${hidden ? "hidden" : "cut off"} by ${selector(box)} (overflow: ${overflow}${ellipsis}): ${cut[0]}`,
        });
        break;
      }
    }

    // A word broken across two lines. Only a text node on more than one line can hold one.
    if (rects.length < 2 || lines(rects) < 2) continue;
    for (const token of node.data.matchAll(/\S+/g)) {
      if (/[@\/._]/.test(token[0])) continue; // e-mail addresses, URLs, file names may wrap
      for (const word of token[0].matchAll(/[\p{L}\p{M}\p{N}]{2,}/gu)) {
        const start = token.index + word.index;
        range.setStart(node, start);
        range.setEnd(node, start + word[0].length);
        const wordRects = rectsOf(range);
        if (wordRects.length < 2 || lines(wordRects) < 2) continue;
        const parts = [];
        let current = "";
        let currentTop = null;
        for (let i = 0; i < word[0].length; i++) {
          range.setStart(node, start + i);
          range.setEnd(node, start + i + 1);
          const letter = range.getBoundingClientRect();
          if (currentTop !== null && Math.abs(letter.top - currentTop) > letter.height / 2) {
            parts.push(current);
            current = "";
          }
          currentTop = letter.top;
          current += word[0][i];
        }
        parts.push(current);
        problems.push({
          check: "broken word",
          selector: selector(el),
          text: shorten(node.data),
          detail: `the word "${word[0]}" is broken over ${parts.length} lines: ` +
            parts.map((part) => `"${part}"`).join(" | "),
        });
      }
    }
  }
  return problems;
}"""
)


@dataclass(frozen=True)
class TextProblem:
    """One text a visitor cannot read well: which check, where (a CSS selector), what it says, and why."""

    check: str  # "contrast", "text size", "clipped text" or "broken word"
    selector: str
    text: str
    detail: str

    def __str__(self) -> str:
        return f'{self.check}: {self.selector} "{self.text}": {self.detail}'


def _problems(page: Page, script: str) -> list[TextProblem]:
    return [TextProblem(**item) for item in page.evaluate(script)]


def readability_problems(page: Page) -> list[TextProblem]:
    """Contrast and rendered text size of every visible text on the page, as it is laid out now."""
    return _problems(page, _READABILITY_JS)


def clipping_problems(page: Page) -> list[TextProblem]:
    """Visible text cut off by a clipping ancestor, and words broken across two lines.

    Tokens with "@", "/", "." or "_" (e-mail addresses, URLs, file names) may wrap anywhere; a word split at
    a hyphen is two words on their own lines, which is fine.
    """
    return _problems(page, _CLIPPING_JS)


def format_problems(problems: list[TextProblem], *, title: str, page: Page) -> str:
    width = (page.viewport_size or {}).get("width")
    lines = [f"{title} on {page.url} at {width} px ({len(problems)}):"]
    lines.extend(f"  - {problem}" for problem in problems)
    return "\n".join(lines)


def assert_readable_contrast(page: Page) -> None:
    """Every visible text has enough contrast and renders at 12 px or more; fail once listing every text that
    does not.

    Contrast: WCAG 2.x (relative luminance), 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). The text
    colour (``fill`` for SVG text) counts its alpha and the opacity of its ancestors; the background is the
    background colours of the ancestors composited onto the white canvas. An ancestor's background image or
    gradient makes the contrast unknown, which fails too ("background image, contrast unknown"). Form fields
    count with their value, or their placeholder when empty. Hidden text is skipped (display:none,
    visibility:hidden, opacity 0 up the tree, zero size, visually hidden, off the page); aria-hidden text is not.

    Size: the font size on screen; for SVG text, font-size times the scale of the SVG (a 12 px label in a chart
    drawn at half its viewBox renders at 6 px).
    """
    problems = readability_problems(page)
    if problems:
        raise AssertionError(format_problems(problems, title="Text that is hard to read", page=page))


def assert_no_clipped_text(page: Page) -> None:
    """No visible text is cut off and no word is broken across lines; fail once listing every case (at 360 px).

    Cut off: a rectangle of a text node outside the padding box of an ancestor whose overflow clips (hidden,
    clip, auto or scroll, in either axis): the columns of a table that scrolls inside its container, text
    behind overflow:hidden or text-overflow:ellipsis. Broken: a word of letters or digits split over two line
    boxes. Exceptions: tokens (no spaces) containing "@", "/", "." or "_" — e-mail addresses, URLs and file
    names may have to wrap — and words split at a hyphen, a normal place to break.
    """
    problems = clipping_problems(page)
    if problems:
        raise AssertionError(format_problems(problems, title="Text that is cut off or broken", page=page))

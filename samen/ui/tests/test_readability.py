"""Citizen pages use words a B1 reader knows: Flesch–Douma of at least 60 for the running text of every page.

The pages are the ones a resident reaches in the demo municipality (10 households, seed 2026), in Dutch: after
logging in as the demo citizen, every page found by following the links from the home page (one page per URL
shape: numbers in the path are alike, the query is ignored; never logging out, switching language, the support
admin or downloading a document); before logging in, the login page, the pages its links lead to, and the
password-reset journey (the form, "sent", the link from the mail, "done"). Run with ``-s`` to see the figures of
every page; a failure lists the hardest sentences of each page below the line. How the text is counted:
``samen/ui/readability.py``.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from samen.core.actor import Role
from samen.demo.logins import DEMO_LOGINS, DEMO_PASSWORD
from samen.ui.readability import (
    MINIMUM_SCORE,
    MINIMUM_WORDS,
    Reading,
    flesch_douma,
    read_blocks,
    read_page,
    running_text,
    split_sentences,
    syllables,
    words,
)

LOGIN_PATH = "/account/inloggen/"
RESET_PATH = "/account/wachtwoord-vergeten/"
NEW_PASSWORD = "een lange zin die ik kan onthouden 42"
# Never followed: leaving, switching language, the support admin, document downloads.
SKIPPED_PATHS = (re.compile(r"^/account/uitloggen/"), re.compile(r"^/i18n/"), re.compile(r"^/beheer/"))
SKIPPED_ANYWHERE = re.compile(r"/bestand/|\.ics$")  # downloads: a document, a calendar file


# --- the score and its counts, checked by hand -----------------------------------------------------

# Two blocks, four sentences, counted by hand (syllables in brackets):
#   Je kiest zelf wie je plan mag zien.            je(1) kiest(1) zelf(1) wie(1) je(1) plan(1) mag(1) zien(1)
#                                                  8 words, 8 syllables
#   Even later krijg je een e-mail met een code.   e-ven(2) la-ter(2) krijg(1) je(1) een(1) e-mail(2) met(1)
#                                                  een(1) co-de(2): 9 words, 13 syllables
#   Wil je stoppen? Dat mag altijd.                wil(1) je(1) stop-pen(2) / dat(1) mag(1) al-tijd(2)
#                                                  3 + 3 words, 4 + 4 syllables
# Together: 4 sentences, 23 words, 29 syllables.
KNOWN_TEXT = [
    "Je kiest zelf wie je plan mag zien.",
    "Even later krijg je een e-mail met een code. Wil je stoppen? Dat mag altijd.",
]
KNOWN_SENTENCES, KNOWN_WORDS, KNOWN_SYLLABLES = 4, 23, 29
KNOWN_SCORE = 206.84 - 0.93 * (23 / 4) - 77 * (29 / 23)  # = 104.41, worked out without the module


def test_flesch_douma_is_douma_1960():
    assert flesch_douma(words=KNOWN_WORDS, sentences=KNOWN_SENTENCES, syllables=KNOWN_SYLLABLES) == pytest.approx(
        KNOWN_SCORE
    )
    assert flesch_douma(words=10, sentences=1, syllables=10) == pytest.approx(206.84 - 9.3 - 77)


def test_known_text_gets_the_score_counted_by_hand():
    """If pyphen's dictionary or the counting changes, this shows it before the threshold silently moves."""
    reading = read_blocks(KNOWN_TEXT)
    assert (len(reading.sentences), reading.words, reading.syllables) == (
        KNOWN_SENTENCES,
        KNOWN_WORDS,
        KNOWN_SYLLABLES,
    )
    assert reading.score == pytest.approx(KNOWN_SCORE)


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("plan", 1),
        ("samen", 2),
        ("even", 2),  # hyphenation alone never splits off one letter: "even"
        ("idee", 2),
        ("agenda", 3),
        ("ideeën", 3),  # a diaeresis starts a syllable
        ("geïnteresseerd", 5),
        ("huishouden", 3),
        ("toestemming", 3),
        ("organisatie", 5),
        ("cliëntondersteuner", 6),
        ("e-mailadres", 4),
        ("foto's", 2),
        ("2026", 1),
    ],
)
def test_syllables_of_dutch_words(word, count):
    assert syllables(word) == count


def test_words_leave_out_punctuation_and_addresses():
    assert words("Mail naar inwoner@demo.samen.test of kijk op https://samen.test/hulp – ja/nee.") == [
        "Mail",
        "naar",
        "of",
        "kijk",
        "op",
        "ja",
        "nee",
    ]


def test_sentences_end_at_a_full_stop_before_a_capital():
    assert split_sentences("Dit is je plan. Het is van jou! Klopt het? Ja. Om 10.30 uur, bijv. thuis.") == [
        "Dit is je plan.",
        "Het is van jou!",
        "Klopt het?",
        "Ja.",
        "Om 10.30 uur, bijv. thuis.",
    ]


def test_items_between_middots_are_separate_sentences():
    assert split_sentences("Bel de gemeente · Wie: Owen · Voor 1 december") == [
        "Bel de gemeente",
        "Wie: Owen",
        "Voor 1 december",
    ]


def test_a_sentence_without_a_letter_is_no_sentence():
    assert split_sentences("10") == []
    assert read_blocks(["0", "1", "Hoe gaat het?", "2"]).sentences[0].text == "Hoe gaat het?"
    assert len(read_blocks(["0", "1", "Hoe gaat het?", "2"]).sentences) == 1


# --- extracting the running text -------------------------------------------------------------------


def _main(body: str) -> str:
    return f"<html><body><header><p>Kop</p></header><main>{body}</main><footer><p>Voet</p></footer></body></html>"


def test_only_text_inside_main_counts():
    assert running_text(_main("<p>Binnen.</p>")) == ["Binnen."]
    assert running_text("<p>Geen main.</p>") == []


def test_text_people_typed_is_skipped():
    html = _main(
        "<p>Dit schreef Samen.</p>"
        "<section data-user-text><h2>Ons verhaal</h2><p>Wij wonen <em>al lang</em> hier.</p></section>"
        '<p data-user-text="">Mijn doel.</p><p>Weer Samen.</p>'
    )
    assert running_text(html) == ["Dit schreef Samen.", "Weer Samen."]


def test_lines_of_metadata_are_skipped():
    html = _main('<p class="samen-entry__meta" data-meta>27 november 2026 · Owen Molegraaf · Algemeen</p><p>Tekst.</p>')
    assert running_text(html) == ["Tekst."]


def test_table_cells_are_skipped_but_the_caption_counts():
    html = _main(
        "<table><caption>Wie keek in je dossier</caption><thead><tr><th>Wie</th><th>Wanneer</th></tr></thead>"
        "<tbody><tr><td>Jan <p>de Vries</p></td><td>12 maart</td></tr></tbody></table><p>Daarna.</p>"
    )
    assert running_text(html) == ["Wie keek in je dossier", "Daarna."]


def test_nested_elements_are_counted_once():
    html = _main(
        "<ul><li>Eerste punt<ul><li>Binnenste punt</li></ul>en verder</li></ul>"
        "<dl><dt>Naam</dt><dd><p>Fatima</p></dd></dl>"
        '<div class="utrecht-alert" role="status"><div>'
        "<p><strong>Gelukt.</strong></p><p>Je plan is bewaard.</p>"
        "</div></div>"
        "<p>Lees <a href='/plan/'>je <strong>plan</strong></a> eerst.</p>"
    )
    assert running_text(html) == [
        "Eerste punt",
        "Binnenste punt",
        "en verder",
        "Naam",
        "Fatima",
        "Gelukt.",
        "Je plan is bewaard.",
        "Lees je plan eerst.",
    ]
    assert read_page(html).words == 17  # 2 + 2 + 2 + 1 + 1 + 1 + 4 + 4


def test_block_elements_are_separate_sentences():
    html = _main(
        "<h1>Mijn plan</h1><p>Hier staat wat je samen afspreekt</p>"
        '<label for="x">E-mailadres</label><div class="utrecht-form-field-description">Wij sturen je een code</div>'
        "<p>Regel een<br>Regel twee</p>"
    )
    reading = read_page(html)
    assert [sentence.text for sentence in reading.sentences] == [
        "Mijn plan",
        "Hier staat wat je samen afspreekt",
        "E-mailadres",
        "Wij sturen je een code",
        "Regel een",
        "Regel twee",
    ]


def test_controls_scripts_and_hidden_text_are_skipped():
    html = _main(
        "<form><label>Kies <select><option>Een lange keuze</option></select></label>"
        "<textarea>Getypt</textarea><input value='Waarde'><button>Opslaan</button></form>"
        "<script>var x = 'Geen tekst.';</script><style>p{}</style><p hidden>Verborgen.</p>"
        "<p aria-hidden='true'>Ook verborgen.</p><nav><ul><li>Vorige</li></ul></nav><p>Wel.</p>"
        '<p><a class="utrecht-button-link" href="/x/">Afdrukken</a> '
        '<a class="utrecht-link" href="/y/">Lees meer</a></p>'
    )
    assert running_text(html) == ["Kies", "Wel.", "Lees meer"]


def test_a_badge_stands_apart_from_the_sentence_beside_it():
    html = _main('<p><span class="utrecht-status-badge">Te doen</span> Bel de gemeente.</p>')
    assert running_text(html) == ["Te doen", "Bel de gemeente."]


def test_hardest_sentences_are_the_ones_that_cost_the_page_most():
    long_and_heavy = "De gezinsregisseur coördineert de ondersteuningsafspraken tussen alle betrokken organisaties."
    reading = read_blocks(["Ja.", "Cliëntondersteuner", long_and_heavy, "Kom maar."])
    assert [sentence.text for sentence in reading.hardest()] == [long_and_heavy, "Cliëntondersteuner"]


# --- the citizen pages -----------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _links(html: str) -> list[str]:
    """The same-origin paths (with their query) that the page's links lead to, fragment removed."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if not url or parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "testserver"):
            continue  # a fragment-only link, mailto:, tel:, another site
        if not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if any(pattern.match(path) for pattern in SKIPPED_PATHS) or SKIPPED_ANYWHERE.search(path):
            continue
        found.append(path)
    return found


def _shape(path: str) -> str:
    """A URL's shape: numeric path segments as ``<n>``, the query ignored. One page of each shape is read."""
    return re.sub(r"/\d+(?=/|$)", "/<n>", path.split("?", 1)[0])


@dataclass
class Page:
    path: str
    reading: Reading | None = None
    problem: str = ""  # why the page could not be read


def _read(client: Client, path: str, pages: dict[str, Page]) -> tuple[str, str]:
    """GET the page, following redirects, and read it once per shape of where it ends: (its HTML, that path).

    The HTML is "" when the page was read before or could not be read.
    """
    response = client.get(path, follow=True)
    final = response.request["PATH_INFO"]
    shape = _shape(final)
    if shape in pages:
        return "", final
    page = pages[shape] = Page(final)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        page.problem = f"answered {response.status_code} {response.get('Content-Type', '')}"
        return "", final
    html = response.content.decode()
    page.reading = read_page(html)
    return html, final


def _crawl(client: Client, start: str, pages: dict[str, Page]) -> None:
    queue = deque([start])
    seen = {_shape(start)}
    while queue:
        html, _path = _read(client, queue.popleft(), pages)
        for link in _links(html):
            if _shape(link) not in seen:
                seen.add(_shape(link))
                queue.append(link)


def _password_reset_pages(client: Client, email: str, pages: dict[str, Page]) -> None:
    """The reset journey as a resident takes it: ask for a link, open it from the mail, choose a new password."""
    response = client.post(RESET_PATH, {"email": email})
    assert response.status_code == 302, "the reset form did not accept the demo citizen's address"
    _read(client, response.url, pages)
    link = re.search(r"https?://testserver(\S+)", mail.outbox[-1].body).group(1)
    _html, form_path = _read(client, link, pages)  # the link redirects to the form for the new password
    response = client.post(form_path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302, "the new password was not accepted"
    _read(client, response.url, pages)


@pytest.fixture
def citizen_email(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # argon2 is slow on purpose
    call_command("demo_municipality", households=10, seed=2026, verbosity=0)
    return next(login.email for login in DEMO_LOGINS if login.role == Role.CITIZEN)


@pytest.fixture
def citizen_pages(citizen_email) -> dict[str, Page]:
    """Every page a resident reaches, by URL shape: logged in first, then before logging in."""
    pages: dict[str, Page] = {}
    resident = Client(HTTP_ACCEPT_LANGUAGE="nl")
    response = resident.post(LOGIN_PATH, {"email": citizen_email, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == "/", "the demo citizen could not log in"
    _crawl(resident, "/", pages)

    visitor = Client(HTTP_ACCEPT_LANGUAGE="nl")
    _crawl(visitor, LOGIN_PATH, pages)
    _password_reset_pages(visitor, citizen_email, pages)
    return pages


def _table(pages: dict[str, Page]) -> str:
    lines = [
        f"Flesch–Douma per citizen page: at least {MINIMUM_SCORE}; under {MINIMUM_WORDS} words cannot be measured",
        f"{'page':<64} {'words':>6} {'sentences':>9} {'score':>6}",
    ]
    total = Reading()
    for page in pages.values():
        if page.reading is None:
            lines.append(f"{page.path:<64} {page.problem}")
            continue
        total += page.reading
        score = "–" if page.reading.score is None else f"{page.reading.score:.1f}"
        lines.append(f"{page.path:<64} {page.reading.words:>6} {len(page.reading.sentences):>9} {score:>6}")
    overall = "–" if total.score is None else f"{total.score:.1f}"
    lines.append(f"{'all pages':<64} {total.words:>6} {len(total.sentences):>9} {overall:>6}")
    return "\n".join(lines)


def _hardest(page: Page) -> str:
    lines = [f"{page.path} ({page.reading.score:.1f}), hardest sentences:"]
    for sentence in page.reading.hardest(5):
        lines.append(
            f"  {sentence.score:6.1f}  {sentence.words:>3} words  {sentence.syllables:>3} syllables  {sentence.text}"
        )
    return "\n".join(lines)


def test_citizen_pages_read_at_b1(citizen_pages):
    """Every page scores at least 60. A page with too little running text to score fails too, listed apart: a
    figure over a few words says nothing, and a page that says so little likely leaves out what a reader needs."""
    report = _table(citizen_pages)
    print("\n" + report)
    read = [page for page in citizen_pages.values() if page.reading is not None]
    too_hard = [page for page in read if page.reading.measurable and page.reading.score < MINIMUM_SCORE]
    too_short = [page for page in read if not page.reading.measurable]
    unread = [page for page in citizen_pages.values() if page.reading is None]
    details = ""
    if too_hard:
        details += f"\n\nBelow {MINIMUM_SCORE}:\n" + "\n".join(_hardest(page) for page in too_hard)
    if too_short:
        details += f"\n\nToo little running text to measure (fewer than {MINIMUM_WORDS} words):\n" + "\n".join(
            f"{page.path}: " + " | ".join(sentence.text for sentence in page.reading.sentences) for page in too_short
        )
    if unread:
        details += "\n\nNot read:\n" + "\n".join(f"{page.path}: {page.problem}" for page in unread)
    failed = bool(too_hard or too_short or unread)
    assert not failed, report + details

"""The pages the benchmark measures, who opens them and how each is recognised.

Plain data, without Django: ``bench/run.py`` builds its targets from it and ``bench/facts.py`` (with Django, in
the benchmark's database) reads each page's heading from the Dutch catalogue, so a changed Dutch wording or a
generated name never breaks the benchmark. A page is right when it answers 200 and carries ``<h1>heading</h1>``
(and, for a household's page, the household's name).

The social map's two pages: the search for the showcase household (``?household=<id>&q=schulden``; it writes an
access-log entry for the household, as the household pages do) and the directory page of the service it finds
first for "schulden" in the demo's map (``bench/facts.py``; without a household: no workspace, no access-log
entry). A service's page has the service's name as its ``<h1>`` (``SERVICE_NAME``), and the Dutch heading of its
first section besides.
"""

from __future__ import annotations

from dataclasses import dataclass

COORDINATOR = "coordinator"
CITIZEN = "citizen"


@dataclass(frozen=True)
class Page:
    key: str  # unique, as printed: "overview", "citizen overview"
    label: str  # what the page is called in the issue
    who: str  # COORDINATOR or CITIZEN: the demo login that opens it
    path: str  # with ``{household}`` for the showcase household's id, ``{service}`` for the showcase service's
    heading: str  # the msgid of the page's <h1>; ``%(name)s`` is the household's name; or SERVICE_NAME
    shows_household: bool = False  # the household's name is on the page too
    section: str = ""  # the msgid of an <h2> the page carries too

    def url(self, household_id: int, service_id: str = "") -> str:
        return self.path.format(household=household_id, service=service_id)


HOUSEHOLD = "/huishoudens/{household}/"
SOCIAL_MAP = "/sociale-kaart/"
SERVICE_QUERY = "schulden"  # what the coordinator searches the social map for
SERVICE_NAME = "%(service)s"  # a heading that is the showcase service's name (data, not a msgid)

PAGES: tuple[Page, ...] = (
    # The coordinator's pages (the demo coordinator; the showcase household is in their caseload).
    Page("home", "coordinator home", COORDINATOR, "/", "My work"),
    Page("caseload", "Mijn huishoudens", COORDINATOR, "/mijn-huishoudens/", "My households"),
    Page("overview", "household overview", COORDINATOR, HOUSEHOLD, "Household %(name)s", True),
    Page("plan", "plan", COORDINATOR, HOUSEHOLD + "plan/", "Plan of %(name)s", True),
    Page("conversation", "conversation", COORDINATOR, HOUSEHOLD + "gesprek/", "Conversation of %(name)s", True),
    Page("dossier", "dossier", COORDINATOR, HOUSEHOLD + "dossier/", "Dossier of %(name)s", True),
    Page("intake", "intake (the story)", COORDINATOR, HOUSEHOLD + "verhaal/", "The story of %(name)s", True),
    Page("self-assessment", "self-assessment", COORDINATOR, HOUSEHOLD + "zelfredzaamheid/", "How are things going?"),
    Page("team", "Wie helpt mee", COORDINATOR, HOUSEHOLD + "wie-helpt-mee/", "Who helps"),
    Page("consent", "Wie mag wat zien", COORDINATOR, HOUSEHOLD + "wie-mag-wat-zien/", "Who may see what"),
    Page("wie-keek", "Wie keek", COORDINATOR, HOUSEHOLD + "wie-keek/", "Who looked at my file"),
    Page("reminders", "notifications", COORDINATOR, "/meldingen/", "Notifications"),
    # The social map (issue 13): the search for the showcase household, and a service it finds.
    Page(
        "socialmap search",
        "Sociale kaart: zoeken",
        COORDINATOR,
        SOCIAL_MAP + "?household={household}&q=" + SERVICE_QUERY,
        "Find help",
        True,
    ),
    Page(
        "socialmap service",
        "Sociale kaart: een dienst",
        COORDINATOR,
        SOCIAL_MAP + "diensten/{service}/",
        SERVICE_NAME,
        section="What it offers",
    ),
    # The demo citizen's own view (a member of the showcase household).
    Page("citizen home", "citizen home", CITIZEN, "/", "My household", True),
    Page("citizen overview", "household overview", CITIZEN, HOUSEHOLD, "My household", True),
    Page("citizen plan", "plan", CITIZEN, HOUSEHOLD + "plan/", "Plan of %(name)s", True),
    Page("citizen conversation", "conversation", CITIZEN, HOUSEHOLD + "gesprek/", "Conversation of %(name)s", True),
    Page("citizen dossier", "dossier", CITIZEN, HOUSEHOLD + "dossier/", "Dossier of %(name)s", True),
    Page("citizen intake", "intake (the story)", CITIZEN, HOUSEHOLD + "verhaal/", "Our story"),
    Page(
        "citizen self-assessment", "self-assessment", CITIZEN, HOUSEHOLD + "zelfredzaamheid/", "How are things going?"
    ),
    Page("citizen team", "Wie helpt mee", CITIZEN, HOUSEHOLD + "wie-helpt-mee/", "Who helps"),
    Page("citizen consent", "Wie mag wat zien", CITIZEN, HOUSEHOLD + "wie-mag-wat-zien/", "Who may see what"),
    Page("citizen wie-keek", "Wie keek", CITIZEN, HOUSEHOLD + "wie-keek/", "Who looked at my file"),
    Page("citizen reminders", "notifications", CITIZEN, "/meldingen/", "Notifications"),
)

PAGE_BY_KEY = {page.key: page for page in PAGES}

# The households suite: the coordinator's pages, at each number of households (the social map's are left out: the
# demo's map is the same at every size).
SCALE_PAGES: tuple[str, ...] = tuple(
    page.key for page in PAGES if page.who == COORDINATOR and not page.path.startswith(SOCIAL_MAP)
)

# The bench's own pages (``bench/urls.py``).
BARE_PATH = "/__bench__/bare/"
SIGNED_IN_PATH = "/__bench__/bare-signed-in/"
REFERENCE_PATH = "/__bench__/reference/"
BARE_MARKER = b"<h1>Bare benchmark page</h1>"
POLL_NAME = "conversation: nothing new"  # the polling endpoint, asked as the page's htmx asks it
REFERENCE_MARKER = b"<h1>Reference benchmark page</h1>"

"""``make screenshots``: a full-page PNG of every page each demo login reaches, at 1280 and at 360 px, to review.

    make screenshots   (= .venv/bin/python -m tests_e2e.screenshots [--households N] [--limit N])

What it does, in a temporary folder that is removed afterwards (also on Ctrl+C):
1. Development mode (``DEBUG=true``, ``SAMEN_VAR_DIR`` the temporary folder), a fresh SQLite database:
   ``migrate`` and ``demo_municipality`` (10 households, seed 2026: the data ``test_every_page.py`` checks).
2. ``manage.py runserver --noreload`` on a free port.
3. Per demo login (one per role): log in through the real login form, crawl from ``/`` (``tests_e2e/crawl.py``:
   same-origin links, one page per URL shape) and write ``var/screenshots/<login>/<page>-1280.png`` and
   ``-360.png``; the folder is emptied first.
4. ``var/screenshots/index.html`` lists them per role (page path, both images, broken links) for a reviewer.

It prints progress per page and a summary. It exits non-zero when setting up fails, not when a page is broken:
broken links are listed in the summary and the index. It never runs under pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.processes import HOST, Stop, free_port, stop_on_signals, stop_process_group  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
OUTPUT = REPO / "var" / "screenshots"
WIDTHS = {1280: {"width": 1280, "height": 800}, 360: {"width": 360, "height": 740}}


class SetupError(Exception):
    """Preparing the database, the server or the browser failed: no screenshots."""


@dataclass
class Shot:
    path: str
    files: dict[int, str]  # width -> file name relative to OUTPUT


@dataclass
class RoleShots:
    name: str  # the demo login's name before the @: inwoner, regisseur, ...
    description: str
    shots: list[Shot] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    left_over: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- the server --------------------------------------------------------------------------------------


def server_environment(var_dir: Path) -> dict[str, str]:
    """Development mode on a database of its own: never the DATABASE_URL or var/ of the person running it."""
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DEBUG": "true",
            "SAMEN_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(REPO),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SetupError(f"`manage.py {' '.join(args)}` failed ({result.returncode}):\n{result.stderr[-3000:]}")
    print(f"  manage.py {' '.join(args)}  ({time.monotonic() - started:.1f} s)", flush=True)


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    with log_path.open("wb") as log:
        # A session of its own: Ctrl+C in the terminal reaches this script, which stops the server itself.
        return subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_server(process: subprocess.Popen) -> None:
    stop_process_group(process, timeout=10)


def wait_until_serving(process: subprocess.Popen, url: str, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text(errors="replace")[-3000:]
            raise SetupError(f"runserver stopped ({process.returncode}):\n{log}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise SetupError(f"runserver did not answer {url} within {timeout:.0f} s")


# --- the screenshots ---------------------------------------------------------------------------------


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.split("?")[0].lower()).strip("-") or "home"


def quietly(close) -> None:
    """Close something while stopping: after Ctrl+C the browser may be gone already."""
    with contextlib.suppress(Exception):
        close()


def shoot_role(browser, base_url: str, login, args: argparse.Namespace) -> RoleShots:
    from samen.demo.logins import DEMO_PASSWORD
    from tests_e2e.crawl import crawl
    from tests_e2e.helpers import LOGIN_PATH, log_in

    name = login.email.split("@")[0]
    role = RoleShots(name, login.description)
    folder = OUTPUT / name
    folder.mkdir(parents=True)
    started = time.monotonic()
    context = browser.new_context(
        viewport=WIDTHS[1280], base_url=base_url, locale="nl-NL", timezone_id="Europe/Amsterdam"
    )
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        log_in(page, login.email, DEMO_PASSWORD)
        if page.url.startswith(base_url + LOGIN_PATH):
            role.broken.append(f"logging in as {login.email} failed")
            return role
        used: set[str] = set()

        def shoot(page, step) -> None:
            base = slug(step.path)
            stem, number = base, 2
            while stem in used:
                stem, number = f"{base}-{number}", number + 1
            used.add(stem)
            files = {}
            page.evaluate("() => document.fonts.ready.then(() => true)")
            for width, size in WIDTHS.items():
                page.set_viewport_size(size)
                file_name = f"{name}/{stem}-{width}.png"
                page.screenshot(path=OUTPUT / file_name, full_page=True, animations="disabled")
                files[width] = file_name
            page.set_viewport_size(WIDTHS[1280])
            role.shots.append(Shot(step.path, files))
            print(f"{name}: {step.number}/{step.known} {step.path}", flush=True)

        result = crawl(page, "/", limit=args.limit, visit=shoot)
        role.broken.extend(str(broken) for broken in result.broken)
        role.left_over = result.left_over
    finally:
        quietly(context.close)
        role.seconds = time.monotonic() - started
    return role


def write_index(roles: list[RoleShots]) -> Path:
    """A plain HTML file next to the PNGs (opened from disk, not served by Samen)."""
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Samen screenshots</title><style>'
        "body{font:16px/1.4 sans-serif;margin:1rem}table{border-collapse:collapse}td,th{border:1px solid #999;"
        "padding:.5rem;vertical-align:top;text-align:left}img{display:block;border:1px solid #ccc}"
        ".wide{width:480px}.narrow{width:180px}.broken{color:#a00}</style></head><body>",
        f"<h1>Samen screenshots</h1><p>Made {html.escape(time.strftime('%Y-%m-%d %H:%M'))}; "
        "every page each demo login reaches, at 1280 and 360 px. Click an image for full size.</p><ul>",
    ]
    parts += [f'<li><a href="#{r.name}">{r.name}</a> ({len(r.shots)} pages)</li>' for r in roles]
    parts.append("</ul>")
    for role in roles:
        parts.append(f'<h2 id="{role.name}">{role.name}: {html.escape(role.description)}</h2>')
        for broken in role.broken:
            parts.append(f'<p class="broken">Broken: {html.escape(broken)}</p>')
        if role.left_over:
            parts.append(f"<p>Not visited (page limit): {html.escape(', '.join(role.left_over))}</p>")
        parts.append("<table><tr><th>page</th><th>1280 px</th><th>360 px</th></tr>")
        for shot in role.shots:
            images = "".join(
                f'<td><a href="{html.escape(shot.files[width])}"><img class="{css}" loading="lazy" '
                f'src="{html.escape(shot.files[width])}" alt="{html.escape(shot.path)} at {width} px"></a></td>'
                for width, css in ((1280, "wide"), (360, "narrow"))
            )
            parts.append(f"<tr><th><code>{html.escape(shot.path)}</code></th>{images}</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    index = OUTPUT / "index.html"
    index.write_text("\n".join(parts), encoding="utf-8")
    return index


def run(args: argparse.Namespace, workdir: Path) -> int:
    if not os.path.exists(CHROMIUM):
        raise SetupError(f"{CHROMIUM} is missing: install Chromium (apt-get install chromium).")
    started = time.monotonic()
    env = server_environment(workdir)
    print(f"Preparing a demo municipality in {workdir}", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "demo_municipality", "--households", str(args.households), "--seed", "2026", "--quiet")

    # The login form's Dutch labels come from Django's catalogues: set Django up on the same (temporary) settings.
    os.environ.update(env)
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from samen.demo.logins import DEMO_LOGINS
    from tests_e2e.conftest import CHROMIUM_ARGS
    from tests_e2e.helpers import LOGIN_PATH

    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir(parents=True)
    port = free_port()
    base_url = f"http://{HOST}:{port}"
    log_path = workdir / "runserver.log"
    server = start_server(env, port, log_path)
    roles: list[RoleShots] = []
    try:
        wait_until_serving(server, base_url + LOGIN_PATH, log_path)
        print(f"  runserver serves {base_url}", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                for login in DEMO_LOGINS:
                    roles.append(shoot_role(browser, base_url, login, args))
            finally:
                quietly(browser.close)
    finally:
        stop_server(server)

    index = write_index(roles)
    pngs = sum(len(shot.files) for role in roles for shot in role.shots)
    print()
    print(f"{'login':<20}{'pages':>6}{'PNGs':>6}{'seconds':>9}  broken")
    for role in roles:
        print(f"{role.name:<20}{len(role.shots):>6}{2 * len(role.shots):>6}{role.seconds:>9.1f}  {len(role.broken)}")
    for role in roles:
        for broken in role.broken:
            print(f"BROKEN ({role.name}): {broken}")
        if role.left_over:
            print(f"NOT VISITED ({role.name}, page limit {args.limit}): {', '.join(role.left_over)}")
    print(f"{pngs} PNGs in {OUTPUT} in {time.monotonic() - started:.0f} s; open {index}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=10, help="demo households (default 10)")
    parser.add_argument("--limit", type=int, default=60, help="pages per role at most (default 60)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    stop_on_signals()
    workdir = Path(tempfile.mkdtemp(prefix="samen-screenshots-"))
    try:
        return run(args, workdir)
    except SetupError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    except Stop as exc:
        print(f"Stopped ({exc}); the screenshots in {OUTPUT} are incomplete.", file=sys.stderr)
        return 130
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

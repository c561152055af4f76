"""Single requests to the benchmark's server: logging in through the real form, fetching a page, and the
number of SQL statements a page runs (``bench/middleware.py``)."""

from __future__ import annotations

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.middleware import QUERIES_HEADER
from bench.processes import HOST
from bench.server import LOGIN_PATH, BenchError


def fetch(port: int, method: str, path: str, *, headers: dict | None = None, body: str | None = None):
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies_from(headers: list[tuple[str, str]]) -> dict[str, str]:
    jar = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def submit_login(port: int, email: str, password: str) -> tuple[int, list, bytes, dict[str, str]]:
    """Fill in the real login form once: its status, headers, body, and the cookies after it."""
    status, headers, body = fetch(port, "GET", LOGIN_PATH)
    if status != 200:
        raise BenchError(f"GET {LOGIN_PATH} answered {status}")
    cookies = cookies_from(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode())
    if not token or "csrftoken" not in cookies:
        raise BenchError("the login page has no CSRF token (form field and cookie)")
    form = {"csrfmiddlewaretoken": token.group(1), "email": email, "password": password}
    status, headers, body = fetch(
        port,
        "POST",
        LOGIN_PATH,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(cookies)},
        body=urlencode(form),
    )
    cookies.update(cookies_from(headers))
    return status, headers, body, cookies


def log_in(port: int, email: str, password: str) -> str:
    """Log in through the real login form; return the Cookie header of the logged-in session."""
    status, headers, body, cookies = submit_login(port, email, password)
    location = {name.lower(): value for name, value in headers}.get("location", "")
    if status != 302:
        raise BenchError(f"logging in as {email} answered {status}, not a redirect:\n{body.decode()[:2000]}")
    if "sessionid" not in cookies:
        raise BenchError(f"logging in as {email} set no session cookie (redirect to {location!r})")
    return cookie_header(cookies)


def get_page(port: int, path: str, cookie: str = "", markers: list[bytes] = ()) -> bytes:
    """GET ``path``; it must answer 200 and carry every marker."""
    status, _, body = fetch(port, "GET", path, headers={"Cookie": cookie} if cookie else {})
    if status != 200:
        raise BenchError(f"GET {path} answered {status}:\n{body.decode(errors='replace')[:2000]}")
    missing = [marker.decode() for marker in markers if marker not in body]
    if missing:
        raise BenchError(f"GET {path} is not the expected page (it lacks {missing}):\n{body.decode()[:3000]}")
    return body


def query_count(port: int, path: str, cookie: str = "", *, status: int = 200, headers: dict | None = None) -> int:
    """The SQL statements one request for ``path`` runs, as the bench middleware counts them."""
    expected = status
    headers = {**(headers or {}), QUERIES_HEADER: "1", **({"Cookie": cookie} if cookie else {})}
    status, response_headers, _ = fetch(port, "GET", path, headers=headers)
    if status != expected:
        raise BenchError(f"GET {path} (counting queries) answered {status}")
    value = {name.lower(): value for name, value in response_headers}.get(QUERIES_HEADER.lower())
    if value is None:
        raise BenchError(f"GET {path} did not report its queries (is bench.middleware installed?)")
    return int(value)

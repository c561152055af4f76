"""The baseline for ``bench/run.py``: a bare Django view rendering a template, no database work.

``?items=N`` sets the number of rows, so the benchmark can make the page as large as the page it
compares it with (the template's markup resembles a Samen page with a table).
"""

from __future__ import annotations

from django.http import HttpResponseForbidden
from django.shortcuts import render

DEFAULT_ITEMS = 50
MAX_ITEMS = 5000


def bare(request):
    return render(request, "bench/bare.html", {"items": _items(request)})


def bare_signed_in(request):
    """The bare page for a logged-in user: loads the session, the user and the Actor (what every
    logged-in page pays before doing its own work), then renders the same template."""
    if not request.actor.is_authenticated:
        return HttpResponseForbidden("log in first")
    return render(request, "bench/bare.html", {"items": _items(request)})


def _items(request) -> list[dict]:
    try:
        count = int(request.GET.get("items", DEFAULT_ITEMS))
    except ValueError:
        count = DEFAULT_ITEMS
    count = max(0, min(count, MAX_ITEMS))
    return [
        {"number": number, "name": f"Huishouden {number}", "href": f"/huishoudens/{number}/", "status": "actief"}
        for number in range(1, count + 1)
    ]

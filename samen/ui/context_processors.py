from __future__ import annotations


def navigation(request) -> dict:
    """The actor, for the header and navigation of the base layout."""
    return {"actor": getattr(request, "actor", None)}

"""THE policy: the one place that decides who may do what. Deny by default.

Apps register rules in their own ``policies.py`` (imported when Django starts, see
``CoreConfig.ready``); a permission nobody registered is denied. Views, services, the API and
commands ask ``can``/``require``; nothing else decides access.

Fetch-and-check helpers (``household_for(actor, id)``) live beside the rules in each app's
``policies.py`` and raise ``Http404`` for both "missing" and "forbidden".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from samen.core.actor import Actor

Rule = Callable[[Actor, Any], bool]

_RULES: dict[str, Rule] = {}


def rule(permission: str) -> Callable[[Rule], Rule]:
    """Register the rule for ``permission``. One rule per permission; registering twice is a bug."""

    def register(func: Rule) -> Rule:
        if permission in _RULES and _RULES[permission] is not func:
            raise RuntimeError(f"A rule for {permission!r} is already registered.")
        _RULES[permission] = func
        return func

    return register


def registered_permissions() -> list[str]:
    return sorted(_RULES)


def can(actor: Actor, permission: str, obj: Any = None) -> bool:
    """True only when a registered rule for ``permission`` says yes."""
    check = _RULES.get(permission)
    if check is None:
        return False
    return bool(check(actor, obj))


def require(actor: Actor, permission: str, obj: Any = None, *, hide: bool = False) -> None:
    """Raise unless ``can``. ``hide=True`` answers 404, so "forbidden" looks like "missing"."""
    if not can(actor, permission, obj):
        if hide:
            raise Http404
        raise PermissionDenied

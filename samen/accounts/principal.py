"""The logged-in user and their memberships, cached in their session and checked on every request.

Every request of a logged-in person needs their user, their active memberships and those memberships'
organisations (to build the Actor, ``samen.core.actor``). Loading them is a query with three joined tables and
three model instances per row; ``PrincipalMiddleware`` (in place of Django's ``AuthenticationMiddleware``) keeps
them in the session instead, as a *snapshot* tagged with the session row's ``principal_version``:

- a request whose session holds a snapshot of the version the session row has now builds the user and the
  memberships from it, without a query (the session row is read anyway);
- any other request loads them as Django does (``django.contrib.auth.get_user``: the authentication backend's one
  query, and the check of the session's password hash, which logs out a session whose password changed) and stores
  a new snapshot, tagged with the version read when the session was loaded.

The version goes up in the database itself (triggers, ``samen.accounts.db_triggers``) whenever the user, one of
their memberships or one of those organisations is inserted, changed or deleted, by whatever code. So logging out,
a new password, a deactivated account, an ended membership or a deactivated organisation counts on the very next
request, as before. The password hash is not in the snapshot: the user's ``password`` is loaded when something asks
for it (a password change).
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware, auser
from django.core.exceptions import ValidationError
from django.utils.functional import SimpleLazyObject

from samen.accounts.backends import MEMBERSHIPS_ATTRIBUTE
from samen.accounts.models import User
from samen.organisations.models import Membership, Organisation

SNAPSHOT_KEY = "samen_principal"
SNAPSHOT_FORMAT = 1  # raise when the snapshot's shape changes: older snapshots are then loaded again
BACKEND = "samen.accounts.backends.SamenBackend"
USER_SKIPPED = frozenset({"password"})  # loaded only when asked for (a deferred field)


def _fields(model, skipped=frozenset()):
    return [field for field in model._meta.concrete_fields if field.attname not in skipped]


def _dump(instance, skipped=frozenset()) -> list[Any]:
    values = []
    for field in _fields(type(instance), skipped):
        value = field.value_from_object(instance)
        values.append(value.isoformat() if isinstance(value, datetime.date) else value)
    return values


def _restore(model, values: list[Any], skipped=frozenset()):
    fields = _fields(model, skipped)
    if len(values) != len(fields):
        raise ValueError(f"a snapshot of {model.__name__} with {len(values)} values for {len(fields)} fields")
    return model.from_db(
        "default",
        [field.attname for field in fields],
        [field.to_python(value) for field, value in zip(fields, values, strict=True)],
    )


def snapshot_of(user: User, version: int) -> dict:
    """What the session keeps of ``user`` and their active memberships (as the backend loaded them)."""
    memberships = getattr(user, MEMBERSHIPS_ATTRIBUTE, None) or []
    return {
        "format": SNAPSHOT_FORMAT,
        "version": version,
        "user": _dump(user, USER_SKIPPED),
        "memberships": [[_dump(membership), _dump(membership.organisation)] for membership in memberships],
    }


def user_from_snapshot(snapshot: dict) -> User:
    user = _restore(User, snapshot["user"], USER_SKIPPED)
    memberships = []
    for membership_values, organisation_values in snapshot["memberships"]:
        membership = _restore(Membership, membership_values)
        membership.organisation = _restore(Organisation, organisation_values)
        membership.user = user
        memberships.append(membership)
    setattr(user, MEMBERSHIPS_ATTRIBUTE, memberships)
    return user


def _usable(snapshot: Any, session) -> bool:
    """The snapshot is of the current version of the session row, for the user the session is logged in as."""
    if not isinstance(snapshot, dict) or not isinstance(snapshot.get("user"), list) or not snapshot["user"]:
        return False
    return (
        snapshot.get("format") == SNAPSHOT_FORMAT
        and session.principal_version is not None
        and snapshot.get("version") == session.principal_version
        and session.get(BACKEND_SESSION_KEY) == BACKEND
        and str(snapshot["user"][0]) == str(session.get(SESSION_KEY))
    )


def get_user(request):
    """The request's user: from the session's snapshot when it is current, else as Django loads it (and then a new
    snapshot). An ``AnonymousUser`` when nobody is logged in, or the session no longer holds."""
    session = request.session
    snapshot = session.get(SNAPSHOT_KEY)  # loads the session, and with it the row's version
    version = getattr(session, "principal_version", None)
    if snapshot is not None and _usable(snapshot, session):
        try:
            return user_from_snapshot(snapshot)
        except (KeyError, TypeError, ValueError, ValidationError):
            pass  # a snapshot that no longer fits the models: load the user again
    user = auth.get_user(request)
    if user.is_authenticated and version is not None and session.get(BACKEND_SESSION_KEY) == BACKEND:
        session[SNAPSHOT_KEY] = snapshot_of(user, version)
    elif snapshot is not None:
        session.pop(SNAPSHOT_KEY, None)
    return user


class PrincipalMiddleware(AuthenticationMiddleware):
    """Django's ``AuthenticationMiddleware`` (a subclass, as the admin expects), with the user from the session's
    snapshot (``get_user``)."""

    def process_request(self, request):
        request.user = SimpleLazyObject(lambda: get_user(request))
        request.auser = partial(auser, request)

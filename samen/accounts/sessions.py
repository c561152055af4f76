"""Samen's session store (``SESSION_ENGINE``): Django's database sessions in ``accounts.UserSession``.

Two differences with Django's own:

- the row knows whose session it is (``user_id``), so that the database triggers of ``samen.accounts.db_triggers``
  can raise ``principal_version`` on every session of a user whose account, memberships or organisations change;
- loading a session also reads that version (``principal_version``, no extra query), and saving a session never
  writes it, so a raise that happens while a request runs is never overwritten by that request's save.

``samen.accounts.principal`` uses the version to decide whether the user cached in the session is still current.
"""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import DatabaseError, IntegrityError, router, transaction


class SessionStore(DatabaseSessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        # The row's principal_version when this session was loaded; None until then, and for a session not stored.
        self.principal_version: int | None = None

    @classmethod
    def get_model_class(cls):
        from samen.accounts.models import UserSession

        return UserSession

    def load(self):
        row = self._get_session_from_db()
        self.principal_version = row.principal_version if row else None
        return self.decode(row.session_data) if row else {}

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        session.user_id = int(user_id) if isinstance(user_id, str | int) and str(user_id).isdigit() else None
        return session

    def save(self, must_create=False):
        """Django's ``save``, but an existing row is updated without touching ``principal_version``."""
        if self.session_key is None:
            return self.create()
        data = self._get_session(no_load=must_create)
        session = self.create_model_instance(data)
        using = router.db_for_write(self.model, instance=session)
        try:
            with transaction.atomic(using=using):
                if must_create:
                    session.save(force_insert=True, using=using)
                else:
                    session.save(update_fields=["session_data", "expire_date", "user"], using=using)
        except IntegrityError:
            if must_create:
                raise CreateError from None
            raise
        except DatabaseError:
            if not must_create:
                raise UpdateError from None
            raise
        if must_create:
            self.principal_version = session.principal_version

    async def asave(self, must_create=False):
        raise NotImplementedError("Samen's sessions are saved synchronously (SessionStore.save).")

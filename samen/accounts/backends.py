"""The authentication backend: Django's ModelBackend, loading a professional in one query.

Every request of a logged-in user loads the user (``AuthenticationMiddleware``) and then their
active memberships (to build the Actor). For professionals this backend does both in one query:
it selects the active memberships with their user and organisation and keeps them on the user
object, for this request only (``samen.organisations.selectors.active_memberships_of``).
Nothing is cached across requests, so an ended membership stops counting on the next request.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from samen.organisations.models import Membership

MEMBERSHIPS_ATTRIBUTE = "_samen_active_memberships"


class SamenBackend(ModelBackend):
    def get_user(self, user_id):
        memberships = list(
            Membership.objects.filter(user_id=user_id, is_active=True, organisation__is_active=True)
            .select_related("user", "organisation")
            .order_by("created_at", "pk")
        )
        if not memberships:
            user = super().get_user(user_id)
            if user is not None:
                setattr(user, MEMBERSHIPS_ATTRIBUTE, [])
            return user
        user = memberships[0].user
        if not self.user_can_authenticate(user):
            return None
        for membership in memberships:
            membership.user = user
        setattr(user, MEMBERSHIPS_ATTRIBUTE, memberships)
        return user

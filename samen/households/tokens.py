"""The secret in an invitation link.

The token is derived from a random salt with the SECRET_KEY (HMAC-SHA256), and only its SHA-256 is
stored. So the database alone (or a task queue that stores task arguments) never holds a usable
link, while the e-mail task can still derive the token from the invitation it is given.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from django.utils.crypto import salted_hmac

_KEY_SALT = "samen.households.invitation"


def new_salt() -> str:
    return secrets.token_hex(16)


def token_for(salt: str) -> str:
    digest = salted_hmac(_KEY_SALT, salt, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_token(invitation) -> str:
    """The token of ``invitation``'s link (for its e-mail; never store or log it)."""
    return token_for(invitation.token_salt)

"""Limits per internet address: failed logins, password-reset requests and invitation sign-up attempts.

django-axes locks an e-mail address from one internet address after a few wrong passwords (per account). That
does not stop one address from trying many accounts (or made-up ones): these limits count per address, in the
cache (``django.core.cache``, alias ``SAMEN_THROTTLE_CACHE``, the default cache), so they hold across processes
and, with a shared cache such as Redis, across machines.

Counting is a fixed window of ``SAMEN_THROTTLE_WINDOW`` seconds: the attempts of an address in the current window
are one counter (``cache.add`` then ``cache.incr``; atomic on Redis, close enough on the database cache). When the
counter reaches the limit the address is blocked for one window from that moment (its own key, holding the time it
ends), and the pages answer 429 with that time. IPv6 addresses count per /64 network (what one connection gets).

The cache failing must not take logging in down: an error is logged and the attempt is let through (django-axes'
lockout per account, in the database, still counts).
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

logger = logging.getLogger(__name__)

KEY_PREFIX = "samen:throttle"


def address_bucket(ip_address: str | None) -> str:
    """What counts as one address: the IPv4 address, the /64 network of an IPv6 address, "unknown" without one."""
    if not ip_address:
        return "unknown"
    try:
        address = ipaddress.ip_address(str(ip_address).strip())
    except ValueError:
        return "invalid:" + hashlib.sha256(str(ip_address).encode("utf-8", "replace")).hexdigest()[:32]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass(frozen=True)
class Count:
    """An attempt counted: how many in this window (this one included), the window's bounds, and until when the
    address is blocked (None while it is not)."""

    count: int
    window_start: datetime.datetime
    window_end: datetime.datetime
    previous_count: int = 0  # the count of the window before, when this is the window's first attempt
    blocked_until: datetime.datetime | None = None

    @property
    def first_in_window(self) -> bool:
        return self.count == 1


@dataclass(frozen=True)
class Block:
    until: datetime.datetime

    @property
    def seconds_left(self) -> int:
        return max(1, int((self.until - timezone.now()).total_seconds() + 0.999))


class AddressLimit:
    """At most ``limit`` attempts of one kind (``name``) per address per window; ``limit`` is a setting's name (read
    on use, so tests and deployments can change it) or None to only count (never block)."""

    def __init__(self, name: str, limit_setting: str | None, *, per_email: bool = False) -> None:
        self.name = name
        self.limit_setting = limit_setting
        self.per_email = per_email  # counts per e-mail address (lower case) instead of per internet address

    def _bucket(self, subject: str | None) -> str:
        if self.per_email:
            return "email:" + str(subject or "").strip().lower()
        return address_bucket(subject)

    @property
    def limit(self) -> int | None:
        return getattr(settings, self.limit_setting) if self.limit_setting else None

    @staticmethod
    def window() -> int:
        return int(settings.SAMEN_THROTTLE_WINDOW)

    def _key(self, bucket: str, suffix: str) -> str:
        digest = hashlib.sha256(bucket.encode("utf-8")).hexdigest()[:40]
        return f"{KEY_PREFIX}:{self.name}:{digest}:{suffix}"

    @staticmethod
    def _cache():
        return caches[getattr(settings, "SAMEN_THROTTLE_CACHE", "default")]

    def blocked(self, ip_address: str | None) -> Block | None:
        """The block on this address (or e-mail address) now, or None."""
        if self.limit is None:
            return None
        try:
            until = self._cache().get(self._key(self._bucket(ip_address), "blocked"))
        except Exception:  # the cache is down: let the attempt through (see the module's docstring)
            logger.exception("Throttle %s: the cache cannot be read", self.name)
            return None
        if until is None:
            return None
        until = datetime.datetime.fromtimestamp(float(until), tz=datetime.UTC)
        return Block(until=until) if until > timezone.now() else None

    def hit(self, ip_address: str | None) -> Count:
        """Count one attempt of this address; block it when the count reaches the limit."""
        now = timezone.now()
        window = self.window()
        index = int(now.timestamp()) // window
        start = datetime.datetime.fromtimestamp(index * window, tz=datetime.UTC)
        end = start + datetime.timedelta(seconds=window)
        bucket = self._bucket(ip_address)
        try:
            cache = self._cache()
            key = self._key(bucket, f"w{index}")
            cache.add(key, 0, timeout=2 * window)  # kept one more window: the next window's first entry reads it
            count = int(cache.incr(key))
            previous = int(cache.get(self._key(bucket, f"w{index - 1}")) or 0) if count == 1 else 0
            blocked_until = None
            limit = self.limit
            if limit is not None and count >= limit:
                blocked_until = now + datetime.timedelta(seconds=window)
                cache.set(self._key(bucket, "blocked"), blocked_until.timestamp(), timeout=window)
        except Exception:
            logger.exception("Throttle %s: the cache cannot be written", self.name)
            return Count(count=0, window_start=start, window_end=end)
        return Count(
            count=count, window_start=start, window_end=end, previous_count=previous, blocked_until=blocked_until
        )


# Failed logins from one address (any account, known or not).
LOGIN_FAILURES = AddressLimit("login", "SAMEN_LOGIN_ADDRESS_FAILURE_LIMIT")
# Failed logins for e-mail addresses without an account, from one address: counted for the access log's summary.
UNKNOWN_ACCOUNT_FAILURES = AddressLimit("login-unknown", None)
# Password-reset requests from one address, and to one e-mail address (no flood of e-mails to one person).
PASSWORD_RESET_REQUESTS = AddressLimit("password-reset", "SAMEN_PASSWORD_RESET_ADDRESS_LIMIT")
PASSWORD_RESET_EMAILS = AddressLimit("password-reset-email", "SAMEN_PASSWORD_RESET_EMAIL_LIMIT", per_email=True)
# Sign-up attempts on invitation pages and links that do not work, from one address.
INVITATION_ATTEMPTS = AddressLimit("invitation", "SAMEN_INVITATION_ADDRESS_LIMIT")

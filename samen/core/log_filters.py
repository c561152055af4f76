"""Keep secrets in links out of log lines.

An invitation link (``/uitnodiging/<token>/``) and a password-reset link (``.../<uidb64>/<token>/``) work for
whoever holds them. Django logs request paths (404s, CSRF failures, server errors; the development server every
request line), so every handler in ``LOGGING`` (the console's and the development server's) runs every record through
``RedactLinkTokens`` before it is written, also where the path is URL-encoded in a query string.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[verborgen]"
# A path separator as it appears in a log line: "/" in a request path, "%2F" where the path is a query parameter
# (``/account/inloggen/?next=%2Fuitnodiging%2F<token>%2F``, the invitation page's "log in" link).
_SEP = r"(?:/|%2[Ff])"
_SEGMENT = r"(?:(?!%2[Ff])[^/\s?&#\"'])+"
_PATTERNS = (
    re.compile(rf"({_SEP}uitnodiging{_SEP}){_SEGMENT}"),
    re.compile(rf"({_SEP}wachtwoord-vergeten{_SEP}{_SEGMENT}{_SEP}){_SEGMENT}"),
)


def redact(text: str) -> str:
    for pattern in _PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + REDACTED, text)
    return text


class RedactLinkTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True

"""Keep secrets in links out of log lines.

An invitation link (``/uitnodiging/<token>/``) and a password-reset link (``.../<uidb64>/<token>/``) work for
whoever holds them. Django logs request paths (404s, CSRF failures, server errors), so the console handler
runs every record through ``RedactLinkTokens`` before it is written.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[verborgen]"
_PATTERNS = (
    re.compile(r"(/uitnodiging/)[^/\s?\"']+"),
    re.compile(r"(/wachtwoord-vergeten/[^/\s?\"']+/)[^/\s?\"']+"),
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

import io
import logging

from django.test import Client

from samen.core.log_filters import REDACTED, RedactLinkTokens, redact


def test_tokens_in_links_are_hidden():
    assert redact("Not Found: /uitnodiging/abc123-XYZ/") == f"Not Found: /uitnodiging/{REDACTED}/"
    assert redact("Forbidden (CSRF): /account/wachtwoord-vergeten/MQ/set-password/") == (
        f"Forbidden (CSRF): /account/wachtwoord-vergeten/MQ/{REDACTED}/"
    )
    assert redact("Not Found: /huishoudens/12/") == "Not Found: /huishoudens/12/"
    assert redact("/account/wachtwoord-vergeten/verstuurd/") == "/account/wachtwoord-vergeten/verstuurd/"


def test_the_filter_rewrites_the_formatted_message():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/uitnodiging/s3cr3t/",), None
    )
    assert RedactLinkTokens().filter(record) is True
    assert record.getMessage() == f"Not Found: /uitnodiging/{REDACTED}/"


def test_the_console_handler_uses_the_filter(settings):
    handler = settings.LOGGING["handlers"]["console"]
    assert "redact_link_tokens" in handler["filters"]
    assert settings.LOGGING["filters"]["redact_link_tokens"]["()"] == "samen.core.log_filters.RedactLinkTokens"


def test_a_csrf_failure_on_an_invitation_link_logs_no_token(db):
    """Through the real console handler of the root logger (its stream swapped for a buffer)."""
    (handler,) = [h for h in logging.getLogger().handlers if any(isinstance(f, RedactLinkTokens) for f in h.filters)]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        Client(enforce_csrf_checks=True).post("/uitnodiging/s3cr3t-token/", {})
    finally:
        handler.setStream(previous)
    written = buffer.getvalue()
    assert "Forbidden (CSRF" in written  # the line was written ...
    assert f"/uitnodiging/{REDACTED}/" in written and "s3cr3t-token" not in written  # ... without the token

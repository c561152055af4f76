import contextlib
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


def test_an_encoded_link_in_a_query_string_is_hidden_too():
    line = '"GET /account/inloggen/?next=%2Fuitnodiging%2FaB3-x_9%2F HTTP/1.1" 200 5120'
    assert redact(line) == f'"GET /account/inloggen/?next=%2Fuitnodiging%2F{REDACTED}%2F HTTP/1.1" 200 5120'
    assert "c9x-abc" not in redact("?next=%2fwachtwoord-vergeten%2FMQ%2Fc9x-abc%2F")


def _is_pytests(handler: logging.Handler) -> bool:
    """pytest's own handlers, which capture records for its test reports (not part of the project's logging)."""
    return type(handler).__module__.startswith("_pytest")


def _every_handler() -> list[tuple[str, logging.Handler]]:
    named = logging.Logger.manager.loggerDict.items()
    loggers = [("root", logging.getLogger())] + [
        (name, logger) for name, logger in named if isinstance(logger, logging.Logger)
    ]
    return [(name, handler) for name, logger in loggers for handler in logger.handlers]


def test_every_handler_of_every_logger_redacts():
    """Not only the console: Django's own loggers ("django", and "django.server" of the development server) get
    their handlers from LOGGING, each with the filter; no handler of Django's defaults is left without it."""
    handlers = _every_handler()
    names = {name for name, _ in handlers}
    assert {"root", "django.server"} <= names
    for name, handler in handlers:
        if isinstance(handler, logging.NullHandler) or _is_pytests(handler):
            continue  # writes nothing / pytest's own capture of log records for test reports
        assert any(isinstance(f, RedactLinkTokens) for f in handler.filters), f"{name}: {handler!r} does not redact"


def _serve_once(paths: list[str]) -> str:
    """Run Django's development server (its WSGIServer and WSGIRequestHandler, as ``runserver`` does) on a free
    port with a tiny application, request ``paths`` and return what the "django.server" handler wrote."""
    import threading
    import urllib.error
    import urllib.request

    from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

    def application(environ, start_response):
        status = "404 Not Found" if "uitnodiging" in environ["PATH_INFO"] else "200 OK"
        start_response(status, [("Content-Type", "text/plain")])
        return [b"ok"]

    (handler,) = [h for h in logging.getLogger("django.server").handlers if not _is_pytests(h)]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    server = WSGIServer(("127.0.0.1", 0), WSGIRequestHandler, ipv6=False)
    server.set_app(application)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        for path in paths:
            with contextlib.suppress(urllib.error.HTTPError):  # the 404 of the invitation link
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).read()  # noqa: S310
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        handler.setStream(previous)
    return buffer.getvalue()


def test_the_development_server_s_request_log_hides_link_tokens():
    written = _serve_once(
        [
            "/uitnodiging/Zk9s3cr3t-Inv1te_tok/",
            "/account/wachtwoord-vergeten/MQ/c9x1b2-0a1b2c3d4e5f6a7b8c9d/",
            "/account/inloggen/?next=%2Fuitnodiging%2FZk9s3cr3t-Inv1te_tok%2F",
            "/account/inloggen/",
        ]
    )
    lines = written.strip().splitlines()
    assert len(lines) == 4, written  # one line per request, in the development server's format
    assert f"GET /uitnodiging/{REDACTED}/ HTTP/1.1" in lines[0] and " 404 " in lines[0]
    assert f"GET /account/wachtwoord-vergeten/MQ/{REDACTED}/ HTTP/1.1" in lines[1]
    assert f"next=%2Fuitnodiging%2F{REDACTED}%2F" in lines[2]
    assert "GET /account/inloggen/ HTTP/1.1" in lines[3]  # other paths are written as they are
    assert "Zk9s3cr3t" not in written and "0a1b2c3d4e5f" not in written

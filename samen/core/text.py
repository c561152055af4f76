"""Free text as the services store it, or a clear error that names the field.

Every service that stores text a person typed (a note, a goal, a reason) cleans it here, so the rules are the
same everywhere: line endings made uniform, spaces around it removed, nothing that is not text, no NUL character
(PostgreSQL cannot store it), not empty when required, not longer than the column. The error codes are Django's
form codes, so a view can show the message beside the field. A service may give its own messages, in its own
words ("Write something in your note.").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "invalid": _("Enter text."),
    "required": _("Please write something here."),
    "null_characters_not_allowed": _("This contains a character we cannot store."),
    "max_length": _("This is too long: at most %(max)d characters, it has %(length)d."),
}


def clean_text(
    value: Any,
    *,
    field: str,
    max_length: int,
    required: bool = True,
    one_line: bool = False,
    messages: Mapping[str, Any] | None = None,
) -> str:
    """``value`` as it is stored, or ``ValidationError({field: message})`` with a code from ``MESSAGES``.

    ``one_line`` joins all white space into single spaces (a reason, a name); otherwise line breaks stay.
    ``messages`` replaces some of the messages; ``%(max)d`` and ``%(length)d`` are filled in."""
    wording = {**MESSAGES, **(messages or {})}

    def invalid(code: str, **params) -> ValidationError:
        message = str(wording[code])
        return ValidationError({field: ValidationError(message % params if params else message, code=code)})

    if value is None:
        value = ""
    if not isinstance(value, str):
        raise invalid("invalid")
    text = " ".join(value.split()) if one_line else value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if "\x00" in text:
        raise invalid("null_characters_not_allowed")
    if required and not text:
        raise invalid("required")
    if len(text) > max_length:
        raise invalid("max_length", max=max_length, length=len(text))
    return text

"""The sentences of the notifications ("Sanne de Vries wrote a new message.").

Other parts of Samen tell a person something through ``samen.reminders.services.notify`` with a kind and the few
facts its sentence needs (a name, an organisation, a date), never case content: ``notify`` refuses any other facts
(``PARAMS``). The sentence is made when the list is shown, in the reader's language, as
``samen.timeline.events`` does it for the timeline.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from samen.reminders.models import NotificationKind

K = NotificationKind

SENTENCES: dict[NotificationKind, Any] = {
    K.MENTION: _("%(name)s mentioned you in a conversation."),
    K.MESSAGE: _("%(name)s wrote a new message."),
    K.SIGNAL: _("%(name)s said that something is not going well."),
    K.SIGNAL_ESCALATED: _("A signal that something is not going well was not answered in time. It needs you now."),
    K.SIGNAL_BREAKTHROUGH: _(
        "A signal that something is not going well is still not solved. People who can decide will talk about it "
        "together."
    ),
    K.REFERRAL_NEW: _("%(organisation)s asks your organisation to help."),
    K.REFERRAL_UPDATE: _("There is news about the request to %(organisation)s."),
    K.MEETING_INVITED: _("You are invited to a meeting on %(date)s."),
    K.MEETING_OUTCOMES: _("What was agreed at the meeting of %(date)s is written down."),
    K.PULSE_OPEN: _(
        "How is the collaboration in %(name)s going? Answer the short, anonymous questions (under three minutes) "
        "before %(date)s."
    ),
    K.PULSE_REMINDER: _("The anonymous questions about the collaboration in %(name)s close on %(date)s."),
    K.PULSE_PROMPT: _("There is something to talk about in %(name)s. Put it on the agenda of the next meeting."),
}

# A bumped line (``group_key``) says how many there are.
SENTENCES_MORE: dict[NotificationKind, Any] = {
    K.MESSAGE: _("%(name)s and others wrote %(count)s new messages."),
    K.MENTION: _("You were mentioned %(count)s times in a conversation, last by %(name)s."),
    K.SIGNAL: _("%(count)s signals that something is not going well, last from %(name)s."),
}

# What the link of each kind opens, for its text.
LINKS: dict[NotificationKind, Any] = {
    K.MENTION: _("Open the conversation"),
    K.MESSAGE: _("Open the conversation"),
    K.SIGNAL: _("Open the conversation"),
    K.SIGNAL_ESCALATED: _("Open the signal"),
    K.SIGNAL_BREAKTHROUGH: _("Open the signal"),
    K.REFERRAL_NEW: _("Open the request"),
    K.REFERRAL_UPDATE: _("Open the request"),
    K.MEETING_INVITED: _("Open the meeting"),
    K.MEETING_OUTCOMES: _("Open the meeting"),
    K.PULSE_OPEN: _("Answer the questions"),
    K.PULSE_REMINDER: _("Answer the questions"),
    K.PULSE_PROMPT: _("Open the conversation prompts"),
}

# The facts each sentence needs; ``notify`` refuses others, so no case content slips into a notification.
PARAMS: dict[NotificationKind, frozenset[str]] = {
    K.MENTION: frozenset({"name"}),
    K.MESSAGE: frozenset({"name"}),
    K.SIGNAL: frozenset({"name"}),
    K.SIGNAL_ESCALATED: frozenset(),
    K.SIGNAL_BREAKTHROUGH: frozenset(),
    K.REFERRAL_NEW: frozenset({"organisation"}),
    K.REFERRAL_UPDATE: frozenset({"organisation"}),
    K.MEETING_INVITED: frozenset({"date"}),
    K.MEETING_OUTCOMES: frozenset({"date"}),
    K.PULSE_OPEN: frozenset({"name", "date"}),
    K.PULSE_REMINDER: frozenset({"name", "date"}),
    K.PULSE_PROMPT: frozenset({"name"}),
}

# The longest fact: a person's or an organisation's name, or a date. Anything longer is not a fact but text.
PARAM_MAX_LENGTH = 200


def clean_param(name: str, value: Any) -> str:
    """A fact as it is stored: text (a date as ``YYYY-MM-DD``). ``ValueError`` for what is not such a fact."""
    if isinstance(value, datetime.datetime):
        raise ValueError(f"{name}: a date, not a moment")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{name}: text or a number")
    text = str(value).strip()
    if not text or len(text) > PARAM_MAX_LENGTH or any(ord(char) < 32 for char in text):
        raise ValueError(f"{name}: between 1 and {PARAM_MAX_LENGTH} characters on one line")
    if name == "date":
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            raise ValueError("date: a date as YYYY-MM-DD") from None
    return text


def _display(name: str, value: Any) -> str:
    if name == "date":
        try:
            return formats.date_format(datetime.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return str(value)
    return str(value)


def link_text(kind: str) -> str:
    try:
        return str(LINKS[NotificationKind(kind)])
    except ValueError:
        return str(_("Open"))


def sentence(kind: str, params: Mapping[str, Any], count: int = 1) -> str:
    """The notification's sentence in the active language. A kind or a fact that is missing (a row written by a
    newer version, say) gives the kind's name instead of an error."""
    try:
        kind = NotificationKind(kind)
    except ValueError:
        return str(kind)
    needed = PARAMS[kind]
    if not isinstance(params, Mapping) or not needed <= set(params):
        return str(kind.label).capitalize() + "."
    values = {name: _display(name, params[name]) for name in needed}
    if count > 1 and kind in SENTENCES_MORE:
        return str(SENTENCES_MORE[kind]) % {**values, "count": count}
    return str(SENTENCES[kind]) % values

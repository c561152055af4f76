"""The sentences of the timeline's events ("Version 3 of the plan was saved.").

Other parts of Samen write an event through ``samen.timeline.services.event_record`` with a code and the few facts
the sentence needs (a name, a number, a date, a data category), never case content. The sentence is made when the
timeline is shown, in the reader's language; ``Entry.text`` keeps the Dutch sentence as it was at the time, for an
export and for events written before codes existed (the demo's history).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _

from samen.core.vocabulary import DataCategory, TeamRole
from samen.timeline.models import EventCode

# The part of Samen that writes each event (shown nowhere; kept for exports and the audit description).
SOURCES: dict[EventCode, str] = {
    EventCode.PLAN_CHANGED: "plans",
    EventCode.GOAL_ADDED: "plans",
    EventCode.GOAL_CHANGED: "plans",
    EventCode.ACTION_ADDED: "plans",
    EventCode.ACTION_DONE: "plans",
    EventCode.ACTION_REPLANNED: "plans",
    EventCode.EVALUATION_PLANNED: "plans",
    EventCode.EVALUATION_RECORDED: "plans",
    EventCode.VERSION_SAVED: "plans",
    EventCode.VERSION_AGREED: "plans",
    EventCode.CONSENT_GIVEN: "consent",
    EventCode.CONSENT_WITHDRAWN: "consent",
    EventCode.EMERGENCY_ACCESS: "consent",
    EventCode.COORDINATOR_CHANGED: "households",
    EventCode.TEAM_JOINED: "households",
    EventCode.TEAM_LEFT: "households",
    EventCode.THREAD_OPENED: "conversations",
    EventCode.SIGNAL_RAISED: "conversations",
    EventCode.SIGNAL_ANSWERED: "conversations",
    EventCode.SIGNAL_ESCALATED: "conversations",
    EventCode.SIGNAL_BREAKTHROUGH: "conversations",
    EventCode.SIGNAL_RESOLVED: "conversations",
    EventCode.MEETING_PLANNED: "conversations",
    EventCode.MEETING_HELD: "conversations",
    EventCode.MEETING_CANCELLED: "conversations",
    EventCode.REFERRAL_REQUESTED: "referrals",
    EventCode.REFERRAL_ACCEPTED: "referrals",
    EventCode.REFERRAL_REJECTED: "referrals",
    EventCode.REFERRAL_STARTED: "referrals",
    EventCode.REFERRAL_COMPLETED: "referrals",
    EventCode.REFERRAL_CANCELLED: "referrals",
}

SENTENCES: dict[EventCode, Any] = {
    EventCode.PLAN_CHANGED: _("The question, what goes well or what worries us in the plan was changed."),
    EventCode.GOAL_ADDED: _("A goal was added to the plan."),
    EventCode.GOAL_CHANGED: _("A goal in the plan was changed."),
    EventCode.ACTION_ADDED: _("An action was added to the plan, for %(owner)s."),
    EventCode.ACTION_DONE: _("An action in the plan is done."),
    EventCode.ACTION_REPLANNED: _("An action in the plan moved to %(date)s. Why is written with the action."),
    EventCode.EVALUATION_PLANNED: _("An evaluation of the plan is planned on %(date)s."),
    EventCode.EVALUATION_RECORDED: _("The outcome of the evaluation of %(date)s was written down."),
    EventCode.VERSION_SAVED: _("Version %(number)s of the plan was saved."),
    EventCode.VERSION_AGREED: _("Someone from the household agreed with version %(number)s of the plan."),
    EventCode.CONSENT_GIVEN: _("%(receiver)s may now see: %(category)s."),
    EventCode.CONSENT_WITHDRAWN: _("%(receiver)s may no longer see: %(category)s."),
    EventCode.EMERGENCY_ACCESS: _("%(organisation)s started emergency access."),
    EventCode.COORDINATOR_CHANGED: _("%(name)s of %(organisation)s is now the coordinator."),
    EventCode.TEAM_JOINED: _("%(name)s joined the team (%(role)s)."),
    EventCode.TEAM_LEFT: _("%(name)s left the team."),
    EventCode.THREAD_OPENED: _("Professionals started a conversation without you about: %(topic)s."),
    EventCode.SIGNAL_RAISED: _("%(name)s said that something is not going well."),
    EventCode.SIGNAL_ANSWERED: _("%(name)s responded to the signal that something is not going well."),
    EventCode.SIGNAL_ESCALATED: _(
        "Nobody responded within %(days)s working days. The network's facilitator now helps to find an answer."
    ),
    EventCode.SIGNAL_BREAKTHROUGH: _(
        "The signal is still not solved. People who can decide will now talk about it together."
    ),
    EventCode.SIGNAL_RESOLVED: _("%(name)s wrote that the signal is solved."),
    EventCode.MEETING_PLANNED: _("A meeting is planned on %(date)s."),
    EventCode.MEETING_HELD: _("The meeting of %(date)s was held. What was agreed is written down."),
    EventCode.MEETING_CANCELLED: _("The meeting of %(date)s was cancelled."),
    EventCode.REFERRAL_REQUESTED: _("%(organisation)s was asked to help."),
    EventCode.REFERRAL_ACCEPTED: _("%(organisation)s said yes to the request to help."),
    EventCode.REFERRAL_REJECTED: _("%(organisation)s said no to the request to help."),
    EventCode.REFERRAL_STARTED: _("%(organisation)s started to help."),
    EventCode.REFERRAL_COMPLETED: _("%(organisation)s finished helping."),
    EventCode.REFERRAL_CANCELLED: _("The request to %(organisation)s to help was cancelled."),
}

# The facts each sentence needs; ``event_record`` refuses others, so no case content slips into an event.
PARAMS: dict[EventCode, frozenset[str]] = {
    EventCode.PLAN_CHANGED: frozenset(),
    EventCode.GOAL_ADDED: frozenset(),
    EventCode.GOAL_CHANGED: frozenset(),
    EventCode.ACTION_ADDED: frozenset({"owner"}),
    EventCode.ACTION_DONE: frozenset(),
    EventCode.ACTION_REPLANNED: frozenset({"date"}),
    EventCode.EVALUATION_PLANNED: frozenset({"date"}),
    EventCode.EVALUATION_RECORDED: frozenset({"date"}),
    EventCode.VERSION_SAVED: frozenset({"number"}),
    EventCode.VERSION_AGREED: frozenset({"number"}),
    EventCode.CONSENT_GIVEN: frozenset({"receiver", "category"}),
    EventCode.CONSENT_WITHDRAWN: frozenset({"receiver", "category"}),
    EventCode.EMERGENCY_ACCESS: frozenset({"organisation"}),
    EventCode.COORDINATOR_CHANGED: frozenset({"name", "organisation"}),
    EventCode.TEAM_JOINED: frozenset({"name", "role"}),
    EventCode.TEAM_LEFT: frozenset({"name"}),
    EventCode.THREAD_OPENED: frozenset({"topic"}),
    EventCode.SIGNAL_RAISED: frozenset({"name"}),
    EventCode.SIGNAL_ANSWERED: frozenset({"name"}),
    EventCode.SIGNAL_ESCALATED: frozenset({"days"}),
    EventCode.SIGNAL_BREAKTHROUGH: frozenset(),
    EventCode.SIGNAL_RESOLVED: frozenset({"name"}),
    EventCode.MEETING_PLANNED: frozenset({"date"}),
    EventCode.MEETING_HELD: frozenset({"date"}),
    EventCode.MEETING_CANCELLED: frozenset({"date"}),
    EventCode.REFERRAL_REQUESTED: frozenset({"organisation"}),
    EventCode.REFERRAL_ACCEPTED: frozenset({"organisation"}),
    EventCode.REFERRAL_REJECTED: frozenset({"organisation"}),
    EventCode.REFERRAL_STARTED: frozenset({"organisation"}),
    EventCode.REFERRAL_COMPLETED: frozenset({"organisation"}),
    EventCode.REFERRAL_CANCELLED: frozenset({"organisation"}),
}


def _display(name: str, value: Any) -> str:
    if name == "category":
        try:
            return str(DataCategory(value).label)
        except ValueError:
            return str(value)
    if name == "role":
        try:
            return str(TeamRole(value).label)
        except ValueError:
            return str(value)
    if name == "date":
        try:
            return formats.date_format(datetime.date.fromisoformat(str(value)), "j F Y")
        except ValueError:
            return str(value)
    return str(value)


def sentence(code: str, params: Mapping[str, Any]) -> str | None:
    """The event's sentence in the active language, or None when the code or a fact is missing (then the caller
    shows the stored text)."""
    try:
        event = EventCode(code)
    except ValueError:
        return None
    needed = PARAMS[event]
    if not needed <= set(params):
        return None
    return str(SENTENCES[event]) % {name: _display(name, params[name]) for name in needed}

"""A meeting as an iCalendar invitation (RFC 5545 / iTIP RFC 5546), for the e-mail and the download.

One VEVENT with the meeting's stable ``uid`` and its ``sequence``, so a calendar that has the invitation replaces it
with an update or a cancellation. The event says when (in UTC), where (the place, or the video link) and who; its
summary is the meeting's title only. No agenda, no outcomes, no household name: a calendar is not a safe place for
case content. The description only points to the meeting in Samen, behind the login.
"""

from __future__ import annotations

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from samen.households.tasks import site_url
from samen.meetings.models import Meeting, MeetingParticipant, MeetingStatus

PRODUCT_ID = "-//Samen//Overleg//NL"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def method_of(meeting: Meeting) -> str:
    return "CANCEL" if meeting.status == MeetingStatus.CANCELLED else "REQUEST"


def meeting_url(meeting: Meeting) -> str:
    return site_url(reverse("meetings:detail", args=[meeting.household_id, meeting.pk]))


def _address(email: str, name: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key.replace("_", "-")] = vText(value)
    return address


def _organizer(meeting: Meeting) -> vCalAddress:
    user = meeting.created_by
    if user is not None and user.email:
        return _address(user.email, user.get_full_name())
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return _address(email, name or "Samen")


def calendar_for(
    meeting: Meeting, participants: list[MeetingParticipant], *, now: datetime.datetime | None = None
) -> bytes:
    """The .ics file of ``meeting`` (``participants`` with their users loaded), in the project's language."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        description = _("The details of this meeting are in Samen: %(link)s") % {"link": meeting_url(meeting)}
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method_of(meeting))
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
    event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
    event.add("summary", meeting.title)
    event.add("description", description)
    if meeting.place:
        event.add("location", meeting.place)
    elif meeting.video_url:
        event.add("location", meeting.video_url)
    if meeting.video_url:
        event.add("url", meeting.video_url)
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("organizer", _organizer(meeting))
    for participant in participants:
        user = participant.user
        if user is None or not user.email:
            continue
        event.add(
            "attendee",
            _address(
                user.email,
                participant.name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp="FALSE",
            ),
        )
    calendar.add_component(event)
    return calendar.to_ical()


def file_name(meeting: Meeting) -> str:
    return f"overleg-{timezone.localtime(meeting.starts_at):%Y-%m-%d}.ics"

"""The .ics of a meeting parses back with icalendar and says when, where, who and nothing about the case; the
e-mail that carries it says that there is a meeting, when, and a link, once per participant and sequence."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from icalendar import Calendar

from samen.accounts.tests.factories import UserFactory
from samen.households.tests.factories import CitizenFactory
from samen.meetings import calendar, tasks
from samen.meetings.models import MeetingParticipant
from samen.meetings.tests.factories import AgendaItemFactory, MeetingFactory, ParticipantFactory

pytestmark = pytest.mark.django_db


def _event(content: bytes):
    parsed = Calendar.from_ical(content)
    (event,) = parsed.walk("VEVENT")
    return parsed, event


@pytest.fixture
def meeting():
    starts = timezone.make_aware(datetime.datetime(2030, 3, 12, 14, 30))  # Amsterdam, CET: 13:30 UTC
    meeting = MeetingFactory(
        starts_at=starts,
        duration=90,
        title="Keukentafelgesprek",
        household__name="Familie Bakker",
        created_by=UserFactory(full_name="Kees Regisseur", email="kees@example.test"),
    )
    fatima = CitizenFactory(
        household=meeting.household,
        given_name="Fatima",
        family_name="Bakker",
        user=UserFactory(full_name="Fatima Bakker", email="fatima@example.test"),
    )
    ParticipantFactory(meeting=meeting, member=fatima, user=fatima.user, name="Fatima Bakker")
    ParticipantFactory(meeting=meeting, name="Ans de Buurvrouw")  # no account: no attendee
    AgendaItemFactory(meeting=meeting, text="Schulden bij de energieleverancier")
    return meeting


def _people(meeting):
    return list(MeetingParticipant.objects.filter(meeting=meeting).select_related("user"))


def test_the_ics_parses_back_with_the_right_fields(meeting):
    parsed, event = _event(calendar.calendar_for(meeting, _people(meeting)))
    assert str(parsed["method"]) == "REQUEST" and str(parsed["version"]) == "2.0"
    assert str(event["uid"]) == meeting.uid
    assert event.decoded("dtstart") == datetime.datetime(2030, 3, 12, 13, 30, tzinfo=datetime.UTC)
    assert event.decoded("dtend") == datetime.datetime(2030, 3, 12, 15, 0, tzinfo=datetime.UTC)
    assert event["dtstart"].to_ical().endswith(b"Z") and event["dtstamp"].to_ical().endswith(b"Z")
    assert str(event["summary"]) == "Keukentafelgesprek"
    assert str(event["location"]) == "Bij de familie thuis"
    assert "url" not in event
    assert int(event["sequence"]) == 0 and str(event["status"]) == "CONFIRMED"
    assert str(event["organizer"]) == "mailto:kees@example.test"
    assert event["organizer"].params["CN"] == "Kees Regisseur"
    attendees = event["attendee"] if isinstance(event["attendee"], list) else [event["attendee"]]
    assert [str(a) for a in attendees] == ["mailto:fatima@example.test"]
    assert attendees[0].params["CN"] == "Fatima Bakker"
    assert f"/huishoudens/{meeting.household_id}/overleggen/{meeting.pk}/" in str(event["description"])


def test_no_case_content_in_the_calendar(meeting):
    content = calendar.calendar_for(meeting, _people(meeting)).decode()
    assert "Familie Bakker" not in content
    assert "energieleverancier" not in content


def test_a_video_meeting_has_its_link_as_url_and_location():
    meeting = MeetingFactory(by_video=True)
    _parsed, event = _event(calendar.calendar_for(meeting, []))
    assert str(event["url"]) == "https://meet.example.test/overleg-123"
    assert str(event["location"]) == "https://meet.example.test/overleg-123"


def test_a_cancelled_meeting_cancels_the_event(meeting):
    meeting.status, meeting.cancelled_at, meeting.sequence = "cancelled", timezone.now(), 2
    parsed, event = _event(calendar.calendar_for(meeting, _people(meeting)))
    assert str(parsed["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 2
    assert str(event["uid"]) == meeting.uid


def test_the_e_mail_holds_no_case_content_and_carries_the_ics(meeting, mailoutbox):
    participant = MeetingParticipant.objects.get(meeting=meeting, user__isnull=False)
    assert tasks.send_meeting_invitation.call(participant.pk, 0) is True
    (message,) = mailoutbox
    assert message.to == ["fatima@example.test"]
    text = message.subject + message.body
    for secret in ("Familie Bakker", "energieleverancier", "Keukentafelgesprek", "Bij de familie thuis"):
        assert secret not in text
    assert "12 maart 2030" in text and "14:30" in message.body
    assert f"/huishoudens/{meeting.household_id}/overleggen/{meeting.pk}/" in message.body
    ((name, content, mimetype),) = message.attachments
    assert name == "overleg-2030-03-12.ics" and mimetype.startswith("text/calendar") and "method=REQUEST" in mimetype
    _parsed, event = _event(content.encode() if isinstance(content, str) else content)
    assert str(event["uid"]) == meeting.uid


def test_the_e_mail_goes_once_per_sequence(meeting, mailoutbox):
    participant = MeetingParticipant.objects.get(meeting=meeting, user__isnull=False)
    assert tasks.send_meeting_invitation.call(participant.pk, 0) is True
    assert tasks.send_meeting_invitation.call(participant.pk, 0) is False  # a retried task sends nothing twice
    assert len(mailoutbox) == 1
    participant.refresh_from_db()
    assert participant.invited_sequence == 0 and participant.invited_at is not None


def test_an_older_sequence_sends_nothing(meeting, mailoutbox):
    participant = MeetingParticipant.objects.get(meeting=meeting, user__isnull=False)
    meeting.sequence = 3
    meeting.save(update_fields=["sequence"])
    assert tasks.send_meeting_invitation.call(participant.pk, 2) is False
    assert tasks.send_meeting_invitation.call(participant.pk, 3) is True
    assert len(mailoutbox) == 1


def test_a_blocked_account_gets_nothing(meeting, mailoutbox):
    participant = MeetingParticipant.objects.get(meeting=meeting, user__isnull=False)
    participant.user.is_active = False
    participant.user.save(update_fields=["is_active"])
    assert tasks.send_meeting_invitation.call(participant.pk, 0) is False
    assert mailoutbox == []


def test_a_failed_send_can_be_tried_again(meeting, mailoutbox, monkeypatch):
    participant = MeetingParticipant.objects.get(meeting=meeting, user__isnull=False)

    def refuse(*args, **kwargs):
        raise OSError("the mail server did not answer")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(OSError):
        tasks.send_meeting_invitation.call(participant.pk, 0)
    participant.refresh_from_db()
    assert participant.invited_sequence is None
    monkeypatch.undo()
    assert tasks.send_meeting_invitation.call(participant.pk, 0) is True
    assert len(mailoutbox) == 1

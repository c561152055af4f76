"""The demo's conversations (synthetic): the showcase household talks (with an @mention), has a solved signal and an
open one, and a conversation between professionals; a second household has a signal nobody answered, escalated to
the network's facilitator; other detailed households have a few messages each.

Like the rest of the demo it writes its rows itself, the way the services would leave them (messages, threads,
signals, their timeline events, the network's case event, the notifications), so that a demo run writes one audit
entry of its own (``samen.demo.services``) and sends nothing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation

from samen.conversations.models import (
    Mention,
    Message,
    Signal,
    SignalKind,
    SignalOrganisation,
    Thread,
    ThreadKind,
    ThreadOrganisation,
)
from samen.conversations.services import household_network
from samen.conversations.workdays import add_working_days
from samen.core.actor import Role
from samen.households.models import Household, HouseholdMember, TeamMember
from samen.organisations.models import SIGNAL_RESPONSE_DAYS_DEFAULT, CaseEvent, CaseEventKind
from samen.reminders.models import NotificationKind
from samen.reminders.services import write_notifications
from samen.timeline import events
from samen.timeline.models import Entry, EntryKind, EventCode

# The showcase's household conversation: (days ago, who, category, text). "citizen", "coordinator" and
# "professional" are the showcase's member with an account, its coordinator and a professional of the team.
SHOWCASE_MESSAGES = [
    (
        20,
        "coordinator",
        "general",
        "Goedemorgen {citizen}, fijn dat je het plan hebt bekeken. Zullen we donderdag bellen?",
    ),
    (20, "citizen", "general", "Donderdag na 15:00 kan ik. Dan zijn de kinderen uit school."),
    (19, "coordinator", "general", "Afgesproken: donderdag 15:30 bel ik je."),
    (
        14,
        "professional",
        "finances",
        "De aanvraag voor de schuldregeling is verstuurd. Binnen zes weken horen we meer.",
    ),
    (14, "citizen", "finances", "Dank je. Moet ik de brieven van de energieleverancier nog bewaren?"),
    (13, "professional", "finances", "Ja, bewaar alles in de map. Neem hem mee naar onze afspraak van de 12e."),
    (8, "citizen", "general", "@{coordinator_first} de school belde over Noor. Kunnen we daar over praten?"),
    (
        8,
        "coordinator",
        "general",
        "Zeker. Ik zet het op de agenda van ons overleg. Zie https://www.voorbeeldstad.nl/jeugd",
    ),
    (3, "citizen", "general", "Het gaat deze week iets beter. De huur is betaald."),
    (1, "coordinator", "general", "Goed om te horen! Tot het overleg."),
]
SHOWCASE_THREAD = {
    "topic": "Afstemming schuldregeling en huur",
    "reason": "We stemmen af wie welke brief naar de verhuurder stuurt; de uitkomst bespreken we daarna met het gezin.",
    "messages": [
        (
            "coordinator",
            "Zullen wij de verhuurder samen één brief sturen? Dan hoeft het gezin niet twee keer uit te leggen.",
        ),
        ("professional", "Goed idee. Ik maak een opzet en stuur die morgen."),
    ],
}
OTHER_MESSAGES = [
    ("coordinator", "Hoe ging het gesprek met de school?"),
    ("citizen", "Goed. Ze nemen contact op voor een vervolgafspraak."),
    ("coordinator", "Fijn. Laat maar weten als je hulp wilt bij het formulier."),
]


@dataclass(frozen=True)
class _Person:
    user_id: int
    name: str
    role: str
    organisation_id: int | None


def _people_of(household_ids: list[int]) -> dict[int, dict[str, _Person | None]]:
    """For each household: its member with an account (the oldest), its coordinator and another professional of
    its team (two queries, whatever the number of households)."""
    found: dict[int, dict[str, _Person | None]] = {
        pk: {"citizen": None, "coordinator": None, "professional": None} for pk in household_ids
    }
    team = (
        TeamMember.objects.filter(household_id__in=household_ids, left_at__isnull=True, user__isnull=False)
        .order_by("pk")
        .values_list("household_id", "user_id", "user__full_name", "organisation_id", "role", "is_coordinator")
    )
    for household_id, user_id, name, organisation_id, role, is_coordinator in team:
        people = found[household_id]
        if is_coordinator and people["coordinator"] is None:
            people["coordinator"] = _Person(user_id, name, Role.COORDINATOR, organisation_id)
        elif role == "professional" and not is_coordinator and people["professional"] is None:
            people["professional"] = _Person(user_id, name, Role.PROFESSIONAL, organisation_id)
    members = (
        HouseholdMember.objects.filter(household_id__in=household_ids, user__isnull=False, user__is_active=True)
        .order_by("date_of_birth", "pk")
        .values_list("household_id", "user_id", "user__full_name")
    )
    for household_id, user_id, name in members:
        if found[household_id]["citizen"] is None:
            found[household_id]["citizen"] = _Person(user_id, name, Role.CITIZEN, None)
    return found


class _Writer:
    """Collects the rows of one household's conversation at given moments, as the services would write them."""

    def __init__(self, household_id: int, now: datetime.datetime) -> None:
        self.household_id = household_id
        self.now = now
        self.messages = 0

    def thread(self, kind: str, moment: datetime.datetime, creator: _Person | None, topic: str = "", reason: str = ""):
        return Thread.objects.create(
            household_id=self.household_id,
            kind=kind,
            topic=topic,
            reason=reason,
            created_by_id=creator.user_id if creator else None,
            created_at=moment,
        )

    def say(self, thread: Thread, who: _Person, category: str, text: str, moment: datetime.datetime) -> Message:
        message = Message.objects.create(
            thread=thread,
            household_id=self.household_id,
            author_id=who.user_id,
            organisation_id=who.organisation_id,
            author_role=str(who.role),
            category=category,
            text=text,
            created_at=moment,
        )
        Thread.objects.filter(pk=thread.pk).update(last_message_id=message.pk, last_message_at=moment)
        self.messages += 1
        return message

    def event(self, code: EventCode, category: str, who: _Person | None, moment: datetime.datetime, **params) -> None:
        params = {name: value if isinstance(value, int) else str(value) for name, value in params.items()}
        with translation.override(settings.LANGUAGE_CODE):
            text = events.sentence(code, params)
        Entry.objects.create(
            household_id=self.household_id,
            kind=EntryKind.EVENT,
            category=category,
            text=text,
            source=events.SOURCES[code],
            event_code=code.value,
            event_params=params,
            written_by_id=who.user_id if who else None,
            organisation_id=who.organisation_id if who else None,
            author_role=str(who.role) if who else str(Role.SYSTEM),
            created_at=moment,
        )

    def signal(
        self,
        *,
        kind: SignalKind,
        text: str,
        raiser: _Person,
        coordinator: _Person | None,
        raised_at: datetime.datetime,
        organisations: list[int] = (),
    ) -> Signal:
        network = household_network(Household(pk=self.household_id))
        days = network.signal_response_days if network is not None else SIGNAL_RESPONSE_DAYS_DEFAULT
        thread = self.thread(ThreadKind.SIGNAL, raised_at, raiser, topic=str(kind.label))
        due = add_working_days(raised_at, days)
        signal = Signal.objects.create(
            household_id=self.household_id,
            thread=thread,
            kind=kind,
            category="general",
            text=text,
            raised_by_id=raiser.user_id,
            raised_by_role=str(raiser.role),
            raised_by_organisation_id=raiser.organisation_id,
            owner_id=coordinator.user_id if coordinator else None,
            owner_organisation_id=coordinator.organisation_id if coordinator else None,
            network=network,
            response_days=days,
            raised_at=raised_at,
            due_at=due,
            second_due_at=add_working_days(due, days),
        )
        SignalOrganisation.objects.bulk_create(
            [SignalOrganisation(signal=signal, organisation_id=pk) for pk in sorted(set(organisations))]
        )
        self.say(thread, raiser, "general", text, raised_at)
        self.event(EventCode.SIGNAL_RAISED, "general", raiser, raised_at, name=raiser.name)
        return signal


def _notify(recipients, household_id, kind, url, params, moment, category="general", group_key=""):
    write_notifications(
        skip=None,
        recipients=[user for user in recipients if user is not None],
        household_id=household_id,
        kind=kind,
        category=category,
        url=url,
        params=params,
        group_key=group_key,
        now=moment,
    )


def add_demo_conversations(*, household_ids: list[int], seed: int, now: datetime.datetime) -> int:
    """Conversations for the detailed households (the first is the showcase). Returns the number of messages."""
    if not household_ids:
        return 0
    rng = random.Random(seed + 11)  # noqa: S311 - demo data
    written = 0
    showcase = household_ids[0]
    everyone = _people_of(household_ids[:30])
    people = everyone[showcase]
    citizen, coordinator, professional = people["citizen"], people["coordinator"], people["professional"]
    writer = _Writer(showcase, now)
    if citizen is not None and coordinator is not None:
        words = {"citizen": citizen.name.split()[0], "coordinator_first": coordinator.name.split()[0]}
        thread = writer.thread(ThreadKind.HOUSEHOLD, now - datetime.timedelta(days=21), citizen)
        url = reverse("conversations:household", args=[showcase])
        for days, who, category, text in SHOWCASE_MESSAGES:
            author = people[who]
            if author is None:
                continue
            moment = now - datetime.timedelta(days=days, hours=rng.randint(1, 8))
            message = writer.say(thread, author, category, text.format(**words), moment)
            if "@" in message.text:
                Mention.objects.create(message=message, user_id=coordinator.user_id)
                _notify([coordinator.user_id], showcase, NotificationKind.MENTION, url, {"name": author.name}, moment)
        _notify(
            [citizen.user_id],
            showcase,
            NotificationKind.MESSAGE,
            url,
            {"name": coordinator.name},
            now,
            group_key=f"thread:{thread.pk}",
        )
        # A conversation between professionals: the household sees that it exists, its topic and why.
        if professional is not None:
            moment = now - datetime.timedelta(days=5)
            between = writer.thread(
                ThreadKind.PROFESSIONALS, moment, coordinator, SHOWCASE_THREAD["topic"], SHOWCASE_THREAD["reason"]
            )
            ThreadOrganisation.objects.bulk_create(
                [
                    ThreadOrganisation(thread=between, organisation_id=pk)
                    for pk in sorted({coordinator.organisation_id, professional.organisation_id})
                ]
            )
            writer.event(EventCode.THREAD_OPENED, "general", coordinator, moment, topic=SHOWCASE_THREAD["topic"])
            for offset, (who, text) in enumerate(SHOWCASE_THREAD["messages"]):
                writer.say(between, people[who], "general", text, moment + datetime.timedelta(hours=offset + 1))
        # A signal the coordinator answered and solved, twelve days ago.
        raised = now - datetime.timedelta(days=12)
        solved = writer.signal(
            kind=SignalKind.UNDERSTANDING,
            text="Ik snap de brief over de toeslag niet en niemand legt het uit.",
            raiser=citizen,
            coordinator=coordinator,
            raised_at=raised,
        )
        answered = raised + datetime.timedelta(hours=20)
        writer.say(
            solved.thread,
            coordinator,
            "general",
            "Sorry dat dit bleef liggen. Ik kom morgen langs en we lezen de brief samen.",
            answered,
        )
        writer.event(EventCode.SIGNAL_ANSWERED, "general", coordinator, answered, name=coordinator.name)
        resolved = raised + datetime.timedelta(days=2)
        Signal.objects.filter(pk=solved.pk).update(
            answered_at=answered,
            answered_by_id=coordinator.user_id,
            resolved_at=resolved,
            resolved_by_id=coordinator.user_id,
            resolution="Samen de brief gelezen; de toeslag wordt aangepast.",
        )
        writer.event(EventCode.SIGNAL_RESOLVED, "general", coordinator, resolved, name=coordinator.name)
        # An open signal, raised this morning: the coordinator is told.
        raised = now - datetime.timedelta(hours=3)
        open_signal = writer.signal(
            kind=SignalKind.PART,
            text="De afspraak met de woningcorporatie is twee keer niet doorgegaan.",
            raiser=citizen,
            coordinator=coordinator,
            raised_at=raised,
        )
        _notify(
            [coordinator.user_id, professional.user_id if professional else None],
            showcase,
            NotificationKind.SIGNAL,
            reverse("conversations:thread", args=[showcase, open_signal.thread_id]),
            {"name": citizen.name},
            raised,
        )
    written += writer.messages
    written += _escalated_signal(household_ids[1:30], everyone, now)
    written += _other_conversations(household_ids[2:30], everyone, now, rng)
    return written


def _other_conversations(household_ids, everyone, now, rng) -> int:
    """A few messages in each of the other detailed households with a coordinator (in batches)."""
    chosen = [pk for pk in household_ids if everyone[pk]["coordinator"] is not None]
    threads = Thread.objects.bulk_create(
        [
            Thread(
                household_id=pk,
                kind=ThreadKind.HOUSEHOLD,
                created_by_id=everyone[pk]["coordinator"].user_id,
                created_at=now - datetime.timedelta(days=7),
            )
            for pk in chosen
        ]
    )
    messages = []
    for thread in threads:
        people = everyone[thread.household_id]
        for offset, (who, text) in enumerate(OTHER_MESSAGES):
            author = people[who] or people["coordinator"]
            messages.append(
                Message(
                    thread=thread,
                    household_id=thread.household_id,
                    author_id=author.user_id,
                    organisation_id=author.organisation_id,
                    author_role=str(author.role),
                    category="general",
                    text=text,
                    created_at=now - datetime.timedelta(days=6 - offset, hours=rng.randint(1, 9)),
                )
            )
    Message.objects.bulk_create(messages)
    newest = Message.objects.filter(thread=OuterRef("pk")).order_by("-pk")
    Thread.objects.filter(pk__in=[thread.pk for thread in threads]).update(
        last_message_id=Subquery(newest.values("pk")[:1]), last_message_at=Subquery(newest.values("created_at")[:1])
    )
    return len(messages)


def _escalated_signal(household_ids: list[int], everyone, now: datetime.datetime) -> int:
    """A signal nobody answered, nine days ago: escalated to the facilitator when its deadline passed."""
    for household_id in household_ids:
        people = everyone[household_id]
        raiser = people["citizen"] or people["professional"]
        coordinator = people["coordinator"]
        if raiser is None or coordinator is None:
            continue
        writer = _Writer(household_id, now)
        signal = writer.signal(
            kind=SignalKind.PLAN,
            text="Het plan werkt niet: de afspraken uit het overleg zijn niet opgepakt.",
            raiser=raiser,
            coordinator=coordinator,
            raised_at=now - datetime.timedelta(days=9),
            organisations=[pk for pk in (raiser.organisation_id, coordinator.organisation_id) if pk],
        )
        escalated = signal.due_at + datetime.timedelta(minutes=5)
        if escalated > now:
            return writer.messages
        Signal.objects.filter(pk=signal.pk).update(escalated_at=escalated)
        writer.event(EventCode.SIGNAL_ESCALATED, "general", None, escalated, days=signal.response_days)
        organisations = sorted({pk for pk in (raiser.organisation_id, coordinator.organisation_id) if pk})
        if signal.network_id is not None and organisations:
            pair = (organisations + [None])[:2]
            CaseEvent.objects.create(
                network_id=signal.network_id,
                kind=CaseEventKind.SIGNAL_ESCALATED,
                organisation_a_id=pair[0],
                organisation_b_id=pair[1],
                signal_kind=signal.kind,
                occurred_on=timezone.localdate(escalated),
                hours=int((escalated - signal.raised_at).total_seconds() // 3600),
            )
            facilitators = list(signal.network.facilitators.values_list("pk", flat=True))
            _notify(
                facilitators,
                None,
                NotificationKind.SIGNAL_ESCALATED,
                reverse("conversations:facilitator"),
                {},
                escalated,
            )
        _notify(
            [coordinator.user_id],
            household_id,
            NotificationKind.SIGNAL_ESCALATED,
            reverse("conversations:thread", args=[household_id, signal.thread_id]),
            {},
            escalated,
        )
        return writer.messages
    return 0

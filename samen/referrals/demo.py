"""Demo referrals (synthetic, plain Dutch) for the demo generator: a referral in every state.

The showcase household (the lowest id), referred by its coordinator (Wijkteam Noord): to debt counselling (completed:
that is how the demo's debt counsellor came into the team), to youth care (in progress), to the housing corporation
(rejected, with a reason), to the welfare organisation (cancelled), and to mental health care (waiting for the
household's permission: the demo citizen sees the question "Mag GGZ Voorbeeldstad dit zien?"). Two other households
are referred to debt counselling, so that the demo professional's inbox is not empty: one new request and one a
colleague accepted. Like the other demo modules it writes rows directly (the demo run has one audit entry of its
own), with their history and timeline events, and a fixed number of queries.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from samen.accounts.models import User
from samen.consent.models import ConsentGrant, LegalBasis
from samen.core.actor import Role
from samen.core.vocabulary import DataCategory, TeamRole
from samen.demo.logins import DEMO_LOGINS
from samen.households.models import TeamMember
from samen.organisations.models import Membership, MembershipRole, Organisation
from samen.referrals.models import STAMPS, WITH_REASON, Referral, ReferralStatus, ReferralStatusChange
from samen.referrals.services import EVENTS
from samen.reminders.models import NotificationKind
from samen.reminders.services import write_notifications
from samen.timeline import events
from samen.timeline.models import Entry, EntryKind

S = ReferralStatus
G = DataCategory
DEBT = "Schuldhulp Voorbeeldstad"
YOUTH = "Jeugdhulp Voorbeeldstad"

# The showcase household's referrals: (to, category, question, the steps as (status, days ago), reason).
SHOWCASE = [
    (
        DEBT,
        G.FINANCES,
        "Het gezin heeft betalingsachterstanden bij de energieleverancier en de zorgverzekeraar. Kunnen jullie "
        "helpen met een overzicht van de schulden en een betalingsregeling?",
        [(S.REQUESTED, 206), (S.ACCEPTED, 205), (S.IN_PROGRESS, 200), (S.COMPLETED, 20)],
        "",
    ),
    (
        YOUTH,
        G.YOUTH,
        "De ouders willen hulp bij de opvoeding: de oudste komt vaak te laat op school en er is veel ruzie thuis.",
        [(S.REQUESTED, 63), (S.ACCEPTED, 61), (S.IN_PROGRESS, 58)],
        "",
    ),
    (
        "Woonstichting Thuis",
        G.GENERAL,
        "Er is schimmel in de slaapkamer van de kinderen. Is een andere woning in de buurt mogelijk?",
        [(S.REQUESTED, 45), (S.REJECTED, 40)],
        "Er is op dit moment geen passende woning in deze wijk. Wij pakken eerst de schimmel aan; een "
        "urgentieaanvraag kan via de gemeente.",
    ),
    (
        "Welzijn Voorbeeldstad",
        G.GENERAL,
        "Moeder zoekt contact met andere ouders in de buurt. Past een maatjesproject?",
        [(S.REQUESTED, 20), (S.CANCELLED, 15)],
        "Het gezin heeft via de buurvrouw zelf een ouderkoffie gevonden.",
    ),
    (
        "GGZ Voorbeeldstad",
        G.MENTAL_HEALTH,
        "Moeder slaapt slecht en piekert veel sinds de schulden. Kunnen jullie een intakegesprek doen?",
        [],  # draft: waits for the household's permission
        "",
    ),
]
REQUESTED_QUESTION = (
    "Er liggen veel ongeopende brieven van deurwaarders. Kunnen jullie samen met het gezin een overzicht maken?"
)
ACCEPTED_QUESTION = "Vader is zijn baan kwijt en de huur is twee maanden niet betaald. Graag snel een eerste gesprek."


def _days_ago(now: datetime.datetime, days: int, hour_offset: int = 0) -> datetime.datetime:
    return now - datetime.timedelta(days=days) + datetime.timedelta(hours=hour_offset)


def _event(referral: Referral, status: ReferralStatus, moment: datetime.datetime, user_id, organisation_id) -> Entry:
    code = EVENTS[status]
    params = {"organisation": referral.to_organisation.name}
    with translation.override(settings.LANGUAGE_CODE):
        text = events.sentence(code, params)
    return Entry(
        household_id=referral.household_id,
        kind=EntryKind.EVENT,
        category=referral.category,
        written_by_id=user_id,
        organisation_id=organisation_id,
        author_role=Role.COORDINATOR.value if organisation_id == referral.from_organisation_id else "professional",
        text=text,
        source=events.SOURCES[code],
        event_code=code.value,
        event_params=params,
        created_at=moment,
    )


def _build(
    *,
    household_id: int,
    to: Organisation,
    category: DataCategory,
    question: str,
    steps: list[tuple[ReferralStatus, datetime.datetime]],
    reason: str,
    requester: TeamMember,
    handler_id: int | None,
    created: datetime.datetime,
) -> tuple[Referral, list[ReferralStatusChange], list[Entry]]:
    status = steps[-1][0] if steps else S.DRAFT
    referral = Referral(
        household_id=household_id,
        from_organisation_id=requester.organisation_id,
        to_organisation=to,
        requested_by_id=requester.user_id,
        question=question,
        category=category,
        status=status,
        status_reason=reason if status in WITH_REASON else "",
        handled_by_id=handler_id if any(s in (S.ACCEPTED, S.REJECTED) for s, _ in steps) else None,
        created_at=created,
        changed_at=steps[-1][1] if steps else created,
        version=max(len(steps), 1),  # one step per version, as the services count
    )
    for step, moment in steps:
        setattr(referral, STAMPS[step], moment)
    changes, entries, before = [], [], ""
    first = [(S.DRAFT, created)] if not steps else []
    for step, moment in [*first, *steps]:
        by_receiver = step in (S.ACCEPTED, S.REJECTED, S.IN_PROGRESS, S.COMPLETED)
        user_id = handler_id if by_receiver else requester.user_id
        organisation_id = to.pk if by_receiver else requester.organisation_id
        changes.append(
            ReferralStatusChange(
                from_status=before,
                to_status=step,
                changed_by_id=user_id,
                organisation_id=organisation_id,
                role="professional" if by_receiver else "coordinator",
                changed_at=moment,
                reason=reason if step in WITH_REASON else "",
            )
        )
        if step in EVENTS:
            entries.append(_event(referral, step, moment, user_id, organisation_id))
        before = step
    return referral, changes, entries


def add_demo_referrals(*, household_ids: list[int], now: datetime.datetime) -> int:
    """Referrals in every state for the demo households (see the module's docstring); returns how many were added.
    Does nothing when the households have referrals already, or the showcase has no coordinator."""
    if not household_ids or Referral.objects.filter(household_id__in=household_ids).exists():
        return 0
    showcase_id = min(household_ids)
    organisations = {organisation.name: organisation for organisation in Organisation.objects.all()}
    if DEBT not in organisations or YOUTH not in organisations:
        return 0
    coordinator = TeamMember.objects.filter(household_id=showcase_id, is_coordinator=True, left_at__isnull=True).first()
    if coordinator is None:
        return 0
    team = TeamMember.objects.filter(household_id=showcase_id, role=TeamRole.PROFESSIONAL)
    handlers = dict(team.values_list("organisation_id", "user_id"))
    staff = Membership.objects.filter(is_active=True, role=MembershipRole.PROFESSIONAL).order_by("pk")
    first_of = {}
    for organisation_id, user_id in staff.values_list("organisation_id", "user_id"):
        first_of.setdefault(organisation_id, user_id)

    built = []
    for name, category, question, steps, reason in SHOWCASE:
        to = organisations.get(name)
        if to is None:
            continue
        moments = [(status, _days_ago(now, days, hour_offset=index)) for index, (status, days) in enumerate(steps)]
        built.append(
            _build(
                household_id=showcase_id,
                to=to,
                category=category,
                question=question,
                steps=moments,
                reason=reason,
                requester=coordinator,
                handler_id=handlers.get(to.pk, first_of.get(to.pk)),
                created=moments[0][1] - datetime.timedelta(minutes=30) if moments else _days_ago(now, 1),
            )
        )

    # Two other households, each with a coordinator and nobody of debt counselling in the team, for the inbox.
    debt = organisations[DEBT]
    professional_email = next(login.email for login in DEMO_LOGINS if login.role == Role.PROFESSIONAL)
    colleagues = staff.filter(organisation=debt).exclude(user__email=professional_email)
    colleague_id = colleagues.values_list("user_id", flat=True).first()
    with_debt = TeamMember.objects.filter(organisation=debt, household_id__in=household_ids).values("household_id")
    others = list(
        TeamMember.objects.filter(household_id__in=household_ids, is_coordinator=True, left_at__isnull=True)
        .exclude(household_id=showcase_id)
        .exclude(household_id__in=with_debt)
        .exclude(organisation=debt)
        .order_by("household_id")[:2]
    )
    grants, places = [], []
    for index, (requester, status) in enumerate(zip(others, (S.REQUESTED, S.ACCEPTED), strict=False)):
        requested = _days_ago(now, 2 + 2 * index)
        steps = [(S.REQUESTED, requested)]
        if status == S.ACCEPTED:
            steps.append((S.ACCEPTED, requested + datetime.timedelta(days=1)))
            places.append(
                TeamMember(
                    household_id=requester.household_id,
                    user_id=colleague_id,
                    organisation=debt,
                    role=TeamRole.PROFESSIONAL,
                    joined_at=steps[-1][1],
                )
            )
        built.append(
            _build(
                household_id=requester.household_id,
                to=debt,
                category=G.FINANCES,
                question=REQUESTED_QUESTION if status == S.REQUESTED else ACCEPTED_QUESTION,
                steps=steps,
                reason="",
                requester=requester,
                handler_id=colleague_id,
                created=requested - datetime.timedelta(minutes=20),
            )
        )
        for category in (G.GENERAL, G.FINANCES):
            grants.append(
                ConsentGrant(
                    household_id=requester.household_id,
                    category=category,
                    organisation=debt,
                    legal_basis=LegalBasis.CONSENT,
                    valid_from=requested - datetime.timedelta(hours=1),
                    granted_at=requested - datetime.timedelta(hours=1),
                    granted_by_id=requester.user_id,  # the coordinator records the consent the resident gave
                )
            )
    if colleague_id is None:
        places = []
    existing = set(
        ConsentGrant.objects.filter(
            household_id__in=[grant.household_id for grant in grants], organisation=debt, revoked_at__isnull=True
        ).values_list("household_id", "category")
    )
    ConsentGrant.objects.bulk_create([g for g in grants if (g.household_id, g.category) not in existing])
    TeamMember.objects.bulk_create(places)

    referrals = Referral.objects.bulk_create([referral for referral, _changes, _entries in built])
    changes = []
    for referral, (_built, steps, _entries) in zip(referrals, built, strict=True):
        for change in steps:
            change.referral = referral
            changes.append(change)
    ReferralStatusChange.objects.bulk_create(changes)
    Entry.objects.bulk_create([entry for _referral, _changes, entries in built for entry in entries])
    _notifications(referrals, now)
    return len(referrals)


def _notifications(referrals: list[Referral], now: datetime.datetime) -> None:
    """What the services would have told the demo logins, each linking to its referral: the citizen that a question
    waits for them, the coordinator that the housing corporation said no, the debt counsellor of a new request."""
    emails = {login.role: login.email for login in DEMO_LOGINS}
    users = dict(User.objects.filter(email__in=emails.values()).values_list("email", "pk"))
    by_status = {referral.status: referral for referral in referrals}
    lines = [
        (Role.CITIZEN, by_status.get(S.DRAFT), NotificationKind.REFERRAL_UPDATE, 20),
        (Role.COORDINATOR, by_status.get(S.REJECTED), NotificationKind.REFERRAL_UPDATE, 40 * 24),
        (Role.PROFESSIONAL, by_status.get(S.REQUESTED), NotificationKind.REFERRAL_NEW, 47),
    ]
    for role, referral, kind, hours in lines:
        user_id = users.get(emails[role])
        if referral is None or user_id is None:
            continue
        new = kind == NotificationKind.REFERRAL_NEW
        write_notifications(
            skip=None,
            recipients=[user_id],
            household_id=None if new else referral.household_id,
            kind=kind,
            category=referral.category,
            url=(
                reverse("referrals:received", args=[referral.pk])
                if new
                else reverse("referrals:detail", args=[referral.household_id, referral.pk])
            ),
            params={"organisation": referral.from_organisation.name if new else referral.to_organisation.name},
            group_key=f"referral:{referral.pk}",
            now=now - datetime.timedelta(hours=hours),
        )

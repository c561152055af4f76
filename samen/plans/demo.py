"""Synthetic demo plans (plain Dutch, no real people) for the demo generator.

``add_demo_plans`` gives every household with a team a current plan: a question in the household's own words,
goals in several ZRM domains with actions owned by the household, the informal network, professionals or an
organisation, agreements, evaluation moments and versions. The showcase household (the lowest id) gets the
richest plan, with two versions of which the latest is agreed. Deterministic for a seed; a fixed number of
queries per call (``bulk_create``), whatever the number of households. Households that already have a current
plan are left alone.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from samen.households.models import HouseholdMember, Relation, TeamMember, TeamRole
from samen.plans.models import (
    Action,
    ActionStatus,
    Agreement,
    EvaluationMoment,
    Goal,
    GoalStatus,
    Plan,
    PlanVersion,
    ZrmDomain,
    default_category,
)

Z = ZrmDomain

QUESTIONS = [
    "We willen weer rust in huis en overzicht over onze rekeningen.",
    "Ik wil graag hulp om mijn huis op orde te krijgen en weer mensen te zien.",
    "We willen dat de kinderen het goed doen op school en dat wij minder stress hebben.",
    "Ik wil mijn schulden aflossen en een baan vinden die bij me past.",
]
STRENGTHS = [
    "We praten veel met elkaar en de buren helpen mee.",
    "Ik ben doorzetter en vraag hulp als het nodig is.",
    "De kinderen gaan graag naar school en sporten elke week.",
]
WORRIES = [
    "De post blijft liggen en de rekeningen stapelen zich op.",
    "Ik slaap slecht en maak me veel zorgen.",
    "Het huis is vochtig en de verhuurder reageert niet.",
]

# (domain, goal in own words, about a child?, actions as (text, owner kind, done?)).
SHOWCASE_GOALS = [
    (
        Z.FINANCES,
        "Ik wil weten hoeveel schuld we hebben en elke maand de vaste lasten op tijd betalen.",
        False,
        [
            ("Alle brieven van schuldeisers in één map verzamelen", "citizen", True),
            ("Overzicht van de schulden maken en een betalingsregeling voorstellen", "professional", True),
            ("Aanvraag schuldhulp indienen bij de gemeente", "organisation", False),
        ],
    ),
    (
        Z.HOUSING,
        "We willen een huis zonder schimmel, zodat de kinderen niet meer ziek worden.",
        False,
        [
            ("De woningcorporatie bellen over de schimmel in de slaapkamer", "citizen", True),
            ("Mee naar het gesprek met de woningcorporatie", "professional", False),
        ],
    ),
    (
        Z.TIME_USE,
        "Ik wil één ochtend per week iets voor mezelf doen.",
        False,
        [
            ("Op dinsdag en donderdag de kinderen van school halen", "informal", True),
            ("Samen kijken welke cursus in het buurthuis past", "informal", False),
        ],
    ),
    (
        Z.WORK_EDUCATION,
        "Onze oudste wil weer elke dag naar school en zijn diploma halen.",
        True,
        [
            ("Gesprek met de mentor over het verzuim plannen", "professional", False),
            ("Elke avond samen de schooltas inpakken", "citizen", False),
        ],
    ),
    (
        Z.MENTAL_HEALTH,
        "Ik wil beter slapen en minder piekeren.",
        False,
        [("Afspraak maken bij de praktijkondersteuner van de huisarts", "citizen", False)],
    ),
]

OTHER_GOALS = [
    (
        Z.FINANCES,
        "Ik wil mijn post elke week openen en de rekeningen betalen.",
        [("Post samen doornemen", "professional")],
    ),
    (Z.HOUSING, "Ik wil een woning die ik kan betalen.", [("Inschrijven als woningzoekende", "citizen")]),
    (Z.SOCIAL_NETWORK, "Ik wil vaker mensen zien.", [("Samen naar de koffieochtend in de wijk", "informal")]),
    (
        Z.WORK_EDUCATION,
        "Ik wil werk vinden voor drie dagen per week.",
        [("Cv maken met het werkgeversloket", "organisation")],
    ),
    (
        Z.INSTRUMENTAL_ADL,
        "Ik wil het huishouden weer zelf kunnen doen.",
        [("Een weekschema voor het huishouden maken", "citizen")],
    ),
    (Z.TIME_USE, "Ik wil een vaste dagindeling.", [("Elke ochtend om half acht opstaan", "citizen")]),
]

AGREEMENTS = [
    "We bellen elkaar elke maandagochtend even.",
    "Als het niet goed gaat, belt {name} eerst de regisseur.",
    "Nieuwe post gaat meteen in de map op de kast.",
]
REPLAN_REASONS = [
    "De afspraak bij de bank is verzet.",
    "Eerst moet de aanvraag voor de toeslag rond zijn.",
    "Door ziekte lukte het niet eerder.",
    "De wachtlijst is langer dan we dachten.",
]
DONE_NOTES = ["Gelukt.", "Is gedaan, ging beter dan gedacht.", "Gedaan, samen met de buurvrouw."]


@dataclass
class _Household:
    members: list[dict]
    team: list[dict]


def _owner(kind: str, household: _Household, rng: random.Random, since: datetime.datetime) -> dict:
    """The owner fields for ``kind``, falling back to a household member when nobody of that kind is there: someone
    who was in the team ``since`` (when the action was made)."""
    team = [t for t in household.team if t["joined_at"] <= since]
    informal = [t for t in team if t["role"] == TeamRole.INFORMAL]
    professionals = [t for t in team if t["role"] == TeamRole.PROFESSIONAL]
    if kind == "informal" and informal:
        place = informal[0]
        return {"owner_team_member_id": place["id"], "name": place["user__full_name"], "user_id": place["user_id"]}
    if kind in ("professional", "organisation") and professionals:
        coordinator = next((t for t in professionals if t["is_coordinator"]), None)
        place = (
            coordinator if kind == "professional" and coordinator and rng.random() < 0.5 else rng.choice(professionals)
        )
        if kind == "organisation":
            return {
                "owner_organisation_id": place["organisation_id"],
                "name": place["organisation__name"],
                "user_id": place["user_id"],
            }
        return {"owner_team_member_id": place["id"], "name": place["user__full_name"], "user_id": place["user_id"]}
    member = _citizen(household)
    return {
        "owner_member_id": member["id"],
        "name": f"{member['given_name']} {member['family_name']}",
        "user_id": member["user_id"],
    }


def _citizen(household: _Household) -> dict:
    with_account = [m for m in household.members if m["user_id"]]
    adults = [m for m in household.members if m["relation"] != Relation.CHILD]
    return (with_account or adults or household.members)[0]


def _child(household: _Household) -> dict | None:
    return next((m for m in household.members if m["relation"] == Relation.CHILD), None)


def _load(household_ids: list[int]) -> dict[int, _Household]:
    members = defaultdict(list)
    for row in (
        HouseholdMember.objects.filter(household_id__in=household_ids)
        .order_by("household_id", "date_of_birth", "pk")
        .values("id", "household_id", "given_name", "family_name", "relation", "user_id")
    ):
        members[row["household_id"]].append(row)
    team = defaultdict(list)
    for row in (
        TeamMember.objects.filter(household_id__in=household_ids, left_at__isnull=True)
        .order_by("household_id", "joined_at", "pk")
        .values(
            "id",
            "household_id",
            "role",
            "is_coordinator",
            "user_id",
            "user__full_name",
            "organisation_id",
            "organisation__name",
            "joined_at",
        )
    ):
        team[row["household_id"]].append(row)
    return {pk: _Household(members=members[pk], team=team[pk]) for pk in household_ids if team[pk] and members[pk]}


def add_demo_plans(*, household_ids: list[int], seed: int, now: datetime.datetime) -> int:
    """Create the demo plans; returns how many plans were created."""
    ids = sorted(set(household_ids))
    if not ids:
        return 0
    showcase_id = ids[0]
    existing = set(Plan.objects.filter(household_id__in=ids, is_current=True).values_list("household_id", flat=True))
    households = {pk: data for pk, data in _load(ids).items() if pk not in existing}
    order = [pk for pk in ids if pk in households]
    today = now.date()

    plans, goal_specs = [], []  # goal_specs: (plan index, goal, [(action, owner name)])
    for index, household_id in enumerate(order):
        household = households[household_id]
        rng = random.Random(f"samen-demo-plans-{seed}-{household_id}")
        showcase = household_id == showcase_id
        created = now - datetime.timedelta(days=90 if showcase else rng.randint(20, 300))
        plans.append(
            Plan(
                household_id=household_id,
                question=QUESTIONS[0] if showcase else rng.choice(QUESTIONS),
                strengths=STRENGTHS[0] if showcase else rng.choice(STRENGTHS),
                worries=WORRIES[0] if showcase else rng.choice(WORRIES),
                created_at=created,
                updated_at=created,
                version=1,
            )
        )
        if showcase:
            specs = [(d, t, child, acts) for d, t, child, acts in SHOWCASE_GOALS]
        else:
            chosen = rng.sample(OTHER_GOALS, k=rng.randint(1, 3))
            specs = [(d, t, False, [(a, kind, rng.random() < 0.4) for a, kind in acts]) for d, t, acts in chosen]
        for position, (domain, text, about_child, actions) in enumerate(specs):
            child = _child(household) if about_child else None
            goal = Goal(
                text=text,
                domain=domain,
                member_id=child["id"] if child else None,
                category=default_category(domain, about_child=child is not None),
                status=GoalStatus.IN_PROGRESS if any(done for *_x, done in actions) else GoalStatus.OPEN,
                created_at=created + datetime.timedelta(days=position),
                updated_at=created + datetime.timedelta(days=position),
            )
            rows = []
            # When things were due, done or moved: their own random source, so the rest of the demo stays as it was.
            timing = random.Random(f"samen-demo-plans-timing-{seed}-{household_id}-{position}")
            for number, (action_text, kind, done) in enumerate(actions):
                owner = _owner(kind, household, rng, goal.created_at)
                name, user_id = owner.pop("name"), owner.pop("user_id")
                # Done after it was made, and at least a day ago.
                done_at = (
                    max(now - datetime.timedelta(days=rng.randint(2, 40)), goal.created_at + datetime.timedelta(days=1))
                    if done
                    else None
                )
                if done_at is not None and done_at > now - datetime.timedelta(days=1):
                    done_at = now - datetime.timedelta(days=1)
                due_date = today + datetime.timedelta(days=14 + 7 * number) if not done else None
                moved: dict = {}
                if not showcase:
                    # Paper and practice (P2, P7) reads these: most done by their date, some late, some moved with
                    # a reason written down.
                    chance = timing.random()
                    if done_at is not None:
                        due_date = (done_at + datetime.timedelta(days=timing.choice([-4, 1, 3, 6, 10]))).date()
                    elif chance < 0.25:
                        moved_on = max(
                            now - datetime.timedelta(days=timing.randint(2, 60)),
                            goal.created_at + datetime.timedelta(days=1),
                        )
                        moved = {
                            "replanned_from": moved_on.date() + datetime.timedelta(days=timing.randint(0, 5)),
                            "replanned_at": moved_on,
                            "replanned_reason": timing.choice(REPLAN_REASONS),
                        }
                    elif chance < 0.4:
                        due_date = today - datetime.timedelta(days=timing.randint(2, 40))
                rows.append(
                    (
                        Action(
                            text=action_text,
                            due_date=due_date,
                            **moved,
                            status=ActionStatus.DONE if done else ActionStatus.OPEN,
                            done_at=done_at,
                            done_note=rng.choice(DONE_NOTES) if done else "",
                            done_by_id=user_id if done else None,
                            created_at=goal.created_at,
                            updated_at=done_at or goal.created_at,
                            **owner,
                        ),
                        name,
                    )
                )
            goal_specs.append((index, goal, rows))

    Plan.objects.bulk_create(plans)
    for index, goal, _rows in goal_specs:
        goal.plan_id = plans[index].pk
    Goal.objects.bulk_create([goal for _i, goal, _r in goal_specs])
    actions = []
    for _index, goal, rows in goal_specs:
        for action, _name in rows:
            action.goal_id = goal.pk
            actions.append(action)
    Action.objects.bulk_create(actions)

    agreements, evaluations, versions = [], [], []
    for index, household_id in enumerate(order):
        plan = plans[index]
        showcase = household_id == showcase_id
        rng = random.Random(f"samen-demo-plans-versions-{seed}-{household_id}")
        citizen = _citizen(households[household_id])
        words = {"name": citizen["given_name"]}
        texts = [text.format(**words) for text in (AGREEMENTS if showcase else AGREEMENTS[: rng.randint(0, 1)])]
        agreements += [Agreement(plan_id=plan.pk, text=text, created_at=plan.created_at) for text in texts]
        past = EvaluationMoment(
            plan_id=plan.pk,
            date=(plan.created_at + datetime.timedelta(days=42)).date(),
            outcome="Het gaat beter met de post; de schimmel is er nog." if showcase else "",
            evaluated_at=plan.created_at + datetime.timedelta(days=42) if showcase else None,
        )
        evaluations += [
            past,
            EvaluationMoment(plan_id=plan.pk, date=today + datetime.timedelta(days=rng.randint(14, 60))),
        ]
        own_goals = [(goal, rows) for i, goal, rows in goal_specs if i == index]
        if showcase:
            first = _snapshot(plan, own_goals[:2], texts[:1], done=False)
            versions.append(
                PlanVersion(plan_id=plan.pk, number=1, snapshot=first, created_at=now - datetime.timedelta(days=60))
            )
            versions.append(
                PlanVersion(
                    plan_id=plan.pk,
                    number=2,
                    snapshot=_snapshot(plan, own_goals, texts, done=True),
                    created_at=now - datetime.timedelta(days=7),
                    agreed_by_id=citizen["user_id"],
                    agreed_at=now - datetime.timedelta(days=6) if citizen["user_id"] else None,
                )
            )
        elif rng.random() < 0.5:
            versions.append(
                PlanVersion(
                    plan_id=plan.pk,
                    number=1,
                    snapshot=_snapshot(plan, own_goals, texts, done=True),
                    created_at=now - datetime.timedelta(days=rng.randint(1, 20)),
                )
            )
    Agreement.objects.bulk_create(agreements)
    EvaluationMoment.objects.bulk_create(evaluations)
    PlanVersion.objects.bulk_create(versions)
    return len(plans)


def _snapshot(plan: Plan, goals, agreements, *, done: bool) -> dict:
    """The same shape as ``services.snapshot_of``; ``done=False`` shows every action still to do."""
    return {
        "question": plan.question,
        "strengths": plan.strengths,
        "worries": plan.worries,
        "goals": [
            {
                "id": goal.pk,
                "text": goal.text,
                "domain": goal.domain,
                "status": goal.status if done else GoalStatus.OPEN,
                "category": goal.category,
                "member": "",
                "actions": [
                    {
                        "id": action.pk,
                        "text": action.text,
                        "owner": name,
                        "due_date": action.due_date.isoformat() if action.due_date else "",
                        "status": action.status if done else ActionStatus.OPEN,
                        "done_note": action.done_note if done else "",
                    }
                    for action, name in rows
                ],
            }
            for goal, rows in goals
        ],
        "agreements": list(agreements),
        "evaluations": [],
    }

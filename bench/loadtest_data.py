"""The load test's data, run inside the server's environment (``python -m bench.loadtest_data plan|check``).

``plan``: what each client of ``bench/loadtest.py`` writes, as JSON on stdout. Half the clients work in one
household (the demo's showcase household), half across others. Each client has its own goal to edit and, when it
logs in as a resident, its own (organisation, category) pair to allow and withdraw; every client writes notes.
Owning their objects means a client's confirmed writes can be checked one by one afterwards: nothing a client
was told was saved may be missing, nothing it was told failed may be there. The residents of the other
households get an account with the demo password here (synthetic data, a benchmark's own database).

``invitations``: how many of the invitations (e-mail addresses, JSON on stdin) were not sent yet.

``check``: reads the clients' confirmed writes (JSON on stdin) and compares them with the database: every
confirmed note exactly once and no refused one; each goal's version moved once per confirmed edit and holds the
last confirmed text; each consent pair has one grant per confirmed "allow" and is open exactly when the last
confirmed change was "allow". Then verifies the access log's hash chains. Prints the findings as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys

NOTE_PREFIX = "Load test note "


def _setup_django() -> None:
    import django

    django.setup()


def plan(clients: int) -> dict:
    from django.contrib.auth.hashers import make_password

    from samen.accounts.models import User
    from samen.assessments.domains import ZrmDomain
    from samen.consent.models import DataCategory
    from samen.consent.selectors import CATEGORIES
    from samen.demo.logins import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
    from samen.households.models import Household, HouseholdMember, TeamMember, TeamRole
    from samen.organisations.actors import actor_for_user
    from samen.plans import services as plan_services

    coordinator = User.objects.get(email=f"regisseur@{DEMO_EMAIL_DOMAIN}")
    citizen = User.objects.get(email=f"inwoner@{DEMO_EMAIL_DOMAIN}")
    showcase = HouseholdMember.objects.get(user=citizen).household
    across = clients - clients // 2
    coordinators = dict(
        TeamMember.objects.filter(is_coordinator=True, left_at__isnull=True)
        .exclude(household_id=showcase.pk)
        .order_by("household_id")
        .values_list("household_id", "user_id")[:across]
    )
    if len(coordinators) < across:
        raise SystemExit(f"the demo has {len(coordinators)} other households with a coordinator; {across} needed")
    coordinated = list(coordinators)
    demo_hash = make_password(DEMO_PASSWORD)
    # The coordinators of the other households log in with the demo password too.
    User.objects.filter(pk__in=set(coordinators.values())).update(password=demo_hash)
    emails = dict(User.objects.filter(pk__in=set(coordinators.values())).values_list("pk", "email"))

    # Professional organisations in each household's team: who a resident can allow to see something.
    def organisations_of(household_id: int) -> list[int]:
        return sorted(
            set(
                TeamMember.objects.filter(
                    household_id=household_id, role=TeamRole.PROFESSIONAL, left_at__isnull=True
                ).values_list("organisation_id", flat=True)
            )
        )

    categories = [category.value for category in DataCategory]
    specs = []
    pairs_used: dict[int, int] = {}
    for index in range(clients):
        in_one = index < clients // 2
        household_id = showcase.pk if in_one else coordinated[index - clients // 2]
        as_citizen = index % 2 == 0
        if as_citizen:
            if household_id == showcase.pk:
                email = citizen.email
            else:
                email = f"loadtest-{household_id}@{DEMO_EMAIL_DOMAIN}"
                member = (
                    HouseholdMember.objects.filter(household_id=household_id, user__isnull=True)
                    .order_by("date_of_birth", "pk")
                    .first()
                )
                user, _ = User.objects.get_or_create(
                    email=email, defaults={"full_name": str(member), "password": demo_hash}
                )
                member.user = user
                member.save(update_fields=["user"])
        else:
            email = coordinator.email if household_id == showcase.pk else emails[coordinators[household_id]]
        coordinator_user = (
            coordinator if household_id == showcase.pk else User.objects.get(pk=coordinators[household_id])
        )
        goal = plan_services.goal_add(
            actor=actor_for_user(coordinator_user),
            household=Household.objects.get(pk=household_id),
            text=f"Load test goal of client {index}",
            domain=ZrmDomain.FINANCES.value,
            category=DataCategory.GENERAL.value,
        )
        spec = {
            "index": index,
            "email": email,
            "household": household_id,
            "as_citizen": as_citizen,
            "goal": {
                "id": goal.pk,
                "version": goal.version,
                "domain": goal.domain,
                "status": goal.status,
                "category": goal.category,
            },  # fmt: skip
            "note_category": DataCategory.GENERAL.value,
            "consent": None,
        }
        if as_citizen:
            organisations = organisations_of(household_id)
            slot = pairs_used.get(household_id, 0)
            pairs_used[household_id] = slot + 1
            organisation = organisations[slot % len(organisations)]
            category = categories[(slot // len(organisations) + 1) % len(categories)]
            spec["consent"] = {"organisation": organisation, "category": category}
        specs.append(spec)
    # The columns of the consent matrix, in order: a client finds its cell by its column.
    return {"clients": specs, "password": DEMO_PASSWORD, "categories": [category.value for category in CATEGORIES]}


def check(confirmed: dict) -> dict:
    from django.db.models import Count

    from samen.consent.models import ConsentGrant
    from samen.core.audit import verify_chain
    from samen.core.models import AuditEntry
    from samen.plans.models import Goal
    from samen.timeline.models import Entry

    lost, phantom = [], []
    notes = dict(
        Entry.objects.filter(text__startswith=NOTE_PREFIX)
        .values("text")
        .annotate(count=Count("pk"))
        .values_list("text", "count")
    )
    for client in confirmed["clients"]:
        for text in client["notes_saved"]:
            if notes.get(text) != 1:
                lost.append(f"note {text!r} confirmed, found {notes.get(text, 0)} time(s)")
        for text in client["notes_failed"]:
            if text in notes:
                phantom.append(f"note {text!r} failed for the client, but is in the dossier")
        goal = client["goal"]
        row = Goal.objects.get(pk=goal["id"])
        # A rehearsal's client whose node died during an edit does not know whether it was saved: either counts.
        allowed = {goal["version"], goal["version"] + 1} if goal.get("maybe_one_more") else {goal["version"]}
        if row.version not in allowed:
            lost.append(f"goal {goal['id']}: version {row.version}, {goal['version']} after the confirmed edits")
        if goal["text"] is not None and row.text != goal["text"] and row.version == goal["version"]:
            lost.append(f"goal {goal['id']}: text {row.text!r}, last confirmed {goal['text']!r}")
        consent = client.get("consent")
        if consent:
            grants = ConsentGrant.objects.filter(
                household_id=client["household"],
                organisation_id=consent["organisation"],
                category=consent["category"],
                granted_at__gte=confirmed["started"],
            )
            made = grants.count()
            maybe = consent.get("maybe_one_more", False)
            if made != consent["grants"] and not (maybe and made == consent["grants"] + 1):
                lost.append(f"consent {consent}: {made} grants, {consent['grants']} confirmed")
            is_open = grants.filter(revoked_at__isnull=True).exists()
            if consent["last"] and not maybe and is_open != (consent["last"] == "grant"):
                lost.append(f"consent {consent}: open={is_open}, last confirmed change {consent['last']}")
    problems = [str(problem) for problem in verify_chain()]
    return {
        "lost": lost,
        "phantom": phantom,
        "notes_in_dossier": sum(notes.values()),
        "chain_ok": not problems,
        "chain_entries": AuditEntry.objects.count(),
        "chain_problems": problems[:10],
    }


def invitations(emails: list[str]) -> dict:
    """How many of these invitations were not sent yet (``sent_at`` is set when the e-mail went out), and the
    invitation tasks that failed or are stuck where the functional administrator sees them
    (``samen.operations.selectors.task_overview``): an e-mail whose worker died while sending is not sent again on
    its own (at most once), it fails visibly, to be started again from that page."""
    from samen.households.models import Invitation
    from samen.operations.selectors import task_overview

    sent = Invitation.objects.filter(email__in=emails, sent_at__isnull=False).count()
    overview = task_overview()
    visible = [row for row in (*overview.failed, *overview.stuck) if "invitation" in row.name]
    return {
        "invitations": len(emails),
        "unsent": len(emails) - sent,
        "failed_visibly": sum(1 for row in visible if row.state == "failed"),
        "stuck": sum(1 for row in visible if row.state != "failed"),
        "workers": overview.workers,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["plan", "check", "invitations"])
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    _setup_django()
    if args.command == "plan":
        print(json.dumps(plan(args.clients)))
    elif args.command == "invitations":
        print(json.dumps(invitations(json.load(sys.stdin))))
    else:
        print(json.dumps(check(json.load(sys.stdin)), default=str))


if __name__ == "__main__":
    main()

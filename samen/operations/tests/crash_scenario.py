"""The crash tests' helper, run as its own process against the scenario's database (and Redis):

    python -m samen.operations.tests.crash_scenario seed 5      invitations, one send_invitation task each
    python -m samen.operations.tests.crash_scenario state ID…   the tasks' status, attempts and last error
    python -m samen.operations.tests.crash_scenario retry ID    the functional administrator presses "Start again"

Prints JSON.
"""

from __future__ import annotations

import json
import os
import sys
import uuid


def main(argv: list[str]) -> object:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django_tasks import task_backends

    command, *args = argv
    if command == "seed":
        from samen.accounts.tests.factories import UserFactory
        from samen.households import tasks
        from samen.households.tests.factories import InvitationFactory

        run = uuid.uuid4().hex[:8]  # each process starts the factories' sequences anew
        inviter = UserFactory(email=f"inviter-{run}@example.test")
        invitations = [
            InvitationFactory(email=f"buur{n}-{run}@example.test", invited_by=inviter) for n in range(int(args[0]))
        ]
        return [
            {"email": invitation.email, "task": tasks.send_invitation.enqueue(invitation.pk).id}
            for invitation in invitations
        ]
    if command == "state":
        from samen.operations import backends
        from samen.operations.selectors import task_overview

        backend = task_backends["default"]
        states = {}
        for task_id in args:
            result = backend.get_result(task_id)
            states[task_id] = {
                "status": str(result.status),
                "error": result.errors[-1].exception_class_path if result.errors else "",
            }
        overview = task_overview()
        return {
            "tasks": states,
            "failed": [row.id for row in overview.failed],
            "backend": backends.kind(),
        }
    if command == "retry":
        from django.db import transaction
        from django_tasks.signals import task_enqueued

        from samen.operations.services import task_retry
        from samen.organisations.actors import actor_for_user
        from samen.organisations.tests.factories import MembershipFactory

        queued: list[str] = []

        def remember(sender, task_result, **kwargs) -> None:
            queued.append(task_result.id)

        task_enqueued.connect(remember, weak=False)
        run = uuid.uuid4().hex[:8]  # each process starts the factories' sequences anew
        admin = MembershipFactory(
            functional_admin=True,
            user__email=f"beheer-{run}@example.test",
            organisation__name=f"Gemeente {run}",
        ).user
        with transaction.atomic():
            retry = task_retry(actor=actor_for_user(admin), task_id=args[0])
        return {"retried": retry.task_id, "released_sends": retry.released_sends, "queued": queued}
    raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))

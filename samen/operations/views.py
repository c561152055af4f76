""" "Achtergrondtaken": the background tasks that failed or are stuck, for the functional administrator.

Thin views: the policy decides (``operations.view_tasks``, ``operations.retry_task``; anyone else gets 404, an
anonymous visitor the login page), the selector reads, the service writes and audits. The retry button is a plain
POST form: a message, and back to the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from samen.core.policy import require
from samen.operations import backends, selectors, services


def _gate(request: HttpRequest, permission: str) -> HttpResponse | None:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(actor, permission, hide=True)
    return None


def _state(row: selectors.TaskRow) -> tuple[str, str]:
    if row.state == "failed":
        return _("Failed"), "danger"
    if row.state == "abandoned":
        return _("Worker stopped"), "warning"
    return _("Waiting"), "warning"


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i") if value is not None else "—"


@require_safe
def task_list(request: HttpRequest) -> HttpResponse:
    if (response := _gate(request, "operations.view_tasks")) is not None:
        return response
    overview = selectors.task_overview()
    failed = [
        {
            "row": row,
            "title_id": f"task-{row.id}",
            "facts": [
                (_("When it failed"), _moment(row.when)),
                (_("Attempts"), row.attempts),
                (_("What went wrong"), row.error),
            ],
        }
        for row in overview.failed
    ]
    stuck_rows = [
        [row.label, {"badge": kind, "text": text}, _moment(row.when), row.attempts, row.error or "—"]
        for row in overview.stuck
        for text, kind in [_state(row)]
    ]
    context = {
        "overview": overview,
        "failed": failed,
        "more_failed": max(0, overview.failed_total - len(overview.failed)),
        "stuck_headers": [_("Task"), _("State"), _("Since"), _("Attempts"), _("Last error")],
        "stuck_rows": stuck_rows,
        "stuck_numeric": (3,),
        "backend_label": _("Redis (RQ)") if overview.backend == backends.RQ else _("the database"),
    }
    return render(request, "operations/tasks.html", context)


@require_POST
def task_retry(request: HttpRequest, task_id: str) -> HttpResponse:
    if (response := _gate(request, "operations.retry_task")) is not None:
        return response
    try:
        services.task_retry(actor=request.actor, task_id=task_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The task was started again. It runs as soon as a worker is free."))
    return redirect("operations:tasks")

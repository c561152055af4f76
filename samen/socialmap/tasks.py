"""Background work for the social map: an HSDS import started from the upload page.

``importing.import_queue`` enqueues ``run_import`` with ``transaction.on_commit``, so the task never sees an import
row that was rolled back. The task is idempotent: it does nothing for an import that already ended, and an import
that is run again (a worker died half-way; its transaction was rolled back) writes by HSDS id, so a second run
changes nothing the first one committed.
"""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def run_import(import_id: int, membership_id: int | None, data: Any) -> dict[str, Any]:
    """Run the import ``import_id`` as the functional administrator who started it (checked again: a role may have
    ended since the upload)."""
    from django.utils.translation import gettext as _

    from samen.core.policy import can
    from samen.organisations.actors import actor_for_user
    from samen.socialmap import importing
    from samen.socialmap.hsds import RecordError
    from samen.socialmap.models import DirectoryImport, ImportStatus

    row = DirectoryImport.objects.select_related("started_by").filter(pk=import_id).first()
    if row is None or row.status != ImportStatus.RUNNING or row.finished_at is not None:
        return {"status": "skipped"}
    actor = actor_for_user(row.started_by, membership_id=membership_id)
    if not can(actor, "socialmap.import"):
        refused = importing.import_refuse(
            actor=actor,
            row=row,
            errors=[RecordError(_("the file"), "-", _("the person who uploaded it may no longer import files"))],
        )
        return {"status": refused.status}
    result = importing.hsds_import(actor=actor, data=data, filename=row.filename, directory_import=row)
    return {"status": result.status, "created": result.created, "updated": result.updated}

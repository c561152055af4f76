""" "Sociale kaart importeren": the functional administrator uploads an HSDS 3.0 JSON file; it is imported in the
background (``importing.import_queue`` -> ``tasks.run_import``) and its page shows the progress, then the counts or
the errors per record.

Thin views: the policy decides (``socialmap.import``; anyone else gets 404, an anonymous visitor the login page), the
form only reads the upload, ``importing`` checks and writes. A file that is too big, empty, not JSON or of the wrong
type gets a message on the form, never an error page. The progress page is one URL with two renderings: the whole
page, or for htmx (polling every two seconds while the import runs) the ``status`` partial; without JavaScript a
"Refresh" link reloads it.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from samen.core.policy import require
from samen.socialmap import importing
from samen.socialmap.models import DirectoryImport, ImportStatus

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
POLL_EVERY = "every 2s"


class ImportForm(forms.Form):
    upload = forms.FileField(
        label=gettext_lazy("HSDS file"),
        help_text=gettext_lazy("A JSON file in HSDS 3.0, at most 10 MB."),
        allow_empty_file=True,  # read_json says why an empty file is refused
        error_messages={
            "required": gettext_lazy("Choose a file to upload."),
            "invalid": gettext_lazy("Choose a file to upload."),
            "missing": gettext_lazy("Choose a file to upload."),
        },
    )

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if not upload.name.lower().endswith(".json"):
            raise forms.ValidationError(_("Choose a JSON file (its name ends in .json)."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too big: at most 10 MB."))
        try:
            self.cleaned_data["data"] = importing.read_json(upload.read())
        except importing.FileUnreadable as error:
            raise forms.ValidationError(str(error)) from None
        return upload


def _gate(request: HttpRequest) -> HttpResponse | None:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(actor, "socialmap.import", hide=True)
    return None


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i") if value is not None else "—"


def _breakable(path: str) -> str:
    """A field path such as ``service_at_locations[0].location.latitude`` with a chance to wrap after each part and
    each underscore (a zero-width space), so it fits a phone's width."""
    return path.replace(".", ".\u200b").replace("_", "_\u200b")


def _status_text(row: DirectoryImport) -> tuple[str, str]:
    if row.status == ImportStatus.DONE:
        return _("Imported"), "ok"
    if row.status == ImportStatus.REFUSED:
        return _("Refused"), "danger"
    return _("Running"), "warning"


@require_http_methods(["GET", "HEAD", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    if (response := _gate(request)) is not None:
        return response
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        row = importing.import_queue(
            actor=request.actor, data=form.cleaned_data["data"], filename=form.cleaned_data["upload"].name
        )
        return redirect("socialmap:import_detail", import_id=row.pk)
    rows = []
    for row in importing.recent_imports():
        text, kind = _status_text(row)
        rows.append(
            [
                {"text": row.filename or _("(no name)"), "href": f"{row.pk}/"},
                _moment(row.started_at),
                {"badge": kind, "text": text},
                row.created,
                row.updated,
            ]
        )
    context = {
        "form": form,
        "headers": [_("File"), _("Started"), _("Status"), _("New"), _("Changed")],
        "rows": rows,
        "numeric": (3, 4),
    }
    return render(request, "socialmap/import.html", context)


@require_safe
def import_detail(request: HttpRequest, import_id: str) -> HttpResponse:
    if (response := _gate(request)) is not None:
        return response
    row = importing.directory_import(import_id)
    if row is None:
        raise Http404
    errors = [error for error in row.errors if not error.get("warning")]
    notes = [error for error in row.errors if error.get("warning")]
    status_text, status_kind = _status_text(row)
    context = {
        "row": row,
        "running": row.status == ImportStatus.RUNNING,
        "status_text": status_text,
        "status_kind": status_kind,
        "percent": int(100 * row.done / row.total) if row.total else 0,
        "poll_every": POLL_EVERY,
        "facts": [
            (_("File"), row.filename or _("(no name)")),
            (_("Started by"), row.started_by.get_full_name() or row.started_by.email if row.started_by else _("Samen")),
            (_("Started"), _moment(row.started_at)),
            (_("Finished"), _moment(row.finished_at)),
        ],
        "error_headers": [_("Record"), _("Field"), _("What is wrong")],
        "error_rows": [[error["record"], _breakable(error["field"]), error["reason"]] for error in errors],
        "note_rows": [[note["record"], _breakable(note["field"]), note["reason"]] for note in notes],
    }
    template = "socialmap/import_detail.html#status" if request.htmx else "socialmap/import_detail.html"
    return render(request, template, context)

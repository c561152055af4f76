"""The household overview ("Mijn huishouden" for the household itself, "Huishouden <name>" for the people who
help it) and its form to add a note.

Thin views: the policy decides (``household_for``, ``dossier.view_overview``, ``categories_visible_to``,
``writable_categories``), the selectors read, the service writes and audits. Showing the page writes exactly
one access entry naming every category it showed. The note form is a plain POST form: bad input shows the
page again with the message and what was typed, and changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from samen.assessments.domains import DOMAIN_CATEGORY, ZrmDomain, domain_label, domains_in
from samen.consent import selectors as consent_selectors
from samen.consent.models import DataCategory
from samen.consent.policies import HouseholdAccess, household_access, is_active_coordinator, parse_id
from samen.consent.workspace import workspace
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.dossier import documents, selectors, services
from samen.dossier.forms import (
    PERIODS,
    ConversationForm,
    DocumentForm,
    HideForm,
    IntakeForm,
    NoteForm,
    TimelineFilterForm,
)
from samen.dossier.policies import sees_for_the_household, writable_categories
from samen.timeline import events
from samen.timeline.models import Entry, EntryKind

# What a category without notes says, in plain words.
NO_NOTES = gettext_lazy("Nobody has written a note yet.")
OVERVIEW_NOTES = 3  # per kind of information: the newest, the whole dossier is one link away


def _overview_url(household_id) -> str:
    return reverse("dossier:overview", args=[household_id])


def _emergency_access(actor: Actor, access: HouseholdAccess):
    """The actor's active break-the-glass access to the household (shown as a banner), or None (a query only while
    there is one)."""
    if not access.emergency:
        return None
    return consent_selectors.emergency_access_for(actor, access.household)


def _date(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _member_table(rows) -> dict:
    table = []
    for row in rows:
        name = _("%(name)s (you)") % {"name": row.name} if row.is_self else row.name
        if row.age is None:
            age = _("not known")
        else:
            age = ngettext("%(years)d year", "%(years)d years", row.age) % {"years": row.age}
        table.append([name, capfirst(row.relation), age])
    return {"headers": [_("Name"), _("Relation"), _("Age")], "rows": table}


def _visible_household(request: HttpRequest, household_id: str) -> HouseholdAccess:
    """The household and the actor's access to it now; 404 when they may see no category of it
    (the ``dossier.view_overview`` rule, asked with the categories this request already looked up)."""
    access = household_access(request.actor, household_id)
    require(request.actor, "dossier.view_overview", (access.household, access.visible), hide=True)
    return access


def _render_overview(
    request: HttpRequest,
    access: HouseholdAccess,
    *,
    form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page, with one access entry for the categories it shows (``access.visible``, looked up in this
    request)."""
    actor = request.actor
    household, visible = access.household, access.visible
    shown = [category for category in DataCategory if category in visible]
    writable = writable_categories(actor, household, access=access)
    is_member = access.citizen.is_member
    emergency = _emergency_access(actor, access)

    notes = selectors.latest_notes(
        household,
        shown,
        per_category=OVERVIEW_NOTES,
        include_hidden=not sees_for_the_household(actor),
        people_only=True,
    )
    # Only the kinds of information somebody wrote about: the page stays short, the dossier has the rest.
    categories = [
        {
            "value": category.value,
            "label": capfirst(str(category.label)),
            "notes": [
                {"date": _date(entry.created_at), "author": _writer(entry), "text": entry.text}
                for entry in notes[category.value]
            ],
        }
        for category in shown
        if notes[category.value]
    ]
    context = {
        "household": household,
        "is_member": is_member,
        "emergency": emergency,
        "categories": categories,
        "no_notes": NO_NOTES,
        "show_general": DataCategory.GENERAL in visible,
        # Professionals see which categories they have no permission for, so they know to ask.
        "missing": [capfirst(str(category.label)) for category in DataCategory if category not in visible]
        if actor.is_professional
        else [],
        "form": (form or NoteForm(categories=writable)) if writable else None,
        "workspace": workspace(request, household, current="overview", access=access),
    }
    context["may_view_team"] = context["workspace"]["may_open"]["team"]
    if context["show_general"]:
        context["member_table"] = _member_table(selectors.member_rows(household, user_id=actor.user_id))
        context["team"] = selectors.team_summary(household)
    if emergency is not None:
        purpose = AuditPurpose.BREAK_THE_GLASS
    elif actor.role == Role.CITIZEN:
        purpose = AuditPurpose.CITIZEN
    else:
        purpose = AuditPurpose.CARE_COORDINATION
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category=audit.categories_value(category.value for category in shown),
        purpose=purpose,
        description="household overview",
    )
    return render(request, "dossier/overview.html", context, status=status)


@require_safe
def overview(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _render_overview(request, _visible_household(request, household_id))


@require_POST
def add_note(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_overview_url(household_id) if parse_id(household_id) else "/")
    access = _visible_household(request, household_id)
    household = access.household
    writable = writable_categories(actor, household, access=access)
    if not writable:
        raise PermissionDenied  # may see the household, may not write in it (informal network, emergency access)
    form = NoteForm(request.POST, categories=writable)
    if form.is_valid():
        try:
            services.note_add(
                actor=actor, household=household, category=form.cleaned_data["category"], text=form.cleaned_data["text"]
            )
        except PermissionDenied:
            form.add_error("category", _("You cannot write notes about this kind of information."))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your note is saved."))
            return HttpResponseRedirect(_overview_url(household.pk))
    return _render_overview(request, access, form=form)


# --- the timeline -------------------------------------------------------------------------------------------

PAGE_SIZE = 25


def _timeline_url(household_id) -> str:
    return reverse("dossier:timeline", args=[household_id])


def _purpose(actor: Actor, emergency) -> AuditPurpose:
    if emergency is not None:
        return AuditPurpose.BREAK_THE_GLASS
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def _moment(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


def _writer(entry: Entry) -> str:
    if entry.kind == EntryKind.EVENT and entry.written_by_id is None:
        return "Samen"
    name = entry.written_by.full_name if entry.written_by_id is not None else ""
    if entry.organisation_id is not None:
        return f"{name} ({entry.organisation.name})" if name else entry.organisation.name
    return name or _("resident")


# The heading of an entry in the timeline: what it is, in a few plain words.
KIND_HEADINGS = {
    EntryKind.NOTE: gettext_lazy("A note"),
    EntryKind.CONVERSATION: gettext_lazy("Report of a conversation"),
    EntryKind.DOCUMENT: gettext_lazy("A document"),
    EntryKind.EVENT: gettext_lazy("What happened"),
}


def _size(entry: Entry) -> str:
    return formats.number_format(max((entry.file_size or 0) / 1024, 1), 0) + " KB"


def _entry_item(entry: Entry, *, show_hidden: bool) -> dict:
    is_document = entry.kind == EntryKind.DOCUMENT
    return {
        "id": entry.pk,
        "anchor": f"entry-{entry.pk}",
        "kind": capfirst(entry.get_kind_display()),
        "heading": str(KIND_HEADINGS.get(EntryKind(entry.kind), capfirst(entry.get_kind_display()))),
        "category": capfirst(str(DataCategory(entry.category).label)),
        "date": _moment(entry.created_at),
        "author": _writer(entry),
        "participants": entry.participants,
        "text": (events.sentence(entry.event_code, entry.event_params) if entry.event_code else None) or entry.text,
        "is_document": is_document,
        "file_name": entry.file_name,
        "file_size": _size(entry) if is_document else "",
        "document_url": reverse("dossier:document", args=[entry.household_id, entry.pk]) if is_document else "",
        "url": reverse("dossier:entry", args=[entry.household_id, entry.pk]),
        "hidden": show_hidden and entry.hidden_from_household,
    }


def _page_number(request: HttpRequest) -> tuple[str, bool]:
    value = request.GET.get("page", "")
    if value == "" or (value.isascii() and value.isdigit() and 1 <= int(value) <= 10**6):
        return value or "1", True
    return "1", False


def _render_timeline(
    request: HttpRequest,
    access: HouseholdAccess,
    *,
    conversation_form: ConversationForm | None = None,
    document_form: DocumentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The timeline with its filters and forms; one access entry naming the categories it shows."""
    actor = request.actor
    household, visible = access.household, access.visible
    now = timezone.now()
    filters = TimelineFilterForm(request.GET or None, categories=visible)
    category, kind, period = filters.filters() if filters.is_bound else ("", "", "")
    shown = [DataCategory(category)] if category else [item for item in DataCategory if item in visible]
    since = now - datetime.timedelta(days=PERIODS[period]) if period else None
    number, page_is_valid = _page_number(request)
    show_hidden = not sees_for_the_household(actor)
    entries = selectors.timeline(
        household, shown, include_hidden=show_hidden, kinds=[kind] if kind else [], since=since
    )
    page = Paginator(entries, PAGE_SIZE).get_page(number)
    writable = writable_categories(actor, household, access=access)
    emergency = _emergency_access(actor, access)
    context = {
        "household": household,
        "is_member": access.citizen.is_member,
        "emergency": emergency,
        "filters": filters,
        "has_errors": filters.is_bound and bool(filters.errors),
        "is_filtering": bool(category or kind or period),
        "page_is_valid": page_is_valid,
        "page_obj": page,
        "entries": [_entry_item(entry, show_hidden=show_hidden) for entry in page.object_list],
        "conversation_form": (conversation_form or ConversationForm(categories=writable)) if writable else None,
        "document_form": (document_form or DocumentForm(categories=writable)) if writable else None,
        "max_size_mb": documents.max_size() // (1024 * 1024),
        "hidden_count": selectors.hidden_count(household) if is_active_coordinator(actor, household) else None,
    }
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category=audit.categories_value(item.value for item in shown),
        purpose=_purpose(actor, emergency),
        description="dossier timeline",
    )
    context["workspace"] = workspace(request, household, current="dossier", access=access)
    return render(request, "dossier/timeline.html", context, status=status)


@require_safe
def timeline(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _render_timeline(request, _visible_household(request, household_id))


def _writable_or_403(request: HttpRequest, household_id: str):
    access = _visible_household(request, household_id)
    writable = writable_categories(request.actor, access.household, access=access)
    if not writable:
        raise PermissionDenied
    return access, writable


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_POST
def add_conversation(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_timeline_url(household_id) if parse_id(household_id) else "/")
    access, writable = _writable_or_403(request, household_id)
    household = access.household
    form = ConversationForm(request.POST, categories=writable)
    if form.is_valid():
        try:
            services.conversation_add(
                actor=actor,
                household=household,
                category=form.cleaned_data["category"],
                participants=form.cleaned_data["participants"],
                text=form.cleaned_data["text"],
            )
        except PermissionDenied:
            form.add_error("category", form.not_allowed_message)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The conversation summary is saved."))
            return HttpResponseRedirect(_timeline_url(household.pk))
    return _render_timeline(request, access, conversation_form=form)


@require_POST
def add_document(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_timeline_url(household_id) if parse_id(household_id) else "/")
    access, writable = _writable_or_403(request, household_id)
    household = access.household
    form = DocumentForm(request.POST, request.FILES, categories=writable)
    if form.is_valid():
        try:
            services.document_add(
                actor=actor,
                household=household,
                category=form.cleaned_data["category"],
                upload=form.cleaned_data["upload"],
                description=form.cleaned_data["description"],
            )
        except PermissionDenied:
            form.add_error("category", form.not_allowed_message)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The document is saved."))
            return HttpResponseRedirect(_timeline_url(household.pk))
    return _render_timeline(request, access, document_form=form)


# --- one entry, its document, hiding it ------------------------------------------------------------------------


def _visible_entry(request: HttpRequest, household_id: str, entry_id: str):
    """The actor's access to the household, and the entry if they may see it; else 404."""
    access = _visible_household(request, household_id)
    pk = parse_id(entry_id)
    entry = selectors.entry_in(access.household, pk) if pk is not None else None
    if entry is None:
        raise Http404
    require(request.actor, "dossier.view_entry", (entry, access.visible), hide=True)
    return access, entry


def _render_entry(
    request: HttpRequest,
    access: HouseholdAccess,
    entry: Entry,
    *,
    form: HideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    household = access.household
    show_hidden = not sees_for_the_household(actor)
    may_hide = not entry.hidden_from_household and can(actor, "dossier.hide_entry", entry)
    emergency = _emergency_access(actor, access)
    context = {
        "household": household,
        "entry": _entry_item(entry, show_hidden=show_hidden),
        "hidden": (
            {
                "reason": entry.get_hidden_reason_display(),
                "explanation": entry.hidden_explanation,
                "by": entry.hidden_by.full_name if entry.hidden_by_id is not None else "",
                "on": _moment(entry.hidden_at),
            }
            if show_hidden and entry.hidden_from_household
            else None
        ),
        "form": (form or HideForm()) if may_hide else None,
        "timeline_url": _timeline_url(household.pk),
        "workspace": workspace(request, household, current="dossier", access=access),
    }
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=entry,
        household_id=household.pk,
        data_category=entry.category,
        purpose=_purpose(actor, emergency),
        description="dossier entry",
    )
    return render(request, "dossier/entry.html", context, status=status)


@require_safe
def entry(request: HttpRequest, household_id: str, entry_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _render_entry(request, *_visible_entry(request, household_id, entry_id))


@require_POST
def hide_entry(request: HttpRequest, household_id: str, entry_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_timeline_url(household_id) if parse_id(household_id) else "/")
    access, item = _visible_entry(request, household_id, entry_id)
    household = access.household
    if not can(actor, "dossier.hide_entry", item):
        raise PermissionDenied
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            services.entry_hide(
                actor=actor,
                entry=item,
                reason=form.cleaned_data["reason"],
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The entry is hidden from the household."))
            return HttpResponseRedirect(reverse("dossier:entry", args=[household.pk, item.pk]))
    return _render_entry(request, access, item, form=form)


@require_safe
def document(request: HttpRequest, household_id: str, entry_id: str) -> HttpResponse:
    """The stored file, as a download, after the policy; one access entry."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access, item = _visible_entry(request, household_id, entry_id)
    household = access.household
    if item.kind != EntryKind.DOCUMENT or not item.stored_name:
        raise Http404
    try:
        stored = documents.open_stored(item.stored_name)
    except FileNotFoundError:
        raise Http404 from None
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=item,
        household_id=household.pk,
        data_category=item.category,
        purpose=_purpose(actor, _emergency_access(actor, access)),
        description="dossier document",
    )
    response = FileResponse(stored, as_attachment=True, filename=item.file_name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the intake ------------------------------------------------------------------------------------------------


def _intake_url(household_id) -> str:
    return reverse("dossier:intake", args=[household_id])


def _intake_household(request: HttpRequest, household_id: str):
    """The actor's access to the household; 404 unless they may read the intake."""
    access = household_access(request.actor, household_id)
    require(request.actor, "dossier.view_intake", (access.household, access.visible), hide=True)
    return access


def _record_intake_read(actor: Actor, access: HouseholdAccess, domains, description: str) -> None:
    household = access.household
    categories = {DataCategory.GENERAL, *(DOMAIN_CATEGORY[domain] for domain in domains)}
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        household_id=household.pk,
        object_type="dossier.intake",
        object_id=household.pk,
        data_category=audit.categories_value(category.value for category in DataCategory if category in categories),
        purpose=_purpose(actor, _emergency_access(actor, access)),
        description=description,
    )


@require_safe
def intake(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = _intake_household(request, household_id)
    household, visible = access.household, access.visible
    domains = domains_in(visible)
    story = selectors.intake_of(household, [domain.value for domain in domains])
    context = {
        "household": household,
        "is_member": access.citizen.is_member,
        "intake": story.intake,
        "updated": _moment(story.intake.updated_at) if story.intake else "",
        "filled_by": (story.intake.filled_by.full_name if story.intake and story.intake.filled_by_id else ""),
        "situations": [
            {"label": domain_label(domain, plain=actor.role == Role.CITIZEN), "text": story.situations[domain.value]}
            for domain in domains
            if domain.value in story.situations
        ],
        "missing_domains": actor.is_professional and len(domains) < len(ZrmDomain),
        "may_edit": can(actor, "dossier.edit_intake", household),
        "workspace": workspace(request, household, current="story", access=access),
    }
    _record_intake_read(actor, access, domains, "intake")
    return render(request, "dossier/intake.html", context)


def _render_intake_edit(
    request: HttpRequest,
    access: HouseholdAccess,
    form: IntakeForm,
    domains,
    *,
    conflict=None,
    status: int = 200,
) -> HttpResponse:
    household = access.household
    context = {
        "household": household,
        "is_member": request.actor.role == Role.CITIZEN,
        "form": form,
        "conflict": conflict,
        "intake_url": _intake_url(household.pk),
        "workspace": workspace(request, household, current="story", access=access),
    }
    _record_intake_read(request.actor, access, domains, "intake form")
    return render(request, "dossier/intake_edit.html", context, status=status)


def _conflict_view(current, domains, *, plain: bool) -> dict:
    texts = selectors.intake_of(current.household, [domain.value for domain in domains]).situations
    return {
        "by": current.filled_by.full_name if current.filled_by_id else "",
        "on": _moment(current.updated_at),
        "fields": [
            (_("What is your question?"), current.question),
            (_("Who is already involved?"), current.involved),
            (_("What do you want to change?"), current.wants),
            *((domain_label(domain, plain=plain), texts.get(domain.value, "")) for domain in domains),
        ],
    }


def intake_edit(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if not actor.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(
                reverse("dossier:intake_edit", args=[household_id]) if parse_id(household_id) else "/"
            )
        return redirect_to_login(request.get_full_path())
    access = _intake_household(request, household_id)
    household = access.household
    if not can(actor, "dossier.edit_intake", household):
        raise PermissionDenied
    writable = writable_categories(actor, household, access=access)
    domains = domains_in(writable)
    plain = actor.role == Role.CITIZEN  # a resident reads the life domains in plain words
    if request.method != "POST":
        story = selectors.intake_of(household, [domain.value for domain in domains])
        initial = {}
        if story.intake is not None:
            initial = {
                "version": story.intake.version,
                "question": story.intake.question,
                "involved": story.intake.involved,
                "wants": story.intake.wants,
                **{f"domain_{code}": text for code, text in story.situations.items()},
            }
        blank = IntakeForm(initial=initial, domains=domains, plain=plain)
        return _render_intake_edit(request, access, blank, domains)
    form = IntakeForm(request.POST, domains=domains, plain=plain)
    if form.is_valid():
        try:
            services.intake_save(
                actor=actor,
                household=household,
                version=form.cleaned_data["version"],
                question=form.cleaned_data["question"],
                involved=form.cleaned_data["involved"],
                wants=form.cleaned_data["wants"],
                situations=form.situations(),
            )
        except services.IntakeConflict as conflict:
            # Keep what was typed; the next save (with the new version) overwrites what the other person saved.
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = IntakeForm(data, domains=domains, plain=plain)
            form.is_valid()
            conflict_view = _conflict_view(conflict.current, domains, plain=plain)
            return _render_intake_edit(request, access, form, domains, conflict=conflict_view, status=409)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your story is saved. Everyone who helps can read it here."))
            return HttpResponseRedirect(_intake_url(household.pk))
    return _render_intake_edit(request, access, form, domains)

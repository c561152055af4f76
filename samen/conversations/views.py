"""The conversation pages: the household conversation, a thread (a signal's, or one between professionals), the
polling endpoint, "Het loopt niet goed", a thread between professionals, resolving a signal, a summary for the
dossier, and the facilitator's list of escalated signals. Thin: parse → policy → service or selector → render.
Every page that shows household data writes one access-log entry; the polling endpoint writes one only when it
shows new messages."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samen.consent.policies import (
    HouseholdAccess,
    household_access,
    is_active_coordinator,
    parse_id,
    writable_categories,
)
from samen.consent.workspace import workspace
from samen.conversations import selectors, services
from samen.conversations.forms import MessageForm, ResolveForm, SearchForm, SignalForm, ThreadForm
from samen.conversations.models import Thread, ThreadKind
from samen.conversations.policies import message_categories
from samen.core import audit
from samen.core.actor import Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.core.vocabulary import DataCategory
from samen.households.models import TeamMember

POLL_SALT = "samen.conversations.poll"
POLL_MAX_AGE = 15 * 60  # a page's polling token lasts a quarter of an hour; then the full check runs again
POLL_EVERY = "every 10s"


def _purpose(request: HttpRequest, access: HouseholdAccess) -> AuditPurpose:
    if access.emergency and not access.consented and request.actor.role != Role.CITIZEN:
        return AuditPurpose.BREAK_THE_GLASS
    return AuditPurpose.CITIZEN if request.actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def _access(request: HttpRequest, household_id: str) -> HouseholdAccess:
    access = household_access(request.actor, household_id)
    require(request.actor, "conversations.view", access, hide=True)
    return access


def _thread(access: HouseholdAccess, request: HttpRequest, thread_id: str) -> tuple[Thread, frozenset[int]]:
    pk = parse_id(thread_id)
    found = selectors.thread_in(access.household.pk, pk) if pk is not None else None
    if found is None:
        raise Http404
    thread, organisations = found
    require(request.actor, "conversations.view_thread", (access, thread, organisations), hide=True)
    return thread, organisations


def _record_read(request: HttpRequest, access: HouseholdAccess, categories, description: str) -> None:
    audit.record(
        actor=request.actor,
        action=AuditAction.READ,
        obj=access.household,
        household_id=access.household.pk,
        data_category=audit.categories_value(category.value for category in categories),
        purpose=_purpose(request, access),
        description=description,
    )


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i")


def _message_row(message, user_id) -> dict:
    organisation = message.organisation.name if message.organisation_id else ""
    return {
        "id": message.pk,
        "anchor": f"bericht-{message.pk}",
        "author": message.author.full_name,
        "organisation": organisation,
        "is_mine": message.author_id == user_id,
        "when": _moment(message.created_at),
        "category": capfirst(str(DataCategory(message.category).label)),
        "is_general": message.category == DataCategory.GENERAL,
        "text": message.text,
        "attachment": message.attachment if message.attachment_id else None,
    }


def _poll_url(request: HttpRequest, thread: Thread, after: int) -> str:
    token = signing.dumps([request.user.pk, thread.pk], salt=POLL_SALT, compress=True)
    base = reverse("conversations:poll", args=[thread.household_id, thread.pk])
    return f"{base}?na={after}&t={token}"


def _team_organisations(household_id: int, *, exclude: int | None = None) -> list[tuple[int, str]]:
    rows = (
        TeamMember.objects.filter(household_id=household_id, left_at__isnull=True, organisation__isnull=False)
        .values_list("organisation_id", "organisation__name")
        .order_by("organisation__name")
        .distinct()
    )
    return [(pk, name) for pk, name in rows if pk != exclude]


def _page(
    request: HttpRequest,
    access: HouseholdAccess,
    thread: Thread | None,
    organisations: frozenset[int],
    *,
    form: MessageForm | None = None,
    resolve_form: ResolveForm | None = None,
    status: int = 200,
    household_thread: bool = False,
) -> HttpResponse:
    """A thread's page; with ``household_thread`` the household conversation (``thread`` is then looked up among
    the household's threads, which the page lists anyway)."""
    actor, household = request.actor, access.household
    visible = [category for category in DataCategory if category in access.visible]
    rows = selectors.thread_rows(
        household.pk,
        visible,
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        consented=bool(access.consented),
    )
    if household_thread:
        thread = next((row.thread for row in rows if row.thread.kind == ThreadKind.HOUSEHOLD), None)
    read_up_to = next((row.thread.read_up_to for row in rows if thread is not None and row.thread.pk == thread.pk), 0)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_bound and search.is_valid() else ""
    before = parse_id(request.GET.get("voor")) if request.GET.get("voor") else None
    shown, has_older = selectors.messages(thread, visible, before=before, query=query)
    writable = message_categories(actor, access)
    may_post = bool(writable) and (thread is None or thread.kind != ThreadKind.PROFESSIONALS or bool(organisations))
    signal = getattr(thread, "signal", None) if thread is not None and thread.kind == ThreadKind.SIGNAL else None
    newest = shown[-1].pk if shown else 0
    context = {
        "household": household,
        "thread": thread,
        "is_household_thread": thread is None or thread.kind == ThreadKind.HOUSEHOLD,
        "signal": signal,
        "signal_organisations": selectors.signal_organisations(signal) if signal is not None else [],
        "may_resolve": signal is not None
        and can(actor, "conversations.resolve_signal", (access, signal, is_active_coordinator(actor, household))),
        "resolve_form": resolve_form or ResolveForm(),
        "thread_messages": [_message_row(message, actor.user_id) for message in shown],
        "has_older": has_older,
        "older_url": f"?voor={shown[0].pk}" if has_older and shown else "",
        "search": search,
        "query": query,
        "form": (form or MessageForm(categories=writable)) if may_post else None,
        "threads": [row for row in rows if row.thread.kind != ThreadKind.HOUSEHOLD],
        "may_raise_signal": can(actor, "conversations.raise_signal", access),
        "may_start_thread": can(actor, "conversations.start_thread", access),
        # The meetings and referrals pages (apps above this one ask their own rules; the names only, no import).
        "may_view_meetings": can(actor, "meetings.view", (household, access.visible)),
        "may_view_referrals": can(actor, "referrals.view", access),
        "is_citizen": actor.role == Role.CITIZEN,
        "summary_categories": [
            (c.value, capfirst(str(c.label)))
            for c in DataCategory
            if c in writable_categories(actor, household, access=access)  # a summary is a dossier entry
        ],
        "poll_url": _poll_url(request, thread, newest) if thread is not None and thread.pk and not query else "",
        "poll_every": POLL_EVERY,
        "workspace": workspace(request, household, current="conversation", access=access),
    }
    _record_read(request, access, visible, f"conversation ({thread.kind if thread else 'household'})")
    if thread is not None and newest > read_up_to:
        services.thread_mark_read(actor=actor, thread=thread, up_to=newest)
    return render(request, "conversations/conversation.html", context)


def _post(request: HttpRequest, access: HouseholdAccess, thread: Thread | None, organisations) -> HttpResponse:
    writable = message_categories(request.actor, access)
    form = MessageForm(request.POST, request.FILES, categories=writable)
    if form.is_valid():
        try:
            message = services.message_post(
                actor=request.actor,
                access=access,
                thread=thread,
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
                upload=form.cleaned_data.get("upload"),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            form.add_error("category", _("You cannot write about this kind of information."))
        else:
            target = services.thread_url(message.thread)
            return HttpResponseRedirect(f"{target}#bericht-{message.pk}")
    return _page(
        request,
        access,
        thread,
        organisations,
        form=form,
        household_thread=thread is None or thread.kind == ThreadKind.HOUSEHOLD,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def household(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = _access(request, household_id)
    if request.method == "POST":
        return _post(request, access, selectors.household_thread(access.household.pk), frozenset())
    return _page(request, access, None, frozenset(), household_thread=True)


@require_http_methods(["GET", "HEAD", "POST"])
def thread(request: HttpRequest, household_id: str, thread_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = _access(request, household_id)
    found, organisations = _thread(access, request, thread_id)
    if request.method == "POST":
        return _post(request, access, found, organisations)
    return _page(request, access, found, organisations)


@require_safe
def poll(request: HttpRequest, household_id: str, thread_id: str) -> HttpResponse:
    """New messages since ``na`` without reloading the page. "Nothing new" is answered with 204 from one indexed
    lookup, when the page's token (signed, for this person and this thread, at most ``POLL_MAX_AGE`` old) says the
    full access check ran shortly before; it says nothing but "nothing new". Anything new goes through the full
    check, is shown only in the categories the reader sees, and is access-logged."""
    if not request.user.is_authenticated:
        raise Http404
    thread_pk, household_pk = parse_id(thread_id), parse_id(household_id)
    after = parse_id(request.GET.get("na")) or 0
    if thread_pk is None or household_pk is None:
        raise Http404
    try:
        user_pk, token_thread = signing.loads(request.GET.get("t", ""), salt=POLL_SALT, max_age=POLL_MAX_AGE)
    except (signing.BadSignature, ValueError, TypeError):
        user_pk = token_thread = None
    if user_pk == request.user.pk and token_thread == thread_pk:
        last = selectors.last_message(thread_pk)
        if last is not None and last[1] == household_pk and last[0] <= after:
            return HttpResponse(status=204)
    access = _access(request, household_id)
    found, _organisations = _thread(access, request, thread_id)
    visible = [category for category in DataCategory if category in access.visible]
    new = selectors.messages_after(found, visible, after)
    newest = max([after, *[message.pk for message in new]])
    if not new and request.htmx and user_pk == request.user.pk and token_thread == thread_pk:
        return HttpResponse(status=204)  # a message came that this reader may not see: still nothing new for them
    # The full check ran and the thread was read (its new messages, or that there are none): one access entry.
    _record_read(request, access, visible, f"conversation, new messages ({found.kind})")
    if new:
        services.thread_mark_read(actor=request.actor, thread=found, up_to=newest)
    context = {
        "thread_messages": [_message_row(message, request.actor.user_id) for message in new],
        "poll_url": _poll_url(request, found, newest),
        "poll_every": POLL_EVERY,
        "household": access.household,
    }
    return render(request, "conversations/_poll.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def raise_signal(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = _access(request, household_id)
    require(request.actor, "conversations.raise_signal", access)
    household = access.household
    writable = message_categories(request.actor, access)
    organisations = _team_organisations(household.pk)
    form = SignalForm(request.POST or None, categories=writable, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            signal = services.signal_raise(
                actor=request.actor,
                access=access,
                kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"],
                category=form.cleaned_data["category"],
                organisation_ids=form.cleaned_data.get("organisations") or [],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            flash.success(request, _("Thank you. The coordinator reads your message and responds."))
            return HttpResponseRedirect(reverse("conversations:thread", args=[household.pk, signal.thread_id]))
    _record_read(request, access, [DataCategory.GENERAL], "signal form")
    context = {
        "household": household,
        "form": form,
        "is_citizen": request.actor.role == Role.CITIZEN,
        "workspace": workspace(request, household, current="conversation", access=access),
    }
    return render(request, "conversations/signal_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def start_thread(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = _access(request, household_id)
    require(request.actor, "conversations.start_thread", access)
    household = access.household
    writable = message_categories(request.actor, access)
    organisations = _team_organisations(household.pk, exclude=request.actor.organisation_id)
    form = ThreadForm(request.POST or None, categories=writable, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            started = services.thread_start(
                actor=request.actor,
                access=access,
                topic=form.cleaned_data["topic"],
                reason=form.cleaned_data["reason"],
                organisation_ids=form.cleaned_data.get("organisations") or [],
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except PermissionDenied:
            form.add_error("category", _("You cannot write about this kind of information."))
        else:
            return HttpResponseRedirect(reverse("conversations:thread", args=[household.pk, started.pk]))
    _record_read(request, access, [DataCategory.GENERAL], "form for a conversation between professionals")
    context = {
        "household": household,
        "form": form,
        "workspace": workspace(request, household, current="conversation", access=access),
    }
    return render(request, "conversations/thread_form.html", context)


@require_POST
def resolve(request: HttpRequest, household_id: str, thread_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = _access(request, household_id)
    found, organisations = _thread(access, request, thread_id)
    signal = getattr(found, "signal", None) if found.kind == ThreadKind.SIGNAL else None
    if signal is None:
        raise Http404
    is_coordinator = is_active_coordinator(request.actor, access.household)
    require(request.actor, "conversations.resolve_signal", (access, signal, is_coordinator))
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.signal_resolve(
                actor=request.actor,
                access=access,
                signal=signal,
                is_coordinator=is_coordinator,
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            flash.success(request, _("The signal is solved. Everyone in the conversation can read what was agreed."))
            return HttpResponseRedirect(reverse("conversations:thread", args=[access.household.pk, found.pk]))
    return _page(request, access, found, organisations, resolve_form=form)


@require_POST
def summary(request: HttpRequest, household_id: str, thread_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = _access(request, household_id)
    if thread_id == "huishouden":
        found, organisations = selectors.household_thread(access.household.pk), frozenset()
        if found is None:
            raise Http404
    else:
        found, organisations = _thread(access, request, thread_id)
    if not writable_categories(request.actor, access.household, access=access):
        raise PermissionDenied  # a summary is a dossier entry: who may write notes
    try:
        entry = services.summary_save(
            actor=request.actor, access=access, thread=found, category=request.POST.get("category", "")
        )
    except (ValidationError, PermissionDenied) as error:
        text = (
            " ".join(message for messages in error.message_dict.values() for message in messages)
            if isinstance(error, ValidationError) and hasattr(error, "message_dict")
            else _("You cannot write about this kind of information.")
        )
        flash.error(request, text)
        return HttpResponseRedirect(services.thread_url(found))
    flash.success(request, _("The summary is saved in the dossier."))
    return HttpResponseRedirect(reverse("dossier:entry", args=[access.household.pk, entry.pk]))


@require_safe
def facilitator(request: HttpRequest) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(request.actor, "conversations.facilitator", hide=True)
    rows = selectors.escalated_for_facilitator(request.actor.user_id)
    audit.record(
        actor=request.actor,
        action=AuditAction.READ,
        object_type="conversations.signal",
        purpose=AuditPurpose.OPERATIONS,
        description="escalated signals (no case content)",
    )
    return render(
        request,
        "conversations/facilitator.html",
        {
            "rows": [
                {**row.__dict__, "raised": _moment(row.raised_at), "escalated": _moment(row.escalated_at)}
                for row in rows
            ]
        },
    )

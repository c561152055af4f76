"""The household's meeting pages. Thin views: the policy decides (``household_access`` and the ``meetings.*``
rules), the selectors read, the services write and audit. Every page shown writes exactly one access entry naming
the categories it shows; a refusal ("not found" for missing and forbidden alike, "not allowed" for someone who may
see but not do) writes none. Forms are plain POST forms: bad input shows the page again with the message and what
was typed, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samen.consent.models import DataCategory
from samen.consent.policies import HouseholdAccess, household_access, parse_id, writable_categories
from samen.consent.workspace import workspace
from samen.core import audit
from samen.core.actor import Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.households.models import Household
from samen.meetings import calendar, selectors, services
from samen.meetings.forms import (
    ActionFromOutcomeForm,
    CoordinatorFromOutcomeForm,
    GoalFromOutcomeForm,
    HoldForm,
    MeetingForm,
    VersionForm,
)
from samen.meetings.models import AgendaKind, AppliedAs, Meeting, MeetingStatus, Outcome
from samen.plans import selectors as plan_selectors
from samen.plans.services import owner_label

GENERAL = DataCategory.GENERAL
# The household's tab these pages belong to: the conversation (with its signals, meetings and referrals).
WORKSPACE_TAB = "conversation"
STATUS_BADGES = {
    MeetingStatus.PLANNED: "active",
    MeetingStatus.HELD: "success",
    MeetingStatus.CANCELLED: "inactive",
}


# --- access ----------------------------------------------------------------------------------------------------


def _list_url(household_id) -> str:
    return reverse("meetings:list", args=[household_id])


def _detail_url(meeting: Meeting) -> str:
    return reverse("meetings:detail", args=[meeting.household_id, meeting.pk])


def _login(request: HttpRequest, household_id: str) -> HttpResponse:
    return redirect_to_login(_list_url(household_id) if parse_id(household_id) else "/")


def _access(request: HttpRequest, household_id: str) -> HouseholdAccess:
    """The actor's access to the household; 404 unless they may see its meetings."""
    access = household_access(request.actor, household_id)
    require(request.actor, "meetings.view", (access.household, access.visible), hide=True)
    return access


def _may_manage(request: HttpRequest, access: HouseholdAccess) -> bool:
    return can(request.actor, "meetings.manage", (access.household, access))


def _manager(request: HttpRequest, household_id: str) -> HouseholdAccess:
    access = _access(request, household_id)
    if not _may_manage(request, access):
        raise PermissionDenied  # may see the meetings, may not plan or change them (the informal network)
    return access


def _meeting(access: HouseholdAccess, meeting_id: str) -> Meeting:
    meeting = selectors.meeting_in(access.household, parse_id(meeting_id))
    if meeting is None:
        raise Http404
    return meeting


def _visible_list(visible: Iterable) -> list[DataCategory]:
    return [category for category in DataCategory if category in visible]


def _record_read(request: HttpRequest, household: Household, categories: Iterable, description: str) -> None:
    shown = {DataCategory(category) for category in categories} | {GENERAL}
    audit.record(
        actor=request.actor,
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category=audit.categories_value(category.value for category in DataCategory if category in shown),
        purpose=AuditPurpose.CITIZEN if request.actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION,
        description=description,
    )


def _page(request: HttpRequest, access: HouseholdAccess, template: str, context: dict, categories, description: str):
    _record_read(request, access.household, categories, description)
    context = {
        "household": access.household,
        "is_citizen": request.actor.role == Role.CITIZEN,
        "workspace": workspace(request, access.household, current=WORKSPACE_TAB, access=access),
        **context,
    }
    return render(request, template, context)


def _error_fields(form, error: ValidationError, renamed: dict[str, str] | None = None) -> None:
    renamed = renamed or {}
    for field, errors in error.message_dict.items():
        field = renamed.get(field, field)
        form.add_error(field if field in form.fields else None, errors)


# --- how a meeting reads ----------------------------------------------------------------------------------------


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return _("%(day)s, %(start)s to %(end)s") % {
        "day": formats.date_format(start, "l j F Y"),
        "start": formats.time_format(start, "H:i"),
        "end": formats.time_format(end, "H:i"),
    }


def _where(meeting: Meeting) -> str:
    if meeting.place and meeting.video_url:
        return _("%(place)s, or by video") % {"place": meeting.place}
    return meeting.place or _("By video")


def _status(meeting: Meeting) -> tuple[str, str]:
    return capfirst(MeetingStatus(meeting.status).label), STATUS_BADGES[MeetingStatus(meeting.status)]


def _name(user) -> str:
    return user.get_full_name() if user is not None else ""


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i") if value else ""


def _row(meeting: Meeting) -> dict:
    people = [participant.name for participant in meeting.participants.all()]
    return {
        "id": meeting.pk,
        "title_id": f"meeting-{meeting.pk}-title",
        "title": meeting.title,
        "url": _detail_url(meeting),
        "when": _when(meeting),
        "where": _where(meeting),
        "people": ", ".join(people),
        "outcome_count": getattr(meeting, "outcome_count", 0),
        "is_held": meeting.status == MeetingStatus.HELD,
    }


# --- the list ---------------------------------------------------------------------------------------------------


@require_safe
def meeting_list(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access = _access(request, household_id)
    visible = _visible_list(access.visible)
    groups: dict[str, list[dict]] = {status: [] for status in MeetingStatus}
    for meeting in selectors.meetings_of(access.household, visible):
        groups[meeting.status].append(_row(meeting))
    return _page(
        request,
        access,
        "meetings/list.html",
        {
            "groups": [
                {
                    "key": "planned",
                    "title": _("Planned"),
                    "rows": groups[MeetingStatus.PLANNED],
                    "empty": _("No meeting is planned."),
                },
                {
                    "key": "held",
                    "title": _("Held"),
                    "rows": groups[MeetingStatus.HELD],
                    "empty": _("No meeting has been held yet."),
                },
                {"key": "cancelled", "title": _("Cancelled"), "rows": groups[MeetingStatus.CANCELLED], "empty": ""},
            ],
            "may_manage": _may_manage(request, access),
        },
        [],
        "meetings",
    )


# --- one meeting ------------------------------------------------------------------------------------------------


def _agenda_rows(items) -> list[dict]:
    rows = []
    for item in items:
        if item.kind == AgendaKind.EVALUATION:
            text = _("Looking back at the plan (evaluation of %(date)s)") % {
                "date": formats.date_format(item.evaluation.date, "j F Y")
            }
            user_text = False
        elif item.kind == AgendaKind.SIGNAL:
            text = _("Signal: %(kind)s (raised on %(date)s)") % {
                "kind": item.signal.get_kind_display(),
                "date": formats.date_format(timezone.localtime(item.signal.raised_at), "j F Y"),
            }
            user_text = False
        else:
            text, user_text = item.text, True
        category = DataCategory(item.category)
        rows.append(
            {"text": text, "user_text": user_text, "category": "" if category == GENERAL else capfirst(category.label)}
        )
    return rows


def _applied(outcome: Outcome, household_id: int, *, visible) -> dict | None:
    """What the outcome became in the plan, in words, with a link to it when the reader may see it."""
    if outcome.applied_as == AppliedAs.NONE:
        return None
    plan_url = reverse("plans:plan", args=[household_id])
    link = ""
    if outcome.applied_as == AppliedAs.GOAL:
        label = _("It is a goal in the plan.")
        if outcome.applied_goal.category in visible:
            link = f"{plan_url}#goal-{outcome.applied_goal_id}"
    elif outcome.applied_as == AppliedAs.ACTION:
        action = outcome.applied_action
        label = _("It is an action in the plan, for %(owner)s.") % {"owner": owner_label(action)}
        if action.goal.category in visible:
            link = f"{plan_url}#goal-{action.goal_id}"
    elif outcome.applied_as == AppliedAs.AGREEMENT:
        label = _("It is an agreement in the plan.")
        link = f"{plan_url}#agreements-title"
    else:
        handover = outcome.applied_handover
        label = _("%(name)s of %(organisation)s became the coordinator.") % {
            "name": handover.to_member.user.get_full_name(),
            "organisation": handover.to_member.organisation.name,
        }
        link = reverse("households:team", args=[household_id])
    by = _name(outcome.applied_by)
    return {
        "label": label,
        "link": link,
        "link_label": _("See it in the plan") if outcome.applied_as != AppliedAs.COORDINATOR else _("See the team"),
        "by": (_("Put there by %(name)s on %(moment)s.") % {"name": by, "moment": _moment(outcome.applied_at)})
        if by
        else "",
    }


def _outcome_rows(request: HttpRequest, access: HouseholdAccess, meeting: Meeting, outcomes) -> list[dict]:
    actor = request.actor
    household = access.household
    writable = writable_categories(actor, household, access=access)
    may_hand_over = can(actor, "households.hand_over", household) if GENERAL in writable else False
    rows = []
    for outcome in outcomes:
        category = DataCategory(outcome.category)
        may_apply = (
            meeting.status == MeetingStatus.HELD
            and outcome.applied_as == AppliedAs.NONE
            and GENERAL in writable
            and category in writable
        )
        rows.append(
            {
                "id": outcome.pk,
                "title_id": f"outcome-{outcome.pk}",
                "text": outcome.text,
                "category": "" if category == GENERAL else capfirst(category.label),
                "applied": _applied(outcome, household.pk, visible=access.visible),
                "may_apply": may_apply,
                "may_agree": may_apply and category == GENERAL,
                "may_hand_over": may_apply and category == GENERAL and may_hand_over,
            }
        )
    return rows


@require_safe
def meeting_detail(request: HttpRequest, household_id: str, meeting_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access = _access(request, household_id)
    meeting = _meeting(access, meeting_id)
    visible = _visible_list(access.visible)
    agenda = selectors.agenda(meeting, visible)
    outcomes = selectors.outcomes(meeting, visible) if meeting.status == MeetingStatus.HELD else []
    status, status_kind = _status(meeting)
    may_manage = meeting.status == MeetingStatus.PLANNED and _may_manage(request, access)
    context = {
        "meeting": meeting,
        "when": _when(meeting),
        "where": meeting.place,
        "video_url": meeting.video_url,
        "status": status,
        "status_kind": status_kind,
        "planned_by": _name(meeting.created_by),
        "planned_at": _moment(meeting.created_at),
        "held_by": _name(meeting.held_by),
        "held_at": _moment(meeting.held_at),
        "cancelled_by": _name(meeting.cancelled_by),
        "cancelled_at": _moment(meeting.cancelled_at),
        "participants": [
            {"name": person.name, "role": selectors.role_of(person)} for person in selectors.participants(meeting)
        ],
        "agenda": _agenda_rows(agenda),
        "outcomes": _outcome_rows(request, access, meeting, outcomes),
        "show_categories": request.actor.role != Role.CITIZEN,
        "may_manage": may_manage,
        "meeting_label": services.meeting_label(meeting),
        "version_form": VersionForm(initial={"version": meeting.version}),
    }
    shown = [item.category for item in agenda] + [outcome.category for outcome in outcomes]
    return _page(request, access, "meetings/detail.html", context, shown, "meeting")


@require_safe
def meeting_calendar(request: HttpRequest, household_id: str, meeting_id: str) -> HttpResponse:
    """The meeting as an .ics file, for whoever may see it (written in the access log like a page)."""
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access = _access(request, household_id)
    meeting = _meeting(access, meeting_id)
    content = calendar.calendar_for(meeting, selectors.participants(meeting))
    _record_read(request, access.household, [], "meeting calendar file")
    response = HttpResponse(content, content_type=calendar.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{calendar.file_name(meeting)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- planning and changing --------------------------------------------------------------------------------------


def _meeting_form(request: HttpRequest, access: HouseholdAccess, data, *, meeting: Meeting | None = None, initial=None):
    household = access.household
    writable = writable_categories(request.actor, household, access=access)
    participants = [
        (choice.key, f"{choice.name} ({choice.role})" if choice.role else choice.name)
        for choice in selectors.participant_choices(household)
    ]
    signals = selectors.open_signals(household, writable)
    evaluations = selectors.due_evaluations(household)
    if meeting is not None:  # what is on the agenda stays offered, also when it is no longer due or open
        agenda = selectors.agenda(meeting, writable)
        evaluations += [item.evaluation for item in agenda if item.evaluation_id and item.evaluation not in evaluations]
        signals += [item.signal for item in agenda if item.signal_id and item.signal not in signals]
    signal_choices = [
        (
            str(signal.pk),
            _("%(kind)s (raised on %(date)s)")
            % {
                "kind": signal.get_kind_display(),
                "date": formats.date_format(timezone.localtime(signal.raised_at), "j F Y"),
            },
        )
        for signal in signals
    ]
    today = timezone.localdate()
    evaluation_choices = [
        (
            str(evaluation.pk),
            (_("Evaluation of %(date)s (overdue)") if evaluation.date < today else _("Evaluation of %(date)s"))
            % {"date": formats.date_format(evaluation.date, "j F Y")},
        )
        for evaluation in evaluations
    ]
    return MeetingForm(
        data,
        initial=initial,
        participants=participants,
        signals=signal_choices,
        evaluations=evaluation_choices,
        with_version=meeting is not None,
    )


def _service_arguments(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "starts_at": data["starts_at"],
        "duration": data["duration"],
        "place": data["place"],
        "video_url": data["video_url"],
        "participants": data["participants"],
        "guests": data["guests"],
        "evaluations": data["evaluations"],
        "signals": data["signals"],
        "questions": data["questions"],
    }


FORM_FIELDS = {"starts_at": "date"}


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_plan(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access = _manager(request, household_id)
    if request.method == "POST":
        form = _meeting_form(request, access, request.POST)
        if form.is_valid():
            try:
                meeting = services.meeting_plan(
                    actor=request.actor, household=access.household, **_service_arguments(form)
                )
            except ValidationError as error:
                _error_fields(form, error, FORM_FIELDS)
            else:
                messages.success(
                    request, _("The meeting is planned. Everyone invited with an account gets an e-mail with it.")
                )
                return HttpResponseRedirect(_detail_url(meeting))
    else:
        form = _meeting_form(request, access, None, initial={"title": _("Kitchen-table meeting"), "duration": 60})
    context = {"form": form, "title": _("Plan a meeting"), "submit": _("Plan the meeting"), "meeting": None}
    return _page(request, access, "meetings/form.html", context, [], "meeting plan form")


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_edit(request: HttpRequest, household_id: str, meeting_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access = _manager(request, household_id)
    meeting = _meeting(access, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        messages.info(request, _("Only a planned meeting can be changed."))
        return HttpResponseRedirect(_detail_url(meeting))
    writable = writable_categories(request.actor, access.household, access=access)
    conflict = False
    if request.method == "POST":
        form = _meeting_form(request, access, request.POST, meeting=meeting)
        if form.is_valid():
            try:
                services.meeting_update(
                    actor=request.actor,
                    meeting=meeting,
                    expected_version=form.cleaned_data["version"],
                    **_service_arguments(form),
                )
            except services.MeetingConflict as stale:
                conflict = True
                data = request.POST.copy()
                data["version"] = str(stale.current_version)
                form = _meeting_form(request, access, data, meeting=meeting)
                form.is_valid()
            except ValidationError as error:
                _error_fields(form, error, FORM_FIELDS)
            else:
                messages.success(request, _("The meeting is changed. Everyone invited gets the change by e-mail."))
                return HttpResponseRedirect(_detail_url(meeting))
    else:
        form = _meeting_form(request, access, None, meeting=meeting, initial=_initial(meeting, writable))
    context = {
        "form": form,
        "title": _("Change the meeting"),
        "submit": _("Save the changes"),
        "meeting": meeting,
        "conflict": conflict,
    }
    return _page(request, access, "meetings/form.html", context, [], "meeting edit form")


def _initial(meeting: Meeting, writable) -> dict:
    start = timezone.localtime(meeting.starts_at)
    people = selectors.participants(meeting)
    agenda = selectors.agenda(meeting, writable)
    return {
        "title": meeting.title,
        "date": start.date(),
        "time": start.time().replace(second=0, microsecond=0),
        "duration": meeting.duration,
        "place": meeting.place,
        "video_url": meeting.video_url,
        "participants": [
            f"member:{p.member_id}" if p.member_id else f"team:{p.team_member_id}"
            for p in people
            if p.member_id or p.team_member_id
        ],
        "guests": "\n".join(
            f"{p.name}, {p.role}" if p.role else p.name for p in people if not (p.member_id or p.team_member_id)
        ),
        "signals": [str(item.signal_id) for item in agenda if item.signal_id],
        "evaluations": [str(item.evaluation_id) for item in agenda if item.evaluation_id],
        "questions": "\n".join(item.text for item in agenda if item.kind in (AgendaKind.QUESTION, AgendaKind.OTHER)),
        "version": meeting.version,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_cancel(request: HttpRequest, household_id: str, meeting_id: str) -> HttpResponse:
    """ "Cancel the meeting?" and its answer. Nothing happens without the confirmation."""
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access = _manager(request, household_id)
    meeting = _meeting(access, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        messages.info(request, _("Only a planned meeting can be cancelled."))
        return HttpResponseRedirect(_detail_url(meeting))
    form = VersionForm(request.POST if request.method == "POST" else None, initial={"version": meeting.version})
    if form.is_bound and form.is_valid():
        try:
            services.meeting_cancel(actor=request.actor, meeting=meeting, expected_version=form.cleaned_data["version"])
        except services.MeetingConflict:
            messages.error(request, _("Someone changed this meeting in the meantime. Look at it again first."))
            return HttpResponseRedirect(_detail_url(meeting))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(_detail_url(meeting))
        messages.success(request, _("The meeting is cancelled. Everyone invited gets the cancellation by e-mail."))
        return HttpResponseRedirect(_detail_url(meeting))
    context = {"meeting": meeting, "form": form, "when": _when(meeting)}
    return _page(request, access, "meetings/cancel.html", context, [], "meeting cancel form")


# --- holding: the outcomes --------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_hold(request: HttpRequest, household_id: str, meeting_id: str) -> HttpResponse:
    """Write down what was agreed. "Add a line" shows the form again with one more line and what was typed."""
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access = _manager(request, household_id)
    meeting = _meeting(access, meeting_id)
    if meeting.status != MeetingStatus.PLANNED:
        messages.info(request, _("The outcomes of this meeting are written down already, or it was cancelled."))
        return HttpResponseRedirect(_detail_url(meeting))
    writable = writable_categories(request.actor, access.household, access=access)
    conflict = False
    if request.method == "POST":
        form = HoldForm(request.POST, categories=writable)
        if "more" not in request.POST and form.is_valid():
            try:
                services.meeting_hold(
                    actor=request.actor,
                    meeting=meeting,
                    expected_version=form.cleaned_data["version"],
                    outcomes=form.outcomes(),
                )
            except services.MeetingConflict:
                conflict = True
            except ValidationError as error:
                _error_fields(form, error, {"outcomes": "outcome-0"})
            else:
                messages.success(request, _("The meeting is written down as held, with what was agreed."))
                return HttpResponseRedirect(_detail_url(meeting))
    else:
        form = HoldForm(initial={"version": meeting.version}, categories=writable)
    context = {
        "meeting": meeting,
        "form": form,
        "when": _when(meeting),
        "conflict": conflict,
        "agenda": _agenda_rows(selectors.agenda(meeting, _visible_list(access.visible))),
    }
    return _page(request, access, "meetings/hold.html", context, [], "meeting hold form")


# --- an outcome becomes a change in the plan --------------------------------------------------------------------


def _outcome(request: HttpRequest, household_id: str, outcome_id: str) -> tuple[HouseholdAccess, Outcome]:
    """The outcome, if the actor may see it (404 otherwise) and may put its category in the plan (403)."""
    access = _access(request, household_id)
    outcome = selectors.outcome_in(access.household, parse_id(outcome_id))
    visible = (access.household, outcome.category, access.visible) if outcome is not None else None
    if outcome is None or not can(request.actor, "meetings.view_item", visible):
        raise Http404
    require(request.actor, "meetings.apply", (access.household, outcome.category))
    return access, outcome


def _already(request: HttpRequest, outcome: Outcome) -> HttpResponse | None:
    """Back to the meeting when the outcome cannot be applied (any more)."""
    if outcome.applied_as != AppliedAs.NONE:
        messages.info(request, _("This outcome is in the plan already."))
    elif outcome.meeting.status != MeetingStatus.HELD:
        messages.info(request, _("Only the outcomes of a meeting that was held can go into the plan."))
    else:
        return None
    return HttpResponseRedirect(_detail_url(outcome.meeting))


def _apply_page(request, access, outcome, form, *, title: str, lead: str, submit: str, description: str, note=""):
    context = {
        "meeting": outcome.meeting,
        "outcome": outcome,
        "form": form,
        "title": title,
        "lead": lead,
        "submit": submit,
        "note": note,
        "meeting_label": services.meeting_label(outcome.meeting),
    }
    return _page(request, access, "meetings/apply.html", context, [outcome.category], description)


def _apply(request, outcome: Outcome, form, save, *, done: str) -> HttpResponse | None:
    """Save when the form is sent and valid; a refusal by the service becomes a message on the form."""
    if not (form.is_bound and form.is_valid()):
        return None
    try:
        save()
    except PermissionDenied:
        form.add_error(None, _("You cannot put this in the plan."))
    except ValidationError as error:
        if "outcome" in error.message_dict:
            messages.error(request, " ".join(error.message_dict["outcome"]))
            return HttpResponseRedirect(_detail_url(outcome.meeting))
        _error_fields(form, error)
    else:
        messages.success(request, done)
        return HttpResponseRedirect(f"{_detail_url(outcome.meeting)}#outcome-{outcome.pk}")
    return None


@require_http_methods(["GET", "HEAD", "POST"])
def outcome_to_action(request: HttpRequest, household_id: str, outcome_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access, outcome = _outcome(request, household_id, outcome_id)
    if (back := _already(request, outcome)) is not None:
        return back
    writable = writable_categories(request.actor, access.household, access=access)
    categories = writable if outcome.category == GENERAL else writable & {DataCategory(outcome.category)}
    goals = selectors.goals_for_actions(access.household, _visible_list(categories))
    form = ActionFromOutcomeForm(
        request.POST if request.method == "POST" else None,
        goals=[(str(goal.pk), goal.text) for goal in goals],
        owners=plan_selectors.owner_choices(access.household),
    )
    saved = _apply(
        request,
        outcome,
        form,
        lambda: services.outcome_to_action(
            actor=request.actor,
            outcome=outcome,
            goal=form.cleaned_data["goal"],
            owner=form.cleaned_data["owner"],
            due_date=form.cleaned_data["due_date"],
        ),
        done=_("The outcome is an action in the plan now."),
    )
    if saved is not None:
        return saved
    return _apply_page(
        request,
        access,
        outcome,
        form if goals else None,
        title=_("Make it an action"),
        lead=_("The outcome becomes an action in the plan: under which goal, who does it and before when."),
        submit=_("Make it an action"),
        description="meeting outcome to action form",
        note="" if goals else _("There is no goal in the plan for this action yet. Make the outcome a goal first."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def outcome_to_goal(request: HttpRequest, household_id: str, outcome_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access, outcome = _outcome(request, household_id, outcome_id)
    if (back := _already(request, outcome)) is not None:
        return back
    plain = request.actor.role == Role.CITIZEN
    form = GoalFromOutcomeForm(request.POST if request.method == "POST" else None, plain=plain)
    saved = _apply(
        request,
        outcome,
        form,
        lambda: services.outcome_to_goal(actor=request.actor, outcome=outcome, domain=form.cleaned_data["domain"]),
        done=_("The outcome is a goal in the plan now."),
    )
    if saved is not None:
        return saved
    return _apply_page(
        request,
        access,
        outcome,
        form,
        title=_("Make it a goal"),
        lead=_("The outcome becomes a goal in the plan, in these words. Choose what part of life it is about."),
        submit=_("Make it a goal"),
        description="meeting outcome to goal form",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def outcome_to_coordinator(request: HttpRequest, household_id: str, outcome_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access, outcome = _outcome(request, household_id, outcome_id)
    if not can(request.actor, "households.hand_over", access.household):
        raise PermissionDenied
    if (back := _already(request, outcome)) is not None:
        return back
    candidates = [
        (str(member.pk), f"{member.user.get_full_name()} ({member.organisation.name})")
        for member in selectors.coordinator_candidates(access.household)
    ]
    form = CoordinatorFromOutcomeForm(request.POST if request.method == "POST" else None, candidates=candidates)
    saved = _apply(
        request,
        outcome,
        form,
        lambda: services.outcome_to_coordinator(
            actor=request.actor, outcome=outcome, to_member=form.cleaned_data["to_member"]
        ),
        done=_("The coordination is handed over. The coordinators and the household get an e-mail."),
    )
    if saved is not None:
        return saved
    return _apply_page(
        request,
        access,
        outcome,
        form if candidates else None,
        title=_("Hand over the coordination"),
        lead=_("As agreed in the meeting, another professional in the team becomes the coordinator."),
        submit=_("Hand over"),
        description="meeting outcome to coordinator form",
        note="" if candidates else _("There is no other professional in the team who can be the coordinator."),
    )


@require_POST
def outcome_to_agreement(request: HttpRequest, household_id: str, outcome_id: str) -> HttpResponse:
    """One click: the outcome becomes an agreement in the plan."""
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    _access_, outcome = _outcome(request, household_id, outcome_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Nothing was changed. Use the button to make it an agreement."))
        return HttpResponseRedirect(_detail_url(outcome.meeting))
    try:
        services.outcome_to_agreement(actor=request.actor, outcome=outcome)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The outcome is an agreement in the plan now."))
    return HttpResponseRedirect(f"{_detail_url(outcome.meeting)}#outcome-{outcome.pk}")

"""The household's plan pages. Thin views: the policy decides (``household_for``, ``categories_visible_to``,
``writable_categories`` and the ``plans.*`` rules), the selectors read, the services write and audit. Every page
shown writes exactly one access entry naming the categories it shows. Forms are plain POST forms: bad input shows
the page again with the message and what was typed, and changes nothing. When someone else saved first, the
conflict page shows both texts and keeps what was typed.
"""

from __future__ import annotations

import difflib
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

from samen.assessments.domains import domain_label
from samen.consent.models import DataCategory
from samen.consent.policies import HouseholdAccess, household_access, parse_id, writable_categories
from samen.consent.workspace import workspace
from samen.core import audit
from samen.core.actor import Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.households.models import Household
from samen.plans import selectors, services
from samen.plans.forms import (
    ActionEditForm,
    ActionForm,
    AgreementForm,
    DiffForm,
    DoneForm,
    EvaluationForm,
    GoalEditForm,
    GoalForm,
    OutcomeForm,
    PlanForm,
    ServiceActionForm,
)
from samen.plans.models import ActionStatus, GoalStatus, ZrmDomain
from samen.socialmap.selectors import service_for

GENERAL = DataCategory.GENERAL


def _plan_url(household_id) -> str:
    return reverse("plans:plan", args=[household_id])


def _login(request: HttpRequest, household_id: str) -> HttpResponse:
    return redirect_to_login(_plan_url(household_id) if parse_id(household_id) else "/")


def _access(request: HttpRequest, household_id: str) -> HouseholdAccess:
    """The actor's access to the household (``household_access``); 404 unless they may see its plan."""
    access = household_access(request.actor, household_id)
    require(request.actor, "plans.view", (access.household, access.visible), hide=True)
    return access


def _visible(request: HttpRequest, household_id: str) -> tuple[Household, frozenset[DataCategory]]:
    access = _access(request, household_id)
    return access.household, access.visible


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


def _date(value) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y, H:i") if value else ""


def _error_fields(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# --- the plan page ---------------------------------------------------------------------------------------------

# How a goal's status looks (a badge kind of {% ui_badge %}).
GOAL_BADGES = {
    GoalStatus.OPEN: "neutral",
    GoalStatus.IN_PROGRESS: "active",
    GoalStatus.REACHED: "success",
    GoalStatus.STOPPED: "inactive",
}


def _action_row(action, *, today, may_write: bool) -> dict:
    """One action as the plan shows it: what, who, before when, and its state in a word (done, to do, late)."""
    is_done = action.status == ActionStatus.DONE
    is_late = not is_done and action.due_date is not None and action.due_date < today
    if is_done:
        state, kind = _("Done"), "success"
    elif is_late:
        state, kind = _("Late"), "warning"
    else:
        state, kind = _("To do"), "neutral"
    return {
        "id": action.pk,
        "text": action.text,
        "owner": services.owner_label(action),
        "due": _date(action.due_date),
        "is_done": is_done,
        "state": state,
        "state_kind": kind,
        "done_note": action.done_note,
        "done_at": _moment(action.done_at),
        "may_write": may_write,
        "agreed_on": _date(action.agreed_on),  # agreed in a meeting: its day and page
        "agreed_url": action.agreed_url,
        "moved_from": _date(action.replanned_from),  # moved with a reason: from which day, and why
        "moved_reason": action.replanned_reason,
        "service_name": action.service.name if action.service_id else "",  # from the social map
        "service_url": reverse("socialmap:service", args=[action.service_id]) if action.service_id else "",
    }


def _render_plan(
    request: HttpRequest,
    access: HouseholdAccess,
    *,
    template: str = "plans/plan.html",
    description: str = "plan",
) -> HttpResponse:
    """The plan as a document: the question, the goals with their actions, the agreements, the evaluations and
    the version. Adding, changing and marking done happen on their own small pages (links), so the plan reads
    first and renders no forms."""
    actor = request.actor
    household, visible = access.household, access.visible
    writable = writable_categories(actor, household, access=access)
    may_write = GENERAL in writable
    plain = actor.role == Role.CITIZEN
    today = timezone.localdate()
    plan = selectors.current_plan(household)
    goals = selectors.goals_with_actions(plan, [category for category in DataCategory if category in visible])
    goal_rows = []
    for goal in goals:
        goal_writable = may_write and goal.category in writable
        goal_rows.append(
            {
                "id": goal.pk,
                "title_id": f"goal-{goal.pk}-title",
                "text": goal.text,
                "domain": domain_label(goal.domain, plain=plain),
                "status": capfirst(GoalStatus(goal.status).label),
                "status_kind": GOAL_BADGES.get(GoalStatus(goal.status), "neutral"),
                "category": capfirst(DataCategory(goal.category).label),
                "member": str(goal.member) if goal.member else "",
                "actions": [_action_row(action, today=today, may_write=goal_writable) for action in goal.actions.all()],
                "may_write": goal_writable,
                "agreed_on": _date(goal.agreed_on),
                "agreed_url": goal.agreed_url,
            }
        )
    latest = selectors.latest_version(plan)
    not_written = _("Not written yet.")
    context = {
        "household": household,
        "plan": plan,
        "question": [
            (_("Our question"), plan.question if plan and plan.question else not_written),
            (_("What goes well"), plan.strengths if plan and plan.strengths else not_written),
            (_("What worries us"), plan.worries if plan and plan.worries else not_written),
        ],
        "is_citizen": plain,
        "goals": goal_rows,
        "agreements": selectors.agreements(plan),
        "evaluations": [
            {
                "id": evaluation.pk,
                "date": _date(evaluation.date),
                "outcome": evaluation.outcome,
                "is_due": not evaluation.outcome and evaluation.date <= today,
            }
            for evaluation in selectors.evaluations(plan)
        ],
        "latest": latest,
        "latest_agreed_by": latest.agreed_by.get_full_name() if latest and latest.agreed_by_id else "",
        "latest_agreed_at": _moment(latest.agreed_at) if latest else "",
        "may_write": may_write,
        "hidden_categories": actor.is_professional and visible != frozenset(DataCategory),
        "now": timezone.now(),
        "workspace": workspace(request, household, current="plan", access=access),
    }
    _record_read(request, household, [goal.category for goal in goals], description)
    return render(request, template, context)


@require_safe
def plan(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    return _render_plan(request, _access(request, household_id))


@require_safe
def print_plan(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    return _render_plan(
        request, _access(request, household_id), template="plans/print.html", description="plan printed"
    )


def _writer(request: HttpRequest, household_id: str) -> tuple[Household, frozenset[DataCategory], frozenset]:
    access = _access(request, household_id)
    household, visible = access.household, access.visible
    writable = writable_categories(request.actor, household, access=access)
    if GENERAL not in writable:
        raise PermissionDenied  # may see the plan, may not write in it (informal network)
    return household, visible, writable


# --- the small pages that add to the plan or mark an action done (one thing per page) ---------------------------


def _form_page(
    request: HttpRequest,
    household: Household,
    visible: frozenset[DataCategory],
    *,
    form,
    title: str,
    lead: str,
    submit: str,
    categories=(),
    description: str,
    about: dict | None = None,
) -> HttpResponse:
    """One small page with one form: a title, a line that says what it is for, what it is about (an action or a
    goal, when there is one), the form and its button, and the way back to the plan."""
    _record_read(request, household, categories, description)
    context = {
        "household": household,
        "form": form,
        "title": title,
        "lead": lead,
        "submit": submit,
        "about": about,
        "workspace": workspace(request, household, current="plan", visible=visible),
    }
    return render(request, "plans/form_page.html", context)


def _goal(household: Household, visible, goal_id: str):
    goal = selectors.goal_in(household, parse_id(goal_id), visible)
    if goal is None:
        raise Http404
    return goal


def _action(household: Household, visible, action_id: str):
    action = selectors.action_in(household, parse_id(action_id), visible)
    if action is None:
        raise Http404
    return action


def _sent(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _save_or_show(
    request: HttpRequest,
    household: Household,
    visible: frozenset[DataCategory],
    form,
    save,
    *,
    done: str,
    back_to: str,
    refused_field: str | None = None,
    **page,
) -> HttpResponse:
    """A small page's one form: when it was sent and is valid, ``save()`` (the service call) and go back to the plan
    at ``back_to`` with the message ``done``; a refusal by the service becomes a message on the form (the field
    ``refused_field`` for "not allowed"). Otherwise, or after a refusal, the page again (``_form_page``) with what
    was typed."""
    if form.is_bound and form.is_valid():
        try:
            save()
        except PermissionDenied:
            if refused_field is None:
                raise
            form.add_error(refused_field, _("You cannot write about this kind of information."))
        except ValidationError as error:
            _error_fields(form, error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(f"{_plan_url(household.pk)}{back_to}")
    return _form_page(request, household, visible, form=form, **page)


@require_http_methods(["GET", "HEAD", "POST"])
def add_goal(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, writable = _writer(request, household_id)
    plain = request.actor.role == Role.CITIZEN
    form = GoalForm(_sent(request), members=selectors.members(household), categories=writable, plain=plain)
    return _save_or_show(
        request,
        household,
        visible,
        form,
        lambda: services.goal_add(actor=request.actor, household=household, **form.cleaned_data),
        done=_("The goal is added to the plan."),
        back_to="",
        refused_field="category",
        title=_("Add a goal"),
        lead=_("A goal says what the household wants to reach, in its own words. Actions come after."),
        submit=_("Add goal"),
        description="goal add form",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def add_action(request: HttpRequest, household_id: str, goal_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, writable = _writer(request, household_id)
    goal = _goal(household, visible, goal_id)
    if goal.category not in writable:
        raise PermissionDenied
    form = ActionForm(_sent(request), owners=selectors.owner_choices(household))
    return _save_or_show(
        request,
        household,
        visible,
        form,
        lambda: services.action_add(actor=request.actor, goal=goal, **form.cleaned_data),
        done=_("The action is added."),
        back_to=f"#goal-{goal.pk}",
        title=_("Add an action"),
        lead=_("An action is one step towards the goal: what will be done, who does it and before when."),
        submit=_("Add action"),
        categories=[goal.category],
        description="action add form",
        about={"label": _("The goal"), "text": goal.text},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def add_service_action(request: HttpRequest, household_id: str, service_id: str) -> HttpResponse:
    """Put a service of the social map in the plan: an action under a goal the actor may write in, with the service
    named in its text and linked, the owner filled in (the person adding it; they may choose someone else)."""
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, writable = _writer(request, household_id)
    service = service_for(service_id)
    if service is None:
        raise Http404
    goals = list(selectors.goals_with_actions(selectors.current_plan(household), writable))
    initial = {
        "text": _("Contact %(service)s (%(organisation)s).")
        % {"service": service.name, "organisation": service.organization.name},
        "owner": selectors.own_owner_value(household, request.actor),
        "goal": str(goals[0].pk) if len(goals) == 1 else "",
    }
    form = ServiceActionForm(
        _sent(request),
        initial=initial,
        owners=selectors.owner_choices(household),
        goals=[(str(goal.pk), goal.text) for goal in goals],
    )
    by_id = {str(goal.pk): goal for goal in goals}

    def save():
        data = dict(form.cleaned_data)
        goal = by_id[data.pop("goal")]
        services.action_add(actor=request.actor, goal=goal, service=service, **data)

    if not goals:
        messages.info(request, _("First add a goal to the plan; then you can put this service in it."))
        return HttpResponseRedirect(reverse("plans:add_goal", args=[household.pk]))
    return _save_or_show(
        request,
        household,
        visible,
        form,
        save,
        done=_("%(service)s is in the plan as an action.") % {"service": service.name},
        back_to="",
        title=_("Put in the plan"),
        lead=_("The service becomes an action under one of the goals: what will be done, who does it and when."),
        submit=_("Put in the plan"),
        categories=writable,
        description="action from social map form",
        about={"label": _("The service"), "text": service.name, "meta": service.organization.name},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def action_done(request: HttpRequest, household_id: str, action_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, writable = _writer(request, household_id)
    action = _action(household, visible, action_id)
    if action.goal.category not in writable:
        raise PermissionDenied
    if action.status == ActionStatus.DONE:
        messages.info(request, _("This action was already done."))
        return HttpResponseRedirect(f"{_plan_url(household.pk)}#goal-{action.goal_id}")
    form = DoneForm(_sent(request))
    who = services.owner_label(action)
    due = _("before %(date)s") % {"date": _date(action.due_date)} if action.due_date else ""
    return _save_or_show(
        request,
        household,
        visible,
        form,
        lambda: services.action_mark_done(actor=request.actor, action=action, note=form.cleaned_data["note"]),
        done=_("The action is marked as done."),
        back_to=f"#goal-{action.goal_id}",
        title=_("Mark an action as done"),
        lead=_("Write down in a few words how it went, if you like. Everyone who may see the plan reads it."),
        submit=_("Mark as done"),
        categories=[action.goal.category],
        description="action done form",
        about={"label": _("The action"), "text": action.text, "meta": ", ".join(part for part in (who, due) if part)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def add_agreement(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, _writable = _writer(request, household_id)
    form = AgreementForm(_sent(request))
    return _save_or_show(
        request,
        household,
        visible,
        form,
        lambda: services.agreement_add(actor=request.actor, household=household, text=form.cleaned_data["text"]),
        done=_("The agreement is added."),
        back_to="#agreements-title",
        title=_("Add an agreement"),
        lead=_("An agreement is something everyone keeps to, for example how you stay in touch."),
        submit=_("Add agreement"),
        description="agreement add form",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def add_evaluation(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, _writable = _writer(request, household_id)
    form = EvaluationForm(_sent(request))
    return _save_or_show(
        request,
        household,
        visible,
        form,
        lambda: services.evaluation_add(actor=request.actor, household=household, date=form.cleaned_data["date"]),
        done=_("The evaluation moment is added."),
        back_to="#evaluations-title",
        title=_("Plan a moment to look back"),
        lead=_("On this day you look back together: what went well, what did not, and what is next."),
        submit=_("Add this date"),
        description="evaluation add form",
    )


# --- edit pages and the conflict page --------------------------------------------------------------------------


def _conflict_rows(conflict: services.PlanConflict, labels: dict[str, str], display) -> dict:
    """The conflict table: per changed field, what this person wrote and what is saved now."""
    rows = [
        [labels[name], display(name, conflict.submitted.get(name)), display(name, value)]
        for name, value in conflict.current.items()
        if name in labels and value != conflict.submitted.get(name)
    ]
    return {"headers": [_("Field"), _("What you wrote"), _("What is saved now")], "rows": rows}


def _rebind(form_class, request: HttpRequest, conflict: services.PlanConflict, **kwargs):
    """The form again with what the person typed, set to save on top of the version that is saved now."""
    data = request.POST.copy()
    data["version"] = str(conflict.current_version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def _edit_page(request, household, visible, template: str, context: dict, categories, description: str) -> HttpResponse:
    _record_read(request, household, categories, description)
    page_workspace = workspace(request, household, current="plan", visible=visible)
    return render(request, template, {"household": household, "workspace": page_workspace, **context})


@require_http_methods(["GET", "HEAD", "POST"])
def edit_plan(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, _writable = _writer(request, household_id)
    current = selectors.current_plan(household)
    conflict_rows = None
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                services.plan_update(
                    actor=request.actor,
                    household=household,
                    expected_version=form.cleaned_data["version"],
                    question=form.cleaned_data["question"],
                    strengths=form.cleaned_data["strengths"],
                    worries=form.cleaned_data["worries"],
                )
            except services.PlanConflict as conflict:
                labels = {name: str(form.fields[name].label) for name in services.PLAN_FIELDS}
                conflict_rows = _conflict_rows(conflict, labels, lambda _name, value: value or "")
                form = _rebind(PlanForm, request, conflict)
            except ValidationError as error:
                _error_fields(form, error)
            else:
                messages.success(request, _("The plan is saved."))
                return HttpResponseRedirect(_plan_url(household.pk))
    else:
        initial = {"version": current.version if current else 1}
        if current:
            initial |= {name: getattr(current, name) for name in services.PLAN_FIELDS}
        form = PlanForm(initial=initial)
    return _edit_page(
        request,
        household,
        visible,
        "plans/edit_plan.html",
        {"form": form, "conflict": conflict_rows},
        [],
        "plan edit",
    )


def _goal_display(goal_form) -> callable:
    choices = {name: dict(goal_form.fields[name].choices) for name in ("domain", "status", "member", "category")}

    def display(name, value) -> str:
        if name in choices:
            return str(choices[name].get("" if value is None else str(value), value or ""))
        return value or ""

    return display


@require_http_methods(["GET", "HEAD", "POST"])
def edit_goal(request: HttpRequest, household_id: str, goal_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, writable = _writer(request, household_id)
    goal = _goal(household, visible, goal_id)
    if goal.category not in writable:
        raise PermissionDenied
    plain = request.actor.role == Role.CITIZEN
    kwargs = {"members": selectors.members(household), "categories": writable, "plain": plain}
    conflict_rows = None
    if request.method == "POST":
        form = GoalEditForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                services.goal_update(
                    actor=request.actor,
                    goal=goal,
                    expected_version=form.cleaned_data["version"],
                    text=form.cleaned_data["text"],
                    domain=form.cleaned_data["domain"],
                    status=form.cleaned_data["status"],
                    member=form.cleaned_data["member"],
                    category=form.cleaned_data["category"],
                )
            except services.PlanConflict as conflict:
                labels = {name: str(form.fields[name].label) for name in services.GOAL_FIELDS}
                conflict_rows = _conflict_rows(conflict, labels, _goal_display(form))
                form = _rebind(GoalEditForm, request, conflict, **kwargs)
            except PermissionDenied:
                form.add_error("category", _("You cannot write about this kind of information."))
            except ValidationError as error:
                _error_fields(form, error)
            else:
                messages.success(request, _("The goal is saved."))
                return HttpResponseRedirect(_plan_url(household.pk))
    else:
        form = GoalEditForm(
            initial={
                "text": goal.text,
                "domain": goal.domain,
                "status": goal.status,
                "member": goal.member_id or "",
                "category": goal.category,
                "version": goal.version,
            },
            **kwargs,
        )
    return _edit_page(
        request,
        household,
        visible,
        "plans/edit_goal.html",
        {"form": form, "goal": goal, "conflict": conflict_rows},
        [goal.category],
        "goal edit",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def edit_action(request: HttpRequest, household_id: str, action_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, writable = _writer(request, household_id)
    action = _action(household, visible, action_id)
    if action.goal.category not in writable:
        raise PermissionDenied
    owners = selectors.owner_choices(household)
    conflict_rows = None
    if request.method == "POST":
        form = ActionEditForm(request.POST, owners=owners)
        if form.is_valid():
            try:
                services.action_update(
                    actor=request.actor,
                    action=action,
                    expected_version=form.cleaned_data["version"],
                    text=form.cleaned_data["text"],
                    owner=form.cleaned_data["owner"],
                    due_date=form.cleaned_data["due_date"],
                    reason=form.cleaned_data["reason"],
                )
            except services.PlanConflict as conflict:
                labels = {"text": str(form.fields["text"].label), "owner": str(form.fields["owner"].label)}
                labels["due_date"] = str(form.fields["due_date"].label)
                owner_names = dict(owners)

                def display(name, value):
                    return owner_names.get(value, "") if name == "owner" else (value or "")

                conflict_rows = _conflict_rows(conflict, labels, display)
                form = _rebind(ActionEditForm, request, conflict, owners=owners)
            except ValidationError as error:
                _error_fields(form, error)
            else:
                messages.success(request, _("The action is saved."))
                return HttpResponseRedirect(_plan_url(household.pk))
    else:
        form = ActionEditForm(
            initial={
                "text": action.text,
                "owner": services.owner_value(action),
                "due_date": action.due_date,
                "version": action.version,
            },
            owners=owners,
        )
    return _edit_page(
        request,
        household,
        visible,
        "plans/edit_action.html",
        {"form": form, "action": action, "conflict": conflict_rows},
        [action.goal.category],
        "action edit",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def record_outcome(request: HttpRequest, household_id: str, evaluation_id: str) -> HttpResponse:
    """Write down how an evaluation went (or correct it). A second save on top of someone else's gets the conflict
    page with both texts."""
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, _writable = _writer(request, household_id)
    evaluation = selectors.evaluation_in(household, parse_id(evaluation_id))
    if evaluation is None:
        raise Http404
    conflict_rows = None
    if request.method == "POST":
        form = OutcomeForm(request.POST)
        if form.is_valid():
            try:
                services.evaluation_record_outcome(
                    actor=request.actor,
                    evaluation=evaluation,
                    outcome=form.cleaned_data["outcome"],
                    expected_version=form.cleaned_data["version"],
                )
            except services.PlanConflict as conflict:
                labels = {"outcome": str(form.fields["outcome"].label)}
                conflict_rows = _conflict_rows(conflict, labels, lambda _name, value: value or "")
                form = _rebind(OutcomeForm, request, conflict)
            except ValidationError as error:
                _error_fields(form, error)
            else:
                messages.success(request, _("The outcome of the evaluation is saved."))
                return HttpResponseRedirect(_plan_url(household.pk))
    else:
        form = OutcomeForm(initial={"outcome": evaluation.outcome, "version": evaluation.version})
    return _edit_page(
        request,
        household,
        visible,
        "plans/record_outcome.html",
        {"form": form, "evaluation_date": _date(evaluation.date), "conflict": conflict_rows},
        [],
        "evaluation outcome edit",
    )


# --- versions --------------------------------------------------------------------------------------------------


@require_safe
def versions(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    access = _access(request, household_id)
    household, visible = access.household, access.visible
    actor = request.actor
    plan = selectors.current_plan(household)
    rows = selectors.versions(plan)
    may_agree = can(actor, "plans.agree", household)
    context = {
        "household": household,
        "versions": [
            {
                "id": version.pk,
                "number": version.number,
                "saved": _moment(version.created_at),
                "saved_by": version.created_by.get_full_name() if version.created_by_id else "",
                "agreed_by": version.agreed_by.get_full_name() if version.agreed_by_id else "",
                "agreed_at": _moment(version.agreed_at),
                "may_agree": may_agree and version.agreed_at is None,
            }
            for version in rows
        ],
        "may_save": GENERAL in writable_categories(actor, household, access=access),
        "workspace": workspace(request, household, current="plan", visible=visible),
        "diff_form": DiffForm(numbers=[row.number for row in rows]) if len(rows) >= 2 else None,
    }
    if len(rows) >= 2:
        context["diff_form"] = DiffForm(
            initial={"a": rows[1].number, "b": rows[0].number}, numbers=[row.number for row in rows]
        )
    _record_read(request, household, [], "plan versions")
    return render(request, "plans/versions.html", context)


@require_POST
def save_version(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, _visible_categories, _writable = _writer(request, household_id)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Nothing was saved. Use the button to save a version."))
    else:
        version = services.plan_save_version(actor=request.actor, household=household)
        messages.success(request, _("The plan is saved as version %(number)d.") % {"number": version.number})
    return HttpResponseRedirect(reverse("plans:versions", args=[household.pk]))


@require_POST
def agree(request: HttpRequest, household_id: str, version_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, _visible_categories = _visible(request, household_id)
    version = selectors.version_in(household, parse_id(version_id))
    if version is None:
        raise Http404
    require(request.actor, "plans.agree", household)
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Nothing was changed. Use the button to agree with the plan."))
    else:
        try:
            services.plan_version_agree(actor=request.actor, version=version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you. You agreed with version %(number)d.") % {"number": version.number})
    return HttpResponseRedirect(_plan_url(household.pk))


def snapshot_lines(snapshot: dict, visible: frozenset[DataCategory]) -> list[str]:
    """A version as readable lines, with only the goals in ``visible`` categories."""
    lines = []
    for key, label in (
        ("question", _("Our question")),
        ("strengths", _("What goes well")),
        ("worries", _("What worries us")),
    ):
        for part in (snapshot.get(key) or "").splitlines() or [""]:
            lines.append(f"{label}: {part}")
    values = {category.value for category in visible}
    for goal in snapshot.get("goals", []):
        if goal.get("category") not in values:
            continue
        domain = goal.get("domain", "")
        domain_label = capfirst(ZrmDomain(domain).label) if domain in ZrmDomain.values else domain
        status = goal.get("status", "")
        status_label = GoalStatus(status).label if status in GoalStatus.values else status
        lines.append(
            _("Goal (%(domain)s, %(status)s): %(text)s")
            % {"domain": domain_label, "status": status_label, "text": goal.get("text", "")}
        )
        for action in goal.get("actions", []):
            state = _("done") if action.get("status") == ActionStatus.DONE else _("to do")
            lines.append(
                _("Action (%(owner)s, %(state)s): %(text)s")
                % {"owner": action.get("owner", ""), "state": state, "text": action.get("text", "")}
            )
    for text in snapshot.get("agreements", []):
        lines.append(_("Agreement: %(text)s") % {"text": text})
    for evaluation in snapshot.get("evaluations", []):
        lines.append(
            _("Evaluation on %(date)s: %(outcome)s")
            % {"date": evaluation.get("date", ""), "outcome": evaluation.get("outcome", "")}
        )
    return lines


def diff_rows(old: list[str], new: list[str]) -> list[dict]:
    rows = []
    for line in difflib.ndiff(old, new):
        marker, text = line[:2], line[2:]
        if marker == "+ ":
            rows.append({"kind": "added", "text": text})
        elif marker == "- ":
            rows.append({"kind": "removed", "text": text})
        elif marker == "  ":
            rows.append({"kind": "same", "text": text})
    return rows


@require_safe
def version_diff(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible = _visible(request, household_id)
    plan = selectors.current_plan(household)
    numbers = [row.number for row in selectors.versions(plan)]
    rows = None
    if "a" in request.GET or "b" in request.GET:
        form = DiffForm(request.GET, numbers=numbers)
    else:
        form = DiffForm(
            initial={"a": numbers[1] if len(numbers) > 1 else "", "b": numbers[0] if numbers else ""}, numbers=numbers
        )
        if len(numbers) >= 2:
            form = DiffForm({"a": str(numbers[1]), "b": str(numbers[0])}, numbers=numbers)
    older = newer = None
    shown: set[str] = set()
    if form.is_bound and form.is_valid():
        older = selectors.version_by_number(plan, form.cleaned_data["a"])
        newer = selectors.version_by_number(plan, form.cleaned_data["b"])
        rows = diff_rows(snapshot_lines(older.snapshot, visible), snapshot_lines(newer.snapshot, visible))
        # The categories of the goals the difference shows (the general parts are always shown).
        shown = {goal.get("category") for version in (older, newer) for goal in version.snapshot.get("goals", [])}
    categories = [category for category in DataCategory if category in visible and category.value in shown]
    _record_read(request, household, categories, "plan versions compared")
    return render(
        request,
        "plans/version_diff.html",
        {
            "household": household,
            "form": form,
            "rows": rows,
            "older": older,
            "newer": newer,
            "has_versions": bool(numbers),
            "workspace": workspace(request, household, current="plan", visible=visible),
        },
    )

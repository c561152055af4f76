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

from samen.consent.models import DataCategory
from samen.consent.policies import categories_visible_to, household_for, parse_id
from samen.core import audit
from samen.core.actor import Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.dossier.policies import writable_categories
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
)
from samen.plans.models import ActionStatus, GoalStatus, ZrmDomain  # noqa: F401

GENERAL = DataCategory.GENERAL


def _plan_url(household_id) -> str:
    return reverse("plans:plan", args=[household_id])


def _login(request: HttpRequest, household_id: str) -> HttpResponse:
    return redirect_to_login(_plan_url(household_id) if parse_id(household_id) else "/")


def _visible(request: HttpRequest, household_id: str) -> tuple[Household, frozenset[DataCategory]]:
    household = household_for(request.actor, household_id)
    visible = categories_visible_to(request.actor, household)
    require(request.actor, "plans.view", (household, visible), hide=True)
    return household, visible


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


def _render_plan(
    request: HttpRequest,
    household: Household,
    visible: frozenset[DataCategory],
    *,
    goal_form: GoalForm | None = None,
    action_form: tuple[int, ActionForm] | None = None,
    done_form: tuple[int, DoneForm] | None = None,
    agreement_form: AgreementForm | None = None,
    evaluation_form: EvaluationForm | None = None,
    template: str = "plans/plan.html",
    description: str = "plan",
) -> HttpResponse:
    actor = request.actor
    writable = writable_categories(actor, household, visible=visible)
    may_write = GENERAL in writable
    plan = selectors.current_plan(household)
    goals = selectors.goals_with_actions(plan, [category for category in DataCategory if category in visible])
    owners = selectors.owner_choices(household) if may_write else []
    goal_rows = []
    for goal in goals:
        goal_writable = may_write and goal.category in writable
        actions = []
        for action in goal.actions.all():
            done = done_form[1] if done_form and done_form[0] == action.pk else None
            actions.append(
                {
                    "id": action.pk,
                    "text": action.text,
                    "owner": services.owner_label(action),
                    "due": _date(action.due_date),
                    "is_done": action.status == ActionStatus.DONE,
                    "done_note": action.done_note,
                    "done_at": _moment(action.done_at),
                    "done_form": (done or DoneForm(prefix=f"done-{action.pk}")) if goal_writable else None,
                }
            )
        add_action = action_form[1] if action_form and action_form[0] == goal.pk else None
        goal_rows.append(
            {
                "id": goal.pk,
                "text": goal.text,
                "domain": capfirst(ZrmDomain(goal.domain).label),
                "status": capfirst(GoalStatus(goal.status).label),
                "category": capfirst(DataCategory(goal.category).label),
                "member": str(goal.member) if goal.member else "",
                "actions": actions,
                "may_write": goal_writable,
                "action_form": (add_action or ActionForm(owners=owners, prefix=f"action-{goal.pk}"))
                if goal_writable
                else None,
            }
        )
    latest = selectors.latest_version(plan)
    context = {
        "household": household,
        "plan": plan,
        "goals": goal_rows,
        "agreements": selectors.agreements(plan),
        "evaluations": [
            {
                "id": evaluation.pk,
                "date": _date(evaluation.date),
                "outcome": evaluation.outcome,
                "is_due": not evaluation.outcome and evaluation.date <= timezone.localdate(),
            }
            for evaluation in selectors.evaluations(plan)
        ],
        "latest": latest,
        "latest_agreed_by": latest.agreed_by.get_full_name() if latest and latest.agreed_by_id else "",
        "latest_agreed_at": _moment(latest.agreed_at) if latest else "",
        "may_write": may_write,
        "goal_form": (goal_form or GoalForm(members=selectors.members(household), categories=writable))
        if may_write
        else None,
        "agreement_form": (agreement_form or AgreementForm()) if may_write else None,
        "evaluation_form": (evaluation_form or EvaluationForm()) if may_write else None,
        "hidden_categories": actor.is_professional and visible != frozenset(DataCategory),
        "now": timezone.now(),
    }
    _record_read(request, household, [goal.category for goal in goals], description)
    return render(request, template, context)


@require_safe
def plan(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    return _render_plan(request, *_visible(request, household_id))


@require_safe
def print_plan(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible = _visible(request, household_id)
    return _render_plan(request, household, visible, template="plans/print.html", description="plan printed")


def _writer(request: HttpRequest, household_id: str) -> tuple[Household, frozenset[DataCategory], frozenset]:
    household, visible = _visible(request, household_id)
    writable = writable_categories(request.actor, household, visible=visible)
    if GENERAL not in writable:
        raise PermissionDenied  # may see the plan, may not write in it (informal network)
    return household, visible, writable


@require_POST
def add_goal(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, writable = _writer(request, household_id)
    form = GoalForm(request.POST, members=selectors.members(household), categories=writable)
    if form.is_valid():
        try:
            services.goal_add(actor=request.actor, household=household, **form.cleaned_data)
        except PermissionDenied:
            form.add_error("category", _("You cannot write about this kind of information."))
        except ValidationError as error:
            _error_fields(form, error)
        else:
            messages.success(request, _("The goal is added to the plan."))
            return HttpResponseRedirect(_plan_url(household.pk))
    return _render_plan(request, household, visible, goal_form=form)


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


@require_POST
def add_action(request: HttpRequest, household_id: str, goal_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, writable = _writer(request, household_id)
    goal = _goal(household, visible, goal_id)
    if goal.category not in writable:
        raise PermissionDenied
    form = ActionForm(request.POST, owners=selectors.owner_choices(household), prefix=f"action-{goal.pk}")
    if form.is_valid():
        try:
            services.action_add(actor=request.actor, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            _error_fields(form, error)
        else:
            messages.success(request, _("The action is added."))
            return HttpResponseRedirect(_plan_url(household.pk))
    return _render_plan(request, household, visible, action_form=(goal.pk, form))


@require_POST
def action_done(request: HttpRequest, household_id: str, action_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, writable = _writer(request, household_id)
    action = _action(household, visible, action_id)
    if action.goal.category not in writable:
        raise PermissionDenied
    form = DoneForm(request.POST, prefix=f"done-{action.pk}")
    if form.is_valid():
        try:
            services.action_mark_done(actor=request.actor, action=action, note=form.cleaned_data["note"])
        except ValidationError as error:
            _error_fields(form, error)
        else:
            messages.success(request, _("The action is marked as done."))
            return HttpResponseRedirect(_plan_url(household.pk))
    return _render_plan(request, household, visible, done_form=(action.pk, form))


@require_POST
def add_agreement(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, _writable = _writer(request, household_id)
    form = AgreementForm(request.POST)
    if form.is_valid():
        try:
            services.agreement_add(actor=request.actor, household=household, text=form.cleaned_data["text"])
        except ValidationError as error:
            _error_fields(form, error)
        else:
            messages.success(request, _("The agreement is added."))
            return HttpResponseRedirect(_plan_url(household.pk))
    return _render_plan(request, household, visible, agreement_form=form)


@require_POST
def add_evaluation(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, visible, _writable = _writer(request, household_id)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.evaluation_add(actor=request.actor, household=household, date=form.cleaned_data["date"])
        except ValidationError as error:
            _error_fields(form, error)
        else:
            messages.success(request, _("The evaluation moment is added."))
            return HttpResponseRedirect(_plan_url(household.pk))
    return _render_plan(request, household, visible, evaluation_form=form)


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


def _edit_page(request, household, template: str, context: dict, categories, description: str) -> HttpResponse:
    _record_read(request, household, categories, description)
    return render(request, template, {"household": household, **context})


@require_http_methods(["GET", "HEAD", "POST"])
def edit_plan(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return _login(request, household_id)
    household, _visible_categories, _writable = _writer(request, household_id)
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
    kwargs = {"members": selectors.members(household), "categories": writable}
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
    household, _visible_categories, _writable = _writer(request, household_id)
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
    household, visible = _visible(request, household_id)
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
        "may_save": GENERAL in writable_categories(actor, household, visible=visible),
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
        },
    )

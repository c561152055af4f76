"""Referrals: the household's page "Verwijzingen" (its referrals, each with its steps), the form to refer, a referral
with its buttons, and the receiving organisation's inbox "Verzoeken aan onze organisatie".

Thin views: the policy decides (``household_access`` and ``referrals.view`` for the household's pages;
``received_referral_for`` for the inbox's), the selectors read, the services change and audit. Every page that
shows household data writes one access entry; a button answers with a message and back to the referral, or, for
input the service refuses (an empty reason, a stale page), the page again with the message beside the field. Plain
forms: nothing needs JavaScript. Missing and forbidden look the same (404).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samen.consent.policies import HouseholdAccess, household_access, parse_id
from samen.consent.workspace import TAB_KEYS, workspace
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.core.vocabulary import DataCategory
from samen.referrals import selectors, services
from samen.referrals.forms import AnswerForm, MoveForm, ReferralForm
from samen.referrals.models import TRANSITIONS, WITH_REASON, Referral, ReferralStatus, ReferralStatusChange
from samen.referrals.policies import (
    categories_to_refer,
    household_referral_for,
    received_referral_for,
)
from samen.socialmap.selectors import service_for

S = ReferralStatus
# The household's tab these pages belong to: "conversation" (conversation, signals, meetings and referrals) once the
# workspace has it, "team" until then.
TAB = "conversation" if "conversation" in TAB_KEYS else "team"

BADGES = {
    S.DRAFT: "warning",
    S.REQUESTED: "neutral",
    S.ACCEPTED: "active",
    S.REJECTED: "danger",
    S.IN_PROGRESS: "active",
    S.COMPLETED: "success",
    S.CANCELLED: "inactive",
}
# What each status means, in words (never by colour only).
MEANING = {
    S.DRAFT: gettext_lazy("This waits until the household allows %(organisation)s to see the information."),
    S.REQUESTED: gettext_lazy("%(organisation)s has not answered yet."),
    S.ACCEPTED: gettext_lazy("%(organisation)s said yes and will start soon."),
    S.REJECTED: gettext_lazy("%(organisation)s said no."),
    S.IN_PROGRESS: gettext_lazy("%(organisation)s has started to help."),
    S.COMPLETED: gettext_lazy("%(organisation)s has finished helping."),
    S.CANCELLED: gettext_lazy("This referral was cancelled."),
}
STEP = {
    S.DRAFT: gettext_lazy("asked to refer; waits for permission"),
    S.REQUESTED: gettext_lazy("sent to the organisation"),
    S.ACCEPTED: gettext_lazy("accepted"),
    S.REJECTED: gettext_lazy("rejected"),
    S.IN_PROGRESS: gettext_lazy("started"),
    S.COMPLETED: gettext_lazy("completed"),
    S.CANCELLED: gettext_lazy("cancelled"),
}
BUTTONS = {
    S.ACCEPTED: gettext_lazy("Accept"),
    S.REJECTED: gettext_lazy("Reject"),
    S.IN_PROGRESS: gettext_lazy("Start"),
    S.COMPLETED: gettext_lazy("Mark as completed"),
    S.CANCELLED: gettext_lazy("Cancel the referral"),
}
REASON_LABELS = {
    S.REJECTED: gettext_lazy("Why do you reject it?"),
    S.CANCELLED: gettext_lazy("Why do you cancel it?"),
}
DONE = {
    S.REQUESTED: gettext_lazy("Thank you. %(organisation)s may now see this and has been asked to help."),
    S.ACCEPTED: gettext_lazy("You accepted the referral. You are now in the team around the household."),
    S.REJECTED: gettext_lazy("You rejected the referral. The household and the person who asked can read why."),
    S.IN_PROGRESS: gettext_lazy("The referral is marked as started."),
    S.COMPLETED: gettext_lazy("The referral is marked as completed."),
    S.CANCELLED: gettext_lazy("The referral is cancelled."),
}


def _date(moment: datetime.datetime | None) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i") if moment else ""


def _waiting(since: datetime.datetime | None, now: datetime.datetime) -> str:
    """How long something has waited, in days (or hours on the first day)."""
    if since is None:
        return ""
    hours = max(int((now - since).total_seconds() // 3600), 0)
    if hours < 1:
        return _("less than an hour")
    if hours < 24:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = hours // 24
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def _purpose(actor: Actor) -> AuditPurpose:
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def _categories_value(categories: Iterable[str]) -> str:
    shown = {str(category) for category in categories}
    return audit.categories_value(category.value for category in DataCategory if category.value in shown)


def _record_read(actor: Actor, *, household_id: int, categories: Iterable[str], description: str, obj=None) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=obj,
        object_type="" if obj is not None else Referral._meta.label_lower,
        household_id=household_id,
        data_category=_categories_value(categories),
        purpose=_purpose(actor),
        description=description,
    )


# --- what a referral shows -------------------------------------------------------------------------------------


def _who(change: ReferralStatusChange) -> str:
    if change.changed_by is None:
        return _("Samen")
    name = change.changed_by.get_full_name()
    return f"{name} ({change.organisation.name})" if change.organisation is not None else name


def _steps(changes: Iterable[ReferralStatusChange]) -> list[dict]:
    return [
        {
            "when": _date(change.changed_at),
            "what": STEP[ReferralStatus(change.to_status)],
            "who": _who(change),
            "reason": change.reason,
        }
        for change in changes
    ]


def _asked_by(referral: Referral) -> str:
    name = referral.requested_by.get_full_name()
    if referral.from_organisation is not None:
        return f"{name} ({referral.from_organisation.name})"
    return name


def _row(referral: Referral, changes: Iterable[ReferralStatusChange], household_id: int) -> dict:
    status = ReferralStatus(referral.status)
    organisation = referral.to_organisation.name
    return {
        "id": referral.pk,
        "title_id": f"referral-{referral.pk}",
        "organisation": organisation,
        "status": status.label,
        "badge": BADGES[status],
        "meaning": MEANING[status] % {"organisation": organisation},
        "reason": referral.status_reason,
        "question": referral.question,
        "category": DataCategory(referral.category).label,
        "asked_by": _asked_by(referral),
        "asked_on": _date(referral.created_at),
        "is_draft": status == S.DRAFT,
        "url": reverse("referrals:detail", args=[household_id, referral.pk]),
        "steps": _steps(changes),
    }


def _actions(actor: Actor, referral: Referral) -> list[dict]:
    """The buttons the actor may press on ``referral`` now: each legal next status the policy allows them (the
    household's "yes" is the consent question, not a button here)."""
    actions = []
    for wanted in sorted(TRANSITIONS[ReferralStatus(referral.status)], key=list(S).index):
        if wanted == S.REQUESTED:
            continue
        if wanted == S.CANCELLED:
            allowed = can(actor, "referrals.cancel", referral) and not (
                referral.status == S.DRAFT and can(actor, "referrals.answer", referral)
            )
        else:
            allowed = can(actor, "referrals.handle", referral)
        if allowed:
            actions.append(
                {
                    "to": wanted.value,
                    "label": BUTTONS[wanted],
                    "needs_reason": wanted in WITH_REASON,
                    # One forward action is the page's primary one; saying no, or cancelling, is as loud as yes.
                    "variant": "primary" if wanted in (S.IN_PROGRESS, S.COMPLETED) else "secondary",
                }
            )
    return actions


# --- the household's side --------------------------------------------------------------------------------------


def _household(request: HttpRequest, household_id: str) -> HouseholdAccess:
    """The actor's access to a household whose referrals they may see; 404 for everyone else."""
    access = household_access(request.actor, household_id)
    require(request.actor, "referrals.view", access, hide=True)
    return access


def _list_url(household_id) -> str:
    return reverse("referrals:list", args=[household_id])


def _detail_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.household_id, referral.pk])


@require_safe
def referral_list(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = _household(request, household_id)
    household = access.household
    referrals = selectors.household_referrals(household.pk, access.visible)
    rows = [_row(referral, referral.changes.all(), household.pk) for referral in referrals]
    is_citizen = actor.role == Role.CITIZEN
    context = {
        "household": household,
        "rows": rows,
        "waiting": [row for row in rows if row["is_draft"]] if is_citizen else [],
        "may_refer": can(actor, "referrals.start", access),
        "is_citizen": is_citizen,
        "workspace": workspace(request, household, current=TAB, access=access),
    }
    _record_read(
        actor,
        household_id=household.pk,
        categories=[DataCategory.GENERAL, *(referral.category for referral in referrals)],
        description="referrals",
        obj=household,
    )
    return render(request, "referrals/list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def referral_new(request: HttpRequest, household_id: str) -> HttpResponse:
    """Refer the household (one thing on this page). 403 for someone who sees the referrals but may not refer."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_list_url(household_id) if parse_id(household_id) else "/")
    access = _household(request, household_id)
    require(actor, "referrals.start", access)
    household = access.household
    is_citizen = actor.role == Role.CITIZEN
    form = ReferralForm(
        request.POST if request.method == "POST" else None,
        initial=_from_social_map(request),
        organisations=selectors.organisations_to_refer_to(actor),
        categories=categories_to_refer(actor, access),
        citizen=is_citizen,
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_request(
                actor=actor,
                household=household,
                to_organisation=form.cleaned_data["to_organisation"],
                question=form.cleaned_data["question"],
                category=form.cleaned_data["category"],
                allow=form.cleaned_data.get("allow", False),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            organisation = referral.to_organisation.name
            if referral.status == S.DRAFT:
                notice = _(
                    "The referral is saved. The household is asked whether %(organisation)s may see this; "
                    "then it is sent."
                )
            else:
                notice = _("The referral is sent to %(organisation)s.")
            messages.success(request, notice % {"organisation": organisation})
            return HttpResponseRedirect(_detail_url(referral))
    context = {
        "household": household,
        "form": form,
        "is_citizen": is_citizen,
        "list_url": _list_url(household.pk),
        "workspace": workspace(request, household, current=TAB, access=access),
    }
    _record_read(
        actor, household_id=household.pk, categories=[DataCategory.GENERAL], description="referral form", obj=household
    )
    return render(request, "referrals/new.html", context)


def _from_social_map(request: HttpRequest) -> dict:
    """A referral started from a service of the social map (``?organisation=<id>&service=<id>``): the receiving
    organisation chosen and the service named in the question. The form still checks the organisation."""
    if request.method == "POST":
        return {}
    initial: dict = {}
    if organisation := parse_id(request.GET.get("organisation", "")):
        initial["to_organisation"] = organisation
    service = service_for(request.GET.get("service", ""))
    if service is not None:
        initial["question"] = _("We ask for help from %(service)s.") % {"service": service.name}
    return initial


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _render_referral(
    request: HttpRequest,
    referral: Referral,
    *,
    access: HouseholdAccess | None = None,
    move_form: MoveForm | None = None,
    failed: str = "",
    error: str = "",
) -> HttpResponse:
    """A referral with its steps and buttons: in the household's workspace (``access``), or as its receiving
    organisation sees it. One access entry."""
    actor = request.actor
    now = timezone.now()
    status = ReferralStatus(referral.status)
    household_id = referral.household_id
    row = _row(referral, selectors.referral_history(referral), household_id)
    actions = _actions(actor, referral)
    for action in actions:
        if action["needs_reason"]:
            # The reason field of the button that was pressed keeps what was typed and shows its error.
            pressed = move_form is not None and failed == action["to"]
            form = move_form if pressed else MoveForm(auto_id=f"{action['to']}-%s")
            form.fields["reason"].label = REASON_LABELS[ReferralStatus(action["to"])]
            form["reason"].label = form.fields["reason"].label  # also when the form was validated already
            action["reason_form"] = form
    context = {
        "referral": referral,
        "row": row,
        "actions": actions,
        "error": error,
        "household_name": referral.household.name,
        "asks_consent": status == S.DRAFT and can(actor, "referrals.answer", referral),
        "is_citizen": actor.role == Role.CITIZEN,
        "received": access is None,
        "waiting": _waiting(referral.requested_at, now) if status == S.REQUESTED else "",
        "accepted_after": _waiting(referral.requested_at, referral.accepted_at) if referral.accepted_at else "",
        "move_url": (
            reverse("referrals:move", args=[household_id, referral.pk])
            if access is not None
            else reverse("referrals:received_move", args=[referral.pk])
        ),
        "answer_url": reverse("referrals:answer", args=[household_id, referral.pk]),
        "back_url": _list_url(household_id) if access is not None else reverse("referrals:inbox"),
    }
    if access is not None:
        context["workspace"] = workspace(request, access.household, current=TAB, access=access)
        template = "referrals/detail.html"
    else:
        template = "referrals/received.html"
    _record_read(actor, household_id=household_id, categories=[referral.category], description="referral", obj=referral)
    return render(request, template, context)


@require_safe
def referral_detail(request: HttpRequest, household_id: str, referral_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = _household(request, household_id)
    return _render_referral(request, household_referral_for(access, referral_id), access=access)


def _move(request: HttpRequest, referral: Referral, *, access: HouseholdAccess | None) -> HttpResponse:
    """A button on a referral: the service moves it; a message and back, or the page again with what went wrong."""
    actor = request.actor
    if not _actions(actor, referral):
        raise PermissionDenied  # sees the referral, but has no button on it now
    pressed = request.POST.get("to", "")
    form = MoveForm(request.POST, auto_id=f"{pressed}-%s" if pressed in ReferralStatus.values else "id_%s")
    if not form.is_valid():
        wanted = request.POST.get("to", "")
        message = next(iter(form.errors.get("to", []) or form.errors.get("version", [])), "")
        return _render_referral(request, referral, access=access, move_form=form, failed=wanted, error=message)
    wanted = form.cleaned_data["to"]
    try:
        moved = services.referral_move(
            actor=actor,
            referral=referral,
            to=wanted,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "reason" in error.error_dict:
            form.add_error("reason", error.error_dict["reason"])
            return _render_referral(request, referral, access=access, move_form=form, failed=wanted)
        return _render_referral(request, referral, access=access, error=" ".join(error.messages))
    messages.success(request, DONE[ReferralStatus(wanted)] % {"organisation": moved.to_organisation.name})
    if access is not None:
        return HttpResponseRedirect(_detail_url(moved))
    if can(actor, "referrals.view_received", moved):
        return HttpResponseRedirect(reverse("referrals:received", args=[moved.pk]))
    return HttpResponseRedirect(reverse("referrals:inbox"))


@require_POST
def referral_move(request: HttpRequest, household_id: str, referral_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(_list_url(household_id) if parse_id(household_id) else "/")
    access = _household(request, household_id)
    return _move(request, household_referral_for(access, referral_id), access=access)


@require_POST
def referral_answer(request: HttpRequest, household_id: str, referral_id: str) -> HttpResponse:
    """The household's yes or no to the question whether the receiving organisation may see the information."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_list_url(household_id) if parse_id(household_id) else "/")
    access = _household(request, household_id)
    referral = household_referral_for(access, referral_id)
    require(actor, "referrals.answer", referral)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        message = " ".join(str(error) for errors in form.errors.values() for error in errors)
        return _render_referral(request, referral, access=access, error=message)
    allow = form.cleaned_data["decision"] == "yes"
    try:
        services.referral_answer(
            actor=actor, referral=referral, allow=allow, expected_version=form.cleaned_data["version"]
        )
    except ValidationError as error:
        return _render_referral(request, referral, access=access, error=" ".join(error.messages))
    organisation = referral.to_organisation.name
    if allow:
        messages.success(request, DONE[S.REQUESTED] % {"organisation": organisation})
    else:
        messages.success(
            request,
            _("You said no. %(organisation)s will not see anything and is not asked to help.")
            % {"organisation": organisation},
        )
    return HttpResponseRedirect(_detail_url(referral))


# --- the receiving organisation's side -------------------------------------------------------------------------


def _inbox_row(referral: Referral, now: datetime.datetime) -> dict:
    status = ReferralStatus(referral.status)
    since = {S.REQUESTED: referral.requested_at, S.ACCEPTED: referral.accepted_at}.get(status, referral.started_at)
    since_label = {
        S.REQUESTED: _("Waiting since %(since)s (%(waiting)s)"),
        S.ACCEPTED: _("Accepted on %(since)s (%(waiting)s ago)"),
    }.get(status, _("Started on %(since)s (%(waiting)s ago)"))
    return {
        "id": referral.pk,
        "title_id": f"referral-{referral.pk}",
        "household": referral.household.name,
        "question": referral.question,
        "category": DataCategory(referral.category).label,
        "asked_by": _asked_by(referral),
        "since": since_label % {"since": _date(since), "waiting": _waiting(since, now)},
        "url": reverse("referrals:received", args=[referral.pk]),
    }


@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """ "Verzoeken aan onze organisatie": new, accepted and in progress, with how long each has waited. One access
    entry naming the households shown (none when there is nothing)."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(actor, "referrals.view_inbox", hide=True)
    now = timezone.now()
    referrals = selectors.inbox(actor)
    groups = [
        (S.REQUESTED, _("New requests"), _("Nobody from your organisation has answered these yet.")),
        (S.ACCEPTED, _("Accepted, not started yet"), ""),
        (S.IN_PROGRESS, _("In progress"), ""),
    ]
    context = {
        "groups": [
            {
                "key": status.value,
                "title": title,
                "lead": lead,
                "rows": [_inbox_row(referral, now) for referral in referrals if referral.status == status],
            }
            for status, title, lead in groups
        ],
        "organisation": actor.organisation.name,
        "total": len(referrals),
    }
    if referrals:
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type=Referral._meta.label_lower,
            data_category=_categories_value(referral.category for referral in referrals),
            purpose=AuditPurpose.CARE_COORDINATION,
            description="referrals inbox",
            changes={
                "households": sorted({referral.household_id for referral in referrals}),
                "referrals": [referral.pk for referral in referrals],
            },
        )
    return render(request, "referrals/inbox.html", context)


@require_safe
def received(request: HttpRequest, referral_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _render_referral(request, received_referral_for(request.actor, referral_id))


@require_POST
def received_move(request: HttpRequest, referral_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(reverse("referrals:inbox"))
    return _move(request, received_referral_for(request.actor, referral_id), access=None)

"""The household's "Wie helpt mee" page: the team around the household, its coordinator, the handovers, and
for the citizen the invitations of people they trust.

Thin views: the policy decides (``household_for``, ``households.view_team``, ``households.delegate``), the
selectors read, the services change and audit. Showing the page writes one access-log entry. The invitation
forms are plain POST forms (no JavaScript needed); bad input gives a message, keeps what was typed and
changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from samen.consent.models import DataCategory
from samen.consent.policies import household_for, parse_id
from samen.core import audit
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.households import selectors, services
from samen.households.forms import InvitationForm, WithdrawInvitationForm
from samen.households.models import Household, TeamRole


def _date(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _team_url(household_id) -> str:
    return reverse("households:team", args=[household_id])


def _visible_household(request: HttpRequest, household_id: str) -> Household:
    """The household whose team this actor may see; 404 for everyone else."""
    household = household_for(request.actor, household_id)
    require(request.actor, "households.view_team", household, hide=True)
    return household


def _render_team(request: HttpRequest, household: Household, *, form: InvitationForm | None = None) -> HttpResponse:
    """The page, with one access-log entry (it shows who helps the household)."""
    actor = request.actor
    may_delegate = can(actor, "households.delegate", household)
    rows = selectors.team_rows(household)
    context = {
        "household": household,
        "coordinator": next((row for row in rows if row.is_coordinator), None),
        "professionals": [row for row in rows if row.role == TeamRole.PROFESSIONAL and not row.is_coordinator],
        "supporters": [row for row in rows if row.role == TeamRole.SUPPORTER],
        "informal": [row for row in rows if row.role == TeamRole.INFORMAL],
        "handovers": [
            {
                "date": _date(handover.occurred_at),
                "from_name": handover.from_name,
                "from_organisation": handover.from_organisation,
                "to_name": handover.to_name,
                "to_organisation": handover.to_organisation,
                "reason": handover.reason,
            }
            for handover in selectors.handover_history(household)
        ],
        "may_delegate": may_delegate,
    }
    if may_delegate:
        context["invitations"] = [
            {"pk": item.pk, "name": item.name, "email": item.email, "expires": _date(item.expires_at)}
            for item in selectors.open_invitations(household)
        ]
        context["form"] = form or InvitationForm()
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category=DataCategory.GENERAL.value,
        purpose=AuditPurpose.CITIZEN if may_delegate else AuditPurpose.CARE_COORDINATION,
        description="team overview",
    )
    return render(request, "households/team.html", context)


@require_safe
def team(request: HttpRequest, household_id: str) -> HttpResponse:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _render_team(request, _visible_household(request, household_id))


def _delegating_household(request: HttpRequest, household_id: str) -> Household | HttpResponse:
    """The household for which this actor invites people: a login redirect for anonymous visitors, 404 for a
    household they may not see, 403 for someone who sees the team but does not decide (a professional)."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_team_url(household_id) if parse_id(household_id) else "/")
    household = _visible_household(request, household_id)
    require(actor, "households.delegate", household)
    return household


@require_POST
def invite(request: HttpRequest, household_id: str) -> HttpResponse:
    household = _delegating_household(request, household_id)
    if isinstance(household, HttpResponse):
        return household
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation = services.invitation_create(actor=request.actor, household=household, **form.cleaned_data)
        except PermissionDenied:
            form.add_error(None, _("You cannot invite anyone for this household."))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("We are sending an invitation to %(name)s. It stays open for 14 days.") % {"name": invitation.name},
            )
            return HttpResponseRedirect(_team_url(household.pk))
    return _render_team(request, household, form=form)


@require_POST
def withdraw(request: HttpRequest, household_id: str) -> HttpResponse:
    household = _delegating_household(request, household_id)
    if isinstance(household, HttpResponse):
        return household
    form = WithdrawInvitationForm(request.POST)
    invitation = None
    if form.is_valid():
        invitation = selectors.invitation_of(household, form.cleaned_data["invitation"])
    if invitation is None:
        messages.error(request, _("We cannot find this invitation. Nothing has changed."))
        return HttpResponseRedirect(_team_url(household.pk))
    try:
        services.invitation_withdraw(actor=request.actor, invitation=invitation)
    except PermissionDenied:
        messages.error(request, _("You cannot withdraw this invitation."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You withdrew the invitation for %(name)s. The link no longer works.") % {"name": invitation.name},
        )
    return HttpResponseRedirect(_team_url(household.pk))

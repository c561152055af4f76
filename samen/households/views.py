"""The household's "Wie helpt mee" page: the team around the household, its coordinator, the handovers, and
for the citizen the invitations of people they trust. The coordinator's forms to add a professional of
another organisation and to hand the coordination over; the invitation page behind an e-mailed link.

Thin views: the policy decides (``household_for``, ``households.view_team``, ``households.delegate``), the
selectors read, the services change and audit. Showing the page writes one access-log entry. The invitation
forms are plain POST forms (no JavaScript needed); bad input gives a message, keeps what was typed and
changes nothing.
"""

from __future__ import annotations

import datetime

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samen.accounts import services as account_services
from samen.accounts import throttle as account_throttle
from samen.accounts.views import INVITATION_REASON, too_many_attempts
from samen.consent.models import DataCategory
from samen.consent.policies import HouseholdAccess, categories_visible_to, household_access, parse_id
from samen.consent.workspace import workspace
from samen.core import audit
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.households import selectors, services
from samen.households.forms import (
    AddProfessionalForm,
    HandoverForm,
    InvitationForm,
    SignUpForm,
    SupporterForm,
    WithdrawInvitationForm,
)
from samen.households.models import Household, TeamRole

SAMEN_BACKEND = "samen.accounts.backends.SamenBackend"


def _date(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _team_url(household_id) -> str:
    return reverse("households:team", args=[household_id])


def _visible_household(request: HttpRequest, household_id: str) -> HouseholdAccess:
    """The actor's access to the household whose team they may see; 404 for everyone else."""
    access = household_access(request.actor, household_id)
    require(request.actor, "households.view_team", access.household, hide=True)
    return access


def _workspace(
    request: HttpRequest,
    household: Household,
    known: dict | None = None,
    *,
    access: HouseholdAccess | None = None,
) -> dict:
    """The household workspace above the team's pages (``access``: the actor's access, when this request looked it
    up already)."""
    if access is not None:
        return workspace(request, household, current="team", access=access, known=known)
    visible = categories_visible_to(request.actor, household)
    return workspace(request, household, current="team", visible=visible, known=known)


def _render_team(
    request: HttpRequest,
    access: HouseholdAccess,
    *,
    form: InvitationForm | None = None,
    supporter_form: SupporterForm | None = None,
) -> HttpResponse:
    """The page, with one access-log entry (it shows who helps the household)."""
    actor = request.actor
    household = access.household
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
        "may_add_professional": can(actor, "households.build_team", household),
        "may_change_coordinator": can(actor, "households.change_coordinator", household),
        "workspace": _workspace(request, household, known={"team": True}, access=access),
    }
    if may_delegate:
        context["invitations"] = [
            {"pk": item.pk, "name": item.name, "email": item.email, "expires": _date(item.expires_at)}
            for item in selectors.open_invitations(household)
        ]
        context["form"] = form or InvitationForm()
        context["supporter_form"] = supporter_form or SupporterForm(
            organisations=selectors.client_support_organisations()
        )
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


def _delegating_household(request: HttpRequest, household_id: str) -> HouseholdAccess | HttpResponse:
    """The actor's access to the household for which they invite people: a login redirect for anonymous visitors,
    404 for a household they may not see, 403 for someone who sees the team but does not decide (a professional)."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_team_url(household_id) if parse_id(household_id) else "/")
    access = _visible_household(request, household_id)
    require(actor, "households.delegate", access.household)
    return access


@require_POST
def invite(request: HttpRequest, household_id: str) -> HttpResponse:
    access = _delegating_household(request, household_id)
    if isinstance(access, HttpResponse):
        return access
    household = access.household
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
    return _render_team(request, access, form=form)


@require_POST
def add_supporter(request: HttpRequest, household_id: str) -> HttpResponse:
    """The citizen (or representative) brings in an independent client supporter; what they may see is decided
    afterwards on "Wie mag wat zien"."""
    access = _delegating_household(request, household_id)
    if isinstance(access, HttpResponse):
        return access
    household = access.household
    form = SupporterForm(request.POST, organisations=selectors.client_support_organisations())
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        user = selectors.client_supporter_at(organisation, form.cleaned_data["email"])
        if user is None:
            form.add_error(
                "email",
                _("We cannot find a client supporter with this address at %(organisation)s.")
                % {"organisation": organisation.name},
            )
        else:
            try:
                member = services.team_add_supporter(
                    actor=request.actor,
                    household=household,
                    user=user,
                    organisation=organisation,
                    description=form.cleaned_data["description"],
                )
            except PermissionDenied:
                form.add_error(None, _("You cannot add a client supporter for this household."))
            except ValidationError as error:
                _apply_errors(form, error, {"user": "email"})
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s of %(organisation)s is now in your team as independent client supporter. "
                        'On "Who may see what" you decide what %(name)s may see.'
                    )
                    % {"name": member.user.get_full_name(), "organisation": organisation.name},
                )
                return HttpResponseRedirect(_team_url(household.pk))
    return _render_team(request, access, supporter_form=form)


@require_POST
def withdraw(request: HttpRequest, household_id: str) -> HttpResponse:
    access = _delegating_household(request, household_id)
    if isinstance(access, HttpResponse):
        return access
    household = access.household
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


# --- building the team: adding a professional, handing the coordination over (the coordinator) ------------


def _apply_errors(form, error: ValidationError, fields: dict[str, str]) -> None:
    """Put a service's errors on the form: ``fields`` maps the service's parameter names to form fields."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.message_dict.items():
        field = fields.get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def _read_entry(request: HttpRequest, household: Household, description: str) -> None:
    """The one access-log entry of a coordinator's form page (it shows the household and its team)."""
    audit.record(
        actor=request.actor,
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category=DataCategory.GENERAL.value,
        purpose=AuditPurpose.CARE_COORDINATION,
        description=description,
    )


def _coordinating_household(request: HttpRequest, household_id: str, rule_name: str) -> Household | HttpResponse:
    """The household whose team this actor builds: a login redirect for anonymous visitors, 404 for a household
    (or team) they may not see, 403 for someone who sees the team but may not do this."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.path)
    household = _visible_household(request, household_id).household
    require(actor, rule_name, household)
    return household


def _organisations_for(request: HttpRequest, household: Household):
    """The coordinator chooses from their networks; a professional starting a team, from their own organisation."""
    actor = request.actor
    return selectors.organisations_to_add_from(
        actor.organisation, whole_network=can(actor, "households.manage_team", household)
    )


@require_http_methods(["GET", "HEAD", "POST"])
def add_professional(request: HttpRequest, household_id: str) -> HttpResponse:
    household = _coordinating_household(request, household_id, "households.build_team")
    if isinstance(household, HttpResponse):
        return household
    organisations = _organisations_for(request, household)
    if request.method != "POST":
        form = AddProfessionalForm(organisations=organisations)
    else:
        form = AddProfessionalForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            organisation = data["organisation"]
            user = selectors.professional_at(organisation, data["email"])
            if user is None:
                form.add_error(
                    "email",
                    _("We cannot find a professional with this address at %(organisation)s.")
                    % {"organisation": organisation.name},
                )
            else:
                try:
                    member = services.team_add_professional(
                        actor=request.actor,
                        household=household,
                        user=user,
                        organisation=organisation,
                        description=data["description"],
                        categories=data["categories"],
                        legal_basis=data["legal_basis"],
                        reason=data["reason"],
                    )
                except PermissionDenied:
                    form.add_error(None, _("You cannot add this professional to this team."))
                except ValidationError as error:
                    _apply_errors(form, error, {"user": "email"})
                else:
                    messages.success(
                        request,
                        _(
                            "%(name)s of %(organisation)s is now in the team. The household must approve first: "
                            "until then %(name)s sees nothing of their file. We are sending %(name)s an e-mail."
                        )
                        % {"name": member.user.get_full_name(), "organisation": organisation.name},
                    )
                    return HttpResponseRedirect(_team_url(household.pk))
    _read_entry(request, household, "add a professional to the team")
    context = {"household": household, "form": form, "workspace": _workspace(request, household)}
    return render(request, "households/add_professional.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def handover(request: HttpRequest, household_id: str) -> HttpResponse:
    household = _coordinating_household(request, household_id, "households.change_coordinator")
    if isinstance(household, HttpResponse):
        return household
    actor = request.actor
    coordinator = selectors.active_coordinator(household)
    # The first coordinator comes from the organisation that starts the team (``households.assign_first_coordinator``).
    candidates = selectors.handover_candidates(
        household, organisation_id=None if coordinator is not None else actor.organisation_id
    )
    form_options = {"candidates": candidates, "reason_required": coordinator is not None}
    if request.method != "POST":
        form = HandoverForm(**form_options)
    else:
        form = HandoverForm(request.POST, **form_options)
        if form.is_valid():
            new = form.cleaned_data["to_member"]
            reason = form.cleaned_data["reason"]
            try:
                if coordinator is None:
                    services.coordinator_assign_first(actor=actor, household=household, member=new, reason=reason)
                else:
                    services.coordinator_handover(actor=actor, household=household, to_member=new, reason=reason)
            except PermissionDenied:
                form.add_error(None, _("You cannot hand the coordination of this household over."))
            except ValidationError as error:
                _apply_errors(form, error, {"member": "to_member"})
            else:
                messages.success(
                    request,
                    _(
                        "%(name)s of %(organisation)s is now the coordinator. We are letting the coordinators and "
                        "the household know by e-mail."
                    )
                    % {"name": new.user.get_full_name(), "organisation": new.organisation.name},
                )
                return HttpResponseRedirect(_team_url(household.pk))
    context = {
        "household": household,
        "coordinator": coordinator,
        "form": form,
        "has_candidates": candidates.exists(),
        "workspace": _workspace(request, household),
    }
    _read_entry(request, household, "hand over the coordination")
    return render(request, "households/handover.html", context)


# --- accepting an invitation (the informal network) ---------------------------------------------------------

INVITATION_PATH_WITHOUT_TOKEN = "/uitnodiging/"  # noqa: S105 (a path, not a secret)
_INVITATION_STATUS = {"invalid": 404, "expired": 410, "withdrawn": 410, "used": 410}


def _unlogged(response: HttpResponse) -> HttpResponse:
    """An error answer of the invitation page: its address holds the token, so Django's request logger must not
    write the path of this response ("Not Found: /uitnodiging/<token>/")."""
    response._has_been_logged = True
    return response


def _invitation_problem(invitation) -> str | None:
    """Why the link does not work (a key of ``_INVITATION_STATUS``), or None when it is open."""
    if invitation is None:
        return "invalid"
    if invitation.withdrawn_at is not None:
        return "withdrawn"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.expires_at <= timezone.now():
        return "expired"
    return None


def _invitation_unusable(request: HttpRequest, problem: str) -> HttpResponse:
    messages_by_problem = {
        "invalid": _("This invitation link is not valid. Check that you copied the whole link."),
        "expired": _("This invitation has expired. Ask the person who invited you for a new one."),
        "withdrawn": _("This invitation has been withdrawn. Ask the person who invited you if you have questions."),
        "used": _("This invitation has already been used. If that was you, log in to Samen."),
    }
    response = render(
        request,
        "households/invitation_unusable.html",
        {"message": messages_by_problem[problem]},
        status=_INVITATION_STATUS[problem],
    )
    return _unlogged(response)


def _invitation_for_professional(request: HttpRequest) -> HttpResponse:
    return _unlogged(render(request, "households/invitation_professional.html", status=403))


def _invitation_obstacle(actor, invitation) -> str:
    """Why this logged-in citizen cannot accept (shown instead of the button), or ``""``."""
    if selectors.is_member_of(invitation.household_id, actor.user):
        return _("You are a member of this household already, so you do not need this invitation.")
    if selectors.is_in_team(invitation.household_id, actor.user):
        return _("You are in this household's team already.")
    return ""


def _render_invitation(request: HttpRequest, invitation, *, form: SignUpForm | None = None) -> HttpResponse:
    """The invitation page, with one access-log entry: it shows which household invites (never the token)."""
    actor = request.actor
    context = {
        "invitation": invitation,
        "household_name": invitation.household.name,
        "inviter": invitation.invited_by.get_short_name(),
        "expires": _date(invitation.expires_at),
    }
    if actor.is_authenticated:
        context["obstacle"] = _invitation_obstacle(actor, invitation)
    else:
        context["form"] = form or SignUpForm()
        context["login_url"] = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=invitation,
        household_id=invitation.household_id,
        data_category=DataCategory.GENERAL.value,
        purpose=AuditPurpose.CITIZEN,
        description="invitation page",
    )
    return render(request, "households/invitation.html", context)


def _log_in(request: HttpRequest, user) -> None:
    """Log the new account in. django-axes writes the request's path with every login (its access log, its log
    lines); this path holds the invitation's token, so it gets the page's address without the token."""
    AxesProxyHandler.update_request(request)  # sets axes' request attributes once; then the path is replaced
    request.axes_path_info = INVITATION_PATH_WITHOUT_TOKEN
    user.backend = SAMEN_BACKEND
    account_services.user_log_in(request=request, user=user)


def _joined(request: HttpRequest, household_name: str) -> HttpResponse:
    messages.success(
        request,
        _("You are now part of the network of %(household)s. They decide what you may see.")
        % {"household": household_name},
    )
    return HttpResponseRedirect(reverse("home:home"))


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """GET: who invites you to which household's network; log in, or make an account. POST: accept (logged in)
    or make an account and accept in one go (not logged in). Professionals are refused: they join through the
    coordinator. The token is only looked up by its hash and never logged."""
    actor = request.actor
    # Guessing links or passwords from one internet address is limited (samen.accounts.throttle): links that do not
    # work and sign-up attempts count; past the limit the page answers 429 until the time it names.
    block = account_throttle.INVITATION_ATTEMPTS.blocked(actor.ip_address)
    if block is not None:
        return _unlogged(too_many_attempts(request, block, reason=INVITATION_REASON))
    invitation = selectors.invitation_by_token(token)
    problem = _invitation_problem(invitation)
    if problem is not None:
        if problem == "invalid":
            account_throttle.INVITATION_ATTEMPTS.hit(actor.ip_address)
        return _invitation_unusable(request, problem)
    if actor.is_authenticated and actor.is_professional:
        return _invitation_for_professional(request)
    if request.method != "POST":
        return _render_invitation(request, invitation)

    household_name = invitation.household.name
    if actor.is_authenticated:
        try:
            services.invitation_accept(token=token, user=request.user, actor=actor)
        except PermissionDenied:
            return _invitation_for_professional(request)
        except ValidationError as error:
            codes = getattr(error, "error_dict", {}).get("token", [])
            if codes and codes[0].code in _INVITATION_STATUS:
                return _invitation_unusable(request, codes[0].code)
            messages.error(request, " ".join(error.messages))
            return _render_invitation(request, invitation)
        return _joined(request, household_name)

    account_throttle.INVITATION_ATTEMPTS.hit(actor.ip_address)  # a sign-up attempt
    form = SignUpForm(request.POST)
    if form.is_valid():
        try:
            member = services.invitation_sign_up(
                token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password"],
                ip_address=actor.ip_address,
            )
        except ValidationError as error:
            codes = getattr(error, "error_dict", {}).get("token", [])
            if codes and codes[0].code in _INVITATION_STATUS:
                return _invitation_unusable(request, codes[0].code)
            _apply_errors(form, error, {"email": None})
        else:
            _log_in(request, member.user)
            return _joined(request, household_name)
    return _render_invitation(request, invitation, form=form)

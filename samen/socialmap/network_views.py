"""The household's own network ("Ons netwerk" for the household, "Netwerk" for the team): the map of the people around
the household in three circles of closeness, with the same people in a list; adding, changing and removing someone
(the household); inviting someone from the map into the team; adding an action with someone to the plan.

Thin views: the policy decides (``household_access`` and the ``socialmap.network_*`` rules; the plan's own rules for
an action), the selectors read, the services change and audit. Every page writes one access entry (general). Plain
forms: nothing needs JavaScript; bad input shows the page again with the message beside the field and what was typed;
someone else's change in between is shown, and what was typed is kept. Missing and forbidden look the same (404);
someone who sees the map but may not change it gets 403 on a form.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samen.consent.policies import HouseholdAccess, household_access, parse_id, writable_categories
from samen.consent.workspace import workspace
from samen.core import audit
from samen.core.actor import Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.core.vocabulary import DataCategory
from samen.plans import selectors as plan_selectors
from samen.plans import services as plan_services
from samen.socialmap import network_map, network_selectors, network_services
from samen.socialmap.models import Closeness, NetworkPerson, NetworkRelation, Service
from samen.socialmap.network_forms import (
    InviteForm,
    NetworkActionForm,
    NetworkPersonEditForm,
    NetworkPersonForm,
    RemoveForm,
)

TAB = "network"
GENERAL = DataCategory.GENERAL
RING_TITLES = {
    Closeness.CLOSE: pgettext_lazy("closeness", "Close"),
    Closeness.MIDDLE: pgettext_lazy("closeness", "In between"),
    Closeness.FURTHER: pgettext_lazy("closeness", "Further away"),
}


def _ring_title(closeness: int) -> str:
    return str(RING_TITLES[Closeness(closeness)])


def _network_url(household_id) -> str:
    return reverse("socialmap:network", args=[household_id])


def _login(request: HttpRequest, household_id) -> HttpResponse:
    return redirect_to_login(_network_url(household_id) if parse_id(household_id) else "/")


def _access(request: HttpRequest, household_id) -> HouseholdAccess:
    """The actor's access to a household whose map they may see; 404 for everyone else."""
    access = household_access(request.actor, household_id)
    require(request.actor, "socialmap.network_view", access, hide=True)
    return access


def _keeper(request: HttpRequest, household_id) -> HouseholdAccess:
    """As ``_access``, and 403 for someone who sees the map but does not keep it (a professional)."""
    access = _access(request, household_id)
    require(request.actor, "socialmap.network_edit", access)
    return access


def _person(access: HouseholdAccess, person_id) -> NetworkPerson:
    person = network_selectors.network_person_in(access.household.pk, person_id)
    if person is None:
        raise Http404
    return person


def _record_read(request: HttpRequest, access: HouseholdAccess, description: str, obj=None) -> None:
    audit.record(
        actor=request.actor,
        action=AuditAction.READ,
        obj=obj if obj is not None else access.household,
        household_id=access.household.pk,
        data_category=GENERAL.value,
        purpose=AuditPurpose.CITIZEN if request.actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION,
        description=description,
    )


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _is_citizen(request: HttpRequest) -> bool:
    return request.actor.role == Role.CITIZEN


# --- the map and the list ------------------------------------------------------------------------------------------


def _status(person: NetworkPerson, in_team: bool) -> tuple[str, str]:
    """The person's place in the team in words, and a badge kind (never by colour alone: the words say it)."""
    if in_team:
        return _("In the team"), "active"
    if network_services.open_invitation(person):
        return _("Invited into the team"), "neutral"
    return "", ""


def _row(request: HttpRequest, access: HouseholdAccess, person: NetworkPerson, number: int, flags: dict) -> dict:
    household_id = access.household.pk
    team_place = network_selectors.team_place_id(person)
    in_team = team_place is not None
    status, badge = _status(person, in_team)
    invite_url = add_professional_url = ""
    if not in_team and flags["may_edit"] and network_services.invitable(person) and not status:
        invite_url = reverse("socialmap:network_invite", args=[household_id, person.pk])
    if not in_team and person.relation == NetworkRelation.PROFESSIONAL and flags["may_add_professional"]:
        add_professional_url = reverse("households:add_professional", args=[household_id])
    return {
        "id": person.pk,
        "anchor": f"person-{person.pk}",
        "number": number,
        "name": person.name,
        "relation": capfirst(person.get_relation_display()),
        "closeness": person.closeness,
        "helps_with": person.helps_with,
        "status": status,
        "badge": badge,
        "in_team": in_team,
        "team_name": _team_name(person) if person.team_member_id and in_team else "",
        "service_name": person.service.name if person.service_id else "",
        "service_url": reverse("socialmap:service", args=[person.service_id]) if person.service_id else "",
        "edit_url": reverse("socialmap:network_edit", args=[household_id, person.pk]) if flags["may_edit"] else "",
        "invite_url": invite_url,
        "add_professional_url": add_professional_url,
        "professional_not_in_team": not in_team and person.relation == NetworkRelation.PROFESSIONAL,
        "action_url": reverse("socialmap:network_action", args=[household_id, person.pk]) if flags["may_plan"] else "",
    }


def _team_name(person: NetworkPerson) -> str:
    member = person.team_member
    name = member.user.get_full_name()
    return f"{name} ({member.organisation.name})" if member.organisation_id else name


@require_safe
def network(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return _login(request, household_id)
    access = _access(request, household_id)
    household = access.household
    is_citizen = _is_citizen(request)
    flags = {
        "is_citizen": is_citizen,
        "may_edit": can(actor, "socialmap.network_edit", access),
        "may_plan": GENERAL in writable_categories(actor, household, access=access),
        "may_add_professional": (not is_citizen) and can(actor, "households.build_team", household),
    }
    people = network_selectors.network_of(household.pk)
    rows = [_row(request, access, person, number, flags) for number, person in enumerate(people, start=1)]
    ring_titles = [_ring_title(closeness) for closeness in Closeness.values]
    rings, dots, numbers_only = network_map.layout(
        [(row["number"], row["closeness"], row["name"], row["in_team"]) for row in rows], ring_titles
    )
    groups = [
        {
            "closeness": closeness,
            "title": ring_titles[closeness - 1],
            "title_id": f"ring-{closeness}",
            "rows": [row for row in rows if row["closeness"] == closeness],
        }
        for closeness in Closeness.values
    ]
    counts = ", ".join(
        ngettext("%(ring)s: %(count)d person", "%(ring)s: %(count)d people", len(group["rows"]))
        % {"ring": group["title"].lower(), "count": len(group["rows"])}
        for group in groups
    )
    context = {
        "household": household,
        "rows": rows,
        "groups": groups,
        "map": {
            "width": network_map.WIDTH,
            "height": network_map.HEIGHT,
            "cx": network_map._units(network_map.CX),
            "cy": network_map._units(network_map.CY),
            "rings": rings,
            "dots": dots,
            "numbers_only": numbers_only,
            "counts": capfirst(counts),
            "centre": _("Us") if is_citizen else _("Household"),
            "home_r": network_map.HOME_RADIUS,
            "house": network_map.house_points(),
            "centre_y": network_map._units(network_map.CY + 30),
        },
        "is_citizen": is_citizen,
        "may_edit": flags["may_edit"],
        "add_url": reverse("socialmap:network_add", args=[household.pk]),
        "team_url": reverse("households:team", args=[household.pk]),
        "workspace": workspace(request, household, current=TAB, access=access),
    }
    _record_read(request, access, "network map")
    return render(request, "socialmap/network.html", context)


# --- adding, changing and removing someone -------------------------------------------------------------------------


def _form_page(request: HttpRequest, access: HouseholdAccess, template: str, context: dict, description: str):
    _record_read(request, access, description, obj=context.get("person"))
    context.setdefault("household", access.household)
    context.setdefault("network_url", _network_url(access.household.pk))
    context.setdefault("is_citizen", _is_citizen(request))
    context["workspace"] = workspace(request, access.household, current=TAB, access=access)
    return render(request, template, context)


def _service_from_query(request: HttpRequest) -> Service | None:
    """A service of the social map passed as ``?dienst=<id>`` (from a service's page: "a volunteer from here")."""
    raw = request.GET.get("dienst", "")
    if not raw:
        return None
    try:
        return network_services._service(raw)
    except ValidationError:
        return None


@require_http_methods(["GET", "HEAD", "POST"])
def network_add(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return _login(request, household_id)
    access = _keeper(request, household_id)
    household = access.household
    team = network_selectors.team_choices(household)
    service = None
    if request.method == "POST":
        form = NetworkPersonForm(request.POST, team=team)
        if form.is_valid():
            try:
                person = network_services.network_person_add(actor=actor, household=household, **form.cleaned_data)
            except PermissionDenied:
                form.add_error(None, _("You cannot change this household's network."))
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("%(name)s is on the map now.") % {"name": person.name})
                return HttpResponseRedirect(f"{_network_url(household.pk)}#person-{person.pk}")
        raw_service = form.data.get("service", "")
        service = Service.objects.filter(pk=raw_service).first() if _is_uuid(raw_service) else None
    else:
        service = _service_from_query(request)
        initial = {"service": str(service.pk), "relation": NetworkRelation.VOLUNTEER} if service else {}
        form = NetworkPersonForm(initial=initial, team=team)
    context = {
        "form": form,
        "title": _("Add someone to the network") if not _is_citizen(request) else _("Add someone to our network"),
        "submit": _("Add to the map"),
        "service": service,
    }
    return _form_page(request, access, "socialmap/network_form.html", context, "network person add form")


def _is_uuid(value: str) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


def _edit_initial(person: NetworkPerson) -> dict:
    return {
        "name": person.name,
        "relation": person.relation,
        "closeness": person.closeness,
        "helps_with": person.helps_with,
        "team_member": str(person.team_member_id or ""),
        "service": str(person.service_id or ""),
        "version": person.version,
    }


def _conflict_rows(conflict: network_services.NetworkConflict, team: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What is saved now, in words, to put beside what the person typed."""
    saved = conflict.current
    team_names = dict(team)
    rows = [
        (_("Name"), saved["name"]),
        (_("Who is this for you?"), capfirst(NetworkRelation(saved["relation"]).label)),
        (_("How close is this person?"), _ring_title(saved["closeness"])),
        (_("What does this person help with?"), saved["helps_with"] or "—"),
    ]
    if team:
        rows.append((_("In the team as"), team_names.get(str(saved["team_member"] or ""), "—")))
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
def network_edit(request: HttpRequest, household_id: str, person_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return _login(request, household_id)
    access = _keeper(request, household_id)
    person = _person(access, person_id)
    team = network_selectors.team_choices(access.household)
    conflict_rows = None
    if request.method == "POST":
        form = NetworkPersonEditForm(request.POST, team=team)
        if form.is_valid():
            try:
                saved = network_services.network_person_update(
                    actor=actor,
                    person=person,
                    expected_version=form.cleaned_data.pop("version"),
                    **form.cleaned_data,
                )
            except network_services.NetworkConflict as conflict:
                conflict_rows = _conflict_rows(conflict, team)
                data = request.POST.copy()
                data["version"] = str(conflict.current_version)
                form = NetworkPersonEditForm(data, team=team)
                form.is_valid()
            except PermissionDenied:
                form.add_error(None, _("You cannot change this household's network."))
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The changes for %(name)s are saved.") % {"name": saved.name})
                return HttpResponseRedirect(f"{_network_url(access.household.pk)}#person-{saved.pk}")
    else:
        form = NetworkPersonEditForm(initial=_edit_initial(person), team=team)
    context = {
        "form": form,
        "person": person,
        "title": _("Change %(name)s") % {"name": person.name},
        "submit": _("Save changes"),
        "service": person.service,
        "conflict_rows": conflict_rows,
        "remove_form": RemoveForm(initial={"version": person.version}),
        "remove_url": reverse("socialmap:network_remove", args=[access.household.pk, person.pk]),
    }
    return _form_page(request, access, "socialmap/network_form.html", context, "network person edit form")


@require_POST
def network_remove(request: HttpRequest, household_id: str, person_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return _login(request, household_id)
    access = _keeper(request, household_id)
    person = _person(access, person_id)
    form = RemoveForm(request.POST)
    edit_url = reverse("socialmap:network_edit", args=[access.household.pk, person.pk])
    if not form.is_valid():
        messages.error(request, _("This page was out of date. Open it again and make your change once more."))
        return HttpResponseRedirect(edit_url)
    try:
        network_services.network_person_remove(
            actor=actor, person=person, expected_version=form.cleaned_data["version"]
        )
    except network_services.NetworkConflict:
        messages.error(
            request,
            _("Someone else changed %(name)s in the meantime. Check what is saved now, then remove them if you want.")
            % {"name": person.name},
        )
        return HttpResponseRedirect(edit_url)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(_network_url(access.household.pk))
    messages.success(request, _("%(name)s is no longer on the map.") % {"name": person.name})
    return HttpResponseRedirect(_network_url(access.household.pk))


# --- inviting someone into the team ---------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def network_invite(request: HttpRequest, household_id: str, person_id: str) -> HttpResponse:
    """Invite someone from the map into the team by e-mail (the households app's own invitation). A professional is
    not invited: the page says they join through the coordinator."""
    actor = request.actor
    if not actor.is_authenticated:
        return _login(request, household_id)
    access = _access(request, household_id)
    require(actor, "socialmap.network_invite", access)
    person = _person(access, person_id)
    in_team = network_selectors.team_place_id(person) is not None
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = network_services.network_person_invite(
                    actor=actor,
                    person=person,
                    email=form.cleaned_data["email"],
                    expected_version=form.cleaned_data["version"],
                )
            except network_services.NetworkConflict as conflict:
                data = request.POST.copy()
                data["version"] = str(conflict.current_version)
                form = InviteForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    _("Someone else changed %(name)s in the meantime. Check and send again.") % {"name": person.name},
                )
            except PermissionDenied:
                form.add_error(None, _("You cannot invite anyone for this household."))
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("We are sending an invitation to %(name)s. It stays open for 14 days.")
                    % {"name": invitation.name},
                )
                return HttpResponseRedirect(f"{_network_url(access.household.pk)}#person-{person.pk}")
    else:
        form = InviteForm(initial={"version": person.version})
    context = {
        "form": form,
        "person": person,
        "in_team": in_team,
        "invitable": network_services.invitable(person)
        and not in_team
        and not network_services.open_invitation(person),
        "is_professional": person.relation == NetworkRelation.PROFESSIONAL,
        "invite_rows": [
            (_("Name"), person.name, True),
            (_("What does this person help with?"), person.helps_with or "—", bool(person.helps_with)),
        ],
        "conversation_url": reverse("conversations:household", args=[access.household.pk]),
    }
    return _form_page(request, access, "socialmap/network_invite.html", context, "network person invite form")


# --- an action with someone in the plan -----------------------------------------------------------------------------


def _action_prefill(request: HttpRequest, access: HouseholdAccess, person: NetworkPerson, owners) -> dict:
    """Who owns the action, and the words it starts with. Someone in the team owns it themselves; someone who is not
    cannot own an action (the plan's rules: an owner is a household member, someone in the team, or an organisation
    in it), so the action names them and a household member owns it."""
    owner_values = {value for value, _label in owners}
    team_place = network_selectors.team_place_id(person)
    if team_place is not None and f"team:{team_place}" in owner_values:
        return {"owner": f"team:{team_place}", "text": "", "named_only": False, "owner_name": ""}
    member = network_selectors.action_owner_member(access.household, request.actor.user_id)
    owner = f"member:{member.pk}" if member is not None else ""
    return {
        "owner": owner if owner in owner_values else "",
        "text": _("With %(name)s: ") % {"name": person.name},
        "named_only": True,
        "owner_name": str(member) if member is not None else "",
    }


@require_http_methods(["GET", "HEAD", "POST"])
def network_action(request: HttpRequest, household_id: str, person_id: str) -> HttpResponse:
    """ "Add to the plan": the plan's action form (``action_add``, its rules) with the goal to choose and the owner
    filled in for the person from the map."""
    actor = request.actor
    if not actor.is_authenticated:
        return _login(request, household_id)
    access = _access(request, household_id)
    household = access.household
    writable = writable_categories(actor, household, access=access)
    if GENERAL not in writable:
        raise PermissionDenied  # sees the map, may not write in the plan (informal network, break-the-glass)
    person = _person(access, person_id)
    owners = plan_selectors.owner_choices(household)
    goals = network_selectors.goals_to_act_on(household, writable)
    prefill = _action_prefill(request, access, person, owners)
    if request.method == "POST":
        form = NetworkActionForm(request.POST, owners=owners, goals=goals)
        if form.is_valid():
            data = dict(form.cleaned_data)
            goal = plan_selectors.goal_in(household, parse_id(data.pop("goal")), writable)
            if goal is None:
                form.add_error("goal", _("Choose the goal this action is for."))
            else:
                try:
                    plan_services.action_add(actor=actor, goal=goal, **data)
                except PermissionDenied:
                    form.add_error("goal", _("You cannot write about this kind of information."))
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    messages.success(request, _("The action is added."))
                    return HttpResponseRedirect(f"{reverse('plans:plan', args=[household.pk])}#goal-{goal.pk}")
    else:
        initial = {"owner": prefill["owner"], "text": prefill["text"]}
        if len(goals) == 1:
            initial["goal"] = goals[0][0]
        form = NetworkActionForm(initial=initial, owners=owners, goals=goals)
    context = {
        "form": form,
        "person": person,
        "goals": goals,
        "prefill": prefill,
        "add_goal_url": reverse("plans:add_goal", args=[household.pk]),
    }
    return _form_page(request, access, "socialmap/network_action.html", context, "network person action form")

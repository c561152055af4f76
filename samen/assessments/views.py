"""The self-assessment page of a household (ZRM and spinnenweb per member, as charts with tables) and the two
forms to record a new one.

Thin views: the policy decides (``household_for``, ``categories_visible_to``, ``assessments.*`` rules), the
selectors read, the services write and audit. Every page that shows household data writes exactly one access
entry naming the categories it showed. The forms are plain POST forms: bad input shows the form again with the
messages and what was chosen, and changes nothing.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from samen.assessments import selectors, services
from samen.assessments.domains import (
    ASSESSMENT_CATEGORIES,
    SPINNENWEB_MAX,
    SPINNENWEB_MIN,
    ZRM_MAX,
    ZRM_MIN,
    SpinnenwebTheme,
    domain_label,
    domains_in,
    themes_in,
)
from samen.assessments.forms import SpinnenwebForm, TrendForm, ZrmForm
from samen.assessments.policies import shown_categories, spinnenweb_members, spinnenweb_writers, zrm_domains_writable
from samen.consent import selectors as consent_selectors
from samen.consent.models import DataCategory
from samen.consent.policies import HouseholdAccess, categories_visible_to, household_access, household_for
from samen.consent.workspace import workspace
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.households.models import Household


def _overview_url(household_id) -> str:
    return reverse("assessments:overview", args=[household_id])


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "j b Y")  # "6 jun 2026": the month in lower case, as Dutch writes it


def _emergency_access(actor: Actor, access: HouseholdAccess):
    """The actor's active break-the-glass access to the household (shown as a banner), or None (a query only while
    there is one)."""
    if not access.emergency:
        return None
    return consent_selectors.emergency_access_for(actor, access.household)


def _record_read(actor: Actor, household: Household, categories, description: str, *, emergency=None) -> None:
    if emergency is not None:
        purpose = AuditPurpose.BREAK_THE_GLASS
    else:
        purpose = AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category=audit.categories_value(category.value for category in categories),
        purpose=purpose,
        description=description,
    )


def _member_sections(
    household, members, *, domains, trend_domain, themes, show_names, plain: bool = False
) -> list[dict]:
    """Per member: the ZRM scores of ``domains`` and the spinnenweb scores of ``themes`` (the ones the reader may
    see; no spinnenweb at all without themes)."""
    show_spinnenweb = bool(themes)
    zrm = selectors.zrm_moments(household, domains) if domains else {}
    webs = selectors.spinnenweb_moments(household, themes) if show_spinnenweb else {}
    sections = []
    for number, member in enumerate(members, start=1):
        name = (
            f"{member.given_name} {member.family_name}"
            if show_names
            else _("Household member %(number)d") % {"number": number}
        )
        moments = zrm.get(member.pk, [])
        webs_of_member = webs.get(member.pk, [])
        section = {
            "id": member.pk,
            "name": name,
            "first_name": member.given_name if show_names else name,
            "chart_zrm": f"zrm-{member.pk}",
            "chart_zrm_trend": f"zrm-trend-{member.pk}",
            "chart_web": f"web-{member.pk}",
            "chart_web_trend": f"web-trend-{member.pk}",
        }
        if domains:
            section["zrm_radar"] = [
                {"label": _date(moment.assessed_on), "values": [moment.scores.get(d.value) for d in domains]}
                for moment in moments[-3:]
            ]
            section["zrm_trend_labels"] = [_date(moment.assessed_on) for moment in moments]
            section["zrm_trend"] = (
                [
                    {
                        "label": domain_label(trend_domain, plain=plain),
                        "values": [moment.scores.get(trend_domain.value) for moment in moments],
                    }
                ]
                if moments and trend_domain
                else []
            )
            section["zrm_latest"] = moments[-1] if moments else None
        if show_spinnenweb:
            # The radar draws only the themes filled in at each moment it overlays: a theme that is empty at one of
            # them ("My body" written by someone without consent for health) would otherwise pull its polygon's
            # edge through the centre, as if it were 0. The trend draws it with a gap, the tables say
            # "not filled in".
            drawn = webs_of_member[-3:]
            on_radar = [t for t in themes if all(web.scores.get(t.value) is not None for web in drawn)]
            section["web_axes"] = [str(theme.label) for theme in on_radar]
            section["web_left_out"] = [str(theme.label) for theme in themes if theme not in on_radar]
            section["web_radar"] = [
                {"label": _date(web.filled_on), "values": [web.scores[t.value] for t in on_radar]} for web in drawn
            ]
            section["web_trend_labels"] = [_date(web.filled_on) for web in webs_of_member]
            section["web_trend"] = (
                [
                    {"label": str(theme.label), "values": [web.scores.get(theme.value) for web in webs_of_member]}
                    for theme in themes
                ]
                if webs_of_member
                else []
            )
        sections.append(section)
    return sections


@require_safe
def overview(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = household_access(actor, household_id)
    household, visible = access.household, access.visible
    require(actor, "assessments.view", (household, visible), hide=True)
    shown = shown_categories(visible)
    domains = domains_in(visible)
    themes = themes_in(visible)  # "My body" needs health, "How I feel" mental health, the rest general
    show_spinnenweb = bool(themes)
    plain = actor.role == Role.CITIZEN  # a resident reads the life domains in plain words
    trend_form = TrendForm(request.GET or None, domains=domains, plain=plain)
    trend_domain = trend_form.chosen()
    members = selectors.members(household)
    emergency = _emergency_access(actor, access)
    context = {
        "household": household,
        "emergency": emergency,
        "sections": _member_sections(
            household,
            members,
            domains=domains,
            trend_domain=trend_domain,
            themes=themes,
            show_names=show_spinnenweb,
            plain=plain,
        ),
        "domain_axes": [domain_label(domain, plain=plain) for domain in domains],
        "trend_form": trend_form if len(domains) > 1 else None,
        "trend_domain": domain_label(trend_domain, plain=plain) if trend_domain else "",
        "show_zrm": bool(domains),
        "show_spinnenweb": show_spinnenweb,
        "zrm_min": ZRM_MIN,
        "zrm_max": ZRM_MAX,
        "web_min": SPINNENWEB_MIN,
        "web_max": SPINNENWEB_MAX,
        # Professionals see which categories they have no permission for, so they know to ask.
        "missing": [capfirst(str(c.label)) for c in DataCategory if c in ASSESSMENT_CATEGORIES and c not in visible]
        if actor.is_professional
        else [],
        "may_record_zrm": bool(zrm_domains_writable(actor, household, access=access)),
        "may_record_spinnenweb": bool(spinnenweb_members(actor, household, access=access)),
        "is_citizen": plain,
        "workspace": workspace(request, household, current="assessments", access=access),
    }
    _record_read(actor, household, shown, "self-assessments", emergency=emergency)
    return render(request, "assessments/overview.html", context)


def _workspace(request: HttpRequest, household: Household) -> dict:
    visible = categories_visible_to(request.actor, household)
    return workspace(request, household, current="assessments", visible=visible, known={"assessments": True})


def _show_form(request, household, template: str, form, status: int = 200) -> HttpResponse:
    # The form shows the names of the members: general information.
    _record_read(request.actor, household, [DataCategory.GENERAL], "self-assessment form")
    context = {"household": household, "form": form, "workspace": _workspace(request, household)}
    return render(request, template, context, status=status)


def _apply_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_http_methods(["GET", "HEAD", "POST"])
def zrm_new(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_overview_url(household_id) if request.method == "POST" else request.get_full_path())
    household = household_for(actor, household_id)
    domains = zrm_domains_writable(actor, household)
    if not domains:
        raise PermissionDenied  # may see the household, may not record a ZRM
    members = selectors.members(household)
    if request.method != "POST":
        form = ZrmForm(domains=domains, members=members, initial={"member": request.GET.get("lid", "")})
        return _show_form(request, household, "assessments/zrm_form.html", form)
    form = ZrmForm(request.POST, domains=domains, members=members)
    if form.is_valid():
        try:
            services.zrm_record(
                actor=actor,
                member=form.cleaned_data["member"],
                household=household,
                assessed_on=form.cleaned_data["assessed_on"],
                scores=form.scores(),
            )
        except PermissionDenied:
            form.add_error(None, _("You cannot record a ZRM for this household."))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The ZRM is saved."))
            return HttpResponseRedirect(_overview_url(household.pk))
    return _show_form(request, household, "assessments/zrm_form.html", form)


def _form_themes(writers, chosen) -> list[SpinnenwebTheme]:
    """The themes the form shows: those the actor may fill in for the chosen member; before one is chosen, those
    they may fill in for every member they can choose (the same for all, except for some representatives)."""
    for member, themes in writers:
        if str(member.pk) == str(chosen):
            return themes
    return [theme for theme in SpinnenwebTheme if all(theme in themes for _member, themes in writers)]


@require_http_methods(["GET", "HEAD", "POST"])
def spinnenweb_new(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_overview_url(household_id) if request.method == "POST" else request.get_full_path())
    household = household_for(actor, household_id)
    writers = spinnenweb_writers(actor, household)  # who, and which themes ("My body" needs health, ...)
    if not writers:
        raise PermissionDenied
    members = [member for member, _themes in writers]
    if request.method != "POST":
        own = next((member for member in members if member.user_id == actor.user_id), None)
        initial = request.GET.get("lid", "") or (str(own.pk) if own else "")
        themes = _form_themes(writers, initial)
        form = SpinnenwebForm(members=members, themes=themes, initial={"member": initial})
        return _show_form(request, household, "assessments/spinnenweb_form.html", form)
    form = SpinnenwebForm(request.POST, members=members, themes=_form_themes(writers, request.POST.get("member")))
    if form.is_valid():
        try:
            services.spinnenweb_record(
                actor=actor,
                member=form.cleaned_data["member"],
                household=household,
                filled_on=form.cleaned_data["filled_on"],
                scores=form.scores(),
            )
        except PermissionDenied:
            form.add_error("member", _("You cannot fill in a spinnenweb for this person."))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The spinnenweb is saved."))
            return HttpResponseRedirect(_overview_url(household.pk))
    return _show_form(request, household, "assessments/spinnenweb_form.html", form)

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
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST, require_safe

from samen.consent import selectors as consent_selectors
from samen.consent.models import DataCategory
from samen.consent.policies import categories_visible_to, citizen_relation, household_for, parse_id
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.dossier import selectors, services
from samen.dossier.forms import NoteForm
from samen.dossier.policies import writable_categories
from samen.households.models import Household

# What a category without notes says, in plain words.
NO_NOTES = gettext_lazy("There are no notes about this yet.")


def _overview_url(household_id) -> str:
    return reverse("dossier:overview", args=[household_id])


def _emergency_access(actor: Actor, household: Household):
    """The actor's active break-the-glass access to ``household`` (shown as a banner), or None."""
    if not actor.is_professional:
        return None
    return consent_selectors.emergency_access_for(actor, household)


def _date(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _author(entry) -> str:
    if entry.organisation_id is not None:
        return entry.organisation.name
    return _("resident")


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


def _visible_household(request: HttpRequest, household_id: str) -> tuple[Household, frozenset[DataCategory]]:
    """The household and the categories the actor may see in it now; 404 when they may see none
    (the ``dossier.view_overview`` rule, asked with the categories this request already looked up)."""
    household = household_for(request.actor, household_id)
    visible = categories_visible_to(request.actor, household)
    require(request.actor, "dossier.view_overview", (household, visible), hide=True)
    return household, visible


def _render_overview(
    request: HttpRequest,
    household: Household,
    visible: frozenset[DataCategory],
    *,
    form: NoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The page, with one access entry for the categories it shows (``visible``, looked up in this request)."""
    actor = request.actor
    now = timezone.now()
    shown = [category for category in DataCategory if category in visible]
    writable = writable_categories(actor, household, visible=visible, now=now)
    is_member = actor.role == Role.CITIZEN and citizen_relation(actor, household, now=now).is_member
    emergency = _emergency_access(actor, household)

    notes = selectors.latest_notes(household, shown)
    categories = [
        {
            "value": category.value,
            "label": capfirst(str(category.label)),
            "notes": [
                {"date": _date(entry.created_at), "author": _author(entry), "text": entry.text}
                for entry in notes[category.value]
            ],
        }
        for category in shown
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
        "may_view_team": can(actor, "households.view_team", household),
        "may_view_consent": can(actor, "consent.view", household),
    }
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
    return _render_overview(request, *_visible_household(request, household_id))


@require_POST
def add_note(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(_overview_url(household_id) if parse_id(household_id) else "/")
    household, visible = _visible_household(request, household_id)
    writable = writable_categories(actor, household, visible=visible)
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
    return _render_overview(request, household, visible, form=form)

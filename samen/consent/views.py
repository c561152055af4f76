"""The household's "Wie mag wat zien" page: who may see which kind of information, and the buttons to change it.

Thin views: the policy decides (``household_for``, ``consent.view``, ``consent.manage``), the selectors read,
the services change and audit. The page writes one access-log entry per request; the buttons are plain POST
forms that redirect back with a message (no JavaScript needed). Bad input gives a message and changes nothing.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samen.consent import selectors, selectors_access_log, services
from samen.consent.forms import BreakTheGlassForm, EndBreakTheGlassForm, GrantForm, RequestAnswerForm, RevokeForm
from samen.consent.models import (
    BREAK_THE_GLASS_HOURS,
    CATEGORY_DESCRIPTIONS,
    GROUND_DESCRIPTIONS,
    BreakTheGlass,
    BreakTheGlassGround,
    ConsentGrant,
    ConsentRequest,
    DataCategory,
    LegalBasis,
)
from samen.consent.policies import (
    PROFESSIONAL_ROLES,
    HouseholdAccess,
    household_access,
    household_for,
    parse_id,
)
from samen.consent.selectors import CellState, MatrixRow
from samen.consent.services import EmergencyOutcome
from samen.consent.workspace import workspace
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import can, require
from samen.households.models import Household

HISTORY_ROWS = 50
# "Wie mag wat zien" lists the accesses without consent of the last twelve months (at most this many).
EMERGENCY_HISTORY_DAYS = 365
EMERGENCY_HISTORY_ROWS = 100

# "<receiver> mag nu ... zien": each category as the thing that is seen, in words a resident uses.
CATEGORY_PHRASES = {
    DataCategory.GENERAL: gettext_lazy("your general information"),
    DataCategory.HEALTH: gettext_lazy("your health"),
    DataCategory.MENTAL_HEALTH: gettext_lazy("your mental health"),
    DataCategory.FINANCES: gettext_lazy("your money and debts"),
    DataCategory.SAFETY: gettext_lazy("information about your safety"),
    DataCategory.JUSTICE: gettext_lazy("information about police and courts"),
    DataCategory.YOUTH: gettext_lazy("information about the children"),
}


def _date(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y")


def _matrix_url(household: Household) -> str:
    return reverse("consent:matrix", args=[household.pk])


# The query parameter that names the row that just changed (the page marks it, puts its message in it and moves
# focus there), and the message tag that ties a message to that row.
CHANGED = "veranderd"
ROW_TAG = "consent-row"


def _back(household: Household, row: str = "") -> HttpResponseRedirect:
    """Back to the matrix; after a change to one receiver, to that receiver's row (``row`` is its key)."""
    if not row:
        return HttpResponseRedirect(_matrix_url(household))
    return HttpResponseRedirect(f"{_matrix_url(household)}?{CHANGED}={row}#{row}")


def _row_message(request: HttpRequest, level: int, text: str, row: str) -> None:
    """A message shown in the changed row instead of at the top of the page (``row`` is the receiver's key)."""
    messages.add_message(request, level, text, extra_tags=f"{ROW_TAG} {row}")


def _first_error(form) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Something went wrong with this button. Please try again.")


def _validation_message(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- display rows ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellView:
    category: DataCategory
    label: str
    may_see: bool
    note: str  # "until 1 May 2026", "from ...", "ended on ..."
    action: str  # "grant", "revoke" or "" (no button)
    button_label: str  # "Allow" or "Withdraw"; the kind of information (``label``) is said to screen readers
    grant_id: int | None
    state: str = ""  # "May see" or "May not see"

    @property
    def positive(self) -> bool:
        return self.may_see

    form_url: str = ""  # where the button posts to
    fields: tuple[tuple[str, object], ...] = ()  # the hidden fields of its form


@dataclass(frozen=True)
class ReceiverView:
    key: str  # unique in the page, for ids
    name: str
    kind: str  # organisation type or the person's role in the team
    is_independent: bool
    in_team: bool
    field: str  # "organisation" or "person": the form field that names this receiver
    receiver_id: int
    cells: list[CellView]
    is_changed: bool = False  # the row that was just changed (marked, with its message, and focused)
    messages: tuple = ()
    badge: str = ""  # "independent" for an independent client supporter
    note: str = ""  # "No longer in your team ..." for a receiver that left the team


def _cell(
    cell: selectors.MatrixCell, *, row: MatrixRow, manageable: frozenset[DataCategory], household_id: int, receiver
) -> CellView:
    label = capfirst(str(cell.category.label))
    grant = cell.grant
    may_see, note, action = False, "", ""
    if cell.state is CellState.ACTIVE:
        may_see = True
        if grant.valid_until is not None:
            note = _("until %(date)s") % {"date": _date(grant.valid_until)}
        action = "revoke"
    elif cell.state is CellState.SCHEDULED:
        note = _("from %(date)s") % {"date": _date(grant.valid_from)}
        action = "revoke"
    else:
        if cell.state is CellState.EXPIRED:
            note = _("ended on %(date)s") % {"date": _date(grant.valid_until)}
        action = "grant" if row.in_team else ""
    if cell.category not in manageable:
        action = ""
    # The button says what it does; its accessible name adds the kind of information ("Withdraw: Health").
    button_label = {"revoke": _("Withdraw"), "grant": _("Allow")}.get(action, "")
    if action == "revoke":
        form_url, fields = reverse("consent:revoke", args=[household_id]), (("grant", grant.pk),)
    elif action == "grant":
        form_url = reverse("consent:grant", args=[household_id])
        fields = (("category", cell.category.value), receiver)
    else:
        form_url, fields = "", ()
    return CellView(
        category=cell.category,
        label=label,
        may_see=may_see,
        note=note,
        action=action,
        button_label=button_label,
        grant_id=grant.pk if grant is not None and action == "revoke" else None,
        state=_("May see") if may_see else _("May not see"),
        form_url=form_url,
        fields=fields,
    )


def _receiver(
    row: MatrixRow,
    *,
    manageable: frozenset[DataCategory],
    household_id: int,
    changed: str = "",
    row_messages: dict | None = None,
) -> ReceiverView:
    if row.organisation is not None:
        name, kind, field, pk = row.organisation.name, row.organisation.type_label, "organisation", row.organisation.pk
    else:
        member = row.team_member
        name, kind, field, pk = member.user.get_full_name(), capfirst(member.get_role_display()), "person", member.pk
    key = f"{field}-{pk}"
    return ReceiverView(
        key=key,
        is_changed=key == changed,
        messages=tuple((row_messages or {}).get(key, ())),
        name=name,
        kind=kind,
        is_independent=row.is_independent,
        in_team=row.in_team,
        badge=_("independent") if row.is_independent else "",
        note="" if row.in_team else _("No longer in your team. You can still withdraw what they may see."),
        field=field,
        receiver_id=pk,
        cells=[
            _cell(cell, row=row, manageable=manageable, household_id=household_id, receiver=(field, pk))
            for cell in row.cells
        ],
    )


def _receiver_name(grant: ConsentGrant) -> str:
    if grant.organisation_id is not None:
        return grant.organisation.name
    return grant.team_member.user.get_full_name()


def _history_status(grant: ConsentGrant, now: datetime.datetime) -> str:
    if grant.revoked_at is not None:
        if grant.was_renewed:
            return _("replaced by a new permission")
        return _("withdrawn on %(date)s") % {"date": _date(grant.revoked_at)}
    if grant.valid_until is not None and grant.valid_until <= now:
        return _("ended on %(date)s") % {"date": _date(grant.valid_until)}
    if grant.valid_until is not None:
        return _("allowed until %(date)s") % {"date": _date(grant.valid_until)}
    return _("allowed")


def _history_table(household: Household, now: datetime.datetime) -> list[list[str]]:
    return [
        [
            _receiver_name(grant),
            capfirst(grant.get_category_display()),
            _date(grant.granted_at),
            _history_status(grant, now),
        ]
        for grant in selectors.consent_history(household)[:HISTORY_ROWS]
    ]


def _request_view(request: ConsentRequest) -> dict:
    categories = [DataCategory(value) for value in DataCategory.values if value in set(request.categories)]
    return {
        "pk": request.pk,
        "title_id": f"request-{request.pk}-title",
        "organisation": request.organisation.name,
        "person": request.team_member.user.get_full_name(),
        "reason": request.reason,
        "requested_at": _date(request.requested_at),
        "categories": [{"value": category.value, "label": capfirst(str(category.label))} for category in categories],
    }


def _moment(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j F Y, H:i")


def _emergency_view(access: BreakTheGlass, now: datetime.datetime) -> dict:
    """One access without consent, as the household sees it: organisation and role, never the employee."""
    if access.is_active_at(now):
        until = _("until %(moment)s (still running)") % {"moment": _moment(access.expires_at)}
    elif access.ended_at is not None and access.ended_at < access.expires_at:
        until = _("stopped early, on %(moment)s") % {"moment": _moment(access.ended_at)}
    else:
        until = _("until %(moment)s") % {"moment": _moment(access.expires_at)}
    return {
        "pk": access.pk,
        "title_id": f"emergency-{access.pk}-title",
        "organisation": access.organisation.name,
        "started": _moment(access.started_at),
        "details": [
            (_("Role"), _label(Role, access.role)),
            (_("How long"), until),
            (_("Legal ground"), capfirst(access.get_legal_ground_display())),
            (_("Reason"), access.reason, True),  # typed by the professional
            (_("Information"), _categories_label(audit.categories_value(access.categories))),
        ],
    }


# --- the page ----------------------------------------------------------------------------------------------


def _workspace(request: HttpRequest, access: HouseholdAccess, current: str) -> dict:
    """The household workspace above "Wie mag wat zien" and "Wie keek" (both are for whoever passed
    ``consent.view``), with the actor's access this request looked up."""
    return workspace(request, access.household, current=current, access=access, known={"consent": True})


def _own_emergency_access(actor: Actor, access: HouseholdAccess) -> BreakTheGlass | None:
    """The actor's active break-the-glass access to the household (shown as a banner), or None (a query only while
    there is one)."""
    return selectors.emergency_access_for(actor, access.household) if access.emergency else None


def _purpose(actor: Actor) -> AuditPurpose:
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


@require_safe
def matrix(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = household_access(actor, household_id)
    household = access.household
    require(actor, "consent.view", household, hide=True)
    now = timezone.now()
    # The categories this actor decides on (none for a professional): the policy's answer, asked once.
    manageable = access.citizen.manageable_categories
    consent_matrix = selectors.consent_matrix(household, now=now)
    # A change to one receiver: its row is marked, gets the message and the focus.
    changed = request.GET.get(CHANGED, "")
    row_messages: dict[str, list] = {}
    for message in messages.get_messages(request):
        tags = message.extra_tags.split()
        if len(tags) == 2 and tags[0] == ROW_TAG:
            row_messages.setdefault(tags[1], []).append(message)
    organisations = [
        _receiver(row, manageable=manageable, household_id=household.pk, changed=changed, row_messages=row_messages)
        for row in consent_matrix.organisations
    ]
    people = [
        _receiver(row, manageable=manageable, household_id=household.pk, changed=changed, row_messages=row_messages)
        for row in consent_matrix.people
    ]
    # A message about a receiver that is not on the page (not in the team): at the top, never lost.
    shown_rows = {receiver.key for receiver in (*organisations, *people)}
    context = {
        "household": household,
        "can_manage": bool(manageable),
        "unplaced_messages": [message for key, row in row_messages.items() if key not in shown_rows for message in row],
        "categories": [capfirst(str(category.label)) for category in consent_matrix.categories],
        "organisations": organisations,
        "people": people,
        "requests": [_request_view(item) for item in selectors.open_requests(household)],
        "history": _history_table(household, now),
        "history_headers": [_("Who"), _("Information"), _("Allowed on"), _("Now")],
        "explanations": [
            (capfirst(str(category.label)), CATEGORY_DESCRIPTIONS[category]) for category in consent_matrix.categories
        ],
        "emergencies": [
            _emergency_view(access, now)
            for access in selectors.emergency_accesses(
                household, since=now - datetime.timedelta(days=EMERGENCY_HISTORY_DAYS)
            )[:EMERGENCY_HISTORY_ROWS]
        ],
        "emergency": _own_emergency_access(actor, access),
        # The page sits above the conversation: it counts the conversations held without the household.
        "professional_threads": _professional_thread_count(household.pk),
        "conversation_url": reverse("conversations:household", args=[household.pk]),
        "workspace": _workspace(request, access, "consent"),
    }
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category=DataCategory.GENERAL.value,
        purpose=_purpose(actor),
        description="consent overview",
    )
    return render(request, "consent/matrix.html", context)


# --- the buttons -------------------------------------------------------------------------------------------


def _managed_household(request: HttpRequest, household_id: str) -> Household | HttpResponse:
    """The household whose consent this actor decides on; a login redirect for anonymous visitors, 404 for a
    household they may not see, 403 for someone who may see but not decide (a professional)."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(reverse("consent:matrix", args=[household_id]) if parse_id(household_id) else "/")
    household = household_for(actor, household_id)
    require(actor, "consent.manage", household)
    return household


@require_POST
def grant(request: HttpRequest, household_id: str) -> HttpResponse:
    household = _managed_household(request, household_id)
    if isinstance(household, HttpResponse):
        return household
    form = GrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(household)
    category = DataCategory(form.cleaned_data["category"])
    receiver: dict = {}
    if form.cleaned_data["organisation"] is not None:
        organisation = selectors.organisation_by_id(form.cleaned_data["organisation"])
        if organisation is None:
            messages.error(request, _("This organisation is not in the team around your household."))
            return _back(household)
        receiver, name, row = {"organisation": organisation}, organisation.name, f"organisation-{organisation.pk}"
    else:
        member = selectors.team_member_of(household, form.cleaned_data["person"])
        if member is None:
            messages.error(request, _("This person is not in the team around your household."))
            return _back(household)
        receiver, name, row = {"team_member": member}, member.user.get_full_name(), f"person-{member.pk}"
    try:
        services.consent_grant(
            actor=request.actor,
            household=household,
            category=category,
            legal_basis=LegalBasis.CONSENT,
            **receiver,
        )
    except PermissionDenied:
        _row_message(request, messages.ERROR, _("You cannot decide who sees this kind of information."), row)
    except ValidationError as error:
        _row_message(request, messages.ERROR, _validation_message(error), row)
    else:
        text = _("%(receiver)s may now see %(what)s.") % {"receiver": name, "what": CATEGORY_PHRASES[category]}
        _row_message(request, messages.SUCCESS, text, row)
    return _back(household, row)


@require_POST
def revoke(request: HttpRequest, household_id: str) -> HttpResponse:
    household = _managed_household(request, household_id)
    if isinstance(household, HttpResponse):
        return household
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(household)
    existing = selectors.grant_of(household, form.cleaned_data["grant"])
    if existing is None:
        messages.error(request, _("We cannot find this permission. Nothing has changed."))
        return _back(household)
    if existing.organisation_id:
        row = f"organisation-{existing.organisation_id}"
    else:
        row = f"person-{existing.team_member_id}"
    try:
        services.consent_revoke(actor=request.actor, grant=existing)
    except PermissionDenied:
        _row_message(request, messages.ERROR, _("You cannot decide who sees this kind of information."), row)
    except ValidationError as error:
        _row_message(request, messages.ERROR, _validation_message(error), row)
    else:
        what = CATEGORY_PHRASES[DataCategory(existing.category)]
        text = _("%(receiver)s may no longer see %(what)s.") % {"receiver": _receiver_name(existing), "what": what}
        _row_message(request, messages.SUCCESS, text, row)
    return _back(household, row)


@require_POST
def answer_request(request: HttpRequest, household_id: str, request_id: str) -> HttpResponse:
    household = _managed_household(request, household_id)
    if isinstance(household, HttpResponse):
        return household
    consent_request = selectors.consent_request_of(household, parse_id(request_id))
    if consent_request is None:
        messages.error(request, _("We cannot find this request. Nothing has changed."))
        return _back(household)
    form = RequestAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _first_error(form))
        return _back(household)
    name = consent_request.organisation.name
    try:
        if form.cleaned_data["decision"] == RequestAnswerForm.APPROVE:
            grants = services.consent_request_approve(
                actor=request.actor, request=consent_request, categories=form.cleaned_data["categories"]
            )
            allowed = ", ".join(str(DataCategory(grant.category).label) for grant in grants)
            messages.success(
                request, _("%(receiver)s may now see: %(categories)s.") % {"receiver": name, "categories": allowed}
            )
        else:
            services.consent_request_decline(actor=request.actor, request=consent_request)
            messages.success(
                request, _("You said no to the request of %(receiver)s. Nothing has changed.") % {"receiver": name}
            )
    except PermissionDenied:
        messages.error(request, _("You cannot decide who sees this kind of information."))
    except ValidationError as error:
        messages.error(request, _validation_message(error))
    return _back(household)


# --- "Wie keek in mijn dossier": the access log for the household -----------------------------------------

ACCESS_LOG_ROWS = 25
DEFAULT_PERIOD_MONTHS = 3
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
DATE_ERRORS = {"invalid": gettext_lazy("Enter a date like 31-12-2025.")}


class PeriodForm(forms.Form):
    """The period of the access log (GET): both dates optional, a missing one takes the default."""

    start = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )
    end = forms.DateField(
        label=gettext_lazy("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )

    def _clean_date(self, name: str) -> datetime.date | None:
        value = self.cleaned_data.get(name)
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {
                    "first": formats.date_format(EARLIEST_DATE, "j F Y"),
                    "last": formats.date_format(LATEST_DATE, "j F Y"),
                }
            )
        return value

    def clean_start(self):
        return self._clean_date("start")

    def clean_end(self):
        return self._clean_date("end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is not None and end is not None and start > end:
            raise forms.ValidationError(_("The first date must be before the last date."), code="order")
        return cleaned


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last_day))


def _period(form: PeriodForm, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The chosen period; the default (the last three months) for what is missing or wrong."""
    default = (_months_before(today, DEFAULT_PERIOD_MONTHS), today)
    if not form.is_valid():
        return default
    end = form.cleaned_data["end"] or today
    start = form.cleaned_data["start"] or _months_before(end, DEFAULT_PERIOD_MONTHS)
    return (start, end) if start <= end else default


def _label(choices, value: str) -> str:
    try:
        return capfirst(str(choices(value).label))
    except ValueError:
        return value


def _categories_label(value: str) -> str:
    """One category ("Finances and debts"), or the several a page showed ("General, finances and debts")."""
    labels = []
    for part in audit.split_categories(value):
        try:
            labels.append(str(DataCategory(part).label))
        except ValueError:
            labels.append(part)
    return capfirst(", ".join(labels))


def _access_row(row: dict) -> list:
    moment = timezone.localtime(row["last_at"])
    when = formats.date_format(row["day"], "j F Y")
    time = formats.time_format(moment, "H:i")
    if row["times"] > 1:
        when = _("%(date)s, last time at %(time)s") % {"date": when, "time": time}
    else:
        when = _("%(date)s at %(time)s") % {"date": when, "time": time}
    role = _label(Role, row["role"])
    # No employee names (CJEU C-579/21): the organisation, or for someone without one (an informal helper), the role.
    who = row["organisation_name"] or role
    purpose: str | dict = _label(AuditPurpose, row["purpose"]) if row["purpose"] else ""
    if row["is_emergency"]:
        purpose = {"text": _("emergency access"), "badge": "danger"}
    times = ngettext("%(count)s time", "%(count)s times", row["times"]) % {"count": row["times"]}
    return [
        when,
        who,
        role,
        _label(AuditAction, row["action"]),
        _categories_label(row["data_category"]),
        purpose,
        times,
    ]


@require_safe
def access_log(request: HttpRequest, household_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access = household_access(actor, household_id)
    household = access.household
    require(actor, "consent.view", household, hide=True)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None)
    start, end = _period(form, today)
    rows = selectors_access_log.access_log(household.pk, start=start, end=end, exclude_user_id=actor.user_id)
    page = Paginator(rows, ACCESS_LOG_ROWS).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    context = {
        "household": household,
        "form": form,
        "has_errors": form.is_bound and not form.is_valid(),
        "start": formats.date_format(start, "j F Y"),
        "end": formats.date_format(end, "j F Y"),
        "page_obj": page,
        "rows": [_access_row(row) for row in entries],
        "has_emergency": any(row["is_emergency"] for row in entries),
        "headers": [_("When"), _("Organisation"), _("Role"), _("What"), _("Information"), _("Why"), _("How often")],
        "emergency": _own_emergency_access(actor, access),
        "workspace": _workspace(request, access, "access_log"),
    }
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        obj=household,
        household_id=household.pk,
        data_category=DataCategory.GENERAL.value,
        purpose=_purpose(actor),
        description="access log",
    )
    return render(request, "consent/access_log.html", context)


# --- emergency access ("Noodtoegang") ---------------------------------------------------------------------


def overview_url(household: Household | int) -> str:
    """The household overview of the professional pages."""
    pk = household.pk if isinstance(household, Household) else household
    return reverse("dossier:overview", args=[pk])


def _after_stopping_url() -> str:
    try:
        return reverse("caseload:list")
    except NoReverseMatch:
        return reverse("home:home")


def _grounds(form: BreakTheGlassForm) -> list[dict]:
    chosen = form["legal_ground"].value()
    return [
        {
            "value": ground.value,
            "label": capfirst(str(ground.label)),
            "description": GROUND_DESCRIPTIONS[ground],
            "checked": chosen == ground.value,
        }
        for ground in BreakTheGlassGround
    ]


def _category_choices(form: BreakTheGlassForm) -> list[dict]:
    chosen = {str(value) for value in (form["categories"].value() or [])}
    return [
        {
            "value": category.value,
            "label": capfirst(str(category.label)),
            "description": CATEGORY_DESCRIPTIONS[category],
            "checked": category.value in chosen,
        }
        for category in DataCategory
    ]


def _add_service_errors(form: BreakTheGlassForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@sensitive_post_parameters("bsn")
@require_http_methods(["GET", "HEAD", "POST"])
def break_the_glass(request: HttpRequest) -> HttpResponse:
    """Start access without consent to a household found by a member's BSN. Only for professionals and
    coordinators (others: 404). The BSN is only ever in the POST body: never in a URL, message or log."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can(actor, "consent.break_the_glass_lookup"):
        raise Http404
    form = BreakTheGlassForm(request.POST if request.method == "POST" else None)
    notice: dict | None = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            attempt = services.break_the_glass_by_bsn(
                actor=actor,
                bsn=data["bsn"],
                categories=data["categories"],
                reason=data["reason"],
                legal_ground=data["legal_ground"],
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            household = attempt.household
            if attempt.outcome is EmergencyOutcome.STARTED:
                messages.warning(
                    request,
                    _("Your emergency access to %(household)s has started. It stops by itself on %(moment)s.")
                    % {"household": household.name, "moment": _moment(attempt.access.expires_at)},
                )
                return HttpResponseRedirect(overview_url(household))
            if attempt.outcome is EmergencyOutcome.NOT_FOUND:
                form.add_error("bsn", _("We cannot find a household with this BSN."))
            elif attempt.outcome is EmergencyOutcome.TOO_MANY:
                form.add_error(
                    None,
                    _(
                        "You looked up %(count)d BSNs in the last hour. To protect households, you cannot look up "
                        "more now. Try again later, or ask the household's coordinator."
                    )
                    % {"count": services.EMERGENCY_LOOKUPS_PER_HOUR},
                )
            elif attempt.outcome is EmergencyOutcome.ALREADY_ACTIVE:
                notice = {
                    "text": _("You already have emergency access to %(household)s until %(moment)s.")
                    % {"household": household.name, "moment": _moment(attempt.access.expires_at)},
                    "href": overview_url(household),
                    "link": _("Go to %(household)s") % {"household": household.name},
                }
            else:
                notice = {
                    "text": _(
                        "You can already see %(household)s, because the household gave your organisation "
                        "permission. You do not need emergency access. Nothing was started."
                    )
                    % {"household": household.name},
                    "href": overview_url(household),
                    "link": _("Go to %(household)s") % {"household": household.name},
                }
    context = {
        "form": form,
        "grounds": _grounds(form),
        "category_choices": _category_choices(form),
        "hours": BREAK_THE_GLASS_HOURS,
        "notice": notice,
    }
    return render(request, "consent/break_the_glass.html", context)


@require_POST
def break_the_glass_end(request: HttpRequest, household_id: str) -> HttpResponse:
    """Stop one's own access without consent before it expires (the form names the access)."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(reverse("home:home"))
    household = household_for(actor, household_id)
    if actor.role not in PROFESSIONAL_ROLES:
        raise PermissionDenied
    form = EndBreakTheGlassForm(request.POST)
    access = selectors.own_emergency_access(actor, household, form.cleaned_data["access"]) if form.is_valid() else None
    if access is None:
        messages.error(request, _("We cannot find this emergency access of yours. Nothing has changed."))
        return HttpResponseRedirect(overview_url(household))
    try:
        services.break_the_glass_end(actor=actor, access=access)
    except PermissionDenied:
        messages.error(request, _("We cannot find this emergency access of yours. Nothing has changed."))
        return HttpResponseRedirect(overview_url(household))
    except ValidationError as error:
        messages.error(request, _validation_message(error))
        return HttpResponseRedirect(overview_url(household))
    messages.success(request, _("Your emergency access to %(household)s has stopped.") % {"household": household.name})
    return HttpResponseRedirect(_after_stopping_url())


def _professional_thread_count(household_id: int) -> int:
    from samen.conversations.selectors import professional_thread_count  # a page above the gate reads it

    return professional_thread_count(household_id)

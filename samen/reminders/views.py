""" "Herinneringen": the actions and evaluation moments that are due, for the person who should hear about them.

Thin views: the policy decides (``reminders.view_list``, ``reminder_for``), the selectors read, the services write
and audit. One URL, one view, two renderings: the whole page, or (for htmx) the ``results`` partial. The buttons
are plain POST forms that work without JavaScript (a message and back to the page); with htmx the list is
replaced in place. Showing reminders writes one access entry naming the households and categories shown.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from samen.consent.models import DataCategory
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.reminders import selectors, services
from samen.reminders.models import Reminder, ReminderKind
from samen.reminders.policies import reminder_for, reminders_visible_to

PAGE_SIZE = 25
MAX_PAGE = 10**6


def _list_url(page: str = "1") -> str:
    url = reverse("reminders:list")
    return f"{url}?page={page}" if page != "1" else url


def _page_number(value) -> tuple[str, bool]:
    """The page asked for, and whether it was a page number at all."""
    value = value if isinstance(value, str) else ""
    if value == "" or (value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_PAGE):
        return value or "1", True
    return "1", False


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "l j F Y")


def _when(reminder: Reminder, today: datetime.date) -> tuple[str, str, str]:
    """What the date means, in words (never by colour only): a badge text, its kind, and a sentence."""
    day, date = reminder.due_date, _date(reminder.due_date)
    days = (day - today).days
    is_action = reminder.kind == ReminderKind.ACTION_DUE
    if days < 0:
        late = -days
        if is_action:
            text = ngettext(
                "This should have been done on %(date)s, %(days)d day ago.",
                "This should have been done on %(date)s, %(days)d days ago.",
                late,
            )
        else:
            text = ngettext(
                "The evaluation was planned for %(date)s, %(days)d day ago. The outcome is not written down yet.",
                "The evaluation was planned for %(date)s, %(days)d days ago. The outcome is not written down yet.",
                late,
            )
        return _("Overdue"), "warning", text % {"date": date, "days": late}
    if days == 0:
        text = _("This has to be done today, %(date)s.") if is_action else _("The evaluation is today, %(date)s.")
        return _("Today"), "warning", text % {"date": date}
    if is_action:
        text = ngettext(
            "This has to be done by %(date)s, in %(days)d day.",
            "This has to be done by %(date)s, in %(days)d days.",
            days,
        )
    else:
        text = ngettext(
            "The evaluation is on %(date)s, in %(days)d day.", "The evaluation is on %(date)s, in %(days)d days.", days
        )
    return _("Soon"), "neutral", text % {"date": date, "days": days}


def _row(reminder: Reminder, today: datetime.date) -> dict:
    badge, kind, when = _when(reminder, today)
    if reminder.read_at is not None:
        badge, kind = _("Read"), "inactive"
    plan_url = reverse("plans:plan", args=[reminder.household_id])
    if reminder.kind == ReminderKind.ACTION_DUE:
        title = _("Action: %(text)s") % {"text": reminder.action.text}
        plan_url += f"#goal-{reminder.action.goal_id}"
    else:
        title = _("Evaluation moment")
        plan_url += "#evaluations-title"
    return {
        "id": reminder.pk,
        "title_id": f"reminder-{reminder.pk}",
        "title": title,
        "household": reminder.household.name,
        "plan_url": plan_url,
        "badge": badge,
        "badge_kind": kind,
        "when": when,
        "is_read": reminder.read_at is not None,
    }


def _purpose(actor: Actor) -> AuditPurpose:
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def _record_read(actor: Actor, reminders: list[Reminder]) -> None:
    """One access entry for the reminders shown (none when nothing was shown): their households and categories."""
    if not reminders:
        return
    shown = {reminder.target_category for reminder in reminders}
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        object_type=Reminder._meta.label_lower,
        data_category=audit.categories_value(category.value for category in DataCategory if category.value in shown),
        purpose=_purpose(actor),
        description="reminders",
        changes={
            "households": sorted({reminder.household_id for reminder in reminders}),
            "reminders": [reminder.pk for reminder in reminders],
        },
    )


def _render(request: HttpRequest, page_value, *, notice: str = "") -> HttpResponse:
    actor = request.actor
    now = timezone.now()
    today = timezone.localdate(now)
    number, page_is_valid = _page_number(page_value)
    listed = selectors.reminder_list(reminders_visible_to(actor, now=now), now=now)
    total, unread = selectors.list_counts(listed)
    paginator = Paginator(listed, PAGE_SIZE)
    paginator.count = total  # counted above, with the unread ones: the paginator does not count again
    page = paginator.get_page(number)
    reminders = list(page.object_list)
    context = {
        "page_obj": page,
        "page": str(page.number),
        "page_is_valid": page_is_valid,
        "rows": [_row(reminder, today) for reminder in reminders],
        "unread": unread,
        "notice": notice,
        "is_update": bool(notice) and request.htmx,
    }
    _record_read(actor, reminders)
    template = "reminders/list.html#results" if request.htmx else "reminders/list.html"
    return render(request, template, context)


@require_safe
def reminder_list(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(actor, "reminders.view_list", hide=True)
    return _render(request, request.GET.get("page", ""))


def _done(request: HttpRequest, notice: str) -> HttpResponse:
    """After a button: the list in place (htmx), or a message and back to the same page."""
    page, _valid = _page_number(request.POST.get("page", ""))
    if request.htmx:
        return _render(request, page, notice=notice)
    messages.success(request, notice)
    return HttpResponseRedirect(_list_url(page))


@require_POST
def mark_read(request: HttpRequest, reminder_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(reverse("reminders:list"))
    reminder = reminder_for(actor, reminder_id)
    if reminder.read_at is not None:
        return _done(request, _("This reminder was already marked as read."))
    services.reminder_mark_read(actor=actor, reminder=reminder)
    return _done(request, _("The reminder is marked as read."))


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(reverse("reminders:list"))
    require(actor, "reminders.view_list", hide=True)
    count = services.reminders_mark_all_read(actor=actor)
    if count:
        notice = ngettext("%(count)d reminder is marked as read.", "%(count)d reminders are marked as read.", count) % {
            "count": count
        }
    else:
        notice = _("You had no unread reminders.")
    return _done(request, notice)

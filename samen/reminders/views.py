""" "Meldingen", the notification centre: one list of what needs the person, and their e-mail choice.

One list holds both kinds of rows: the notifications other parts of Samen sent (``services.notify``: a mention, a
message, a signal, a referral, a meeting) and the reminders of the daily job (actions and evaluation moments that
are due). Each line is a plain sentence, the household, when, and a link; opening the link marks the line read.

Thin views: the policy decides (``reminders.view_list``, ``notification_for``, ``reminder_for``), the selectors
read, the services write and audit. One URL, one view, two renderings: the whole page, or (for htmx) the
``results`` partial. The buttons are plain POST forms that work without JavaScript (a message and back to the
page); with htmx the list is replaced in place. Showing lines writes one access entry naming the households and
categories shown. Opening a line is a plain link (GET): it marks the line read and sends the person on to the page
it is about, which checks access again and writes its own access entry.
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
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samen.consent.models import DataCategory
from samen.core import audit
from samen.core.actor import Actor, Role
from samen.core.models import AuditAction, AuditPurpose
from samen.core.policy import require
from samen.reminders import kinds, selectors, services
from samen.reminders.forms import PreferenceForm
from samen.reminders.models import EmailChoice, Notification, Reminder, ReminderKind
from samen.reminders.policies import notification_for, reminder_for

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
    """What a reminder's date means, in words (never by colour only): a badge text, its kind, and a sentence."""
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


def _moment(moment: datetime.datetime, today: datetime.date) -> str:
    """When a notification came, in words: "today at 14:05", "yesterday at 09:30", or the date and time."""
    local = timezone.localtime(moment)
    time = formats.time_format(local, "H:i")
    if local.date() == today:
        return _("Today at %(time)s") % {"time": time}
    if local.date() == today - datetime.timedelta(days=1):
        return _("Yesterday at %(time)s") % {"time": time}
    return _("%(date)s at %(time)s") % {"date": formats.date_format(local, "j F Y"), "time": time}


def _reminder_row(reminder: Reminder, today: datetime.date) -> dict:
    badge, kind, when = _when(reminder, today)
    if reminder.read_at is not None:
        badge, kind = _("Read"), "inactive"
    if reminder.kind == ReminderKind.ACTION_DUE:
        title = _("Action: %(text)s") % {"text": reminder.action.text}
    else:
        title = _("Evaluation moment")
    link = _("Open the plan of %(name)s") % {"name": reminder.household.name}
    return {
        "id": reminder.pk,
        "title_id": f"reminder-{reminder.pk}",
        "title": title,
        "household": reminder.household.name,
        "href": reverse("reminders:open_reminder", args=[reminder.pk]),
        "link": link,
        "mark_url": reverse("reminders:mark_read", args=[reminder.pk]),
        "badge": badge,
        "badge_kind": kind,
        "when": when,
        "is_read": reminder.read_at is not None,
        "highlight": reminder.read_at is None,
    }


def _notification_row(notification: Notification, today: datetime.date) -> dict:
    is_read = notification.read_at is not None
    household = notification.household.name if notification.household_id is not None else ""
    return {
        "id": notification.pk,
        "title_id": f"notification-{notification.pk}",
        "title": kinds.sentence(notification.kind, notification.params, notification.count),
        "household": household,
        "href": reverse("reminders:open", args=[notification.pk]),
        "link": kinds.link_text(notification.kind),
        "mark_url": reverse("reminders:mark_notification_read", args=[notification.pk]),
        "badge": _("Read") if is_read else _("New"),
        "badge_kind": "inactive" if is_read else "neutral",
        "when": _moment(notification.updated_at, today),
        "is_read": is_read,
        "highlight": not is_read,
    }


def _purpose(actor: Actor) -> AuditPurpose:
    return AuditPurpose.CITIZEN if actor.role == Role.CITIZEN else AuditPurpose.CARE_COORDINATION


def _category_of(row) -> str:
    return row.target_category if isinstance(row, Reminder) else row.category


def _record_read(actor: Actor, rows: list) -> None:
    """One access entry for the lines shown that name a household (none when none did): their households and
    categories."""
    shown = [row for row in rows if row.household_id is not None]
    if not shown:
        return
    categories = {_category_of(row) for row in shown}
    changes = {"households": sorted({row.household_id for row in shown})}
    reminders = [row.pk for row in shown if isinstance(row, Reminder)]
    notifications = [row.pk for row in shown if isinstance(row, Notification)]
    if reminders:
        changes["reminders"] = reminders
    if notifications:
        changes["notifications"] = notifications
    audit.record(
        actor=actor,
        action=AuditAction.READ,
        object_type=Notification._meta.label_lower if notifications else Reminder._meta.label_lower,
        data_category=audit.categories_value(
            category.value for category in DataCategory if category.value in categories
        ),
        purpose=_purpose(actor),
        description="notifications",
        changes=changes,
    )


def _render(request: HttpRequest, page_value, *, notice: str = "") -> HttpResponse:
    actor = request.actor
    now = timezone.now()
    today = timezone.localdate(now)
    number, page_is_valid = _page_number(page_value)
    items = selectors.centre_items(actor, now=now)
    total, unread = selectors.centre_counts(items)
    paginator = Paginator(items, PAGE_SIZE)
    paginator.count = total  # counted above, with the unread ones: the paginator does not count again
    page = paginator.get_page(number)
    rows = selectors.centre_rows(list(page.object_list))
    context = {
        "page_obj": page,
        "page": str(page.number),
        "page_is_valid": page_is_valid,
        "rows": [
            _reminder_row(row, today) if isinstance(row, Reminder) else _notification_row(row, today) for row in rows
        ],
        "unread": unread,
        "notice": notice,
        "is_update": bool(notice) and request.htmx,
    }
    _record_read(actor, rows)
    template = "reminders/list.html#results" if request.htmx else "reminders/list.html"
    return render(request, template, context)


@require_safe
def reminder_list(request: HttpRequest) -> HttpResponse:
    """The notification centre."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(actor, "reminders.view_list", hide=True)
    return _render(request, request.GET.get("page", ""))


@require_safe
def old_list(request: HttpRequest) -> HttpResponse:
    """The reminders' old address (in e-mails sent before the notification centre): the centre."""
    return HttpResponseRedirect(reverse("reminders:list"))


def _done(request: HttpRequest, notice: str) -> HttpResponse:
    """After a button: the list in place (htmx), or a message and back to the same page."""
    page, _valid = _page_number(request.POST.get("page", ""))
    if request.htmx:
        return _render(request, page, notice=notice)
    messages.success(request, notice)
    return HttpResponseRedirect(_list_url(page))


def _safe_local(url: str, request: HttpRequest) -> str:
    """``url`` when it stays on this site; the centre otherwise (``notify`` already refused anything else)."""
    local = url.startswith("/") and not url.startswith("//")
    if local and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False):
        return url
    return reverse("reminders:list")


@require_safe
def open_notification(request: HttpRequest, notification_id: str) -> HttpResponse:
    """Follow a notification's link: it is marked read, and the person goes to the page it is about."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    notification = notification_for(actor, notification_id)
    if notification.read_at is None:
        services.notification_mark_read(actor=actor, notification=notification)
    return HttpResponseRedirect(_safe_local(notification.url, request))


@require_safe
def open_reminder(request: HttpRequest, reminder_id: str) -> HttpResponse:
    """Follow a reminder's link: it is marked read, and the person goes to the plan, at the action or the
    evaluation moments."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reminder = reminder_for(actor, reminder_id)
    if reminder.read_at is None:
        services.reminder_mark_read(actor=actor, reminder=reminder)
    url = reverse("plans:plan", args=[reminder.household_id])
    url += f"#goal-{reminder.action.goal_id}" if reminder.kind == ReminderKind.ACTION_DUE else "#evaluations-title"
    return HttpResponseRedirect(url)


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
def mark_notification_read(request: HttpRequest, notification_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(reverse("reminders:list"))
    notification = notification_for(actor, notification_id)
    if notification.read_at is not None:
        return _done(request, _("This notification was already marked as read."))
    services.notification_mark_read(actor=actor, notification=notification)
    return _done(request, _("The notification is marked as read."))


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(reverse("reminders:list"))
    require(actor, "reminders.view_list", hide=True)
    count = services.centre_mark_all_read(actor=actor)
    if count:
        notice = ngettext(
            "%(count)d notification is marked as read.", "%(count)d notifications are marked as read.", count
        ) % {"count": count}
    else:
        notice = _("You had no unread notifications.")
    return _done(request, notice)


# --- the e-mail choice ---------------------------------------------------------------------------------------

CHOICE_DESCRIPTIONS = {
    EmailChoice.IMMEDIATELY: gettext_lazy(
        "We send you an e-mail as soon as something new is waiting for you. For a conversation that goes on, "
        "you get one e-mail until you have read it."
    ),
    EmailChoice.DAILY: gettext_lazy("We send you at most one e-mail a day, when something new is waiting for you."),
    EmailChoice.NEVER: gettext_lazy(
        "We send you no e-mails about notifications and reminders. You see them when you log in."
    ),
}


def _choices(form: PreferenceForm, current: str) -> list[dict]:
    chosen = form.data.get("email") if form.is_bound else current
    return [
        {
            "value": choice.value,
            "label": choice.label,
            "description": CHOICE_DESCRIPTIONS[choice],
            "checked": chosen == choice.value,
        }
        for choice in EmailChoice
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """ "Meldingen per e-mail": at once, once a day (the default) or never. Only the person's own choice."""
    actor = request.actor
    if not actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require(actor, "reminders.change_preferences", hide=True)
    current = selectors.email_choice(actor.user_id)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.notification_preference_set(actor=actor, email=form.cleaned_data["email"])
            messages.success(request, _("Your choice is saved."))
            return HttpResponseRedirect(reverse("reminders:preferences"))
        status = 400
    else:
        form = PreferenceForm(initial={"email": current})
        status = 200
    context = {"form": form, "choices": _choices(form, current)}
    return render(request, "reminders/preferences.html", context, status=status)

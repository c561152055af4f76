"""The network pulse's pages: the networks of a person and their open rounds, the questions of a round, the
network's figures (with the facilitator's controls for the rounds) and their CSV. Thin: parse, authorise, call a
service or selector, render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samen.collaboration import display, practice, prompts, selectors, services
from samen.collaboration.forms import (
    CharterForm,
    IntervalForm,
    LearningEntryForm,
    PlanPromptForm,
    PulseForm,
    SafetyForm,
    ScheduleForm,
    ThresholdsForm,
)
from samen.core.anonymity import K_ANONYMITY, fewer_than
from samen.core.policy import can, require


def _login(request: HttpRequest) -> HttpResponse | None:
    if not request.actor.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _network_url(network_id: int) -> str:
    return reverse("collaboration:network", kwargs={"network_id": network_id})


def _errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    rows = selectors.overview_for(request.actor)
    may_read_lessons = can(request.actor, "collaboration.read_shared", None)
    return render(request, "collaboration/overview.html", {"rows": rows, "may_read_lessons": may_read_lessons})


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: HttpRequest, round_id: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    pulse_round, answered = selectors.round_to_answer(request.actor, round_id)
    may_answer = can(request.actor, "collaboration.answer", pulse_round)
    organisations = list(pulse_round.network.organisations.order_by("name").values_list("pk", "name"))
    form = None
    if may_answer and not answered:
        initial = {"organisation": str(request.actor.organisation_id or "")}
        data = request.POST if request.method == "POST" else None
        form = PulseForm(data, initial=initial, pulse_round=pulse_round, organisations=organisations)
        if request.method == "POST" and form.is_valid():
            try:
                services.pulse_answer(
                    actor=request.actor,
                    pulse_round=pulse_round,
                    organisation_id=form.cleaned_data["organisation"] or None,
                    answers=form.answers(),
                    open_text=form.cleaned_data["open_text"],
                )
            except ValidationError as error:
                _errors(form, error)
            else:
                # The page says it from now on ("You answered round 1. Thank you!"): no second message.
                return HttpResponseRedirect(request.path)
    elif request.method == "POST":
        messages.info(
            request, _("You already answered this round. Thank you!") if answered else _("This round is closed.")
        )
        return HttpResponseRedirect(request.path)
    return render(
        request,
        "collaboration/answer.html",
        {"pulse_round": pulse_round, "form": form, "answered": answered, "may_answer": may_answer},
    )


def _dashboard_context(request: HttpRequest, network) -> dict:
    board = selectors.dashboard(network)
    manage = selectors.may_manage(request.actor, network)
    latest = board.latest
    context = {
        "network": network,
        "board": board,
        "latest": latest,
        "k": K_ANONYMITY,
        "charts": display.trend_charts(board),
        "construct_table": display.construct_table(board),
        "item_table": display.item_table(board),
        "breakdown": display.breakdown_table(board),
        "diverging": display.diverging_rows(board),
        "diverging_headers": [_("Question"), _("Disagree (1-3)"), _("In the middle (4)"), _("Agree (5-7)")],
        "k_hidden": fewer_than(K_ANONYMITY),
        "heatmap": display.heatmap(board),
        "response_rate": display.percent(latest.response_rate) if latest else "",
        "manage": manage,
        "may_answer_open": board.open_round is not None
        and can(request.actor, "collaboration.answer", board.open_round),
        "cards": display.prompt_cards(selectors.prompts_of(network)),
        "plan_form": PlanPromptForm(),
    }
    if manage:
        context["scheduled"] = selectors.scheduled_rounds(network)
        context["schedule_form"] = ScheduleForm()
        pulse_settings = services.settings_for(network)
        context["interval_form"] = IntervalForm(initial={"interval_weeks": pulse_settings.interval_weeks})
        context["thresholds_form"] = ThresholdsForm(initial=prompts.thresholds_for(pulse_settings.thresholds))
    return context


@require_safe
def network(request: HttpRequest, network_id: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    found = selectors.network_for(request.actor, network_id)
    return render(request, "collaboration/network.html", _dashboard_context(request, found))


@require_safe
def network_csv(request: HttpRequest, network_id: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    found = selectors.network_for(request.actor, network_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="samenwerking-netwerk-{found.pk}.csv"'
    writer = csv.writer(response)
    for row in display.csv_rows(selectors.dashboard(found)):
        writer.writerow(row)
    return response


@require_safe
def paper_practice(request: HttpRequest, network_id: str) -> HttpResponse:
    """What the network wrote down next to what its case data shows (P1-P8) and the gap index, today and per round."""
    if (login := _login(request)) is not None:
        return login
    found = selectors.network_for(request.actor, network_id)
    figures = practice.for_network(found, timezone.localdate())
    history = practice.history(found)
    context = {
        "network": found,
        "figures": figures,
        "rows": display.practice_rows(figures),
        "headers": [_("Indicator"), _("Practice"), _("Paper"), _("Gap (0-100)"), _("Counted")],
        "bars": display.practice_gap_bars(figures),
        "bar_headers": [_("Indicator"), _("Gap (0-100)")],
        "numeric": (4,),
        "history": history,
        "chart": display.ppgi_chart(history),
        "meanings": practice.MEANINGS.values(),
        "k": K_ANONYMITY,
        "manage": selectors.may_manage(request.actor, found),
    }
    return render(request, "collaboration/practice.html", context)


@require_safe
def paper_practice_csv(request: HttpRequest, network_id: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    found = selectors.network_for(request.actor, network_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="papier-en-praktijk-netwerk-{found.pk}.csv"'
    writer = csv.writer(response)
    for row in display.practice_csv_rows(practice.for_network(found, timezone.localdate())):
        writer.writerow(row)
    return response


def _facilitator_form(request: HttpRequest, network_id: str, form_class, form_key: str, save) -> HttpResponse:
    """A facilitator's form on the network page: valid and saved, back to the rounds with ``save``'s message;
    otherwise the page again with the form's errors (200, as every form of Samen: the page is what was asked for)."""
    if (login := _login(request)) is not None:
        return login
    found = selectors.network_for(request.actor, network_id)
    require(request.actor, "collaboration.manage", found)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            done = save(found, form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(_network_url(found.pk) + "#rondes")
    context = _dashboard_context(request, found)
    context[form_key] = form
    return render(request, "collaboration/network.html", context)


@require_POST
def schedule(request: HttpRequest, network_id: str) -> HttpResponse:
    def save(network, data) -> str:
        pulse_round = services.round_schedule(actor=request.actor, network=network, opens_on=data["opens_on"])
        return _("Round %(number)d is scheduled.") % {"number": pulse_round.number}

    return _facilitator_form(request, network_id, ScheduleForm, "schedule_form", save)


@require_POST
def interval(request: HttpRequest, network_id: str) -> HttpResponse:
    def save(network, data) -> str:
        services.pulse_settings_set(actor=request.actor, network=network, interval_weeks=data["interval_weeks"])
        return _("The time between rounds is changed.")

    return _facilitator_form(request, network_id, IntervalForm, "interval_form", save)


@require_POST
def thresholds(request: HttpRequest, network_id: str) -> HttpResponse:
    def save(network, data) -> str:
        services.pulse_thresholds_set(actor=request.actor, network=network, values=data)
        return _("The thresholds are changed. They count from the next round.")

    return _facilitator_form(request, network_id, ThresholdsForm, "thresholds_form", save)


def _round_action(request: HttpRequest, round_id: str, action, done: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    pulse_round, _answered = selectors.round_to_answer(request.actor, round_id)
    require(request.actor, "collaboration.manage", pulse_round.network)
    try:
        action(actor=request.actor, pulse_round=pulse_round)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"number": pulse_round.number})
    return HttpResponseRedirect(_network_url(pulse_round.network_id) + "#rondes")


@require_POST
def open_round(request: HttpRequest, round_id: str) -> HttpResponse:
    return _round_action(request, round_id, services.round_open, _("Round %(number)d is open. Everyone is invited."))


@require_POST
def close_round(request: HttpRequest, round_id: str) -> HttpResponse:
    return _round_action(request, round_id, services.round_close, _("Round %(number)d is closed."))


# --- conversation prompts -------------------------------------------------------------------------------------------


def _prompt_action(request: HttpRequest, prompt_id: str, act) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    prompt = selectors.prompt_for(request.actor, prompt_id)
    require(request.actor, "collaboration.manage", prompt.network)
    back = _network_url(prompt.network_id) + "#gespreksstarters"
    try:
        done = act(prompt)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(back)


@require_POST
def plan_prompt(request: HttpRequest, prompt_id: str) -> HttpResponse:
    def act(prompt) -> str:
        form = PlanPromptForm(request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors["planned_on"])
        services.prompt_plan(actor=request.actor, prompt=prompt, planned_on=form.cleaned_data["planned_on"])
        return _("The conversation is on the agenda of the network meeting.")

    return _prompt_action(request, prompt_id, act)


@require_POST
def set_aside_prompt(request: HttpRequest, prompt_id: str) -> HttpResponse:
    def act(prompt) -> str:
        services.prompt_set_aside(actor=request.actor, prompt=prompt)
        return _("The conversation prompt is set aside.")

    return _prompt_action(request, prompt_id, act)


# --- the learning log -----------------------------------------------------------------------------------------------


@require_safe
def learning(request: HttpRequest, network_id: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    found = selectors.network_for(request.actor, network_id)
    require(request.actor, "collaboration.learn", found, hide=True)
    query = request.GET.get("q", "")[:200]
    entries = selectors.entries_of(found, query)
    return render(request, "collaboration/learning.html", {"network": found, "entries": entries, "query": query})


@require_http_methods(["GET", "HEAD", "POST"])
def learning_new(request: HttpRequest, network_id: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    found = selectors.network_for(request.actor, network_id)
    require(request.actor, "collaboration.learn", found, hide=True)
    organisations = list(found.organisations.order_by("name").values_list("pk", "name"))
    source = request.POST if request.method == "POST" else request.GET
    prompt = _own(selectors.prompts_of(found), source.get("prompt"))
    follows = next(
        (entry for entry in selectors.entries_of(found) if str(entry.pk) == str(source.get("follows", ""))), None
    )
    initial = {
        "happened_on": timezone.localdate(),
        "trigger": "prompt" if prompt else "self",
        "entry_type": "routine",
        "charter_impact": "none",
        "visibility": "network",
    }
    form = LearningEntryForm(
        request.POST if request.method == "POST" else None, initial=initial, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.learning_entry_create(
                actor=request.actor,
                network=found,
                data=form.data_for_service(
                    prompt=prompt.pk if prompt else None, follows=follows.pk if follows else None
                ),
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("The learning entry is written."))
            return HttpResponseRedirect(reverse("collaboration:entry", kwargs={"entry_id": entry.pk}))
    context = {
        "network": found,
        "form": form,
        "prompt": display.prompt_cards([prompt])[0] if prompt else None,
        "follows": follows,
    }
    return render(request, "collaboration/learning_new.html", context)


def _own(candidates, value):
    return next((candidate for candidate in candidates if str(candidate.pk) == str(value or "")), None)


@require_http_methods(["GET", "HEAD", "POST"])
def entry(request: HttpRequest, entry_id: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    found = selectors.entry_for(request.actor, entry_id)
    form = SafetyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.safety_answer(actor=request.actor, entry=found, value=form.cleaned_data["value"])
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Thank you. Your answer is stored without your name."))
            return HttpResponseRedirect(request.path + "#veiligheid")
    context = {
        "entry": found,
        "network": found.network,
        "form": form,
        "safety": selectors.safety_of(found, request.actor),
        "rows": display.entry_rows(found),
        "k": K_ANONYMITY,
    }
    return render(request, "collaboration/entry.html", context)


@require_safe
def lessons(request: HttpRequest) -> HttpResponse:
    """The anonymised lessons every network shared upwards, searchable (``collaboration.read_shared``)."""
    if (login := _login(request)) is not None:
        return login
    require(request.actor, "collaboration.read_shared", None)
    query = request.GET.get("q", "")[:200]
    lessons_found = [
        {"title": entry.title, "rows": display.lesson_rows(entry)} for entry in selectors.shared_lessons(query)
    ]
    return render(request, "collaboration/lessons.html", {"lessons": lessons_found, "query": query})


# --- the charter ----------------------------------------------------------------------------------------------------


@require_safe
def charter(request: HttpRequest, network_id: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    found = selectors.network_for(request.actor, network_id)
    versions = selectors.charter_of(found)
    context = {
        "network": found,
        "current": versions[0] if versions else None,
        "history": versions[1:],
        "manage": selectors.may_manage(request.actor, found),
    }
    return render(request, "collaboration/charter.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def charter_change(request: HttpRequest, network_id: str) -> HttpResponse:
    if (login := _login(request)) is not None:
        return login
    found = selectors.network_for(request.actor, network_id)
    require(request.actor, "collaboration.manage", found)
    versions = selectors.charter_of(found)
    entries = [(entry.pk, entry.title) for entry in selectors.entries_of(found)]
    initial: dict = {"entry": request.GET.get("entry", "")}
    if versions:
        for principle in versions[0].principles.all():
            initial[f"text_{principle.position}"] = principle.text
            initial[f"why_{principle.position}"] = principle.why
    form = CharterForm(request.POST if request.method == "POST" else None, initial=initial, entries=entries)
    if request.method == "POST" and form.is_valid():
        try:
            services.charter_version_create(
                actor=request.actor,
                network=found,
                principles=form.principles(),
                entry_id=form.cleaned_data["entry"] or None,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("The charter is changed. Everyone in the network can read it."))
            return HttpResponseRedirect(reverse("collaboration:charter", kwargs={"network_id": found.pk}))
    return render(
        request,
        "collaboration/charter_change.html",
        {"network": found, "form": form},
    )

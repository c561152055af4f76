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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from samen.collaboration import display, selectors, services
from samen.collaboration.forms import IntervalForm, PulseForm, ScheduleForm
from samen.core.anonymity import K_ANONYMITY
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
    return render(request, "collaboration/overview.html", {"rows": rows})


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
        status=200 if form is None or not form.errors else 400,
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
        "response_rate": display.percent(latest.response_rate) if latest else "",
        "manage": manage,
        "may_answer_open": board.open_round is not None
        and can(request.actor, "collaboration.answer", board.open_round),
    }
    if manage:
        context["scheduled"] = selectors.scheduled_rounds(network)
        context["schedule_form"] = ScheduleForm()
        context["interval_form"] = IntervalForm(
            initial={"interval_weeks": services.settings_for(network).interval_weeks}
        )
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


def _facilitator_form(request: HttpRequest, network_id: str, form_class, form_key: str, save) -> HttpResponse:
    """A facilitator's form on the network page: valid and saved, back to the rounds with ``save``'s message;
    otherwise the page again with the form's errors (400)."""
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
    return render(request, "collaboration/network.html", context, status=400)


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

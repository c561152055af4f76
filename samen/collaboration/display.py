"""The pulse figures as the pages show them: formatted numbers, chart series and table rows. Only what
``selectors.dashboard`` allowed reaches this module; a hidden figure reads "fewer than 5"."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samen.collaboration.items import BY_CODE, CONSTRUCTS, items_of_round
from samen.collaboration.selectors import Dashboard, Figure
from samen.core.anonymity import K_ANONYMITY, fewer_than

# The line charts draw at most 6 lines each: the constructs in two charts.
CHART_GROUPS = (("trust", "voice", "power", "interests"), ("mindful", "paper", "learning", "ambition"))


def decimal(value: float | None, places: int = 1) -> str:
    return "" if value is None else formats.number_format(value, places)


def percent(share: float | None) -> str:
    return "" if share is None else f"{formats.number_format(share * 100, 0)}%"


def day(value) -> str:
    return formats.date_format(value, "j F Y")


def mean_text(figure: Figure | None) -> str:
    if figure is None:
        return "-"
    return decimal(figure.summary.mean) if figure.summary else fewer_than(K_ANONYMITY)


def favourable_text(figure: Figure | None) -> str:
    if figure is None:
        return "-"
    return percent(figure.summary.favourable) if figure.summary else fewer_than(K_ANONYMITY)


def trend_charts(board: Dashboard) -> list[dict]:
    labels = [_("round %(number)d") % {"number": figures.pulse_round.number} for figures in board.rounds]
    charts = []
    for group in CHART_GROUPS:
        series = []
        for code in group:
            construct = next(construct for construct in CONSTRUCTS if construct.code == code)
            values = []
            for figures in board.rounds:
                figure = figures.constructs.get(code)
                values.append(round(figure.summary.mean, 2) if figure and figure.summary else None)
            series.append({"label": str(construct.name), "values": values})
        charts.append({"x_labels": labels, "series": series})
    return charts


def construct_table(board: Dashboard) -> dict:
    return {
        "caption": _("Themes in the last round"),
        "headers": [
            _("Theme"),
            _("Average (1-7)"),
            _("Agree (5-7)"),
            _("Agreement among people (r_wg, 0-1)"),
            _("Reliability (alpha, 95% interval)"),
        ],
        "rows": construct_rows(board),
        "numeric": (1, 2, 3),
    }


def item_table(board: Dashboard) -> dict:
    return {
        "caption": _("Questions in the last round"),
        "headers": [_("Question"), _("Average (1-7)"), _("Agree (5-7)"), _("Spread"), _("Answers")],
        "rows": item_rows(board),
        "numeric": (1, 2, 4),
    }


def construct_rows(board: Dashboard) -> list[list]:
    latest = board.latest
    rows = []
    for construct in CONSTRUCTS:
        figure = latest.constructs.get(construct.code) if latest else None
        alpha = board.alpha.get(construct.code)
        alpha_text = "-"
        if construct.is_multi_item:
            alpha_text = (
                f"{decimal(alpha.alpha, 2)} ({decimal(alpha.low, 2)} - {decimal(alpha.high, 2)})"
                if alpha
                else _("not yet (fewer than 30 complete answers)")
            )
        rows.append(
            [
                str(construct.name),
                mean_text(figure),
                favourable_text(figure),
                decimal(figure.rwg, 2) if figure and figure.summary and figure.rwg is not None else "-",
                alpha_text,
            ]
        )
    return rows


def item_rows(board: Dashboard) -> list[list]:
    latest = board.latest
    if latest is None:
        return []
    rows = []
    for item in items_of_round(latest.pulse_round.rotating_item):
        figure = latest.items.get(item.code)
        distribution = "-"
        if figure and figure.summary:
            summary = figure.summary
            distribution = _("%(low)s disagree (1-2), %(high)s agree (6-7)") % {
                "low": percent(summary.low),
                "high": percent(summary.high),
            }
        text = f"{item.number}. {item.text}"
        if item.reverse:
            text += " " + _("(a high score is a bad sign)")
        n = figure.n if figure and figure.summary else fewer_than(K_ANONYMITY)
        rows.append([text, mean_text(figure), favourable_text(figure), distribution, n])
    return rows


def breakdown_table(board: Dashboard) -> dict | None:
    breakdown = board.breakdown
    if breakdown is None or not breakdown.organisations:
        return None
    latest = board.latest
    headers = [_("Theme"), _("Whole network"), *(organisation.name for organisation in breakdown.organisations)]
    rows = []
    for construct in CONSTRUCTS:
        row = [str(construct.name), mean_text(latest.constructs.get(construct.code))]
        for organisation in breakdown.organisations:
            row.append(mean_text(breakdown.constructs.get(construct.code, {}).get(organisation.pk)))
        rows.append(row)
    return {
        "caption": _("Averages per organisation in the last round (1-7)"),
        "headers": headers,
        "rows": rows,
        "numeric": tuple(range(1, len(headers))),
        "hidden": breakdown.hidden,
    }


def csv_rows(board: Dashboard) -> list[list[str]]:
    """What the page shows, one row per round and figure (hidden figures as on the page)."""
    rows = [["round", "opened", "closed", "answered", "invited", "kind", "code", "text", "n", "mean", "favourable"]]
    for figures in board.rounds:
        pulse_round = figures.pulse_round
        answered = str(figures.answered) if figures.response_shown else fewer_than(K_ANONYMITY)
        common = [str(pulse_round.number), pulse_round.opens_on.isoformat(), pulse_round.closes_on.isoformat()]
        common += [answered, str(pulse_round.invited)]
        for construct in CONSTRUCTS:
            figure = figures.constructs.get(construct.code)
            rows.append([*common, "construct", construct.code, str(construct.name), *_csv_figure(figure)])
        for code, figure in figures.items.items():
            rows.append([*common, "item", code, str(BY_CODE[code].text), *_csv_figure(figure)])
    return rows


def _csv_figure(figure: Figure | None) -> list[str]:
    if figure is None or not figure.summary:
        return ["", fewer_than(K_ANONYMITY), fewer_than(K_ANONYMITY)]
    return [str(figure.n), f"{figure.summary.mean:.2f}", f"{figure.summary.favourable:.2f}"]


# --- conversation prompts -------------------------------------------------------------------------------------------

RULE_TITLES = {
    "R7": gettext_lazy("Taking part in the pulse"),
    "R8": gettext_lazy("Events between organisations"),
    "R9": gettext_lazy("Looking back after events"),
}
STRUCTURE_HELP = {
    "what_so_what": gettext_lazy("What happened? So what does it mean for us? Now what do we do?"),
    "after_action": gettext_lazy("What was supposed to happen, what happened, why the difference, what do we learn?"),
    "triz": gettext_lazy(
        "What would guarantee the worst outcome, and which of that do we already do? Then stop doing it."
    ),
    "min_specs": gettext_lazy(
        "Which of our rules could we drop and still reach our purpose? Keep only the ones we cannot."
    ),
    "intervisie": gettext_lazy("One professional brings a dilemma; the others ask questions before they give advice."),
}


def _why(prompt) -> list[str]:
    facts = prompt.facts or {}
    lines = []
    for rule in facts.get("rules", [prompt.rule]):
        if rule == "R1":
            lines.append(
                _("The average is low: %(mean)s of 7, %(share)s agree.")
                % {"mean": decimal(facts.get("mean")), "share": percent(facts.get("favourable"))}
            )
        elif rule == "R2":
            lines.append(_("It fell by %(fall)s against the rounds before.") % {"fall": decimal(facts.get("fall"))})
        elif rule == "R3":
            lines.append(_("More people keep a concern to themselves, or fewer feel free to speak up."))
        elif rule == "R4":
            lines.append(
                _("Organisations see this differently (a gap of %(gap)s).") % {"gap": decimal(facts.get("gap"))}
            )
        elif rule == "R5":
            lines.append(_("People are divided: there may be two camps behind the average."))
        elif rule == "R6":
            if facts.get("favourable") is not None:
                lines.append(
                    _("Only %(share)s say that the written agreements match how we work.")
                    % {"share": percent(facts.get("favourable"))}
                )
            if facts.get("ppgi_rise") is not None:
                lines.append(
                    _("The gap between paper and practice grew by %(points)s points since the round before.")
                    % {"points": decimal(facts.get("ppgi_rise"))}
                )
        elif rule == "R7":
            lines.append(_("Fewer people take part in the pulse."))
        elif rule == "R8":
            lines.append(
                ngettext(
                    "%(count)d event between organisations: an escalated signal, a referral turned down or "
                    "stalled, or a handover.",
                    "%(count)d events between organisations: escalated signals, referrals turned down or "
                    "stalled, or handovers.",
                    facts.get("events", 1),
                )
                % {"count": facts.get("events", 1)}
            )
        elif rule == "R9":
            lines.append(
                _("There were events between organisations, but no learning entry in %(weeks)s weeks.")
                % {"weeks": facts.get("weeks", 6)}
            )
    return lines


def prompt_cards(prompts_list) -> list[dict]:
    from samen.collaboration.items import CONSTRUCT_BY_CODE
    from samen.collaboration.models import Structure
    from samen.collaboration.prompts import opening_question

    cards = []
    for prompt in prompts_list:
        construct = CONSTRUCT_BY_CODE.get(prompt.construct)
        title = str(construct.name) if construct else str(RULE_TITLES.get(prompt.rule, prompt.rule))
        cards.append(
            {
                "prompt": prompt,
                "anchor": f"prompt-{prompt.pk}",
                "title": title,
                "question": opening_question(prompt.rule, prompt.construct),
                "why": _why(prompt),
                "structure": Structure(prompt.structure).label,
                "structure_help": STRUCTURE_HELP.get(prompt.structure, ""),
                "rules": ", ".join((prompt.facts or {}).get("rules", [prompt.rule])),
                "day": day(prompt.evaluated_on),
            }
        )
    return cards


def diverging_rows(board: Dashboard) -> list[dict]:
    """Per question of the last round: the share disagreeing (1-3), in the middle (4) and agreeing (5-7)."""
    latest = board.latest
    if latest is None:
        return []
    rows = []
    for item in items_of_round(latest.pulse_round.rotating_item):
        figure = latest.items.get(item.code)
        if figure is None or figure.summary is None:
            rows.append({"label": item.short})
            continue
        distribution, n = figure.summary.distribution, figure.summary.n
        rows.append(
            {
                "label": item.short,
                "negative": sum(distribution[point] for point in (1, 2, 3)) / n,
                "neutral": distribution[4] / n,
                "positive": sum(distribution[point] for point in (5, 6, 7)) / n,
            }
        )
    return rows


def heatmap(board: Dashboard) -> dict | None:
    """Per theme and shown organisation: its average minus the network's, in the last round."""
    breakdown, latest = board.breakdown, board.latest
    if breakdown is None or latest is None or not breakdown.organisations:
        return None
    rows = []
    for construct in CONSTRUCTS:
        network = latest.constructs.get(construct.code)
        if network is None or network.summary is None:
            continue
        values = []
        for organisation in breakdown.organisations:
            figure = breakdown.constructs.get(construct.code, {}).get(organisation.pk)
            values.append(round(figure.summary.mean - network.summary.mean, 1) if figure and figure.summary else None)
        rows.append({"label": str(construct.name), "values": values})
    return {"columns": [organisation.name for organisation in breakdown.organisations], "rows": rows}


def entry_rows(entry) -> list[tuple]:
    """A learning entry's parts as label/value rows (``ui_summary_list``): the third item marks text people typed."""
    from samen.collaboration.models import Cause

    causes = [str(label) for value, label in Cause.choices if value in (entry.causes or [])]
    rows = [
        (_("Organisations"), ", ".join(organisation.name for organisation in entry.organisations.all()), False),
        (_("Roles"), entry.roles, True),
        (_("What was supposed to happen"), entry.intended, True),
        (_("What actually happened"), entry.happened, True),
        (_("Perspectives"), entry.perspectives, True),
        (_("The household's view"), entry.household_view, True),
        (_("Why the difference"), "; ".join(causes), False),
        (_("In words"), entry.causes_text, True),
        (_("Keep doing"), entry.keep_doing, True),
        (_("Change"), entry.change, True),
        (_("Charter"), str(entry.get_charter_impact_display()), False),
        (_("Which principle, and how?"), entry.charter_note, True),
        (_("Look at it again on"), formats.date_format(entry.review_on, "j F Y") if entry.review_on else "", False),
        (_("Who may read it"), str(entry.get_visibility_display()), False),
    ]
    return [row for row in rows if row[1]]


def lesson_rows(entry) -> list[tuple]:
    """A lesson shared upwards, anonymised: its network, month and kind, why the difference, and the lessons; never
    the organisations, the roles, what happened or the household's view."""
    from samen.collaboration.models import Cause

    causes = [str(label) for value, label in Cause.choices if value in (entry.causes or [])]
    rows = [
        (_("Network"), entry.network.name, False),
        (_("When"), formats.date_format(entry.happened_on, "F Y"), False),
        (_("Kind"), str(entry.get_entry_type_display()), False),
        (_("Why the difference"), "; ".join(causes), False),
        (_("In words"), entry.causes_text, True),
        (_("Keep doing"), entry.keep_doing, True),
        (_("Change"), entry.change, True),
        (_("Charter"), str(entry.get_charter_impact_display()), False),
        (_("Which principle, and how?"), entry.charter_note, True),
    ]
    return [row for row in rows if row[1]]


# --- paper and practice ---------------------------------------------------------------------------------------------


def _practice_value(indicator) -> str:
    if indicator.value is None:
        return fewer_than(K_ANONYMITY) + " " + _("counted")
    if indicator.code == "P4":
        return ngettext("%(days)s working day", "%(days)s working days", round(indicator.value)) % {
            "days": decimal(indicator.value)
        }
    if indicator.code == "P6":
        return decimal(indicator.value)
    return percent(indicator.value)


def _practice_target(indicator) -> str:
    paper = str(indicator.meaning.paper)
    if indicator.code == "P2" and indicator.target is not None:
        return f"{percent(indicator.target)} ({paper})"
    if indicator.code == "P4" and indicator.target is not None:
        return ngettext("%(days)s working day", "%(days)s working days", round(indicator.target)) % {
            "days": decimal(indicator.target, 0)
        }
    if indicator.code == "P6" and indicator.baseline is not None:
        return _("%(paper)s (first three months: %(baseline)s)") % {
            "paper": paper,
            "baseline": decimal(indicator.baseline),
        }
    return paper


def practice_rows(figures) -> list[list]:
    """One row per indicator: what it is, practice, paper, the gap (0-100, or why it is not counted), how many."""
    rows = []
    for indicator in figures.indicators.values():
        if indicator.gap is not None:
            gap = str(round(indicator.gap * 100))
        elif indicator.code == "P7":
            gap = _("not in the index")
        else:
            gap = "-"
        rows.append(
            [
                f"{indicator.code} {indicator.meaning.title}",
                _practice_value(indicator),
                _practice_target(indicator),
                gap,
                formats.number_format(indicator.n, 0),
            ]
        )
    return rows


def practice_gap_bars(figures) -> list[tuple[str, object]]:
    """The gaps as bars (0-100); an indicator that is not counted reads why."""
    bars = []
    for indicator in figures.indicators.values():
        if indicator.code == "P7":
            continue
        label = f"{indicator.code} {indicator.meaning.title}"
        bars.append((label, round(indicator.gap * 100) if indicator.gap is not None else fewer_than(K_ANONYMITY)))
    return bars


def ppgi_chart(history) -> dict:
    return {
        "x_labels": [_("round %(number)d") % {"number": pulse_round.number} for pulse_round, _figures in history],
        "series": [{"label": _("Gap index"), "values": [figures.ppgi for _round, figures in history]}],
    }


def practice_csv_rows(figures) -> list[list[str]]:
    rows = [["as_of", "code", "indicator", "value", "n", "target", "gap"]]
    for indicator in figures.indicators.values():
        rows.append(
            [
                figures.as_of.isoformat(),
                indicator.code,
                str(indicator.meaning.title),
                "" if indicator.value is None else f"{indicator.value:.3f}",
                str(indicator.n),
                "" if indicator.target is None else f"{indicator.target:g}",
                "" if indicator.gap is None else f"{indicator.gap:.3f}",
            ]
        )
    rows.append(
        [
            figures.as_of.isoformat(),
            "PPGI",
            "paper-practice gap index",
            "" if figures.ppgi is None else f"{figures.ppgi:.1f}",
            str(len(figures.gaps)),
            "",
            "",
        ]
    )
    return rows

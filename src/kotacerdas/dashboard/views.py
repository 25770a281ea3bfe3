"""The national, provincial and regional dashboards (each with JSON, CSV and XLSX twins), and the
evaluation page of the program office (window, recompute, sensitivity)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kotacerdas.core.http import attempt
from kotacerdas.core.permissions import can, permission_required
from kotacerdas.core.twins import respond
from kotacerdas.monitoring import evaluation
from kotacerdas.monitoring.index import SCENARIOS
from kotacerdas.monitoring.models import EvaluationRound
from kotacerdas.regions.models import Province, Region

from . import charts, services
from .forms import RoundForm

STATE_COLOURS = {
    "done": "#1a9850",
    "on_track": "#91cf60",
    "at_risk": "#fdcc8a",
    "late": "#d7301f",
    "unreported": "#999999",
    "dropped": "#555555",
}


MATURITY_NAMES = (
    gettext_lazy("Initiation"),
    gettext_lazy("Developing"),
    gettext_lazy("Defined"),
    gettext_lazy("Managed"),
    gettext_lazy("Integrated"),
)


def maturity_legend() -> list[tuple[int, str, str]]:
    return [(i + 1, str(name), charts.MATURITY_COLOURS[i]) for i, name in enumerate(MATURITY_NAMES)]


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or services.current_year())
    except ValueError:
        return services.current_year()


def ranking(data: dict[str, Any], pillars: list[Any]) -> list[tuple[dict[str, Any], list[Any]]]:
    """Each region row with its pillar scores in pillar order (the template only prints)."""
    return [(r, [r["pillars"].get(p.key) for p in pillars]) for r in data["regions"]]


def _overview_charts(data: dict[str, Any], pillars: list[Any]) -> dict[str, str]:
    levels = [
        (str(d["level"] or "–"), d["count"], charts.colour_for(d["level"])) for d in data["distribution"]
    ]
    quick = [(_(k.replace("_", " ")), v, STATE_COLOURS[k]) for k, v in data["quick_wins"].items()]
    means = [(p.name, data["pillar_means"].get(p.key), p.colour) for p in pillars]
    return {
        "distribution": charts.columns(levels, title=_("Regions per maturity level")),
        "quick_wins": charts.columns(quick, title=_("Quick wins by state")),
        "pillars": charts.bars(means, 5.0, title=_("Mean pillar scores")),
    }


def _overview(
    request: HttpRequest, template: str, data: dict[str, Any], name: str, **extra: Any
) -> HttpResponse:
    """A national or provincial dashboard page (or its twin) from its data."""
    pillars = services.pillars()
    context = {
        "charts": _overview_charts(data, pillars),
        "pillars": pillars,
        "ranking": ranking(data, pillars),
        **extra,
    }
    keys = [p.key for p in pillars]
    return respond(request, template, data, lambda: services.table(data["regions"], keys), name, context)


def national(request: HttpRequest) -> HttpResponse:
    """The national dashboard: map by score or cohort, distributions, quick wins, top movers."""
    data = services.national(_year(request))
    return _overview(
        request,
        "dashboard/national.html",
        data,
        f"evaluasi-{data['year']}",
        can_manage=can(request.user, "evaluation.manage"),
        maturity_legend=maturity_legend(),
    )


def province(request: HttpRequest, code: str) -> HttpResponse:
    if not Province.objects.filter(code=code).exists():
        raise Http404(code)
    data = services.province(code, _year(request))
    return _overview(request, "dashboard/province.html", data, f"evaluasi-{code}-{data['year']}")


def region(request: HttpRequest, code: str) -> HttpResponse:
    """A region: evaluation with "why this score?", plan progress, indicators vs targets, quick wins,
    late items and open alerts."""
    if not Region.objects.filter(code=code).exists():
        raise Http404(code)
    data = services.region(code, _year(request))
    context = {"charts": _region_charts(data), "pillars": services.pillars()}
    return respond(
        request, "dashboard/region.html", data, lambda: _initiative_table(data), f"rencana-{code}", context
    )


def _region_charts(data: dict[str, Any]) -> dict[str, Any]:
    pillars = services.pillars()
    evaluation_row = data["evaluation"] or {"pillars": {}}
    history = [(h["year"], h["score"]) for h in data["history"] if h["score"] is not None]
    return {
        "pillars": charts.bars(
            [(p.name, evaluation_row["pillars"].get(p.key), p.colour) for p in pillars],
            5.0,
            title=_("Pillar scores"),
        ),
        "history": charts.lines(
            {_("score"): history}, {_("score"): "#0b4f4b"}, [y for y, _s in history], title=_("Score by year")
        ),
        "targets": [_target_chart(t) for t in data["targets"]],
    }


def _target_chart(target: dict[str, Any]) -> str:
    values = sorted(target["values"].items())
    goals = sorted(target["targets"].items())
    years = sorted({y for y, _v in values} | {y for y, _v in goals})
    series = {_("value"): values, _("target"): goals}
    return charts.lines(series, {_("value"): "#0b4f4b", _("target"): "#e0733a"}, years, title=target["name"])


def _initiative_table(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    header = [
        "initiative",
        "pillar",
        "quick_win",
        "status",
        "percent",
        "expected_percent",
        "lateness_days",
        "late",
        "unreported",
        "verified",
    ]
    return header, [[i["title"], *(i[h] for h in header[1:])] for i in data["initiatives"]]


@permission_required("evaluation.manage")
def evaluation_admin(request: HttpRequest) -> HttpResponse:
    """Open the window (weights, scale), recompute a year, and see how ranks move (sensitivity)."""
    year = _year(request)
    form = RoundForm(request.POST or None, initial={"year": year})
    saved = request.method == "POST" and form.is_valid()
    if saved and attempt(request, lambda: form.save(request.user), _("The evaluation window is saved.")):
        return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    moves = sorted(evaluation.sensitivity(request.user, year), key=lambda s: (s.rank is None, s.rank or 0))
    context = {
        "form": form,
        "year": year,
        "moves": moves,
        "scenarios": list(SCENARIOS),
        "rounds": EvaluationRound.objects.all(),
    }
    return render(request, "dashboard/evaluation_admin.html", context)


@require_POST
@permission_required("evaluation.manage")
def recompute(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    attempt(
        request,
        lambda: evaluation.recompute(request.user, year),
        _("The evaluation of %(year)d is recomputed.") % {"year": year},
    )
    return redirect(request.POST.get("next") or f"/dashboard/?year={year}")

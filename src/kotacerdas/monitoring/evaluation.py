"""The yearly evaluation (monev): rounds opened by the program office, self-assessment with assessor
verification, the impact survey, and computing the index (`index.py`) from what is stored, with the trace
that answers "why this score?"."""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from statistics import fmean
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.core.bulk import bulk_insert
from kotacerdas.core.permissions import require
from kotacerdas.core.uploads import DOCUMENTS, upload_errors
from kotacerdas.indicators.models import Indicator, IndicatorValue
from kotacerdas.pillars.models import Element, Pillar

from . import index, progress
from .models import (
    AssessedDimension,
    Evaluation,
    EvaluationRound,
    EvaluationRun,
    ImpactResponse,
    ImpactSurvey,
    SelfAssessment,
)
from .services import approved_initiatives, as_report, latest_report

log = logging.getLogger("kotacerdas.evaluation")
PROGRAMS_PER_ELEMENT = 3
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


# --- rounds -------------------------------------------------------------------------------------------


def open_round(
    user: Any,
    year: int,
    opens_on: date,
    closes_on: date,
    weights: Mapping[str, float] | None = None,
    scale_max: float = 5.0,
) -> EvaluationRound:
    """Open (or re-time) the evaluation window of a year with its weights and scale."""
    require(user, "evaluation.manage")
    weights = dict(weights or index.DEFAULT_WEIGHTS)
    errors = weight_errors(weights)
    if closes_on < opens_on:
        errors.append(_("The window closes before it opens."))
    if scale_max <= 0:
        errors.append(_("The top of the scale must be above zero."))
    if errors:
        raise ValidationError(errors)
    row, _created = EvaluationRound.objects.update_or_create(
        year=year,
        defaults={
            "opens_on": opens_on,
            "closes_on": closes_on,
            "weights": weights,
            "scale_max": scale_max,
            "created_by": user,
        },
    )
    return row


def weight_errors(weights: Mapping[str, Any]) -> list[str]:
    unknown = set(weights) - set(index.DIMENSIONS)
    if unknown:
        return [_("Unknown dimensions: %(names)s.") % {"names": ", ".join(sorted(unknown))}]
    try:
        numbers = [float(v) for v in weights.values()]
    except (TypeError, ValueError):
        return [_("Weights are numbers.")]
    if any(n < 0 for n in numbers) or sum(numbers) <= 0:
        return [_("Weights are not negative and add up to more than zero.")]
    return []


def method_for(year: int, **changes: Any) -> index.Method:
    found = EvaluationRound.objects.filter(year=year).first()
    if found is None:
        return index.Method(**changes)
    return index.Method(weights=found.weight_map(), scale_max=found.scale_max, **changes)


def _open_round(round_: EvaluationRound) -> None:
    if not round_.is_open():
        raise ValidationError(
            _("The evaluation window of %(year)d is closed (%(opens)s – %(closes)s).")
            % {"year": round_.year, "opens": round_.opens_on, "closes": round_.closes_on}
        )


# --- self-assessment and verification -----------------------------------------------------------------


def self_assess(
    user: Any,
    round_: EvaluationRound,
    region: str,
    dimension: str,
    score: Any,
    narrative: str,
    evidence: UploadedFile | None = None,
) -> SelfAssessment:
    """The region's own score for output or quick win, with evidence; resets an earlier verification."""
    require(user, "evaluation.self_assess", region)
    _open_round(round_)
    errors = _score_errors(score, round_)
    if dimension not in AssessedDimension.values:
        errors.append(_("Choose output or quick win."))
    if not narrative.strip():
        errors.append(_("Describe the evidence."))
    errors.extend(upload_errors(evidence, DOCUMENTS, MAX_EVIDENCE_BYTES))
    if errors:
        raise ValidationError(errors)
    defaults: dict[str, Any] = {
        "self_score": float(score),
        "narrative": narrative,
        "submitted_by": user,
        "submitted_at": timezone.now(),
        "verified_score": None,
        "assessor": None,
        "verified_at": None,
    }
    if evidence is not None:
        defaults["evidence"] = evidence
    row, _created = SelfAssessment.objects.update_or_create(
        round=round_, region_id=region, dimension=dimension, defaults=defaults
    )
    return row


def _score_errors(score: Any, round_: EvaluationRound) -> list[str]:
    try:
        number = float(score)
    except (TypeError, ValueError):
        return [_("The score is a number.")]
    if not 0 <= number <= round_.scale_max:
        return [_("The score is between 0 and %(top)s.") % {"top": round_.scale_max}]
    return []


def verify_assessment(user: Any, assessment: SelfAssessment, score: Any, notes: str) -> SelfAssessment:
    """An assessor's verified score with the interview notes (required)."""
    require(user, "monitoring.verify", assessment)
    errors = _score_errors(score, assessment.round)
    if not notes.strip():
        errors.append(_("Record the interview notes."))
    if errors:
        raise ValidationError(errors)
    assessment.verified_score, assessment.interview_notes = float(score), notes
    assessment.assessor, assessment.verified_at = user, timezone.now()
    assessment.save(update_fields=["verified_score", "interview_notes", "assessor", "verified_at"])
    return assessment


# --- the impact survey --------------------------------------------------------------------------------


def import_survey(user: Any, round_: EvaluationRound, region: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """Impact answers (columns `element`, `program`, `respondent`, `q1`…`qn`, each answer 1–5) for a region;
    all or nothing with row errors; at most three programs per pillar element. Returns the answers stored."""
    require(user, "evaluation.self_assess", region)
    _open_round(round_)
    elements = {e.key: e for e in Element.objects.select_related("pillar")}
    errors: list[str] = []
    parsed: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(dict)
    for number, row in enumerate(rows, start=2):
        problems, key, respondent, answers = _survey_row(row, elements)
        errors.extend(f"{_('row')} {number}: {p}" for p in problems)
        if not problems:
            parsed[key][respondent] = answers
    errors.extend(_too_many_programs(parsed, round_, region))
    if errors or not parsed:
        raise ValidationError(errors or [_("The file has no rows.")])
    with transaction.atomic():
        for (element_key, program), answers in parsed.items():
            survey, _created = ImpactSurvey.objects.get_or_create(
                round=round_, region_id=region, element=elements[element_key], program=program
            )
            for respondent, values in answers.items():
                ImpactResponse.objects.update_or_create(
                    survey=survey, respondent=respondent, defaults={"answers": values, "mean": fmean(values)}
                )
    return sum(len(a) for a in parsed.values())


def _survey_row(
    row: Mapping[str, Any], elements: Mapping[str, Element]
) -> tuple[list[str], tuple[str, str], str, list[int]]:
    element, program = str(row.get("element") or "").strip(), str(row.get("program") or "").strip()
    respondent = str(row.get("respondent") or "").strip()
    problems = []
    if element not in elements:
        problems.append(_("unknown pillar element %(key)s") % {"key": element or "—"})
    if not program:
        problems.append(_("the program is missing"))
    if not respondent:
        problems.append(_("the respondent is missing"))
    answers: list[int] = []
    for column in sorted((k for k in row if k.startswith("q") and k[1:].isdigit()), key=lambda k: int(k[1:])):
        value = row[column]
        if value is None or str(value).strip() == "":
            continue
        try:
            answer = float(value)
        except (TypeError, ValueError):
            answer = 0.0
        if not answer.is_integer() or not 1 <= answer <= 5:
            problems.append(
                _("%(column)s must be a whole number from 1 to 5, not %(value)s")
                % {"column": column, "value": value}
            )
        else:
            answers.append(int(answer))
    if not answers and not problems:
        problems.append(_("no answers (columns q1, q2, …)"))
    return problems, (element, program), respondent, answers


def _too_many_programs(
    parsed: Mapping[tuple[str, str], object], round_: EvaluationRound, region: str
) -> list[str]:
    programs: dict[str, set[str]] = defaultdict(set)
    for element, program in ImpactSurvey.objects.filter(round=round_, region_id=region).values_list(
        "element__key", "program"
    ):
        programs[element].add(program)
    for element, program in parsed:
        programs[element].add(program)
    return [
        _("element %(key)s has %(count)d programs; at most %(max)d are surveyed")
        % {"key": key, "count": len(names), "max": PROGRAMS_PER_ELEMENT}
        for key, names in sorted(programs.items())
        if len(names) > PROGRAMS_PER_ELEMENT
    ]


# --- computing the index ------------------------------------------------------------------------------


def indicator_specs() -> dict[str, index.IndicatorSpec]:
    rows = Indicator.objects.values_list("code", "pillar__key", "direction", "goal_min", "goal_max")
    return {
        code: index.IndicatorSpec(code, pillar, direction == Indicator.Direction.HIGHER, low, high)
        for code, pillar, direction, low, high in rows
    }


def pillar_keys() -> list[str]:
    return list(Pillar.objects.order_by("order").values_list("key", flat=True))


Values = dict[str, dict[str, float]]  # region → indicator code → value


def _values(year: int, known: dict[int, Values]) -> Values:
    """The year's indicator values (read once when several years are computed)."""
    if year not in known:
        codes = dict(Indicator.objects.values_list("pk", "code"))
        found: Values = defaultdict(dict)
        table = IndicatorValue._meta.db_table
        with connection.cursor() as cursor:  # the ORM's per-row work would double the time of this read
            cursor.execute(f"SELECT region_id, indicator_id, value FROM {table} WHERE year = %s", [year])  # noqa: S608
            for region, indicator, value in cursor.fetchall():
                found[region][codes[indicator]] = value
        known[year] = found
    return known[year]


def _implementation(year: int) -> dict[str, tuple[dict[str, int], dict[str, int]]]:
    """Per region: (planned, implemented) programs per pillar by the year's end, from verified reports."""
    end = date(year, 12, 31)
    found: dict[str, tuple[dict[str, int], dict[str, int]]] = defaultdict(
        lambda: (defaultdict(int), defaultdict(int))
    )
    for initiative in approved_initiatives().filter(start_year__lte=year):
        latest = as_report(latest_report(initiative, verified_only=True, until=end))
        if latest is not None and latest.status == "dropped":
            continue
        planned, implemented = found[str(initiative.plan.region_id)]
        pillar = initiative.element.pillar.key
        planned[pillar] += 1
        implemented[pillar] += progress.carried_out(initiative.start_year, initiative.end_year, latest, end)
    return found


def _assessed(year: int) -> dict[str, dict[str, float]]:
    found: dict[str, dict[str, float]] = defaultdict(dict)
    rows = SelfAssessment.objects.filter(round__year=year, verified_score__isnull=False)
    for region, dimension, score in rows.values_list("region_id", "dimension", "verified_score"):
        found[region][dimension] = score
    return found


def _impact(year: int) -> dict[str, tuple[float, int]]:
    answers: dict[str, list[float]] = defaultdict(list)
    rows = ImpactResponse.objects.filter(survey__round__year=year).values_list("survey__region_id", "mean")
    for region, mean in rows:
        answers[region].append(mean)
    return {region: (fmean(means), len(means)) for region, means in answers.items()}


def inputs_for(year: int, known: dict[int, Values] | None = None) -> list[index.RegionInputs]:
    """What was measured for every region that has anything for the year (no data: not evaluated)."""
    known = {} if known is None else known
    values, previous = _values(year, known), _values(year - 1, known)
    plans, assessed, impact = _implementation(year), _assessed(year), _impact(year)
    last = dict(Evaluation.objects.filter(year=year - 1).values_list("region_id", "score"))
    regions = sorted(set(values) | set(plans) | set(assessed) | set(impact))
    return [
        index.RegionInputs(
            region=code,
            values=values.get(code, {}),
            previous_values=previous.get(code, {}),
            planned=dict(plans[code][0]) if code in plans else {},
            implemented=dict(plans[code][1]) if code in plans else {},
            output_score=assessed.get(code, {}).get("output"),
            quickwin_score=assessed.get(code, {}).get("quickwin"),
            impact_mean=impact[code][0] if code in impact else None,
            impact_respondents=impact[code][1] if code in impact else 0,
            previous_score=last.get(code),
        )
        for code in regions
    ]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (reference counting still frees everything) for a bulk step."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


EVALUATION_COLUMNS = (
    "region_id",
    "year",
    "score",
    "maturity_level",
    "rank",
    "change",
    "coverage",
    "pillars",
    "trace",
    "computed_at",
)


def _evaluation_rows(year: int, results: Sequence[index.RegionResult], now: Any) -> Iterator[tuple[Any, ...]]:
    stamp = connection.ops.adapt_datetimefield_value(now)
    for r in results:
        pillars = json.dumps({p.pillar: p.score for p in r.pillars})
        yield (
            r.region,
            year,
            r.score,
            r.maturity,
            r.rank,
            r.change,
            r.coverage,
            pillars,
            json.dumps(index.compact(r)),
            stamp,
        )


def compute_year(year: int) -> list[Evaluation]:
    """Compute and store the year's evaluation of every region (replacing the previous computation)."""
    compute_years([year])
    return list(Evaluation.objects.filter(year=year))


def compute_years(years: Sequence[int]) -> dict[int, list[index.RegionResult]]:
    """Compute and store several years, oldest first (each year's change and baseline read the one before)."""
    known: dict[int, Values] = {}
    specs, pillars = indicator_specs(), pillar_keys()
    with paused_gc():  # ~200,000 short-lived tuples: the cyclic collector would rescan the heap each time
        return {year: _compute_year(year, specs, pillars, known) for year in sorted(years)}


def _compute_year(
    year: int, specs: dict[str, index.IndicatorSpec], pillars: list[str], known: dict[int, Values]
) -> list[index.RegionResult]:
    inputs, method = inputs_for(year, known), method_for(year)
    posts = index.goalposts(specs, inputs, method)
    results = index.evaluate(inputs, specs, pillars, method, posts)
    now = timezone.now()
    with transaction.atomic():
        Evaluation.objects.filter(year=year).delete()
        with connection.cursor() as cursor:  # COPY on PostgreSQL: the traces are ~2.5 MB a year
            bulk_insert(
                cursor, Evaluation._meta.db_table, EVALUATION_COLUMNS, _evaluation_rows(year, results, now)
            )
        EvaluationRun.objects.update_or_create(
            year=year,
            defaults={
                "method": dataclasses.asdict(method),
                "goalposts": index.stored_goalposts(posts, specs),
                "computed_at": now,
            },
        )
    log.info("evaluation computed", extra={"year": year, "regions": len(results)})
    return results


def recompute(user: Any, year: int) -> list[index.RegionResult]:
    """Recompute a year (and the next one already computed, whose change and baseline depend on it)."""
    require(user, "evaluation.manage")
    following = [year + 1] if Evaluation.objects.filter(year=year + 1).exists() else []
    return compute_years([year, *following])[year]


def sensitivity(user: Any, year: int) -> list[index.Sensitivity]:
    """How ranks move under other weights, aggregation or normalisation (national admins)."""
    require(user, "evaluation.manage")
    with paused_gc():  # five evaluations of the year
        return index.sensitivity(inputs_for(year), indicator_specs(), pillar_keys(), method_for(year))


def results(year: int) -> list[Evaluation]:
    return list(
        Evaluation.objects.filter(year=year).select_related("region__province").order_by("rank", "region")
    )


def explanation(row: Evaluation) -> dict[str, Any]:
    """Why this score: the region's trace with the goalposts and the method of its year."""
    run = EvaluationRun.objects.filter(year=row.year).first()
    posts = run.goalposts if run else {}
    return {
        **index.expand(row.trace, posts),
        "year": row.year,
        "computed_at": row.computed_at.isoformat(),
        "method": run.method if run else {},
    }


def years() -> list[int]:
    return sorted(set(Evaluation.objects.values_list("year", flat=True)), reverse=True)

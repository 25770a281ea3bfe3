"""The JSON API under /api/ (django-ninja, OpenAPI at /api/docs); every error is RFC 7807 problem+json."""

from __future__ import annotations

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kotacerdas.alerts.api import router as alerts_router
from kotacerdas.assessment.api import router as assessment_router
from kotacerdas.core import http
from kotacerdas.core.api import router as core_router
from kotacerdas.core.problems import Problem, problem, validation_errors
from kotacerdas.devices.api import router as devices_router
from kotacerdas.harmonisation.api import router as harmonisation_router
from kotacerdas.indicators.api import router as indicators_router
from kotacerdas.masterplan.api import router as masterplan_router
from kotacerdas.matchmaking.api import router as matchmaking_router
from kotacerdas.monitoring.api import router as monitoring_router
from kotacerdas.opendata.api import router as opendata_router
from kotacerdas.pillars.api import router as pillars_router
from kotacerdas.program.api import router as program_router
from kotacerdas.regions.api import router as regions_router

log = logging.getLogger(__name__)

api = NinjaAPI(
    title="kotacerdas API",
    version="1",
    description=(
        "The program and the city data platform of Indonesia's smart city movement. Lists answer "
        '`{"count": N, "items": [...]}` with `limit`/`offset`; errors are RFC 7807 problem+json. '
        "Send `Authorization: Bearer <token>` (from `kotacerdas manage create_api_token USER`)."
    ),
    urls_namespace="api",
)
api.add_router("/", regions_router)
api.add_router("/", pillars_router)
api.add_router("/", core_router)
api.add_router("/", program_router)
api.add_router("/", assessment_router)
api.add_router("/", indicators_router)
api.add_router("/", masterplan_router)
api.add_router("/", alerts_router)
api.add_router("/", devices_router)
api.add_router("/", monitoring_router)
api.add_router("/", opendata_router)
api.add_router("/", matchmaking_router)
api.add_router("/", harmonisation_router)


def problem_response(request: HttpRequest, body: Problem) -> HttpResponse:
    """An RFC 7807 response (application/problem+json)."""
    return http.problem_response(body)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = validation_errors(exc.errors)
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem_response(
        request, problem(400, "invalid-parameter", "Invalid request parameters", detail, errors=errors)
    )


@api.exception_handler(DjangoValidationError)
def _rule_refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    """A business rule said no (services raise ValidationError): 400 with every message."""
    messages = exc.messages
    return problem_response(
        request, problem(400, "rule-refused", "Request refused", "; ".join(messages), errors=messages)
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problem_response(request, problem(exc.status_code, "http-error", "Request refused", str(exc)))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(request, problem(401, "unauthenticated", "Not signed in", "Send a valid token."))


@api.exception_handler(PermissionDenied)
def _denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    if not request.user.is_authenticated:
        return _unauthenticated(request, AuthenticationError())
    detail = f"Your role may not do this ({exc})." if str(exc) else "Your role may not do this."
    return problem_response(request, problem(403, "forbidden", "Not allowed", detail))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, problem(404, "not-found", "Not found", str(exc) or "No such object."))


@api.exception_handler(ObjectDoesNotExist)
def _does_not_exist(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return _not_found(request, exc)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A value the database cannot store (an id of 2**70, a number beyond its column, a NUL character in a
    text): the request is wrong, not the server. Validation should have said so first; this is the net."""
    log.warning("value refused by the database", extra={"path": request.path, "error": str(exc)[:300]})
    detail = "A value in the request is out of the range the platform stores, or holds a NUL character."
    return problem_response(request, problem(400, "invalid-parameter", "Invalid request parameters", detail))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("unhandled API error", extra={"path": request.path})
    body = problem(500, "internal-error", "Internal error", "The server failed; the error was logged.")
    return problem_response(request, body)

"""NGSI-LD ProblemDetails (GS CIM 009 §5.5.2 error types with the statuses of Table 6.3.2-1): a pure module.

Every broker failure is an `NgsiError`; the HTTP layer turns it into application/json ProblemDetails
whose `title` names the kind of error and whose `detail` says what exactly went wrong.
"""

from __future__ import annotations

from typing import Any

from kotacerdas.core.problems import Problem

ERROR_BASE = "https://uri.etsi.org/ngsi-ld/errors/"
STATUS = {
    "InvalidRequest": 400,
    "BadRequestData": 400,
    "AlreadyExists": 409,
    "OperationNotSupported": 422,
    "ResourceNotFound": 404,
    "InternalError": 500,
    "TooComplexQuery": 403,
    "TooManyResults": 403,
    "LdContextNotAvailable": 504,
    "NonexistentTenant": 404,
    "NoMultiTenantSupport": 501,
}
TITLES = {
    "InvalidRequest": "The request is not well formed",
    "BadRequestData": "The request contains invalid data",
    "AlreadyExists": "The resource already exists",
    "OperationNotSupported": "The operation is not supported",
    "ResourceNotFound": "The resource was not found",
    "InternalError": "Internal error",
    "TooComplexQuery": "The query is too complex",
    "TooManyResults": "The query gives too many results",
    "LdContextNotAvailable": "A JSON-LD @context could not be retrieved",
    "NonexistentTenant": "The tenant does not exist",
    "NoMultiTenantSupport": "No multi-tenancy support",
}


class NgsiError(Exception):
    """An NGSI-LD error of a standard type, with a specific detail; `status` overrides for 406/411/415."""

    def __init__(self, kind: str, detail: str, status: int | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail or TITLES[kind]
        self.status = status or STATUS[kind]
        self.extra = extra

    @property
    def type_uri(self) -> str:
        return ERROR_BASE + self.kind

    def problem(self) -> Problem:
        title = TITLES[self.kind]
        detail = self.detail if self.detail != title else f"{title}."
        return Problem(status=self.status, title=title, detail=detail, type=self.type_uri, extra=self.extra)


def bad_data(detail: str) -> NgsiError:
    return NgsiError("BadRequestData", detail)


def invalid(detail: str) -> NgsiError:
    return NgsiError("InvalidRequest", detail)


def not_found(detail: str) -> NgsiError:
    return NgsiError("ResourceNotFound", detail)

"""The HTTP side of the NGSI-LD API shared by every endpoint: content negotiation, @context resolution,
tenants, access, parameter checks and the mapping of errors to ProblemDetails.

`ngsi(...)` wraps a handler `fn(call, **url_kwargs)`; the handler gets a `Call` with everything parsed and
returns a `Reply`. No handler touches headers, JSON parsing or exceptions itself.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from kotacerdas.core.permissions import can
from kotacerdas.core.problems import PROBLEM_CONTENT_TYPE, problem

from . import jsonld, services
from .entities import EntityError
from .errors import NgsiError
from .geo import GeoError
from .jsonld import TermMap
from .models import Tenant
from .query import QueryError
from .temporal import TemporalError

log = logging.getLogger(__name__)
JSON = "application/json"
LD_JSON = "application/ld+json"
GEO_JSON = "application/geo+json"
MERGE_PATCH = "application/merge-patch+json"
_LINK = re.compile(r"<([^>]*)>\s*;(.*)")


@dataclass
class Call:
    """A parsed NGSI-LD request."""

    request: HttpRequest
    params: Mapping[str, str]
    body: Any
    context: jsonld.ContextKey
    accept: str
    tenant_name: str
    _terms: TermMap | None = None

    @property
    def terms(self) -> TermMap:
        if self._terms is None:
            self._terms = jsonld.term_map(self.context)
        return self._terms

    @property
    def user(self) -> Any:
        """The token's user; a browser session does not count (the views are CSRF-exempt, so only an
        explicit bearer token may act)."""
        if self.request.headers.get("Authorization", "").lower().startswith("bearer "):
            return self.request.user
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()

    def read_tenant(self) -> Tenant:
        return services.tenant_for_read(self.tenant_name)

    def write_tenant(self) -> Tenant:
        """The tenant written to, created on first use, but only once the user may write there."""
        planned = services.planned_tenant(self.tenant_name)
        if not can(self.user, "context.write", planned):
            raise Forbidden(self.user.is_authenticated, planned)
        return services.tenant_for_write(self.tenant_name)

    def flag(self, name: str) -> bool:
        value = self.params.get(name)
        if value is None:
            return False
        if value not in ("true", "false"):
            raise NgsiError("BadRequestData", f"{name} must be true or false")
        return value == "true"

    def options(self) -> set[str]:
        return {o for o in self.params.get("options", "").split(",") if o}

    def terms_for(self, entity: Any) -> TermMap:
        """The TermMap of one entity in a batch (ld+json bodies carry their own @context)."""
        if isinstance(entity, dict) and "@context" in entity:
            return jsonld.term_map(jsonld.context_key(entity["@context"]))
        if self.request.content_type == LD_JSON:
            raise NgsiError("BadRequestData", "with application/ld+json every entity needs an @context")
        return self.terms


class Forbidden(Exception):
    def __init__(self, authenticated: bool, tenant: Tenant) -> None:
        super().__init__(tenant.name)
        self.authenticated = authenticated
        self.tenant = tenant


@dataclass
class Reply:
    """What a handler answers: status, JSON body (or none), extra headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    context_in_body: bool = True  # add @context to objects in the body when the client asked for ld+json


def _accepted(request: HttpRequest, geo: bool) -> str:
    header = request.headers.get("Accept", "").strip()
    if not header:
        return JSON
    offers = [JSON, LD_JSON] + ([GEO_JSON] if geo else [])
    best, best_q = None, 0.0
    for position, part in enumerate(header.split(",")):
        media, *args = [p.strip() for p in part.split(";")]
        q = 1.0
        for arg in args:
            if arg.startswith("q="):
                try:
                    q = float(arg[2:])
                except ValueError:
                    q = 0.0
        choice = {"*/*": JSON, "application/*": JSON}.get(media, media if media in offers else None)
        score = q - position * 1e-6
        if choice and q > 0 and score > best_q:
            best, best_q = choice, score
    if best is None:
        raise NgsiError(
            "InvalidRequest",
            f"none of the Accept types ({header}) is offered: use {', '.join(offers)}",
            status=406,
        )
    return best


def _link_context(request: HttpRequest) -> str | None:
    header = request.headers.get("Link")
    if not header:
        return None
    match = _LINK.match(header.strip())
    if not match or "json-ld#context" not in match.group(2):
        raise NgsiError(
            "BadRequestData", 'the Link header must be <url>; rel="http://www.w3.org/ns/json-ld#context"'
        )
    return match.group(1)


def _body(request: HttpRequest, media: tuple[str, ...]) -> Any:
    if request.META.get("CONTENT_LENGTH") in (None, "") and "chunked" not in request.headers.get(
        "Transfer-Encoding", ""
    ):
        raise NgsiError("InvalidRequest", "a request with a body needs a Content-Length header", status=411)
    if request.content_type not in media:
        raise NgsiError(
            "InvalidRequest",
            f"Content-Type {request.content_type or '(none)'} is not supported here: use {', '.join(media)}",
            status=415,
        )
    if b"\\u0000" in request.body or b"\x00" in request.body:
        raise NgsiError("BadRequestData", "the body contains a NUL character, which cannot be stored")
    try:
        return json.loads(request.body or b"", parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise NgsiError("InvalidRequest", f"the body is not valid JSON: {exc}") from exc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _context(request: HttpRequest, body: Any) -> jsonld.ContextKey:
    link = _link_context(request)
    if request.method in ("POST", "PATCH", "PUT") and request.content_type == LD_JSON:
        if link:
            raise NgsiError(
                "BadRequestData", "with application/ld+json the @context goes in the body, not a Link"
            )
        if isinstance(body, dict):
            if "@context" not in body:
                raise NgsiError("BadRequestData", "an application/ld+json body needs an @context member")
            return jsonld.context_key(body["@context"])
        return ()
    if isinstance(body, dict) and "@context" in body:
        raise NgsiError(
            "BadRequestData", "with application/json the @context goes in a Link header, not the body"
        )
    return jsonld.context_key(link) if link else ()


def _problem_response(status: int, body: dict[str, Any]) -> HttpResponse:
    return HttpResponse(
        json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE if status != 207 else JSON
    )


def error_response(exc: Exception) -> HttpResponse:
    """The ProblemDetails response for any error a handler raises."""
    if isinstance(exc, Forbidden):
        status = 403 if exc.authenticated else 401
        body = problem(
            status,
            "not-authorized" if status == 401 else "forbidden",
            "Authentication required" if status == 401 else "Not allowed",
            "writes need an API token (Authorization: Bearer …) of a national admin "
            "or of this tenant's regional officer"
            if status == 401
            else f"this token may not write to tenant {exc.tenant.name or '(default)'}",
        ).as_dict()
        return _problem_response(status, body)
    error = as_ngsi_error(exc)
    return _problem_response(error.status, error.problem().as_dict())


def as_ngsi_error(exc: Exception) -> NgsiError:
    if isinstance(exc, NgsiError):
        return exc
    if isinstance(exc, jsonld.ContextNotAvailable):
        return NgsiError("LdContextNotAvailable", str(exc))
    if isinstance(exc, jsonld.InvalidContext):
        return NgsiError("BadRequestData", f"invalid @context: {exc}")
    if isinstance(exc, EntityError | GeoError | TemporalError):
        return NgsiError("BadRequestData", str(exc))
    if isinstance(exc, QueryError):
        return NgsiError("BadRequestData", f"invalid q: {exc}")
    raise exc


def _render(call: Call, reply: Reply) -> HttpResponse:
    headers = dict(reply.headers)
    if reply.body is None:
        response = HttpResponse(status=reply.status)
    else:
        body = reply.body
        context_urls = [k for k in call.context if not k.startswith("{")]
        link = context_urls[0] if context_urls else jsonld.CORE_CONTEXT_URL
        if call.accept == LD_JSON and reply.context_in_body:
            value: Any = [
                json.loads(k) if k.startswith("{") else k for k in call.context
            ] or jsonld.CORE_CONTEXT_URL
            if isinstance(value, list) and len(value) == 1:
                value = value[0]
            body = (
                [{**b, "@context": value} for b in body]
                if isinstance(body, list)
                else {**body, "@context": value}
            )
        else:
            headers.setdefault("Link", jsonld.link_header(link))
        response = HttpResponse(json.dumps(body), status=reply.status, content_type=call.accept)
    for name, value in headers.items():
        response[name] = value
    return response


def ngsi(
    params: set[str] | None = None, body: tuple[str, ...] = (), geo: bool = False, document: bool = False
) -> Callable[[Callable[..., Reply]], Callable[..., HttpResponse]]:
    """Wrap a handler: check parameters, parse the body and @context, negotiate, map errors.
    `document=True`: the body is a JSON-LD document to keep (its @context is not applied)."""
    allowed = params or set()

    def decorate(fn: Callable[..., Reply]) -> Callable[..., HttpResponse]:
        @wraps(fn)
        def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            call = None
            try:
                if any("\x00" in k or "\x00" in v for k, v in request.GET.items()):
                    raise NgsiError("BadRequestData", "query parameters may not contain NUL characters")
                unknown = sorted(set(request.GET) - allowed)
                if unknown:
                    raise NgsiError("InvalidRequest", f"unknown query parameter(s): {', '.join(unknown)}")
                accept = _accepted(request, geo)
                parsed = _body(request, body) if body else None
                call = Call(
                    request=request,
                    params={k: request.GET[k] for k in request.GET},
                    body=parsed,
                    context=() if document else _context(request, parsed),
                    accept=accept,
                    tenant_name=request.headers.get("NGSILD-Tenant", services.DEFAULT_TENANT),
                )
                reply = fn(call, **kwargs)
                services.store_fetched_contexts()
                return _render(call, reply)
            except (
                NgsiError,
                Forbidden,
                jsonld.ContextNotAvailable,
                jsonld.InvalidContext,
                EntityError,
                GeoError,
                QueryError,
                TemporalError,
            ) as exc:
                return error_response(exc)

        return csrf_exempt(view)

    return decorate


def methods(**handlers: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """One URL, a handler per HTTP method; others are 405 with an Allow header."""

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        handler = handlers.get(request.method or "")
        if handler is None:
            response = error_response(
                NgsiError("InvalidRequest", f"{request.method} is not allowed here", status=405)
            )
            response["Allow"] = ", ".join(sorted(handlers))
            return response
        response = handler(request, **kwargs)
        if request.method not in ("GET", "HEAD") and response.status_code < 400:
            _audit(request, kwargs, response.status_code)
        return response

    return view


def _audit(request: HttpRequest, kwargs: dict[str, Any], status: int) -> None:
    """Every successful NGSI-LD write to entities in the audit log: the entity the path names, else the
    collection written to (a batch operation, a create). Subscriptions and stored contexts are saved through
    the ORM and audited as models already."""
    from kotacerdas.core import audit

    path = request.path.removeprefix("/ngsi-ld/v1/")
    if path.startswith(("subscriptions", "jsonldContexts")):
        return
    audit.record_request(request, "context.Entity", str(kwargs.get("entity_id") or path), status)

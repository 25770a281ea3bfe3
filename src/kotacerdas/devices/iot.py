"""The FIWARE IoT Agent interfaces under /iot/: provisioning (`/iot/services`, `/iot/devices`, API token)
and southbound HTTP (`POST /iot/json`, `GET|POST /iot/d`, API key). Errors are RFC 7807 problem+json;
a refused southbound message is also kept as a dead letter."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from kotacerdas.core.problems import PROBLEM_CONTENT_TYPE, problem

from . import ingest, services
from .ingest import RawMessage
from .models import Device, ServiceGroup

MAX_BODY = 1024 * 1024


def _problem(status: int, slug: str, title: str, detail: str) -> JsonResponse:
    body = problem(status, slug, title, detail).as_dict()
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def provisioning(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Token-authenticated provisioning endpoint: errors become problem+json."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return _problem(
                401, "unauthenticated", "Not signed in", "Send Authorization: Bearer <API token>."
            )
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return _problem(
                403, "forbidden", "Not allowed", "Your role may not provision devices of that region."
            )
        except (ServiceGroup.DoesNotExist, Device.DoesNotExist) as exc:
            return _problem(404, "not-found", "Not found", str(exc))
        except ValidationError as exc:
            return _problem(400, "invalid-body", "Invalid provisioning request", "; ".join(exc.messages))

    return wrapper


def _body(request: HttpRequest, key: str) -> Any:
    try:
        document = json.loads(request.body or b"null")
    except ValueError as exc:
        raise ValidationError(f"the body is not valid JSON ({exc})") from exc
    if not isinstance(document, dict) or key not in document:
        raise ValidationError(f'the body must be a JSON object with "{key}"')
    return document[key]


def _service(request: HttpRequest) -> str | None:
    return request.headers.get("Fiware-Service") or request.GET.get("service") or None


@provisioning
def service_groups(request: HttpRequest) -> HttpResponse:
    """GET lists, POST creates, PUT updates and DELETE removes (?apikey=) service groups."""
    user = request.user
    if request.method == "POST":
        region = services.region_for(user, _service(request))
        services.create_groups(user, region, _body(request, "services"))
        return HttpResponse(status=201)
    if request.method in ("PUT", "DELETE"):
        apikey = request.GET.get("apikey", "")
        if request.method == "PUT":
            services.update_group(user, apikey, json.loads(request.body or b"{}"))
        else:
            services.delete_group(user, apikey)
        return HttpResponse(status=204)
    if request.method != "GET":
        return _problem(405, "method", "Method not allowed", "Use GET, POST, PUT or DELETE.")
    region = services.region_for(user, _service(request))
    groups = [services.group_json(g) for g in ServiceGroup.objects.filter(region=region)]
    return JsonResponse({"count": len(groups), "services": groups})


@provisioning
def devices(request: HttpRequest) -> HttpResponse:
    """GET lists (limit/offset), POST creates devices."""
    user = request.user
    if request.method == "POST":
        region = services.region_for(user, _service(request))
        services.create_devices(user, region, _body(request, "devices"))
        return HttpResponse(status=201)
    if request.method != "GET":
        return _problem(405, "method", "Method not allowed", "Use GET or POST.")
    code = _service(request)
    region = services.region_for(user, code) if code else None
    found = services.visible_devices(user, region)
    limit, offset = _page(request)
    page = [services.device_json(d) for d in found[offset : offset + limit]]
    return JsonResponse({"count": found.count(), "devices": page})


def _page(request: HttpRequest) -> tuple[int, int]:
    try:
        limit = min(max(int(request.GET.get("limit", "100")), 1), 1000)
        offset = max(int(request.GET.get("offset", "0")), 0)
    except ValueError as exc:
        raise ValidationError("limit and offset must be integers") from exc
    return limit, offset


@provisioning
def device(request: HttpRequest, device_id: str) -> HttpResponse:
    """GET, PUT and DELETE one device."""
    user = request.user
    code = _service(request)
    region = services.region_for(user, code) if code else None
    if request.method == "PUT":
        try:
            item = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise ValidationError("the body is not valid JSON") from exc
        services.update_device(user, region, device_id, item)
        return HttpResponse(status=204)
    if request.method == "DELETE":
        services.delete_device(user, region, device_id)
        return HttpResponse(status=204)
    return JsonResponse(services.device_json(services.find_device(user, region, device_id)))


# --- southbound ------------------------------------------------------------------------------------------


def _southbound(request: HttpRequest, payload: bytes, protocol: str) -> HttpResponse:
    message = RawMessage(
        transport="http",
        channel=request.get_full_path()[:300],
        payload=payload,
        received_ms=int(time.time() * 1000),
        apikey=request.GET.get("k", ""),
        device_id=request.GET.get("i", ""),
        protocol=protocol,
        timestamp=request.GET.get("t") or None,
    )
    outcome = ingest.ingest([message])
    if outcome.dead:
        status, slug = (404, "unknown-device") if outcome.unknown else (400, "bad-measure")
        return _problem(status, slug, "Measure not stored (kept as a dead letter)", outcome.dead[0].reason)
    return JsonResponse({"stored": outcome.stored, "duplicates": outcome.duplicates}, status=200)


def _size_ok(request: HttpRequest) -> bool:
    return int(request.headers.get("Content-Length") or 0) <= MAX_BODY


@csrf_exempt
def southbound_json(request: HttpRequest) -> HttpResponse:
    """POST /iot/json?k=<apikey>&i=<device>: a JSON measure object (or list)."""
    if request.method != "POST":
        return _problem(405, "method", "Method not allowed", "Send measures with POST.")
    if not _size_ok(request):
        return _problem(413, "too-large", "Payload too large", f"At most {MAX_BODY} bytes.")
    return _southbound(request, request.body, ServiceGroup.Protocol.JSON)


@csrf_exempt
def southbound_ultralight(request: HttpRequest) -> HttpResponse:
    """GET /iot/d?k=&i=&d=<measures> or POST /iot/d?k=&i= with an UltraLight 2.0 body."""
    if request.method == "GET":
        if request.GET.get("getCmd"):
            return HttpResponse("", content_type="text/plain")  # no commands are queued for devices
        return _southbound(request, request.GET.get("d", "").encode(), ServiceGroup.Protocol.ULTRALIGHT)
    if request.method != "POST":
        return _problem(405, "method", "Method not allowed", "Use GET or POST.")
    if not _size_ok(request):
        return _problem(413, "too-large", "Payload too large", f"At most {MAX_BODY} bytes.")
    return _southbound(request, request.body, ServiceGroup.Protocol.ULTRALIGHT)

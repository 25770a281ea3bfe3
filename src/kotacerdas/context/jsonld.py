"""JSON-LD @context handling for the NGSI-LD broker: offline document loading and fast term maps.

PyLD does the context processing (the JSON-LD 1.1 algorithm: @protected, scoped terms, prefixes, @vocab);
from the processed active context we keep a plain dictionary term → IRI and its inverse, so that expanding
and compacting attribute names and types costs a dictionary lookup per name (the broker handles thousands
of entities a second; running the full expansion algorithm per entity would not keep up).

Documents come from, in order: the bundled files (the NGSI-LD core context for its v1.x URLs, our Smart
Data Models subset), the `ContextSource` given by the caller (the database cache: preloaded or earlier
fetched contexts), and only then the network, with a short timeout. Start-up never loads anything.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from pyld import jsonld

log = logging.getLogger(__name__)

CORE_CONTEXT_URL = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"
CORE_CONTEXT_URLS = frozenset(
    f"https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context{suffix}.jsonld"
    for suffix in ("", "-v1.3", "-v1.4", "-v1.5", "-v1.6", "-v1.7", "-v1.8", "-v1.9")
)
SDM_CONTEXT_URL = "https://kotacerdas.id/ngsi-ld/contexts/smartdatamodels.jsonld"
BUNDLED = {url: "ngsi-ld-core-context-v1.9.jsonld" for url in CORE_CONTEXT_URLS} | {
    SDM_CONTEXT_URL: "smartdatamodels-context.jsonld"
}
DEFAULT_VOCAB = "https://uri.etsi.org/ngsi-ld/default-context/"
MAX_CONTEXT_BYTES = 1_000_000


class ContextNotAvailable(Exception):
    """A remote @context could not be fetched or is not a JSON-LD context (504 LdContextNotAvailable)."""


class InvalidContext(ValueError):
    """A @context that is malformed (400 BadRequestData)."""


# A function url → document (or None when unknown); the database cache plugs in here.
ContextSource = Callable[[str], dict[str, Any] | None]
_sources: list[ContextSource] = []
_fetch_timeout: list[float] = [3.0]
_fetched: list[tuple[str, dict[str, Any]]] = []  # fetched this process, to be saved by the caller
_failures: list[str] = []  # why the last context load failed (PyLD wraps the reason away)


def configure(source: ContextSource | None, fetch_timeout: float) -> None:
    """Install the cache lookup and the network timeout (called once by the app config)."""
    _sources[:] = [source] if source else []
    _fetch_timeout[0] = fetch_timeout


@lru_cache(maxsize=8)
def bundled_document(url: str) -> dict[str, Any]:
    """The bundled document for one of the BUNDLED URLs."""
    text = resources.files("kotacerdas.context").joinpath("data", BUNDLED[url]).read_text("utf-8")
    return dict(json.loads(text))


def fetch(url: str) -> dict[str, Any]:
    """Fetch a remote context (ContextNotAvailable on any failure: network, status, size or JSON)."""
    if not url.startswith(("http://", "https://")):
        raise ContextNotAvailable(f"{url} is not an http(s) URL and is not in the context cache")
    request = urllib.request.Request(url, headers={"Accept": "application/ld+json, application/json"})
    try:
        with urllib.request.urlopen(request, timeout=_fetch_timeout[0]) as response:  # noqa: S310
            body = response.read(MAX_CONTEXT_BYTES + 1)
    except Exception as exc:  # network errors come in many classes; all mean the same here
        raise ContextNotAvailable(f"the @context {url} could not be fetched: {exc}") from exc
    if len(body) > MAX_CONTEXT_BYTES:
        raise ContextNotAvailable(f"the @context {url} is larger than {MAX_CONTEXT_BYTES} bytes")
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise ContextNotAvailable(f"the @context {url} is not JSON") from exc
    if not isinstance(document, dict) or "@context" not in document:
        raise ContextNotAvailable(f"the document at {url} has no @context member")
    _fetched.append((url, document))
    return document


def load(url: str) -> dict[str, Any]:
    """The document for a context URL: bundled, cached, or fetched."""
    if url in BUNDLED:
        return bundled_document(url)
    for source in _sources:
        document = source(url)
        if document is not None:
            return document
    return fetch(url)


def take_fetched() -> list[tuple[str, dict[str, Any]]]:
    """Contexts fetched from the network since the last call (the caller stores them in the cache)."""
    fetched = list(_fetched)
    _fetched.clear()
    return fetched


def _pyld_loader(url: str, options: Any = None) -> dict[str, Any]:
    try:
        document = load(url)
    except ContextNotAvailable as exc:
        _failures.append(str(exc))
        raise jsonld.JsonLdError(
            str(exc), "jsonld.LoadDocumentError", code="loading remote context failed"
        ) from exc
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": document,
        "contentType": "application/ld+json",
    }


@dataclass(frozen=True)
class TermMap:
    """An active context reduced to what NGSI-LD needs: term → IRI, IRI → term, @vocab and prefixes."""

    terms: dict[str, str]
    vocab: str | None
    inverse: dict[str, str] = field(default_factory=dict)

    def expand(self, term: str) -> str:
        """The IRI of an attribute name or entity type."""
        iri = self.terms.get(term)
        if iri is not None:
            return iri
        prefix, colon, suffix = term.partition(":")
        if colon and not suffix.startswith("//") and prefix in self.terms:
            return self.terms[prefix] + suffix
        if colon:
            return term  # already an absolute IRI
        return (self.vocab or DEFAULT_VOCAB) + term

    def compact(self, iri: str) -> str:
        """The shortest name the context gives an IRI (the IRI itself when none)."""
        term = self.inverse.get(iri)
        if term is not None:
            return term
        if self.vocab and iri.startswith(self.vocab):
            rest = iri[len(self.vocab) :]
            if rest and ":" not in rest and rest not in self.terms:
                return rest
        return iri


ContextKey = tuple[str, ...]  # each element: a URL, or a JSON object serialised with sorted keys


def context_key(context: object) -> ContextKey:
    """A hashable key for a user @context (None, a URL, an object, or a list of those)."""
    if context is None:
        return ()
    items = context if isinstance(context, list) else [context]
    key = []
    for item in items:
        if isinstance(item, str):
            if ":" not in item:
                raise InvalidContext(f"a @context URL must be absolute, not {item[:80]!r}")
            key.append(item)
        elif isinstance(item, dict):
            key.append(json.dumps(item, sort_keys=True))
        else:
            raise InvalidContext("@context must be a URL, an object, or a list of those")
    return tuple(key)


@lru_cache(maxsize=256)
def term_map(key: ContextKey) -> TermMap:
    """The TermMap of user contexts `key` followed by the core context (which wins: it is @protected)."""
    local: list[Any] = [json.loads(k) if k.startswith("{") else k for k in key if k not in CORE_CONTEXT_URLS]
    local.append(CORE_CONTEXT_URL)
    _failures.clear()
    processor = jsonld.JsonLdProcessor()
    options = {"documentLoader": _pyld_loader, "base": ""}
    try:
        active = processor.process_context(processor._get_initial_context(options), local, options)
    except jsonld.JsonLdError as exc:
        if _failures or _caused_by_loading(exc):
            raise ContextNotAvailable(_failures[-1] if _failures else _message(exc)) from exc
        raise InvalidContext(_message(exc)) from exc
    except ValueError as exc:  # PyLD raises plain ValueErrors for some IRIs it cannot resolve
        raise InvalidContext(str(exc)[:200]) from exc
    terms = {
        term: definition["@id"]
        for term, definition in active["mappings"].items()
        if definition and isinstance(definition.get("@id"), str) and not definition["@id"].startswith("@")
    }
    inverse: dict[str, str] = {}
    for term, iri in sorted(terms.items(), key=lambda item: (len(item[0]), item[0]), reverse=True):
        if ":" not in term:
            inverse[iri] = term  # the shortest term wins (sorted longest first)
    return TermMap(terms=terms, vocab=active.get("@vocab"), inverse=inverse)


def _caused_by_loading(exc: BaseException) -> bool:
    while exc is not None:
        if isinstance(exc, ContextNotAvailable):
            return True
        code = getattr(exc, "code", "") or ""
        if "loading" in code:
            return True
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return False


def _message(exc: BaseException) -> str:
    details = getattr(exc, "details", None)
    cause = getattr(exc, "cause", None)
    text = str(exc.args[0]) if exc.args else str(exc)
    if cause is not None:
        text = f"{text} ({_message(cause)})"
    elif details:
        text = f"{text} {details}"
    return text[:500]


def core_term_map() -> TermMap:
    """The core context alone (requests without a user context)."""
    return term_map(())


def link_header(url: str = CORE_CONTEXT_URL) -> str:
    """The Link header value that names a context."""
    return f'<{url}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'


def validate_context_document(document: object) -> None:
    """InvalidContext unless `document` is an object with an @context PyLD can process offline."""
    if not isinstance(document, dict) or "@context" not in document:
        raise InvalidContext("a JSON-LD context document is an object with an @context member")
    context = document["@context"]
    items: Sequence[Any] = context if isinstance(context, list) else [context]
    term_map(context_key(list(items)))

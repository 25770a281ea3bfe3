"""Messages that pure modules produce and the UI translates: a plain English string that remembers its
message and parameters, so a page can show it in the reader's language (pure module, no Django)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def gettext_noop(text: str) -> str:
    """Marks a message for extraction (makemessages); translated where it is shown."""
    return text


class Text(str):
    """`Text.of("%(n)s of %(total)s programs implemented", n=1, total=8)` equals the English sentence and
    keeps `.message` and `.params` for `translated`."""

    message: str
    params: Mapping[str, Any]

    @classmethod
    def of(cls, message: str, **params: Any) -> Text:
        text = cls(message % params)
        text.message, text.params = message, params
        return text


def translated(text: object, translate: Callable[[str], str]) -> str:
    """The text in the reader's language: a Text, or a stored {"message", "params"} mapping; else as is."""
    if isinstance(text, Text):
        message, params = text.message, text.params
    elif isinstance(text, Mapping) and "message" in text:
        message, params = text["message"], text.get("params") or {}
    else:
        return str(text)
    try:
        return translate(message) % params
    except (KeyError, TypeError, ValueError):  # a translation with a broken placeholder: English instead
        return message % params

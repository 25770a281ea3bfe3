"""Template filters: numbers and rupiah formatted for the active language (id_ID by default), via Babel."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django import template
from django.utils.translation import get_language

register = template.Library()

LOCALES = {"id": "id_ID", "en": "en_US"}


def current_locale() -> str:
    return LOCALES.get((get_language() or "id")[:2], "id_ID")


@register.filter
def number(value: object, digits: int = 2) -> str:
    """1234567.5 -> "1.234.567,5" in Indonesian; trailing zeros dropped."""
    if value in (None, ""):
        return "–"
    amount = Decimal(str(value))
    pattern = "#,##0" + ("." + "#" * int(digits) if int(digits) > 0 else "")
    return format_decimal(amount, format=pattern, locale=current_locale())


@register.filter
def rupiah(value: object) -> str:
    """Integer rupiah: 1500000 -> "Rp 1.500.000" (id_ID)."""
    if value in (None, ""):
        return "–"
    return format_currency(
        Decimal(str(value)), "IDR", format="¤ #,##0", locale=current_locale(), currency_digits=False
    )


@register.filter
def explain(text: object, fallback: object = "") -> str:
    """A message of a pure module (Text, or a stored {"message", "params"}) in the reader's language;
    `fallback` when there is none."""
    from django.utils.translation import gettext

    from kotacerdas.core.text import translated

    if text is None or text == "":
        return str(fallback)
    return translated(text, gettext)


@register.filter
def explain_all(texts: object, separator: str = "; ") -> str:
    """Several such messages, translated and joined."""
    return separator.join(explain(t) for t in (texts or []))  # type: ignore[attr-defined]

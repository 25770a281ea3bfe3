"""Field validators shared by models, forms and API schemas."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

YEAR_MIN, YEAR_MAX = 1900, 2100


def plausible_moment(value: datetime) -> None:
    """A date and time of the program (1900–2100); year 1 at +00:01 is not a deadline and cannot be
    converted to UTC."""
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValidationError(
            _("The year must be between %(low)s and %(high)s.") % {"low": YEAR_MIN, "high": YEAR_MAX},
            code="year",
        )

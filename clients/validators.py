"""Formats of client identifiers: klantnummer, Dutch postcode, phone number."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from locations import geo

# Stored forms; the database check constraints use the same patterns. The postcode is the one
# definition in locations.geo, shared with partner locations.
KLANTNUMMER_PATTERN = r"^[0-9]{7}$"
POSTCODE_PATTERN = geo.POSTCODE_PATTERN

validate_klantnummer = RegexValidator(
    KLANTNUMMER_PATTERN, _("A klantnummer has exactly 7 digits."), code="invalid_klantnummer"
)
validate_postcode = RegexValidator(
    POSTCODE_PATTERN, _("Enter a Dutch postcode such as 1094 AB."), code="invalid_postcode"
)
validate_phone = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{7,19}$",
    _("Enter a phone number such as 020 123 4567 or +31 6 1234 5678."),
    code="invalid_phone",
)


def normalise_postcode(value: str) -> str:
    """ "1094ab" → "1094 AB"; anything that is not a postcode is returned unchanged (the
    validator then names the problem)."""
    return geo.normalise_postcode(value) or value

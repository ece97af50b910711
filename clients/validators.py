"""Formats of client identifiers: klantnummer, Dutch postcode, phone number."""

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Stored forms; the database check constraints use the same patterns.
KLANTNUMMER_PATTERN = r"^[0-9]{7}$"
POSTCODE_PATTERN = r"^[1-9][0-9]{3} [A-Z]{2}$"

# What people type: "1094ab", "1094 AB", " 1094  ab ".
_POSTCODE_INPUT = re.compile(r"^\s*([1-9][0-9]{3})\s*([a-zA-Z]{2})\s*$")

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
    """ "1094ab" → "1094 AB"; anything that is not a postcode is returned unchanged."""
    match = _POSTCODE_INPUT.match(value)
    if match is None:
        return value
    return f"{match.group(1)} {match.group(2).upper()}"

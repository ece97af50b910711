"""The filters of the staff list /locaties/: parsing and validating the query string.

The field names are the page's query parameters (`?gebied=oud-oost&niveau=2`), Dutch like the
page's address, so a filtered list can be shared as a link. A value that is not understood
(an unknown gebied, `?niveau=9`) is a form error shown next to its field; that filter is then
left out and the others still apply, never a server error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from locations.choices import LocationKind, SafetyLevel
from locations.models import District, Offering
from locations.querysets import LocationQuerySet
from locations.selectors import MAX_LOCATION_QUERY_LENGTH, filter_locations


class GebiedField(forms.ModelChoiceField):
    """A gebied chosen by its slug in the query string (`?gebied=oud-oost`); empty means all.
    Shared by the filters of /locaties/ and /dekking/."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=District.objects.order_by("name"),
            to_field_name="slug",
            required=False,
            label=_("Gebied"),
            empty_label=_("All gebieden"),
            **kwargs,
        )


class LocationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or address"),
        required=False,
        max_length=MAX_LOCATION_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    gebied = GebiedField()
    soort = forms.ChoiceField(
        label=_("Kind of location"),
        choices=[
            ("", _("All kinds")),
            *((value, capfirst(label)) for value, label in LocationKind.choices),
        ],
        required=False,
    )
    niveau = forms.TypedChoiceField(
        label=_("Minimum safety level"),
        choices=[
            ("", _("Any level")),
            *((value, capfirst(label)) for value, label in SafetyLevel.choices),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    aanbod = forms.ModelChoiceField(
        label=_("Offering"),
        queryset=Offering.objects.order_by("name"),
        required=False,
        empty_label=_("All offerings"),
    )
    drempelvrij = forms.BooleanField(label=_("Step-free access only"), required=False)
    ook_inactief = forms.BooleanField(label=_("Include inactive locations"), required=False)

    def locations(self) -> LocationQuerySet:
        """The locations matching the filters that are valid (invalid ones are left out)."""
        self.is_valid()
        values = self.cleaned_data
        return filter_locations(
            gebied=values.get("gebied"),
            kind=values.get("soort") or None,
            min_level=values.get("niveau"),
            offering=values.get("aanbod"),
            step_free=bool(values.get("drempelvrij")),
            query=values.get("q") or "",
            include_inactive=bool(values.get("ook_inactief")),
        )

    @property
    def is_filtered(self) -> bool:
        """Any filter in use (the page then offers to clear them)."""
        return any(self.data.get(name) for name in self.fields)

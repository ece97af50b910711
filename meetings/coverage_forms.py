"""The filters of /dekking/: period, gebied and conversation type from the query string.

The field names are the page's query parameters (`?van=2026-09-01&tot=2026-11-30&gebied=oud-oost
&type=kennismaking`), so a filtered page can be shared as a link. A value that is not understood is
a form error shown next to its field; that filter then falls back to its default and the others
still apply, never a server error.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from locations.filters import GebiedField
from meetings.coverage import MAX_PERIOD_DAYS, CoverageFilters, Period, default_period
from meetings.models import MeetingType


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class CoverageFilterForm(forms.Form):
    van = forms.DateField(
        label=_("From"),
        required=False,
        widget=_DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )
    tot = forms.DateField(
        label=_("Up to and including"),
        required=False,
        widget=_DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )
    gebied = GebiedField()
    type = forms.ModelChoiceField(
        label=_("Conversation type"),
        queryset=MeetingType.objects.active().order_by("pk"),
        to_field_name="slug",
        required=False,
        empty_label=_("All conversation types"),
    )

    def __init__(self, data: Any, *, today: date) -> None:
        super().__init__(data)
        self.today = today
        default = default_period(today=today)
        # Shown in the empty date fields, so the page says which period it counts.
        self.fields["van"].widget.attrs["placeholder"] = default.first_day.isoformat()
        self.fields["tot"].widget.attrs["placeholder"] = default.last_day.isoformat()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("van"), cleaned.get("tot")
        if first and last and first > last:
            self.add_error("van", _("The start of the period must be on or before its end."))
        elif first or last:
            period = self._period(first, last)
            if period.days > MAX_PERIOD_DAYS:
                self.add_error("van", _("Choose a period of at most two years."))
        return cleaned

    def _period(self, first: date | None, last: date | None) -> Period:
        """The period from the valid dates; a missing end is today, a missing start 90 days
        before the end (or the default period)."""
        default = default_period(today=self.today)
        if first is None and last is None:
            return default
        if last is None:
            last = max(first or self.today, self.today)
        if first is None:
            first = last - (default.last_day - default.first_day)
        return Period(first_day=first, last_day=last)

    def filters(self) -> CoverageFilters:
        """The filters that are valid; an invalid one falls back to its default."""
        self.is_valid()
        values = self.cleaned_data
        period_ok = "van" not in self.errors and "tot" not in self.errors
        return CoverageFilters(
            period=(
                self._period(values.get("van"), values.get("tot"))
                if period_ok
                else default_period(today=self.today)
            ),
            district=values.get("gebied"),
            meeting_type=values.get("type"),
        )

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

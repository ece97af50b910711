"""Forms for what can be done with a booked conversation: move, cancel, record the outcome.

They only parse input; the rules are in `meetings.services` (whose `BookingError` messages
the views add as form errors).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.choices import LadderStep
from locations.geo import AMSTERDAM_TZ
from locations.models import Room
from meetings.models import Meeting, MeetingStatus
from meetings.services import GRID_MINUTES

#: Start times offered when moving a conversation: the 15-minute grid of a working day.
#: (Opening hours are checked by the service; none of these falls in a DST gap.)
_FIRST_HOUR, _LAST_HOUR = 7, 21


def _grid_times() -> list[tuple[str, str]]:
    times = [
        time(hour, minute)
        for hour in range(_FIRST_HOUR, _LAST_HOUR)
        for minute in range(0, 60, GRID_MINUTES)
    ]
    return [(moment.strftime("%H:%M"), moment.strftime("%H:%M")) for moment in times]


class RoomChoiceField(forms.ModelChoiceField):
    """Rooms of one location, by name (no query per room for `Room.__str__`)."""

    def label_from_instance(self, obj: Room) -> str:
        return f"{obj.name} ({obj.capacity})"


class RescheduleForm(forms.Form):
    # The server validates; a `required` attribute would paint empty fields red before any
    # attempt (the design system styles :invalid).
    use_required_attribute = False

    day = forms.DateField(
        label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.ChoiceField(
        label=_("New start time"),
        choices=_grid_times,
        help_text=_("On the quarter hour; the duration stays the same."),
    )
    room = RoomChoiceField(
        label=_("Room"),
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("Keep the current room"),
        help_text=_("Another room at the same location, if needed."),
    )
    reason = forms.CharField(
        label=_("Reason for moving"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        local = meeting.starts_at.astimezone(AMSTERDAM_TZ)
        kwargs.setdefault("initial", {"day": local.date(), "start": local.strftime("%H:%M")})
        kwargs.setdefault("auto_id", "reschedule-%s")  # unique ids: three forms on one page
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if meeting.room_id is None:
            del self.fields["room"]  # a home visit or a call has no room
        else:
            room_field = self.fields["room"]
            assert isinstance(room_field, RoomChoiceField)  # noqa: S101 (typing)
            room_field.queryset = Room.objects.filter(
                location_id=meeting.location_id, is_active=True
            ).order_by("name")

    @property
    def starts_at(self) -> datetime:
        """The new start, aware in Europe/Amsterdam (after `is_valid()`)."""
        day: date = self.cleaned_data["day"]
        return datetime.combine(
            day, time.fromisoformat(self.cleaned_data["start"]), tzinfo=AMSTERDAM_TZ
        )


class CancelForm(forms.Form):
    use_required_attribute = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "cancel-%s")
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Stays in the history of the conversation."),
    )


class OutcomeForm(forms.Form):
    use_required_attribute = False

    status = forms.TypedChoiceField(label=_("What happened?"), coerce=MeetingStatus)
    ladder_step = forms.TypedChoiceField(
        label=_("Participation ladder step measured"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Not measured")), *LadderStep.choices],
        help_text=_("Only for a held conversation; it becomes the client's current step."),
    )
    next_step = forms.CharField(
        label=_("Next step"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was agreed, in a sentence."),
    )

    def __init__(self, *args: Any, outcomes: tuple[MeetingStatus, ...], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "outcome-%s")
        super().__init__(*args, **kwargs)
        status_field = self.fields["status"]
        assert isinstance(status_field, forms.TypedChoiceField)  # noqa: S101 (typing)
        status_field.choices = [(status.value, status.label) for status in outcomes]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("ladder_step") is not None and cleaned.get("status") != MeetingStatus.HELD:
            self.add_error(
                "ladder_step", _("A ladder step can only be recorded for a held conversation.")
            )
        return cleaned

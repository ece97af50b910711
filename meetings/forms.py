"""Forms of the booking page. They parse and validate input only; the rules are in
`meetings.selectors`, `meetings.suggestions` and `meetings.services`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from activering.models import User
from locations.geo import AMSTERDAM_TZ
from locations.models import Location, Room
from meetings.models import MeetingType
from meetings.suggestions import duo_colleagues


class MeetingTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MeetingType) -> str:
        return _("%(name)s · %(minutes)d min") % {
            "name": obj.name,
            "minutes": obj.duration_minutes,
        }


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in Amsterdam as it travels in links (2026-11-25T10:15), made aware in
    Europe/Amsterdam whatever the active time zone."""

    def to_python(self, value: Any) -> datetime | None:
        parsed = super().to_python(value)
        if parsed is None:
            return None
        return parsed.replace(tzinfo=None).replace(tzinfo=AMSTERDAM_TZ)


class _BookingFields(forms.Form):
    """What the suggestions depend on, shared by the choose step (GET) and the confirm step."""

    type = MeetingTypeChoiceField(
        label=_("Conversation type"),
        queryset=MeetingType.objects.active(),
        to_field_name="slug",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the conversation types.")},
    )
    co_host = forms.ModelChoiceField(
        label=_("Second colleague (duo conversation)"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("No second colleague"),
    )
    group_size = forms.IntegerField(
        label=_("Number of participants"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Only for a group meeting: the room must hold everyone."),
    )

    def __init__(self, *args: Any, user: User, duo_needed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_host"].queryset = duo_colleagues(user=user)  # type: ignore[attr-defined]
        if duo_needed:
            self.fields["co_host"].help_text = _(
                "Required: this client has risk signal red, so a second colleague comes along."
            )
        else:
            self.fields["co_host"].help_text = _(
                "Needed for a home visit to a client with risk signal orange."
            )

    @property
    def group_size_value(self) -> int:
        return self.cleaned_data.get("group_size") or 1


class ChooseForm(_BookingFields):
    """Step 2 (GET): type, duo colleague, period; the suggestions follow from it."""

    field_order = ["type", "co_host", "start", "group_size"]

    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Free times in the ten working days from this day."),
    )

    @property
    def start_value(self) -> date | None:
        start: date | None = self.cleaned_data.get("start")
        return start


class ConfirmForm(_BookingFields):
    """Step 3 (POST): the chosen slot, confirmed; `schedule_meeting` judges it."""

    location = forms.ModelChoiceField(
        queryset=Location.objects.all(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This location does not exist.")},
    )
    room = forms.ModelChoiceField(
        queryset=Room.objects.all(),
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid_choice": _("This room does not exist.")},
    )
    starts_at = LocalDateTimeField(widget=forms.HiddenInput, input_formats=["%Y-%m-%dT%H:%M"])
    override_reason = forms.CharField(
        label=_("Why do you still choose this location?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        duo_needed: bool = False,
        needs_override: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, user=user, duo_needed=duo_needed, **kwargs)
        self.fields["type"].widget = forms.HiddenInput()
        self.fields["group_size"].widget = forms.HiddenInput()
        if needs_override:
            self.require_override_reason()
        if duo_needed:
            self.require_co_host()

    def require_co_host(self) -> None:
        """This client at this place needs a duo (rood, or oranje on a home visit): the second
        colleague becomes required, so the form says so before `schedule_meeting` refuses."""
        field = self.fields["co_host"]
        field.required = True
        field.help_text = _(
            "Required: this client needs a second colleague for this conversation (risk signal "
            "red, or orange on a home visit)."
        )
        field.error_messages["required"] = _(
            "This client needs a duo conversation: choose a second colleague."
        )

    def require_override_reason(self) -> None:
        """The location is below the safety advice: the reason becomes required (rule 3)."""
        field = self.fields["override_reason"]
        field.required = True
        field.help_text = _(
            "This location is below the advised safety level. Write down why it is still the "
            "right place; your teamleider sees every deviation."
        )
        field.error_messages["required"] = _(
            "Explain why you choose a location below the safety advice."
        )


def parse_slot_time(value: str | None) -> datetime | None:
    """The `at` of a slot link, aware in Amsterdam; None when it is not a valid time."""
    try:
        parsed: datetime | None = ConfirmForm.base_fields["starts_at"].clean(value)
    except forms.ValidationError:
        return None
    return parsed

"""Forms of the beheer pages for locations: comfortable PC4 input, inline formsets that check
rows against each other (the rules live in `locations.services`), and the CSV import steps."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from locations import services
from locations.csv_io import MAX_BYTES
from locations.models import District, Location, Room
from locations.safety import FEATURE_FIELDS

_PC4 = re.compile(r"^[0-9]{4}$")


class Pc4CodesField(forms.CharField):
    """PC4 codes typed as one line: "1091, 1092 1093" (commas, spaces or semicolons)."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        codes = [code for code in re.split(r"[\s,;]+", text) if code]
        wrong = [code for code in codes if not _PC4.match(code)]
        if wrong:
            raise ValidationError(
                gettext("%(codes)s: a PC4 code is four digits, such as 1093.")
                % {"codes": ", ".join(wrong)}
            )
        return sorted(set(codes))


class DistrictAdminForm(forms.ModelForm):
    pc4_codes = Pc4CodesField(
        label=District._meta.get_field("pc4_codes").verbose_name,
        help_text=_("Separate the codes with commas or spaces, e.g. 1091, 1092, 1093."),
        required=False,
    )

    class Meta:
        model = District
        fields = [
            "name",
            "slug",
            "pc4_codes",
            "coverage_target",
            "centre_latitude",
            "centre_longitude",
        ]


class LocationAdminForm(forms.ModelForm):
    class Meta:
        model = Location
        # Everything the beheerder edits; pc4 and gebied are derived (read-only in the admin).
        fields = [
            "name",
            "kind",
            "partner_organisation",
            "threshold",
            "offerings",
            "is_active",
            "open_on_public_holidays",
            "street_address",
            "postcode",
            "neighbourhood",
            "latitude",
            "longitude",
            "is_step_free",
            *FEATURE_FIELDS,
            "contact_name",
            "contact_phone",
            "notes",
        ]
        widgets = {"offerings": forms.CheckboxSelectMultiple}


def _marked_for_deletion(form: forms.BaseForm) -> bool:
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


def _kept_instances(formset: BaseInlineFormSet) -> list[Any]:
    """The instances as they will be saved: filled-in and existing rows, deleted ones left out."""
    return [
        form.instance
        for form in formset.forms
        if not _marked_for_deletion(form) and (form.instance.pk or form.has_changed())
    ]


class RoomInlineFormSet(BaseInlineFormSet):
    """The rooms of a location: an active physical location keeps at least one active room."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rooms = _kept_instances(self)
        location: Location = self.instance
        if location.is_virtual and rooms:
            raise ValidationError(gettext("A home visit or phone/video location has no rooms."))
        services.validate_location_rooms(location=location, rooms=rooms)


class RoomScopedInlineFormSet(BaseInlineFormSet):
    """Opening hours and closures: the room choice lists only this location's rooms."""

    def add_fields(self, form: forms.ModelForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "room" in form.fields:
            field = form.fields["room"]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101  (a FK form field)
            field.queryset = (
                Room.objects.filter(location=self.instance)
                if self.instance.pk
                else Room.objects.none()
            )


class OpeningHoursInlineFormSet(RoomScopedInlineFormSet):
    """Opening hours rows saved together must not overlap each other (per day and room)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        services.validate_opening_hours(rows=_kept_instances(self))


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Semicolon-separated, UTF-8 (in Excel: 'CSV UTF-8'), at most 1 MB."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                gettext("The file is too large: at most %(size)d kB.") % {"size": MAX_BYTES // 1000}
            )
        return upload


#: The uploaded text travels back with the confirmation signed, so it cannot be altered in the
#: browser; the import still validates it again.
_SIGNING_SALT = "locations.csv_import"
#: A preview older than this must be uploaded again.
PREVIEW_MAX_AGE = 60 * 60


def sign_upload(*, text: str, filename: str) -> str:
    return signing.dumps({"text": text, "filename": filename}, salt=_SIGNING_SALT, compress=True)


class CsvConfirmForm(forms.Form):
    payload = forms.CharField(widget=forms.HiddenInput)

    def clean_payload(self) -> dict[str, str]:
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=_SIGNING_SALT, max_age=PREVIEW_MAX_AGE
            )
        except signing.BadSignature:
            raise ValidationError(
                gettext("This preview has expired or was altered. Upload the file again.")
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise ValidationError(gettext("Upload the file again."))
        return {"text": data["text"], "filename": str(data.get("filename", ""))}

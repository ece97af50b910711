"""The beheerder's page for conversation types (gesprekstypen), at /beheer/meetings/."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from activering.admin_site import beheer_site
from locations.choices import LocationKind
from meetings.choices import SEEDED_SLUGS
from meetings.models import MeetingType


class MeetingTypeAdminForm(forms.ModelForm):
    allowed_kinds = forms.MultipleChoiceField(
        label=MeetingType._meta.get_field("allowed_kinds").verbose_name,
        help_text=MeetingType._meta.get_field("allowed_kinds").help_text,
        choices=LocationKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def validate_unique(self) -> None:
        super().validate_unique()
        # The slug is read-only on the change page, so Django skips the constraints that use
        # it (the afstemmingsgesprek stays strict); check them here rather than let the
        # database refuse the save with an error page.
        if self.instance.pk is not None and not self.errors:
            try:
                self.instance.validate_constraints()
            except ValidationError as error:
                self.add_error(None, error)

    class Meta:
        model = MeetingType
        fields = [
            "name",
            "slug",
            "description",
            "duration_minutes",
            "is_active",
            "allowed_kinds",
            "minimum_safety_level",
            "override_allowed",
            "needs_room",
            "min_capacity",
            "prefers_low_threshold",
        ]


@admin.register(MeetingType, site=beheer_site)
class MeetingTypeAdmin(admin.ModelAdmin):
    form = MeetingTypeAdminForm
    list_display = [
        "name",
        "duration_minutes",
        "minimum_safety_level",
        "allowed_kinds_list",
        "override_allowed",
        "is_active",
    ]
    list_filter = ["is_active", "minimum_safety_level", "override_allowed"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "duration_minutes", "is_active"]}),
        (
            _("Where and how safe"),
            {
                "fields": [
                    "allowed_kinds",
                    "minimum_safety_level",
                    "override_allowed",
                    "needs_room",
                    "min_capacity",
                    "prefers_low_threshold",
                ]
            },
        ),
    ]

    @admin.display(description=_("allowed kinds of location"))
    def allowed_kinds_list(self, meeting_type: MeetingType) -> str:
        labels = dict(LocationKind.choices)
        return ", ".join(str(labels.get(kind, kind)) for kind in meeting_type.allowed_kinds)

    def get_readonly_fields(
        self, request: HttpRequest, obj: MeetingType | None = None
    ) -> list[str] | tuple[str, ...]:
        # The rules refer to a type by its slug: fixed once the type exists.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(
        self, request: HttpRequest, obj: MeetingType | None = None
    ) -> dict[str, Sequence[str]]:
        return {} if obj is not None else {"slug": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: MeetingType | None = None) -> bool:
        # The seeded types carry the rules of DOMAIN.md; switch them off instead (active).
        if obj is not None and obj.slug in SEEDED_SLUGS:
            return False
        return super().has_delete_permission(request, obj)

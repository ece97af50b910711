"""The beheerder's pages for gebieden, wijken, offerings and locations (at /beheer/).

Registered on `activering.admin_site.beheer_site` only. Saving goes through
`locations.services` (validation and derived fields in one place); the change view of the
admin is one transaction, so a rejected inline row saves nothing at all. No client data is
registered here or anywhere on the beheer site.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activering.admin_site import beheer_site
from locations import csv_io, services
from locations.admin_forms import (
    CsvConfirmForm,
    CsvUploadForm,
    DistrictAdminForm,
    LocationAdminForm,
    OpeningHoursInlineFormSet,
    RoomInlineFormSet,
    RoomScopedInlineFormSet,
    sign_upload,
)
from locations.choices import LocationKind, SafetyLevel, Threshold
from locations.history import location_history
from locations.models import (
    Closure,
    District,
    Location,
    Neighbourhood,
    Offering,
    OpeningHours,
    Room,
)
from locations.querysets import LocationQuerySet
from locations.safety import FEATURE_FIELDS, label_for, missing_features_for
from meetings.models import MeetingType
from meetings.selectors import suitable_types_for


@admin.register(District, site=beheer_site)
class DistrictAdmin(admin.ModelAdmin):
    form = DistrictAdminForm
    list_display = ["name", "pc4_list", "coverage_target", "location_count"]
    search_fields = ["name", "pc4_codes"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[District]:
        return super().get_queryset(request).annotate(location_count=Count("locations"))

    @admin.display(description=_("PC4 codes"))
    def pc4_list(self, district: District) -> str:
        return ", ".join(district.pc4_codes)

    @admin.display(description=_("locations"), ordering="location_count")
    def location_count(self, district: District) -> int:
        return district.location_count  # type: ignore[attr-defined]

    def save_model(
        self, request: HttpRequest, obj: District, form: ModelForm, change: bool
    ) -> None:
        # Also re-derives the gebied of locations whose PC4 moved into or out of this gebied.
        services.save_district(district=obj)


@admin.register(Neighbourhood, site=beheer_site)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "district"]
    list_filter = ["district"]
    search_fields = ["name"]


@admin.register(Offering, site=beheer_site)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ["name", "theme"]
    list_filter = ["theme"]
    search_fields = ["name"]


class SafetyLevelFilter(admin.SimpleListFilter):
    """Filter on the derived safety level (computed in SQL by the one rule, never stored)."""

    title = _("safety level")
    parameter_name = "veiligheid"
    NONE = "geen"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(level.value), str(level.label)) for level in SafetyLevel] + [
            (self.NONE, label_for(None))
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Location]) -> QuerySet[Location]:
        value = self.value()
        assert isinstance(queryset, LocationQuerySet)  # noqa: S101  (the model's manager)
        if value == self.NONE:
            return queryset.physical().with_safety_level().filter(Q(safety_level__isnull=True))
        if value in {str(level.value) for level in SafetyLevel}:
            return queryset.with_safety_level().filter(Q(safety_level=int(value)))
        return queryset


class RoomInline(admin.TabularInline):
    model = Room
    formset = RoomInlineFormSet
    fields = ["name", "capacity", "is_active"]
    extra = 1


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    formset = OpeningHoursInlineFormSet
    fields = ["weekday", "opens", "closes", "room"]
    extra = 1

    def get_queryset(self, request: HttpRequest) -> QuerySet[OpeningHours]:
        return super().get_queryset(request).select_related("room")


class ClosureInline(admin.TabularInline):
    model = Closure
    formset = RoomScopedInlineFormSet
    fields = ["starts_on", "ends_on", "reason", "room"]
    extra = 1

    def get_queryset(self, request: HttpRequest) -> QuerySet[Closure]:
        return super().get_queryset(request).select_related("room")


@admin.register(Location, site=beheer_site)
class LocationAdmin(admin.ModelAdmin):
    form = LocationAdminForm
    inlines = [RoomInline, OpeningHoursInline, ClosureInline]
    list_display = ["name", "kind", "district", "safety_level_label", "is_active"]
    list_filter = ["district", "kind", SafetyLevelFilter, "is_active"]
    search_fields = ["name", "street_address", "postcode", "partner_organisation"]
    list_per_page = 50
    actions = ["export_selected"]
    change_list_template = "admin/locations/location/change_list.html"
    readonly_fields = ["pc4", "district", "safety_overview", "suitable_types"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "kind",
                    "partner_organisation",
                    "threshold",
                    "offerings",
                    "is_active",
                    "open_on_public_holidays",
                ]
            },
        ),
        (
            _("Address"),
            {
                "fields": [
                    "street_address",
                    "postcode",
                    "pc4",
                    "district",
                    "neighbourhood",
                    ("latitude", "longitude"),
                    "is_step_free",
                ]
            },
        ),
        (_("Safety features"), {"fields": [*FEATURE_FIELDS, "safety_overview"]}),
        (_("Contact"), {"fields": ["contact_name", "contact_phone", "notes"]}),
        (_("Conversation types"), {"fields": ["suitable_types"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Location]:
        queryset = super().get_queryset(request)
        assert isinstance(queryset, LocationQuerySet)  # noqa: S101  (the model's manager)
        return queryset.with_safety_level().select_related("district")

    # Changelist and read-only values ------------------------------------------------------

    @admin.display(description=_("safety level"), ordering="safety_level")
    def safety_level_label(self, location: Location) -> str:
        if location.is_virtual:
            return "–"
        return label_for(location.safety_level)

    @admin.display(description=_("safety level"))
    def safety_overview(self, location: Location) -> SafeString | str:
        if location.pk is None:
            return gettext("Shown after saving.")
        if location.is_virtual:
            return gettext("Does not apply: a home visit or phone/video has no physical safety.")
        level = location.safety_level
        next_level = SafetyLevel.BASIS if level is None else SafetyLevel(level) + 1
        if next_level > SafetyLevel.BEVEILIGD:
            return format_html("<strong>{}</strong>", label_for(level))
        missing = missing_features_for(location, SafetyLevel(next_level))
        return format_html(
            "<strong>{}</strong><br>{}",
            label_for(level),
            gettext("Not yet %(level)s: %(missing)s.")
            % {"level": label_for(next_level), "missing": ", ".join(missing)},
        )

    @admin.display(description=_("suitable conversation types"))
    def suitable_types(self, location: Location) -> SafeString | str:
        if location.pk is None:
            return gettext("Shown after saving.")
        assessments = suitable_types_for(
            Location.objects.prefetch_related("rooms").get(pk=location.pk),
            MeetingType.objects.active(),
        )
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td></tr>",
            (
                (
                    meeting_type.name,
                    gettext("suitable") if assessment.is_suitable else " ".join(assessment.reasons),
                )
                for meeting_type, assessment in assessments
            ),
        )
        return format_html(
            "<table><caption>{}</caption><thead><tr><th scope='col'>{}</th>"
            "<th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
            gettext("For a client without a risk signal (groen)"),
            gettext("Conversation type"),
            gettext("Suitable, or why not"),
            rows,
        )

    # Saving --------------------------------------------------------------------------------

    def save_model(
        self, request: HttpRequest, obj: Location, form: ModelForm, change: bool
    ) -> None:
        # Offerings (many-to-many) follow in save_related, from the form.
        services.save_location(location=obj)

    # History -------------------------------------------------------------------------------

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        location = self.get_object(request, unquote(object_id))
        if location is None:
            raise Http404
        if not self.has_view_or_change_permission(request, location):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("History of %(name)s") % {"name": location.name},
            "subtitle": None,
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "object": location,
            "opts": self.opts,
            "entries": location_history(location=location),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/locations/location/history.html", context)

    # CSV export and import -----------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="{}_{}_export".format(*info),
            ),
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def _csv_response(
        self, request: HttpRequest, queryset: QuerySet[Location] | None
    ) -> HttpResponse:
        assert request.user.is_authenticated  # noqa: S101  (admin_view signed them in)
        text = csv_io.export_locations(user=request.user, locations=queryset)
        response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
        filename = f"locaties-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    @admin.action(description=_("Export selected locations as CSV"), permissions=["view"])
    def export_selected(self, request: HttpRequest, queryset: QuerySet[Location]) -> HttpResponse:
        return self._csv_response(request, queryset)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return self._csv_response(request, None)

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload → preview with per-row errors → confirm → all or nothing."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        upload_form = CsvUploadForm()
        plan: csv_io.ImportPlan | None = None
        payload = ""
        file_error = ""
        if request.method == "POST" and "payload" in request.POST:
            confirm_form = CsvConfirmForm(request.POST)
            if not confirm_form.is_valid():
                file_error = " ".join(str(error) for error in confirm_form.errors["payload"])
            else:
                data = confirm_form.cleaned_data["payload"]
                assert request.user.is_authenticated  # noqa: S101  (admin_view signed them in)
                try:
                    result = csv_io.import_locations(
                        text=data["text"], user=request.user, filename=data["filename"]
                    )
                except csv_io.CsvFileError as error:
                    file_error = str(error)
                except csv_io.CsvImportError as error:
                    plan = error.plan
                    file_error = gettext(
                        "The file no longer imports cleanly (the data changed since the "
                        "preview). Nothing was imported."
                    )
                else:
                    self.message_user(
                        request,
                        gettext(
                            "Imported: %(created)d new and %(updated)d changed locations, "
                            "%(rooms_created)d new and %(rooms_updated)d changed rooms."
                        )
                        % vars(result),
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:locations_location_changelist"))
        elif request.method == "POST":
            upload_form = CsvUploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                upload = upload_form.cleaned_data["file"]
                try:
                    text = csv_io.read_upload(data=upload.read())
                    plan = csv_io.plan_import(text=text)
                except csv_io.CsvFileError as error:
                    upload_form.add_error("file", str(error))
                else:
                    if plan.is_valid:
                        payload = sign_upload(text=text, filename=upload.name or "")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import locations from CSV"),
            "subtitle": None,
            "opts": self.opts,
            "module_name": str(self.opts.verbose_name_plural).capitalize(),
            "form": upload_form,
            "plan": plan,
            "payload": payload,
            "file_error": file_error,
            "headers": csv_io.HEADERS,
            "kinds": LocationKind.choices,
            "thresholds": Threshold.choices,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/locations/location/csv_import.html", context)

"""Staff pages about partner locations (every role reads them): the list with filters and a map,
and one location's page."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from activering.http import AuthenticatedHttpRequest
from clients.choices import Risk
from locations.filters import LocationFilterForm
from locations.models import District, Location
from locations.safety import label_for
from locations.selectors import gebieden, get_location_detail
from meetings.models import MeetingType
from meetings.selectors import suitable_types_for

VIEW_LOCATIONS = "locations.view_location"

#: Where the map starts when it has no markers: the middle of stadsdeel Oost.
MAP_CENTRE = (52.3600, 4.9400)


@require_GET
@permission_required(VIEW_LOCATIONS, raise_exception=True)
def location_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Locations with filters; htmx requests (a filter changed) get only the results."""
    form = LocationFilterForm(request.GET)
    locations = list(form.locations())
    context: dict[str, Any] = {"form": form, "locations": locations}
    context["map_markers"] = _map_markers(locations)
    template = "locations/location_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    else:
        context["map_config"] = _map_config(gebied_labels=gebieden())
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@permission_required(VIEW_LOCATIONS, raise_exception=True)
def location_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One location: rooms, this week's hours, closures, safety and the conversation types it
    suits (for a client without a risk signal), and why not."""
    detail = get_location_detail(pk=pk, today=timezone.localdate())
    suitability = suitable_types_for(detail.location, MeetingType.objects.active(), risk=Risk.GROEN)
    context = {
        "detail": detail,
        "location": detail.location,
        "suitability": suitability,
        "map_config": _map_config(),
        "map_markers": _map_markers([detail.location], link=False),
    }
    return render(request, "locations/location_detail.html", context)


def _map_config(*, gebied_labels: Iterable[District] = ()) -> dict[str, Any]:
    """What location_map.js needs besides the markers (read from a json_script, CSP-safe).
    `gebied_labels`: gebieden named on the map at their centre, for orientation without tiles."""
    return {
        "gebieden": [
            {
                "name": district.name,
                "lat": float(district.centre_latitude),
                "lng": float(district.centre_longitude),
            }
            for district in gebied_labels
        ],
        "tileUrl": settings.ACTIVERING_TILE_URL,
        "tileAttribution": settings.ACTIVERING_TILE_ATTRIBUTION,
        "imagePath": static("leaflet/images/"),
        "centre": MAP_CENTRE,
        "labels": {
            "zoomIn": gettext("Zoom in"),
            "zoomOut": gettext("Zoom out"),
            "close": gettext("Close"),
            "safetyLevel": gettext("Safety level"),
        },
    }


def _map_markers(locations: Iterable[Location], *, link: bool = True) -> list[dict[str, Any]]:
    """One marker per location with coordinates (home visits and phone/video have none)."""
    return [
        {
            "name": location.name,
            "url": reverse("locations:detail", args=[location.pk]) if link else "",
            "lat": float(location.latitude),
            "lng": float(location.longitude),
            "level": label_for(location.safety_level),
            "address": f"{location.street_address}, {location.postcode}",
        }
        for location in locations
        if location.latitude is not None and location.longitude is not None
    ]

"""QuerySets of locations and rooms: reads that lists, coverage and suggestions filter on in SQL.

Kept apart from `selectors.py` because the models use them as managers; `selectors.py` re-exports
them for readers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from locations.choices import VIRTUAL_KINDS, SafetyLevel
from locations.expressions import MinutesBetween
from locations.safety import level_q, safety_level_expression

if TYPE_CHECKING:
    # Used by the string annotations of the QuerySet base classes.
    from locations.models import District, Location, Room  # noqa: F401

#: Coverage (DOMAIN rule 8) counts locations with a room open at least this long per week.
COVERAGE_MIN_WEEKLY_MINUTES = 8 * 60


def _weekly_minutes_subquery(**filters: Any) -> Subquery:
    from locations.models import OpeningHours

    group_by = next(iter(filters)).split("__")[0]
    return Subquery(
        OpeningHours.objects.filter(**filters)
        .order_by()
        .values(group_by)
        .annotate(total=Sum(MinutesBetween(F("closes"), F("opens"))))
        .values("total"),
        output_field=IntegerField(),
    )


class RoomQuerySet(models.QuerySet["Room"]):
    def active(self) -> RoomQuerySet:
        """Active rooms at active locations."""
        return self.filter(is_active=True, location__is_active=True)

    def with_weekly_open_minutes(self) -> RoomQuerySet:
        """Annotate `weekly_open_minutes`: the room's own hours when it has any (a per-room
        override replaces the location's hours), else the location's general hours; 0 when
        neither has any. Closures and holidays are not subtracted: this is the regular week."""
        return self.annotate(
            weekly_open_minutes=Coalesce(
                _weekly_minutes_subquery(room=OuterRef("pk")),
                _weekly_minutes_subquery(location=OuterRef("location"), room__isnull=True),
                Value(0),
                output_field=IntegerField(),
            )
        )


class LocationQuerySet(models.QuerySet["Location"]):
    def active(self) -> LocationQuerySet:
        return self.filter(is_active=True)

    def physical(self) -> LocationQuerySet:
        """Places with an address and rooms (not the client's home, not phone/video)."""
        return self.exclude(kind__in=VIRTUAL_KINDS)

    def virtual(self) -> LocationQuerySet:
        return self.filter(kind__in=VIRTUAL_KINDS)

    def with_safety_level(self) -> LocationQuerySet:
        """Annotate `safety_level` (1–3 or NULL) computed in SQL by the one rule in
        `locations.safety`, for ordering and `.filter(safety_level=…)`."""
        return self.annotate(safety_level=safety_level_expression())

    def at_least(self, level: SafetyLevel | int | None) -> LocationQuerySet:
        """Locations reaching at least `level` (None: no minimum, everything passes)."""
        if level is None:
            return self.all()
        return self.filter(level_q(SafetyLevel(level)))

    def in_district(self, district: District | int) -> LocationQuerySet:
        return self.filter(district=district)

    def with_bookable_room(
        self, *, min_capacity: int = 1, min_weekly_open_minutes: int = 0
    ) -> LocationQuerySet:
        """Locations with an active room holding `min_capacity` people and open at least
        `min_weekly_open_minutes` a week (coverage: `COVERAGE_MIN_WEEKLY_MINUTES`)."""
        return self.filter(
            bookable_room_exists(
                min_capacity=min_capacity, min_weekly_open_minutes=min_weekly_open_minutes
            )
        )


def bookable_room_exists(*, min_capacity: int = 1, min_weekly_open_minutes: int = 0) -> Exists:
    """SQL condition on a location: it has an active room with this capacity and weekly hours."""
    from locations.models import Room

    rooms = Room.objects.filter(location=OuterRef("pk"), is_active=True, capacity__gte=min_capacity)
    if min_weekly_open_minutes:
        # A Q object: django-stubs cannot see the annotation as a filter keyword.
        rooms = rooms.with_weekly_open_minutes().filter(
            Q(weekly_open_minutes__gte=min_weekly_open_minutes)
        )
    return Exists(rooms)


# Typed managers (django-stubs): `Location.objects.active()` etc. are known to mypy.
RoomManager = models.Manager.from_queryset(RoomQuerySet)
LocationManager = models.Manager.from_queryset(LocationQuerySet)

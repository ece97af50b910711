"""Reads about locations: gebieden by PC4, which rooms are open when, weekly open minutes.

The querysets (`LocationQuerySet`, `RoomQuerySet`) live in `locations.querysets` because the
models use them as managers; they are re-exported here:

    Location.objects.active().physical().with_safety_level().at_least(SafetyLevel.VERHOOGD)
    Location.objects.with_bookable_room(min_capacity=8, min_weekly_open_minutes=480)
    Room.objects.active().with_weekly_open_minutes()
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import get_language, gettext

from activering.caching import remembered, version_key
from locations.choices import VIRTUAL_KINDS, SafetyLevel
from locations.geo import AMSTERDAM_TZ, PC4_CENTROIDS
from locations.models import Closure, District, Location, Offering, OpeningHours, Room
from locations.querysets import COVERAGE_MIN_WEEKLY_MINUTES, LocationQuerySet, RoomQuerySet
from locations.safety import FEATURE_FIELDS, missing_features_for

__all__ = [
    "COVERAGE_MIN_WEEKLY_MINUTES",
    "Interval",
    "LocationQuerySet",
    "RoomQuerySet",
    "DayHours",
    "LocationDetail",
    "MAX_LOCATION_QUERY_LENGTH",
    "RoomHours",
    "SafetyFeature",
    "district_for_pc4",
    "filter_locations",
    "gebieden",
    "get_location_detail",
    "is_public_holiday",
    "kept_locations",
    "location_data_key",
    "location_data_version",
    "open_intervals",
    "pc4_position",
    "week_of",
    "weekly_open_minutes",
]

#: A half-open interval [start, end) of aware datetimes in Europe/Amsterdam.
Interval = tuple[datetime, datetime]


def district_for_pc4(pc4: str) -> District | None:
    """The gebied a four-digit postcode area belongs to, or None (outside Oost / unknown)."""
    return District.objects.for_pc4(pc4)


@lru_cache(maxsize=32)
def _public_holidays(years: tuple[int, ...]) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NL", years=list(years)).keys())


_DATA_VERSION_SQL = """
SELECT concat_ws(':',
    (SELECT max(pgh_id) FROM locations_locationevent),
    (SELECT max(pgh_id) FROM locations_roomevent),
    (SELECT max(pgh_id) FROM locations_openinghoursevent),
    (SELECT max(pgh_id) FROM locations_closureevent),
    (SELECT md5(string_agg(d::text, ',' ORDER BY d.id)) FROM locations_district d),
    (SELECT md5(string_agg(o::text, ',' ORDER BY o.id)) FROM locations_offering o),
    (SELECT count(*) || '-' || coalesce(max(id), 0) FROM locations_location_offerings),
    (SELECT md5(string_agg(t::text, ',' ORDER BY t.id)) FROM meetings_meetingtype t)
)
"""


def location_data_version() -> str:
    """Changes whenever anything the location rules read changes: every write to a location,
    room, opening hours or closure appends a history event (database triggers); gebieden,
    offerings and conversation types are few enough to fingerprint; which location has which
    offering is only ever inserted or deleted, so its row count and highest id tell.

    One cheap query; the key for figures derived from static location data (the coverage
    matrix, the suggestions' candidate places and opening times, kept with
    `activering.caching.remembered`)."""
    with connection.cursor() as cursor:
        cursor.execute(_DATA_VERSION_SQL)
        return str(cursor.fetchone()[0])


def location_data_key(*parts: object, version: str | None = None) -> str:
    """A key for something derived from static location data only: it holds
    `location_data_version()` (pass `version` when the page already has it: one query less)."""
    return version_key("location-data", version or location_data_version(), *parts)


def kept_locations(*, version: str | None = None) -> dict[int, Location]:
    """Every location by pk, active or not, with its rooms (smallest first) and offerings: three
    queries once per process and location data version (`remembered`). For pages
    that show or judge many locations: the suggestions, the agenda."""
    return remembered(
        location_data_key("locations", version=version),
        lambda: {
            location.pk: location
            for location in Location.objects.prefetch_related(
                Prefetch("rooms", queryset=Room.objects.order_by("capacity", "name")), "offerings"
            )
        },
    )


def pc4_position(pc4: str) -> tuple[float, float] | None:
    """The centre of a four-digit postcode area: its known centroid, else the centre of the
    gebied it belongs to (one query), else None."""
    if pc4 in PC4_CENTROIDS:
        return PC4_CENTROIDS[pc4]
    district = District.objects.for_pc4(pc4) if pc4 else None
    if district is None:
        return None
    return (float(district.centre_latitude), float(district.centre_longitude))


def is_public_holiday(day: date) -> bool:
    """A Dutch public holiday (the `holidays` package), e.g. Koningsdag or Tweede kerstdag."""
    return day in _public_holidays((day.year,))


def _rooms_with_locations(rooms: Iterable[Room] | QuerySet[Room]) -> list[Room]:
    if isinstance(rooms, QuerySet):
        return list(rooms.select_related("location"))
    ids = [room.pk for room in rooms]
    return list(Room.objects.filter(pk__in=ids).select_related("location"))


def _hours_per_weekday(rows: Iterable[OpeningHours]) -> dict[int, list[tuple[time, time]]]:
    per_day: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for row in rows:
        per_day[row.weekday].append((row.opens, row.closes))
    return per_day


def _local(day: date, moment: time) -> datetime:
    """Wall-clock time on `day` in Amsterdam: 09:00 stays 09:00 on both DST switch days."""
    return datetime.combine(day, moment, tzinfo=AMSTERDAM_TZ)


def _merge(intervals: list[Interval]) -> list[Interval]:
    """Sort and join touching intervals (09–12 and 12–17 become 09–17)."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def open_intervals(
    *, rooms: Iterable[Room] | QuerySet[Room], start: date, end: date
) -> dict[int, list[Interval]]:
    """For each room (by pk), when it is open on the dates in [start, end).

    The intervals are half-open `[opens, closes)` aware datetimes in Europe/Amsterdam, built
    from the local wall-clock opening hours of each date, so a room open 09:00–17:00 is open
    09:00–17:00 local time on the last Sundays of March and October too (its UTC offset
    changes, its local times do not). Touching intervals are merged.

    Per room: its own opening hours when it has any (they replace the location's), else the
    location's general hours; minus location closures, room closures and Dutch public holidays
    (unless the location is `open_on_public_holidays`). Inactive rooms and rooms of inactive
    locations get an empty list, as do the virtual kinds (they have no rooms).

    Three queries whatever the number of rooms or days: rooms with locations, opening hours,
    closures in the period.
    """
    room_list = _rooms_with_locations(rooms)
    result: dict[int, list[Interval]] = {room.pk: [] for room in room_list}
    bookable = [room for room in room_list if room.is_active and room.location.is_active]
    if not bookable or end <= start:
        return result
    location_ids = {room.location_id for room in bookable}

    location_hours: dict[int, list[OpeningHours]] = defaultdict(list)
    room_hours: dict[int, list[OpeningHours]] = defaultdict(list)
    for row in OpeningHours.objects.filter(location_id__in=location_ids):
        if row.room_id is None:
            location_hours[row.location_id].append(row)
        else:
            room_hours[row.room_id].append(row)

    location_closures: dict[int, list[Closure]] = defaultdict(list)
    room_closures: dict[int, list[Closure]] = defaultdict(list)
    for closure in Closure.objects.filter(
        location_id__in=location_ids, starts_on__lt=end, ends_on__gte=start
    ):
        if closure.room_id is None:
            location_closures[closure.location_id].append(closure)
        else:
            room_closures[closure.room_id].append(closure)

    public_holidays = _public_holidays(tuple(range(start.year, end.year + 1)))
    days = [start + timedelta(days=n) for n in range((end - start).days)]

    for room in bookable:
        location = room.location
        weekly = _hours_per_weekday(room_hours.get(room.pk) or location_hours[location.pk])
        closures = location_closures[location.pk] + room_closures[room.pk]
        intervals: list[Interval] = []
        for day in days:
            if day in public_holidays and not location.open_on_public_holidays:
                continue
            if any(c.starts_on <= day <= c.ends_on for c in closures):
                continue
            intervals.extend(
                (_local(day, opens), _local(day, closes))
                for opens, closes in weekly.get(day.weekday(), [])
            )
        result[room.pk] = _merge(intervals)
    return result


def weekly_open_minutes(room: Room) -> int:
    """Minutes a room is open in a regular week (its own hours, else the location's).

    Reads `room.opening_hours.all()` and `room.location.opening_hours.all()`, so prefetch
    `opening_hours` and `location__opening_hours` when calling it in a loop; for SQL filtering
    use `Room.objects.with_weekly_open_minutes()` (the same rule).
    """
    own = list(room.opening_hours.all())
    rows = own or [row for row in room.location.opening_hours.all() if row.room_id is None]
    return sum(_minutes_of_day(row.closes) - _minutes_of_day(row.opens) for row in rows)


def _minutes_of_day(moment: time) -> int:
    return moment.hour * 60 + moment.minute


# Staff pages: /locaties/ and /locaties/<pk>/ ----------------------------------------------------

#: The free-text filter of /locaties/ is cut to this length.
MAX_LOCATION_QUERY_LENGTH = 100


def _active_room_count() -> Coalesce:
    """SQL: how many active rooms a location has (a subquery, so other joins cannot inflate it)."""
    counted = (
        Room.objects.filter(location=OuterRef("pk"), is_active=True)
        .order_by()
        .values("location")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def filter_locations(
    *,
    gebied: District | None = None,
    kind: str | None = None,
    min_level: SafetyLevel | int | None = None,
    offering: Offering | None = None,
    step_free: bool = False,
    query: str = "",
    include_inactive: bool = False,
) -> LocationQuerySet:
    """The locations on /locaties/, filtered, ready to list and map.

    Annotated with `safety_level` (the one rule, in SQL) and `active_room_count`; gebied and wijk
    joined and offerings prefetched, so listing them costs two queries however many there are.
    `min_level` leaves out the virtual kinds (they have no physical safety features); `query`
    matches the name, partner organisation or street. Active locations only unless
    `include_inactive`. Ordered by name, the virtual kinds last.
    """
    locations = Location.objects.all() if include_inactive else Location.objects.active()
    if gebied is not None:
        locations = locations.in_district(gebied)
    if kind:
        locations = locations.filter(kind=kind)
    if min_level is not None:
        locations = locations.at_least(min_level)
    if offering is not None:
        locations = locations.filter(offerings=offering)
    if step_free:
        locations = locations.filter(is_step_free=True)
    words = query.split()
    for word in words:
        locations = locations.filter(
            Q(name__icontains=word)
            | Q(partner_organisation__icontains=word)
            | Q(street_address__icontains=word)
        )
    return (
        locations.with_safety_level()
        .annotate(active_room_count=_active_room_count())
        .select_related("district", "neighbourhood")
        .prefetch_related("offerings")
        .order_by(
            # Places first, then the home visit and phone/video "locations".
            Case(When(kind__in=sorted(VIRTUAL_KINDS), then=Value(1)), default=Value(0)),
            "name",
        )
    )


def gebieden() -> list[District]:
    """Every gebied by name (filters, map labels)."""
    return list(District.objects.order_by("name"))


@dataclass(frozen=True)
class RoomHours:
    """One room's opening on one day: its open spans, or why it is closed."""

    room: Room
    spans: list[tuple[time, time]]
    closed_reason: str = ""


@dataclass(frozen=True)
class DayHours:
    """A location's opening on one day of the week shown on its page.

    `spans` when every active room has the same hours that day; otherwise `rooms` lists each
    room. No spans and no room open: closed, with `closed_reason` when known (a public holiday,
    a closure) and "" for a regular closed day.
    """

    day: date
    is_today: bool
    spans: list[tuple[time, time]]
    rooms: list[RoomHours]
    closed_reason: str = ""

    @property
    def is_open(self) -> bool:
        return bool(self.spans) or any(room.spans for room in self.rooms)


@dataclass(frozen=True)
class SafetyFeature:
    label: str
    present: bool


@dataclass(frozen=True)
class LocationDetail:
    """Everything the location page shows, read in a fixed number of queries."""

    location: Location
    rooms: list[Room]
    week: list[DayHours]
    upcoming_closures: list[Closure]
    features: list[SafetyFeature]
    #: What the location lacks to reach the next safety level ([] at the top or when virtual).
    next_level: SafetyLevel | None
    missing_for_next_level: list[str] = field(default_factory=list)


def week_of(day: date) -> tuple[date, date]:
    """Monday of the week `day` falls in and the Monday after (`open_intervals`' [start, end))."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=7)


def _holiday_names(years: Iterable[int]) -> dict[date, str]:
    """Dutch public holidays with their names in the current language (Dutch by default)."""
    language = "nl" if (get_language() or "nl").startswith("nl") else "en_US"
    return dict(holidays.country_holidays("NL", years=list(years), language=language).items())


def _covers(closure: Closure, day: date) -> bool:
    return closure.starts_on <= day <= closure.ends_on


def _spans_on(day: date, intervals: list[Interval]) -> list[tuple[time, time]]:
    return [
        (start.astimezone(AMSTERDAM_TZ).time(), end.astimezone(AMSTERDAM_TZ).time())
        for start, end in intervals
        if start.astimezone(AMSTERDAM_TZ).date() == day
    ]


def _week_hours(
    *, location: Location, rooms: list[Room], closures: list[Closure], today: date
) -> list[DayHours]:
    """Opening per day of this week, from `open_intervals` (the one rule), with the reason a day
    is closed derived from the same inputs: inactive, no active room, holiday, closure."""
    start, end = week_of(today)
    active_rooms = [room for room in rooms if room.is_active]
    intervals = open_intervals(rooms=active_rooms, start=start, end=end) if active_rooms else {}
    holiday_names = _holiday_names({start.year, (end - timedelta(days=1)).year})
    location_closures = [c for c in closures if c.room_id is None]
    week: list[DayHours] = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        per_room = [
            RoomHours(
                room=room,
                spans=_spans_on(day, intervals.get(room.pk, [])),
                closed_reason=next(
                    (c.reason for c in closures if c.room_id == room.pk and _covers(c, day)), ""
                ),
            )
            for room in active_rooms
        ]
        reason = ""
        if not location.is_active:
            reason = gettext("location not active")
        elif not active_rooms:
            reason = gettext("no active room")
        elif day in holiday_names and not location.open_on_public_holidays:
            reason = holiday_names[day]
        else:
            reason = next((c.reason for c in location_closures if _covers(c, day)), "")
            if not reason and all(room.closed_reason for room in per_room):
                reason = "; ".join(dict.fromkeys(room.closed_reason for room in per_room))
        distinct = {tuple(room.spans) for room in per_room}
        same_for_all = len(distinct) <= 1 and not any(room.closed_reason for room in per_room)
        spans = per_room[0].spans if per_room and same_for_all and not reason else []
        week.append(
            DayHours(
                day=day,
                is_today=day == today,
                spans=spans,
                rooms=[] if same_for_all or reason else per_room,
                closed_reason=reason,
            )
        )
    return week


def get_location_detail(*, pk: int, today: date) -> LocationDetail:
    """The location page's data; 404 for an unknown pk. Inactive locations are shown too.

    Queries: the location (with gebied and wijk), its rooms, offerings and closures from this
    Monday on, then `open_intervals` (three) — the same number whatever the location holds.
    """
    monday, _next_monday = week_of(today)
    location = (
        Location.objects.select_related("district", "neighbourhood")
        .prefetch_related(
            Prefetch("rooms", queryset=Room.objects.order_by("name")),
            "offerings",
            Prefetch(
                "closures",
                queryset=Closure.objects.filter(ends_on__gte=monday)
                .select_related("room")
                .order_by("starts_on", "pk"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if location is None:
        raise Http404(gettext("No location found."))
    rooms = list(location.rooms.all())
    closures = list(location.closures.all())
    labels = {field.name: str(field.verbose_name) for field in Location._meta.fields}
    level = location.safety_level
    next_level: SafetyLevel | None = None
    if not location.is_virtual and level != max(SafetyLevel):
        next_level = SafetyLevel.BASIS if level is None else SafetyLevel(level + 1)
    return LocationDetail(
        location=location,
        rooms=rooms,
        week=[]
        if location.is_virtual
        else _week_hours(location=location, rooms=rooms, closures=closures, today=today),
        upcoming_closures=[c for c in closures if c.ends_on >= today],
        features=[
            SafetyFeature(label=labels[name], present=bool(getattr(location, name)))
            for name in FEATURE_FIELDS
        ],
        next_level=next_level,
        missing_for_next_level=(
            missing_features_for(location, next_level) if next_level is not None else []
        ),
    )

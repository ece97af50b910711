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
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.db.models import QuerySet

from locations.geo import AMSTERDAM_TZ
from locations.models import Closure, District, OpeningHours, Room
from locations.querysets import COVERAGE_MIN_WEEKLY_MINUTES, LocationQuerySet, RoomQuerySet

__all__ = [
    "COVERAGE_MIN_WEEKLY_MINUTES",
    "Interval",
    "LocationQuerySet",
    "RoomQuerySet",
    "district_for_pc4",
    "is_public_holiday",
    "open_intervals",
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

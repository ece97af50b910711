"""Suggestions for booking a conversation (DOMAIN rule 6): the locations that suit a client and a
conversation type, ranked and explained in plain Dutch, each with its earliest free slots.

Reads only. The number of queries is constant whatever the number of locations, rooms and
meetings: the location data version (one); then, kept per process under that version, the
places a type may use with the rules' verdict (two, per type, risk and group size), every
active location with its rooms and offerings (three) and the opening times of each candidate
place (`open_intervals`, three); then the busy times of the candidate rooms, of the staff and
of the client over the period (one query each). The nearest places are chosen and the free
slots computed in Python, with sorted interval arithmetic.

The service (`meetings.services.schedule_meeting`) enforces every rule again when booking; the
suggestions only spare the klantmanager the search.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import number_format
from django.utils.translation import gettext

from activering.caching import remembered, remembered_each
from activering.models import User
from clients.choices import Risk
from clients.models import Client
from locations.choices import VIRTUAL_KINDS, LocationKind, Threshold
from locations.geo import AMSTERDAM_TZ, haversine_km
from locations.models import Location, Offering, Room
from locations.querysets import bookable_room_exists
from locations.safety import label_for
from locations.selectors import (
    Interval,
    is_public_holiday,
    kept_locations,
    location_data_key,
    location_data_version,
    open_intervals,
    pc4_position,
)
from meetings.models import OCCUPYING_STATUSES, Meeting, MeetingType, StaffCommitment
from meetings.selectors import Assessment, assess_location, duo_required, locations_suitable_for
from meetings.services import GRID_MINUTES

#: The default period: the next ten working days.
DEFAULT_DAYS = 10
#: The longest period the page may ask for (keeps the busy-time queries bounded).
MAX_DAYS = 20
#: Slots shown per location, and at most this many on one day (so a card offers a few days).
SLOTS_PER_LOCATION = 6
SLOTS_PER_DAY = 3
#: How many bookable places a page proposes, and how many unsuitable ones it explains: the
#: nearest ones to the client's home. A city has hundreds of locations; nobody reads them all,
#: and working out free slots for every room would make the page slow.
MAX_SUGGESTIONS = 8
MAX_UNSUITABLE = 5
#: Home visits and phone/video calls: Monday to Friday in these hours, not on public holidays.
WORKING_HOURS = (time(9, 0), time(17, 0))
#: Walking speed for "ca. 15 min lopen".
WALKING_KMH = 5.0
#: No conversation type lasts longer (MeetingType.duration_minutes); bounds the busy-time range
#: so the (resource, starts_at) indexes serve the queries.
_LONGEST_MEETING = timedelta(minutes=480)
_THRESHOLD_RANK = {Threshold.LOW: 0, Threshold.MEDIUM: 1, Threshold.HIGH: 2}
#: Distances in the same half kilometre count as equally near, so offerings and slots decide.
_DISTANCE_BUCKET_KM = 0.5
#: cos²(52.37°): a degree of longitude is this much shorter (squared) than one of latitude here.
_LONGITUDE_SCALE_SQUARED = 0.3722


@dataclass(frozen=True)
class Period:
    """The days searched: [start, end), `end` the day after the last working day."""

    start: date
    end: date

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    """A free start time: the room (None at home or by phone/video) and the people are free."""

    starts_at: datetime  # aware, Europe/Amsterdam
    ends_at: datetime
    room: Room | None

    @property
    def value(self) -> str:
        """The local start as it travels in links and forms: 2026-11-25T10:15."""
        return self.starts_at.astimezone(AMSTERDAM_TZ).strftime("%Y-%m-%dT%H:%M")


@dataclass(frozen=True)
class Suggestion:
    """One location for the booking page, with why it is suggested (or why not)."""

    location: Location
    assessment: Assessment
    #: Never bookable (DOMAIN rule 2, and the client's need for step-free access).
    hard_reasons: list[str]
    slots: list[Slot]
    distance_km: float | None
    matching_offerings: list[Offering]
    #: Plain Dutch: why this location is suggested, or why not.
    why: list[str]

    @property
    def is_bookable(self) -> bool:
        return not self.hard_reasons

    @property
    def needs_override(self) -> bool:
        """Below the safety advice: bookable only with a written reason (rule 3)."""
        return self.is_bookable and bool(self.assessment.soft_reasons)

    @property
    def duo_required(self) -> bool:
        return self.assessment.duo_required

    @property
    def earliest(self) -> Slot | None:
        return self.slots[0] if self.slots else None


# The period and the grid ------------------------------------------------------------------------


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_public_holiday(day)


def booking_period(*, start: date | None = None, days: int = DEFAULT_DAYS) -> Period:
    """`days` working days (Monday–Friday, not public holidays) from `start` (today at the
    earliest); at most MAX_DAYS."""
    today = timezone.localdate(timezone=AMSTERDAM_TZ)
    first = max(start or today, today)
    wanted = min(max(days, 1), MAX_DAYS)
    day, counted = first, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == wanted:
                return Period(start=first, end=day + timedelta(days=1))
        day += timedelta(days=1)


#: Nobody can get to a conversation that starts in a minute: a slot starts at least this far
#: ahead, which also keeps a slot from passing between choosing and confirming it.
MINIMUM_LEAD = timedelta(minutes=GRID_MINUTES)


def earliest_start(now: datetime | None = None) -> datetime:
    """A quarter of an hour from now, rounded up to the next quarter hour (UTC and Amsterdam
    share the quarters)."""
    now = (now or timezone.now()) + MINIMUM_LEAD
    step = GRID_MINUTES * 60
    return datetime.fromtimestamp(math.ceil(now.timestamp() / step) * step, tz=UTC)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM_TZ)


#: The quarter-hour grid in seconds. Amsterdam is a whole number of hours from UTC all year,
#: so its quarter hours are the quarter hours of Unix time.
_GRID_SECONDS = GRID_MINUTES * 60


def _grid_ceiling(seconds: float) -> int:
    """The first grid point at or after `seconds` (Unix time)."""
    return math.ceil(seconds / _GRID_SECONDS) * _GRID_SECONDS


def _working_intervals(period: Period) -> list[Interval]:
    """Working hours on the working days of the period (home visits, phone/video)."""
    opens, closes = WORKING_HOURS
    days = (period.start + timedelta(days=n) for n in range((period.end - period.start).days))
    return [
        (
            datetime.combine(day, opens, tzinfo=AMSTERDAM_TZ),
            datetime.combine(day, closes, tzinfo=AMSTERDAM_TZ),
        )
        for day in days
        if is_working_day(day)
    ]


class _Busy:
    """Busy intervals as sorted, merged Unix seconds: integer comparisons, where aware
    datetimes ask their time zone for its offset at every comparison."""

    def __init__(self, intervals: Iterable[Interval] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted((int(s.timestamp()), int(e.timestamp())) for s, e in intervals):
            self._add(start, end)

    def _add(self, start: int, end: int) -> None:
        if self.ends and start <= self.ends[-1]:
            self.ends[-1] = max(end, self.ends[-1])
        else:
            self.starts.append(start)
            self.ends.append(end)

    def __or__(self, other: _Busy) -> _Busy:
        union = _Busy()
        for start, end in heapq.merge(
            zip(self.starts, self.ends, strict=True), zip(other.starts, other.ends, strict=True)
        ):
            union._add(start, end)
        return union


def _free_starts(
    intervals: Iterable[Interval], *, duration: timedelta, earliest: datetime, busy: _Busy
) -> Iterator[datetime]:
    """Grid starts inside the open `intervals`, from `earliest`, that leave `duration` free of
    `busy`: a busy block is jumped over at once, not tested a quarter hour at a time."""
    length = int(duration.total_seconds())
    first = _grid_ceiling(earliest.timestamp())
    starts, ends = busy.starts, busy.ends
    for opens, closes in intervals:
        start = max(_grid_ceiling(opens.timestamp()), first)
        close = closes.timestamp()
        index = bisect_right(ends, start)  # the first busy block ending after `start`
        while start + length <= close:
            while index < len(ends) and ends[index] <= start:
                index += 1
            if index < len(starts) and starts[index] < start + length:
                start = _grid_ceiling(ends[index])
                continue
            yield datetime.fromtimestamp(start, AMSTERDAM_TZ)
            start += _GRID_SECONDS


def _split_at_midnight(intervals: Iterable[Interval]) -> Iterator[Interval]:
    """Each interval cut into its local days (opening hours end before midnight, but merged
    intervals of a place open round the clock would not)."""
    for opens, closes in intervals:
        while opens.date() < closes.date():
            midnight = _midnight(opens.date() + timedelta(days=1))
            yield opens, midnight
            opens = midnight
        if opens < closes:
            yield opens, closes


def _tagged(
    starts: Iterator[datetime], *, order: int, room: Room | None
) -> Iterator[tuple[datetime, int, Room | None]]:
    for start in starts:
        yield start, order, room


@dataclass(frozen=True)
class _SlotSource:
    """Where slots may come from: a room (None at home or by phone/video), when it is open,
    and what keeps it busy. `order` breaks ties: the smallest room that fits first."""

    order: int
    room: Room | None
    intervals: list[Interval]
    busy: _Busy


def _pick_slots(
    sources: list[_SlotSource],
    *,
    duration: timedelta,
    earliest: datetime,
    limit: int,
    per_day: int,
) -> list[Slot]:
    """The earliest `limit` start times over all sources, at most `per_day` on one day.

    Day by day: once a day has its `per_day` slots the search moves to the next day instead of
    testing the rest of that day's quarter hours against the busy times."""
    per_date: dict[date, list[tuple[int, _SlotSource, list[Interval]]]] = defaultdict(list)
    for source in sources:
        for interval in _split_at_midnight(source.intervals):
            entries = per_date[interval[0].date()]
            if entries and entries[-1][1] is source:
                entries[-1][2].append(interval)
            else:
                entries.append((source.order, source, [interval]))
    slots: list[Slot] = []
    for day in sorted(per_date):
        streams = [
            _tagged(
                _free_starts(intervals, duration=duration, earliest=earliest, busy=source.busy),
                order=order,
                room=source.room,
            )
            for order, source, intervals in per_date[day]
        ]
        last_start: datetime | None = None
        taken = 0
        for start, _order, room in heapq.merge(*streams, key=lambda item: (item[0], item[1])):
            if start == last_start:
                continue
            last_start = start
            slots.append(Slot(starts_at=start, ends_at=start + duration, room=room))
            taken += 1
            if len(slots) >= limit:
                return slots
            if taken >= per_day:
                break
    return slots


# Texts ------------------------------------------------------------------------------------------


def walking_text(km: float) -> str:
    """ "1,2 km · ca. 15 min lopen": one decimal (a decimal comma in Dutch), minutes at
    5 km/h rounded up to five."""
    minutes = max(5, math.ceil(km / WALKING_KMH * 60 / 5) * 5)
    return gettext("%(km)s km · about %(minutes)d min walk") % {
        "km": number_format(round(km, 1), decimal_pos=1, use_l10n=True),
        "minutes": minutes,
    }


def slot_text(moment: datetime) -> str:
    """ "di 25 nov 10:15" in Dutch."""
    return format_date(moment.astimezone(AMSTERDAM_TZ), "D j b H:i")


def _safety_text(assessment: Assessment) -> str | None:
    level, required = assessment.location_level, assessment.required_level
    if level is None:
        return None
    if required is None:
        return gettext("Safety level %(level)s") % {"level": label_for(level)}
    if level == required:
        return gettext("Safety level %(level)s, as advised") % {"level": label_for(level)}
    if level > required:
        return gettext("Safety level %(level)s, safer than the advised %(required)s") % {
            "level": label_for(level),
            "required": label_for(required),
        }
    return None  # below the advice: the soft reasons say it


def _why(
    *,
    location: Location,
    meeting_type: MeetingType,
    client: Client,
    assessment: Assessment,
    hard_reasons: list[str],
    distance_km: float | None,
    offerings: list[Offering],
    slots: list[Slot],
) -> list[str]:
    if hard_reasons:
        return [*hard_reasons, *assessment.soft_reasons]
    why: list[str] = []
    if assessment.soft_reasons:
        why.extend(assessment.soft_reasons)
        why.append(gettext("Only with a written reason."))
    else:
        safety = _safety_text(assessment)
        if safety:
            why.append(safety)
    if location.kind == LocationKind.CLIENT_HOME:
        why.append(gettext("At the client's home: no travel for the client"))
    elif location.kind == LocationKind.REMOTE:
        why.append(gettext("By phone or video: no travel for the client"))
    if assessment.duo_required:
        why.append(gettext("Duo conversation: a second colleague is needed"))
    if location.threshold == Threshold.LOW:
        why.append(gettext("Low threshold"))
    elif location.threshold == Threshold.HIGH and meeting_type.prefers_low_threshold:
        why.append(gettext("High threshold"))
    if distance_km is not None and not location.is_virtual:
        why.append(walking_text(distance_km))
    if offerings:
        why.append(
            gettext("Offering: %(offerings)s")
            % {
                "offerings": ", ".join(
                    f"{offering.name} ({offering.get_theme_display()})" for offering in offerings
                )
            }
        )
    if client.needs_step_free and location.is_step_free:
        why.append(gettext("Step-free access"))
    if slots:
        why.append(gettext("First free time: %(when)s") % {"when": slot_text(slots[0].starts_at)})
    else:
        why.append(gettext("No free time in this period"))
    return why


# The selector -----------------------------------------------------------------------------------


#: How many of the nearest places are judged in Python: the nearest ones that suit (rule SQL)
#: and the nearest ones of any allowed kind. Enough for the shortlists, bounded for a city.
NEAREST_CANDIDATES = 16


@dataclass(frozen=True)
class _PoolEntry:
    """A location of an allowed kind, as much as choosing the nearest candidates needs."""

    pk: int
    position: tuple[float, float] | None
    is_virtual: bool
    is_step_free: bool
    #: Suitable for the type and the client's risk (`locations_suitable_for`, the rules' SQL).
    is_suitable: bool
    #: An active room big enough (always True for the virtual kinds).
    has_room: bool


def _candidate_pool(
    *, meeting_type: MeetingType, risk: str, group_size: int, needed_capacity: int
) -> list[_PoolEntry]:
    """Every active location of the kinds the type allows, with what choosing candidates needs.
    Two queries; cached per type, risk and group size (a few dozen keys for the whole city),
    where the nearest ones depend on each client's home."""
    locations = Location.objects.active().filter(kind__in=sorted(meeting_type.allowed_kinds))
    suitable = set(
        locations_suitable_for(
            meeting_type=meeting_type, risk=risk, group_size=group_size, locations=locations
        ).values_list("pk", flat=True)
    )
    rows = locations.annotate(
        has_room=bookable_room_exists(min_capacity=needed_capacity)
    ).values_list("pk", "latitude", "longitude", "kind", "is_step_free", "has_room")
    return [
        _PoolEntry(
            pk=pk,
            position=(
                (float(latitude), float(longitude))
                if latitude is not None and longitude is not None
                else None
            ),
            is_virtual=kind in VIRTUAL_KINDS,
            is_step_free=is_step_free,
            is_suitable=pk in suitable,
            has_room=has_room or kind in VIRTUAL_KINDS or not meeting_type.needs_room,
        )
        for pk, latitude, longitude, kind, is_step_free, has_room in rows
    ]


def _nearest(entries: Iterable[_PoolEntry], home: tuple[float, float]) -> list[int]:
    """The `NEAREST_CANDIDATES` nearest by an equirectangular distance to `home` (exact enough
    within a city), ties by pk."""
    latitude, longitude = home
    distances = [
        (
            (entry.position[0] - latitude) ** 2
            + (entry.position[1] - longitude) ** 2 * _LONGITUDE_SCALE_SQUARED,
            entry.pk,
        )
        for entry in entries
        if entry.position is not None
    ]
    return [pk for _distance, pk in heapq.nsmallest(NEAREST_CANDIDATES, distances)]


def _candidate_locations(
    *,
    pool: list[_PoolEntry],
    locations: dict[int, Location],
    client: Client,
    home: tuple[float, float] | None,
    include_unsuitable: bool,
    location_ids: Collection[int] | None,
) -> list[Location]:
    """The locations to judge, by name. When the client's home is known, only the
    `NEAREST_CANDIDATES` nearest suitable places and nearest places of any allowed kind, plus
    the virtual ones. Without the unsuitable ones, locations without a room big enough and, for
    a client who needs it, those with steps are left out."""
    if location_ids is not None:
        chosen = [entry for entry in pool if entry.pk in location_ids]
    elif home is not None:
        near = {
            *_nearest((entry for entry in pool if entry.is_suitable), home),
            *_nearest(pool, home),
        }
        chosen = [entry for entry in pool if entry.pk in near or entry.is_virtual]
    else:
        chosen = list(pool)
    if not include_unsuitable:
        chosen = [
            entry
            for entry in chosen
            if entry.is_virtual
            or (entry.has_room and (entry.is_step_free or not client.needs_step_free))
        ]
    return sorted(
        (locations[entry.pk] for entry in chosen if entry.pk in locations),
        key=lambda location: (location.name, location.pk),
    )


def _uses_rooms(meeting_type: MeetingType, location: Location) -> bool:
    return meeting_type.needs_room and not location.is_virtual


def _distance_km(home: tuple[float, float] | None, location: Location) -> float | None:
    if location.is_virtual:
        return 0.0
    if home is None or location.latitude is None or location.longitude is None:
        return None
    return haversine_km(home, (float(location.latitude), float(location.longitude)))


def _rank(suggestion: Suggestion, meeting_type: MeetingType) -> tuple[object, ...]:
    """Safety fit first (suitable before needs-override), then low threshold (when the type
    prefers it), walking distance (per half kilometre), offerings that match the client's
    themes, the advised fit (safer places are fine, the advised level wins a tie), the earliest
    free slot. Locations without a free slot in the period sink to the end of their group."""
    assessment = suggestion.assessment
    fit_gap = 0
    if assessment.required_level is not None and assessment.location_level is not None:
        fit_gap = max(0, assessment.location_level - assessment.required_level)
    distance = suggestion.distance_km
    earliest = suggestion.earliest
    return (
        1 if suggestion.needs_override else 0,
        0 if earliest else 1,
        _THRESHOLD_RANK[Threshold(suggestion.location.threshold)]
        if meeting_type.prefers_low_threshold
        else 0,
        math.inf if distance is None else math.floor(distance / _DISTANCE_BUCKET_KM),
        -len(suggestion.matching_offerings),
        fit_gap,
        earliest.starts_at if earliest else datetime.max.replace(tzinfo=UTC),
        suggestion.location.name,
    )


def suggest_locations(
    *,
    client: Client,
    meeting_type: MeetingType,
    host: User,
    co_host: User | None = None,
    start: date | None = None,
    days: int = DEFAULT_DAYS,
    group_size: int = 1,
    include_unsuitable: bool = True,
    slots_per_location: int = SLOTS_PER_LOCATION,
    slots_per_day: int = SLOTS_PER_DAY,
    location_ids: Collection[int] | None = None,
    max_suggestions: int = MAX_SUGGESTIONS,
    max_unsuitable: int = MAX_UNSUITABLE,
) -> list[Suggestion]:
    """The locations for booking `meeting_type` with `client`, best first, each with why and its
    earliest free slots in `days` working days from `start` (DOMAIN rule 6).

    Bookable suggestions come first, ranked (`_rank`); those that need an override reason are
    marked `needs_override`. With `include_unsuitable`, locations of an allowed kind that break a
    hard rule follow (`is_bookable` False), by name, with the reasons. `location_ids` narrows the
    search (fresh slots for one location after a conflict). Only the `max_suggestions` nearest
    bookable places (those as safe as advised before those below it) and the `max_unsuitable`
    nearest unsuitable ones are worked out.

    Queries: 1 (location data version) + 2 (the places the type may use) + 3 (locations, rooms,
    offerings) + 3 (`open_intervals`) + 3 (busy rooms, staff, client), whatever the number of
    locations, rooms and meetings; 4 when the static location data comes from the cache.
    """
    period = booking_period(start=start, days=days)
    duration = timedelta(minutes=meeting_type.duration_minutes)
    needed = max(group_size, meeting_type.min_capacity)
    # Where the client lives (the PC4 area's centre), the candidate places and their opening
    # times read static location data only: cached under its version, one query per page.
    version = location_data_version()
    home = remembered(
        location_data_key("pc4-position", client.pc4, version=version),
        lambda: pc4_position(client.pc4),
    )
    pool = remembered(
        location_data_key(
            "suggestion-pool", meeting_type.pk, client.risk, group_size, needed, version=version
        ),
        lambda: _candidate_pool(
            meeting_type=meeting_type,
            risk=client.risk,
            group_size=group_size,
            needed_capacity=needed,
        ),
    )
    locations = _candidate_locations(
        pool=pool,
        locations=kept_locations(version=version),
        client=client,
        home=home,
        include_unsuitable=include_unsuitable,
        location_ids=location_ids,
    )
    assessed = [
        (
            location,
            assess_location(
                location=location,
                meeting_type=meeting_type,
                risk=client.risk,
                group_size=group_size,
                needs_step_free=client.needs_step_free,
            ),
        )
        for location in locations
    ]
    distance_of = {location.pk: _distance_km(home, location) for location, _ in assessed}

    def nearest(candidates: list[tuple[Location, Assessment]], limit: int) -> list:
        return sorted(
            candidates,
            key=lambda pair: (
                bool(pair[1].soft_reasons),
                math.inf if distance_of[pair[0].pk] is None else distance_of[pair[0].pk],
                pair[0].name,
            ),
        )[:limit]

    judged: list[tuple[Location, Assessment, list[str]]] = [
        (location, assessment, list(assessment.hard_reasons))
        for location, assessment in nearest(
            [pair for pair in assessed if not pair[1].hard_reasons], max_suggestions
        )
        + nearest([pair for pair in assessed if pair[1].hard_reasons], max_unsuitable)
    ]

    with_rooms = {
        location.pk: location
        for location, _assessment, hard in judged
        if not hard and _uses_rooms(meeting_type, location)
    }
    rooms_of: dict[int, list[Room]] = {
        pk: [room for room in location.rooms.all() if room.is_active and room.capacity >= needed]
        for pk, location in with_rooms.items()
    }
    all_rooms = [room for rooms in rooms_of.values() for room in rooms]

    # Opening times per location, each cached: the same few places serve many clients.
    def open_per_location(pks: list[int]) -> dict[int, dict[int, list[Interval]]]:
        rooms = [room for pk in pks for room in with_rooms[pk].rooms.all()]
        intervals = open_intervals(rooms=rooms, start=period.start, end=period.end)
        return {
            pk: {room.pk: intervals[room.pk] for room in with_rooms[pk].rooms.all()} for pk in pks
        }

    opening: dict[int, list[Interval]] = {}
    for per_room in remembered_each(
        {
            pk: location_data_key("open-intervals", pk, period.start, period.end, version=version)
            for pk in with_rooms
        },
        open_per_location,
    ).values():
        opening.update(per_room)

    window_start = max(earliest_start(), _midnight(period.start).astimezone(UTC))
    window_end = _midnight(period.end)
    in_window = Q(
        starts_at__lt=window_end,
        ends_at__gt=window_start,
        starts_at__gte=window_start - _LONGEST_MEETING,
    )
    room_busy: dict[int, list[Interval]] = defaultdict(list)
    if all_rooms:
        for room_id, starts_at, ends_at in Meeting.objects.filter(
            in_window, room_id__in=[room.pk for room in all_rooms], status__in=OCCUPYING_STATUSES
        ).values_list("room_id", "starts_at", "ends_at"):
            room_busy[room_id].append((starts_at, ends_at))
    staff_ids = [person.pk for person in (host, co_host) if person is not None]
    people = _Busy(
        [
            *StaffCommitment.objects.filter(
                in_window, user_id__in=staff_ids, is_occupying=True
            ).values_list("starts_at", "ends_at"),
            *Meeting.objects.filter(
                in_window, client=client, status__in=OCCUPYING_STATUSES
            ).values_list("starts_at", "ends_at"),
        ]
    )
    working = _working_intervals(period)

    bookable: list[Suggestion] = []
    unsuitable: list[Suggestion] = []
    for location, assessment, hard in judged:
        slots: list[Slot] = []
        if not hard:
            if _uses_rooms(meeting_type, location):
                sources = [
                    _SlotSource(
                        order=order,
                        room=room,
                        intervals=opening.get(room.pk, []),
                        busy=_Busy(room_busy.get(room.pk, [])) | people,
                    )
                    for order, room in enumerate(rooms_of[location.pk])
                ]
            else:
                sources = [_SlotSource(order=0, room=None, intervals=working, busy=people)]
            slots = _pick_slots(
                sources,
                duration=duration,
                earliest=window_start,
                limit=slots_per_location,
                per_day=slots_per_day,
            )
        distance = distance_of[location.pk]
        offerings = [
            offering for offering in location.offerings.all() if offering.theme in client.themes
        ]
        suggestion = Suggestion(
            location=location,
            assessment=assessment,
            hard_reasons=hard,
            slots=slots,
            distance_km=distance,
            matching_offerings=offerings,
            why=_why(
                location=location,
                meeting_type=meeting_type,
                client=client,
                assessment=assessment,
                hard_reasons=hard,
                distance_km=distance,
                offerings=offerings,
                slots=slots,
            ),
        )
        (bookable if not hard else unsuitable).append(suggestion)

    bookable.sort(key=lambda suggestion: _rank(suggestion, meeting_type))
    unsuitable.sort(key=lambda suggestion: suggestion.location.name)
    return bookable + (unsuitable if include_unsuitable else [])


# For the booking form ---------------------------------------------------------------------------


def duo_colleagues(*, user: User) -> QuerySet[User]:
    """Active colleagues of `user`'s team who may hold conversations (a duo's second person)."""
    team_id = user.team_id
    if team_id is None:
        return User.objects.none()
    may_plan = Q(
        groups__permissions__codename="plan_meetings",
        groups__permissions__content_type__app_label="activering",
    ) | Q(
        user_permissions__codename="plan_meetings",
        user_permissions__content_type__app_label="activering",
    )
    return (
        User.objects.filter(may_plan, team_id=team_id, is_active=True)
        .exclude(pk=user.pk)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def duo_needed_for(*, client: Client, meeting_type: MeetingType | None) -> bool:
    """Say it up front: a duo is required for rood, and for oranje on a home visit."""
    if meeting_type is None:
        return client.risk == Risk.ROOD
    return duo_required(meeting_type=meeting_type, risk=client.risk)


@dataclass(frozen=True)
class SlotChoice:
    """The slot a klantmanager picked, judged again for the confirm step."""

    location: Location
    room: Room | None
    starts_at: datetime
    ends_at: datetime
    assessment: Assessment

    @property
    def needs_override(self) -> bool:
        return not self.assessment.hard_reasons and bool(self.assessment.soft_reasons)


def slot_choice(
    *,
    client: Client,
    meeting_type: MeetingType,
    location_pk: int,
    room_pk: int | None,
    starts_at: datetime,
    group_size: int = 1,
) -> SlotChoice | None:
    """The picked location (with its rooms: one query) judged for this client; None when the
    location is unknown or inactive. A room of another location is left out (the service
    refuses it anyway)."""
    location = Location.objects.active().prefetch_related("rooms").filter(pk=location_pk).first()
    if location is None:
        return None
    room = next((room for room in location.rooms.all() if room.pk == room_pk), None)
    return SlotChoice(
        location=location,
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=meeting_type.duration_minutes),
        assessment=assess_location(
            location=location,
            meeting_type=meeting_type,
            risk=client.risk,
            group_size=group_size,
            needs_step_free=client.needs_step_free,
        ),
    )

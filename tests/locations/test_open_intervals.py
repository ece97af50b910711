"""Which rooms are open when: local wall-clock hours across both DST switches, closures,
public holidays, per-room overrides, and a constant number of queries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from locations.models import Room
from locations.selectors import open_intervals, weekly_open_minutes
from tests.factories import (
    ClosureFactory,
    LocationFactory,
    OpeningHoursFactory,
    RoomFactory,
)

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC
NINE, FIVE = dt.time(9), dt.time(17)


def open_on(location, weekdays, opens=NINE, closes=FIVE, room=None):
    for weekday in weekdays:
        OpeningHoursFactory(
            location=location, room=room, weekday=weekday, opens=opens, closes=closes
        )


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=AMS)


def summary(intervals):
    """[(date, 'HH:MM-HH:MM local', UTC offset hours)]"""
    return [
        (
            start.date(),
            f"{start:%H:%M}-{end:%H:%M}",
            start.utcoffset().total_seconds() / 3600,
        )
        for start, end in intervals
    ]


@pytest.fixture
def every_day_room():
    """A room at a location open 09:00–17:00 on all seven days (also Sundays)."""
    location = LocationFactory()
    open_on(location, range(7))
    return RoomFactory(location=location)


@pytest.fixture
def weekday_room():
    location = LocationFactory()
    open_on(location, range(5))
    return RoomFactory(location=location)


def test_last_sunday_of_march_keeps_local_hours_and_moves_the_utc_offset(every_day_room):
    result = open_intervals(
        rooms=[every_day_room], start=dt.date(2026, 3, 28), end=dt.date(2026, 3, 31)
    )
    intervals = result[every_day_room.pk]
    assert summary(intervals) == [
        (dt.date(2026, 3, 28), "09:00-17:00", 1.0),  # Saturday, winter time (CET)
        (dt.date(2026, 3, 29), "09:00-17:00", 2.0),  # the switch day, already summer time
        (dt.date(2026, 3, 30), "09:00-17:00", 2.0),
    ]
    assert [start.astimezone(UTC).hour for start, _end in intervals] == [8, 7, 7]
    # Opening 09:00–17:00 on the switch day still lasts eight real hours.
    sunday_start, sunday_end = intervals[1]
    assert sunday_end - sunday_start == dt.timedelta(hours=8)
    assert all(start.tzinfo == AMS for start, _end in intervals)


def test_last_sunday_of_october_keeps_local_hours_and_moves_the_utc_offset(every_day_room):
    result = open_intervals(
        rooms=[every_day_room], start=dt.date(2026, 10, 24), end=dt.date(2026, 10, 27)
    )
    intervals = result[every_day_room.pk]
    assert summary(intervals) == [
        (dt.date(2026, 10, 24), "09:00-17:00", 2.0),
        (dt.date(2026, 10, 25), "09:00-17:00", 1.0),
        (dt.date(2026, 10, 26), "09:00-17:00", 1.0),
    ]
    assert [start.astimezone(UTC).hour for start, _end in intervals] == [7, 8, 8]
    assert [end.astimezone(UTC).hour for _start, end in intervals] == [15, 16, 16]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # Saturday → Tuesday over the March switch: only Monday, in summer time.
        (dt.date(2026, 3, 28), dt.date(2026, 3, 31), [(dt.date(2026, 3, 30), 7)]),
        # Friday → Tuesday over the October switch: Friday summer time, Monday winter time.
        (
            dt.date(2026, 10, 23),
            dt.date(2026, 10, 27),
            [(dt.date(2026, 10, 23), 7), (dt.date(2026, 10, 26), 8)],
        ),
    ],
)
def test_weekend_spans_over_a_switch(weekday_room, start, end, expected):
    intervals = open_intervals(rooms=[weekday_room], start=start, end=end)[weekday_room.pk]
    assert [(s.date(), s.astimezone(UTC).hour) for s, _e in intervals] == expected
    assert all(f"{s:%H:%M}-{e:%H:%M}" == "09:00-17:00" for s, e in intervals)


def test_intervals_are_half_open_and_touching_rows_are_merged():
    location = LocationFactory()
    open_on(location, [0], opens=NINE, closes=dt.time(12))
    open_on(location, [0], opens=dt.time(12), closes=FIVE)
    open_on(location, [0], opens=dt.time(19), closes=dt.time(21))
    room = RoomFactory(location=location)
    monday = dt.date(2026, 3, 30)
    result = open_intervals(rooms=[room], start=monday, end=monday + dt.timedelta(days=1))
    assert result[room.pk] == [
        (local(monday, 9), local(monday, 17)),
        (local(monday, 19), local(monday, 21)),
    ]
    # The end date is exclusive.
    assert open_intervals(rooms=[room], start=monday, end=monday) == {room.pk: []}


def test_location_closure_and_room_closure(weekday_room):
    other_room = RoomFactory(location=weekday_room.location)
    monday = dt.date(2026, 3, 16)  # a week without public holidays
    ClosureFactory(location=weekday_room.location, starts_on=monday, ends_on=monday)
    ClosureFactory(
        location=weekday_room.location,
        room=other_room,
        starts_on=monday + dt.timedelta(days=2),
        ends_on=monday + dt.timedelta(days=3),
    )
    result = open_intervals(
        rooms=[weekday_room, other_room], start=monday, end=monday + dt.timedelta(days=5)
    )
    assert [s.date().day for s, _e in result[weekday_room.pk]] == [17, 18, 19, 20]
    assert [s.date().day for s, _e in result[other_room.pk]] == [17, 20]


def test_closure_spanning_the_whole_period_leaves_nothing(weekday_room):
    ClosureFactory(
        location=weekday_room.location,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 4, 30),
    )
    result = open_intervals(
        rooms=[weekday_room], start=dt.date(2026, 3, 30), end=dt.date(2026, 4, 6)
    )
    assert result == {weekday_room.pk: []}


def test_goede_vrijdag_counts_as_a_holiday_in_the_holidays_package(weekday_room):
    # holidays' NL calendar includes Goede vrijdag (3 April 2026): treated as a closure too.
    result = open_intervals(
        rooms=[weekday_room], start=dt.date(2026, 3, 30), end=dt.date(2026, 4, 4)
    )
    assert [s.date().day for s, _e in result[weekday_room.pk]] == [30, 31, 1, 2]


def test_public_holidays_close_unless_the_location_opens_on_them():
    closed = LocationFactory()
    opened = LocationFactory(open_on_public_holidays=True)
    for location in (closed, opened):
        open_on(location, range(7))
    closed_room, open_room = RoomFactory(location=closed), RoomFactory(location=opened)
    koningsdag = dt.date(2026, 4, 27)  # a Monday
    tweede_kerstdag = dt.date(2026, 12, 26)  # a Saturday
    for holiday in (koningsdag, tweede_kerstdag):
        result = open_intervals(
            rooms=[closed_room, open_room],
            start=holiday - dt.timedelta(days=1),
            end=holiday + dt.timedelta(days=2),
        )
        assert holiday not in [s.date() for s, _e in result[closed_room.pk]]
        assert holiday in [s.date() for s, _e in result[open_room.pk]]
        assert len(result[open_room.pk]) == 3
        # Tweede kerstdag follows Eerste kerstdag: only the day after is open.
        expected_closed_days = 2 if holiday == koningsdag else 1
        assert len(result[closed_room.pk]) == expected_closed_days


def test_room_hours_replace_the_location_hours_for_that_room():
    location = LocationFactory()
    open_on(location, range(5))
    special = RoomFactory(location=location, name="Spreekkamer 4")
    ordinary = RoomFactory(location=location, name="Spreekkamer 1")
    open_on(location, [1, 3], opens=NINE, closes=dt.time(12, 30), room=special)
    monday = dt.date(2026, 3, 16)
    result = open_intervals(
        rooms=Room.objects.filter(location=location), start=monday, end=monday + dt.timedelta(7)
    )
    assert len(result[ordinary.pk]) == 5
    assert summary(result[special.pk]) == [
        (dt.date(2026, 3, 17), "09:00-12:30", 1.0),
        (dt.date(2026, 3, 19), "09:00-12:30", 1.0),
    ]


def test_inactive_rooms_and_inactive_locations_are_never_open(weekday_room):
    inactive_room = RoomFactory(location=weekday_room.location, is_active=False)
    closed_location = LocationFactory(is_active=False)
    open_on(closed_location, range(5))
    room_of_closed_location = RoomFactory(location=closed_location)
    result = open_intervals(
        rooms=[weekday_room, inactive_room, room_of_closed_location],
        start=dt.date(2026, 3, 30),
        end=dt.date(2026, 4, 3),
    )
    assert len(result[weekday_room.pk]) == 4
    assert result[inactive_room.pk] == []
    assert result[room_of_closed_location.pk] == []


def test_a_room_without_any_hours_is_never_open():
    room = RoomFactory()
    assert open_intervals(rooms=[room], start=dt.date(2026, 3, 30), end=dt.date(2026, 4, 3)) == {
        room.pk: []
    }


def make_rooms(count: int) -> None:
    for n in range(count):
        location = LocationFactory()
        open_on(location, range(5))
        room = RoomFactory(location=location)
        if n % 2:
            open_on(location, [5], room=room)
        ClosureFactory(location=location, starts_on=dt.date(2026, 3, 31))
        ClosureFactory(location=location, room=room, starts_on=dt.date(2026, 4, 2))


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("as_queryset", [True, False])
def test_query_count_does_not_grow_with_rooms(count, as_queryset, django_assert_num_queries):
    make_rooms(count)
    rooms = Room.objects.all() if as_queryset else list(Room.objects.all())
    with django_assert_num_queries(3):
        result = open_intervals(rooms=rooms, start=dt.date(2026, 3, 23), end=dt.date(2026, 4, 6))
    assert len(result) == count
    assert all(intervals for intervals in result.values())


def test_weekly_open_minutes_in_python_and_sql():
    location = LocationFactory()
    open_on(location, range(5))  # 5 × 8 h
    general = RoomFactory(location=location)
    special = RoomFactory(location=location)
    open_on(location, [1, 3], opens=NINE, closes=dt.time(12, 30), room=special)  # 2 × 3.5 h
    bare = RoomFactory()
    annotated = dict(
        Room.objects.with_weekly_open_minutes().values_list("pk", "weekly_open_minutes")
    )
    assert annotated == {general.pk: 2400, special.pk: 420, bare.pk: 0}
    rooms = Room.objects.prefetch_related("opening_hours", "location__opening_hours")
    assert {room.pk: weekly_open_minutes(room) for room in rooms} == annotated

"""DOMAIN rule 6: suggestions for (client, type, period) with free slots, ranked and explained.

Time is frozen on Monday 23 November 2026 at 07:00 in Amsterdam unless a test says otherwise.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from activering.caching import forget_all
from activering.roles import KLANTMANAGER
from clients.choices import Theme
from locations.choices import LocationKind, Threshold
from locations.geo import AMSTERDAM_TZ, PC4_CENTROIDS, haversine_km
from meetings.choices import (
    GROEPSBIJEENKOMST,
    KENNISMAKING,
    KEUKENTAFELGESPREK,
    TELEFONISCH_VIDEO,
    VOORTGANGSGESPREK,
)
from meetings.models import Meeting, MeetingStatus, StaffCommitment
from meetings.suggestions import (
    MAX_SUGGESTIONS,
    booking_period,
    earliest_start,
    suggest_locations,
    walking_text,
)
from tests.factories import (
    ClientFactory,
    ClosureFactory,
    LocationFactory,
    MeetingTypeFactory,
    OfferingFactory,
    OpeningHoursFactory,
    RoomFactory,
    UserFactory,
    meeting_type,
)

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 23)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM_TZ)


@pytest.fixture(autouse=True)
def _frozen_dutch():
    with time_machine.travel(local(MONDAY, 7), tick=False), translation.override("nl"):
        yield


@pytest.fixture
def host():
    return UserFactory(role=KLANTMANAGER)


@pytest.fixture
def client_(host):
    # PC4 1093 (Oud-Oost); finances and language as themes.
    return ClientFactory(
        case_manager=host, postcode="1093 KL", themes=[Theme.FINANCES, Theme.LANGUAGE]
    )


def place(
    *,
    level: str = "basis",
    hours: tuple[time, time] = (time(9), time(17)),
    weekdays: range | list[int] = range(5),
    capacities: tuple[int, ...] = (4,),
    **extra,
):
    """A location open on `weekdays` in `hours`, with one room per capacity."""
    location = LocationFactory(**{level: True}, **extra)
    for weekday in weekdays:
        OpeningHoursFactory(location=location, weekday=weekday, opens=hours[0], closes=hours[1])
    for capacity in capacities:
        RoomFactory(location=location, capacity=capacity)
    return location


def occupy(*, client, host, start: datetime, minutes: int = 60, room=None, co_host=None):
    """A meeting straight into the database (the slots must avoid it)."""
    location = room.location if room else LocationFactory(remote=True)
    meeting = Meeting.objects.create(
        client=client,
        meeting_type=meeting_type(VOORTGANGSGESPREK),
        location=location,
        room=room,
        host=host,
        co_host=co_host,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        created_by=host,
        changed_by=host,
    )
    StaffCommitment.objects.bulk_create(
        StaffCommitment(meeting=meeting, user=person, starts_at=start, ends_at=meeting.ends_at)
        for person in meeting.staff
    )
    return meeting


def suggestions_for(client, host, slug=KENNISMAKING, **kwargs):
    kwargs.setdefault("slots_per_location", 100)
    kwargs.setdefault("slots_per_day", 100)
    return suggest_locations(client=client, meeting_type=meeting_type(slug), host=host, **kwargs)


def starts(suggestion) -> list[datetime]:
    return [slot.starts_at for slot in suggestion.slots]


# The period and the grid -----------------------------------------------------------------------


def test_the_period_is_ten_working_days_from_today():
    period = booking_period()
    assert period.start == MONDAY
    assert period.last_day == date(2026, 12, 4)  # two working weeks
    # Christmas: 25 and 26 December are public holidays, so ten working days reach into January.
    assert booking_period(start=date(2026, 12, 21)).last_day == date(2027, 1, 5)
    assert booking_period(start=date(2020, 1, 1)).start == MONDAY  # never in the past


def test_the_first_slot_is_a_quarter_ahead_on_the_grid():
    assert earliest_start(local(MONDAY, 10, 7)) == local(MONDAY, 10, 30).astimezone(UTC)
    assert earliest_start(local(MONDAY, 10, 15)) == local(MONDAY, 10, 30).astimezone(UTC)
    assert earliest_start(local(MONDAY, 10, 16)) == local(MONDAY, 10, 45).astimezone(UTC)


def test_slots_lie_on_the_grid_inside_opening_hours_with_the_duration(client_, host):
    place(hours=(time(9), time(12)), weekdays=[0])  # Mondays 09:00–12:00 only
    [suggestion] = suggestions_for(client_, host, KENNISMAKING, days=1)  # 60 minutes
    assert starts(suggestion) == [
        local(MONDAY, 9, 0) + timedelta(minutes=15 * n) for n in range(9)
    ]  # 09:00 … 11:00: the last one ends at closing time
    assert all(slot.ends_at - slot.starts_at == timedelta(hours=1) for slot in suggestion.slots)
    assert suggestion.slots[0].room == suggestion.location.rooms.get()


def test_opening_hours_that_start_off_the_grid_round_up(client_, host):
    place(hours=(time(9, 10), time(11)), weekdays=[0])
    [suggestion] = suggestions_for(client_, host, VOORTGANGSGESPREK, days=1)  # 45 minutes
    # 09:15 … 10:15: the last one ends at 11:00.
    assert starts(suggestion) == [
        local(MONDAY, 9, 15) + timedelta(minutes=15 * n) for n in range(5)
    ]


def test_past_slots_are_left_out(client_, host):
    place(weekdays=[0])
    with time_machine.travel(local(MONDAY, 10, 7), tick=False):
        [suggestion] = suggestions_for(client_, host, days=1)
    # 10:07 + a quarter's lead, up to the grid.
    assert starts(suggestion)[0] == local(MONDAY, 10, 30)


def test_closures_and_public_holidays_have_no_slots(client_, host):
    location = place()
    ClosureFactory(location=location, starts_on=MONDAY, ends_on=MONDAY + timedelta(days=1))
    [suggestion] = suggestions_for(client_, host, slots_per_day=1, slots_per_location=3)
    assert [s.date() for s in starts(suggestion)] == [date(2026, 11, 25), date(2026, 11, 26),
                                                     date(2026, 11, 27)]  # fmt: skip

    [christmas] = suggestions_for(
        client_, host, start=date(2026, 12, 24), slots_per_day=1, slots_per_location=3
    )
    # Thursday 24th, then not Christmas (25th), Boxing day (26th) or the weekend.
    assert [s.date() for s in starts(christmas)] == [date(2026, 12, 24), date(2026, 12, 28),
                                                    date(2026, 12, 29)]  # fmt: skip


def test_room_capacity_decides_the_room_and_the_suitability(client_, host):
    big_and_small = place(capacities=(4, 10), name="Buurthuis met zaal")
    place(capacities=(4,), name="Alleen spreekkamers")
    suggestions = suggestions_for(client_, host, GROEPSBIJEENKOMST, days=1)  # 8 people or more
    bookable = [s for s in suggestions if s.is_bookable]
    assert [s.location for s in bookable] == [big_and_small]
    assert {slot.room.capacity for slot in bookable[0].slots} == {10}
    [unsuitable] = [s for s in suggestions if not s.is_bookable]
    assert unsuitable.location.name == "Alleen spreekkamers"
    assert unsuitable.slots == []
    assert unsuitable.why == ["Geen spreekkamer hier is groot genoeg voor 8 personen."]

    # A group of 12 does not fit the hall either.
    assert not any(
        s.is_bookable for s in suggestions_for(client_, host, GROEPSBIJEENKOMST, group_size=12)
    )


def test_at_the_same_time_the_smallest_room_that_fits_is_offered(client_, host):
    location = place(capacities=(10, 2))
    [suggestion] = suggestions_for(client_, host, days=1)
    assert suggestion.slots[0].room == location.rooms.get(capacity=2)


def test_a_busy_room_is_skipped_and_another_room_offered(client_, host):
    location = place(capacities=(2,))
    [room] = location.rooms.all()
    other = ClientFactory()
    occupy(client=other, host=other.case_manager, room=room, start=local(MONDAY, 9))
    [suggestion] = suggestions_for(client_, host, days=1)
    assert starts(suggestion)[0] == local(MONDAY, 10)

    second = RoomFactory(location=location, capacity=3)
    [suggestion] = suggestions_for(client_, host, days=1)
    assert suggestion.slots[0].starts_at == local(MONDAY, 9)
    assert suggestion.slots[0].room == second


def test_a_cancelled_meeting_frees_its_room(client_, host):
    location = place()
    other = ClientFactory()
    meeting = occupy(
        client=other, host=other.case_manager, room=location.rooms.get(), start=local(MONDAY, 9)
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    [suggestion] = suggestions_for(client_, host, days=1)
    assert starts(suggestion)[0] == local(MONDAY, 9)


@pytest.mark.parametrize("as_co_host", [False, True])
def test_the_host_must_be_free_as_host_and_as_co_host(client_, host, as_co_host):
    place()
    colleague = UserFactory(role=KLANTMANAGER)
    other = ClientFactory(case_manager=colleague)
    if as_co_host:
        occupy(client=other, host=colleague, co_host=host, start=local(MONDAY, 9), minutes=90)
    else:
        occupy(client=other, host=host, start=local(MONDAY, 9), minutes=90)
    [suggestion] = suggestions_for(client_, host, days=1)
    assert starts(suggestion)[0] == local(MONDAY, 10, 30)


def test_the_co_host_must_be_free(client_, host):
    place()
    colleague = UserFactory(role=KLANTMANAGER)
    occupy(client=ClientFactory(case_manager=colleague), host=colleague, start=local(MONDAY, 9),
           minutes=30)  # fmt: skip
    [without] = suggestions_for(client_, host, days=1)
    [with_duo] = suggestions_for(client_, host, co_host=colleague, days=1)
    assert starts(without)[0] == local(MONDAY, 9)
    assert starts(with_duo)[0] == local(MONDAY, 9, 30)


def test_the_client_must_be_free(client_, host):
    place()
    occupy(client=client_, host=UserFactory(role=KLANTMANAGER), start=local(MONDAY, 9),
           minutes=120)  # fmt: skip
    [suggestion] = suggestions_for(client_, host, days=1)
    assert starts(suggestion)[0] == local(MONDAY, 11)


@pytest.mark.parametrize(
    ("switch_day", "utc_hour"),
    [(date(2026, 3, 29), 8), (date(2026, 10, 25), 9)],  # CEST begins / CET begins
)
def test_a_slot_at_ten_stays_at_ten_on_both_dst_switch_days(client_, host, switch_day, utc_hour):
    place(hours=(time(10), time(12)), weekdays=[6])  # Sundays only
    with time_machine.travel(local(switch_day - timedelta(days=1), 12), tick=False):
        [suggestion] = suggestions_for(client_, host, start=switch_day, days=1)
    first = suggestion.slots[0]
    assert first.starts_at.astimezone(AMSTERDAM_TZ).time() == time(10)
    assert first.starts_at.astimezone(UTC).hour == utc_hour
    assert first.ends_at.astimezone(AMSTERDAM_TZ).time() == time(11)
    assert first.value == f"{switch_day.isoformat()}T10:00"
    assert starts(suggestion)[-1].astimezone(AMSTERDAM_TZ).time() == time(11)


def test_a_card_shows_a_few_slots_spread_over_days(client_, host):
    place()
    [suggestion] = suggest_locations(
        client=client_, meeting_type=meeting_type(KENNISMAKING), host=host
    )
    assert len(suggestion.slots) == 6
    assert [s.starts_at for s in suggestion.slots[:3]] == [
        local(MONDAY, 9),
        local(MONDAY, 9, 15),
        local(MONDAY, 9, 30),
    ]
    assert {s.starts_at.date() for s in suggestion.slots} == {MONDAY, MONDAY + timedelta(days=1)}


# Home visits and phone calls -------------------------------------------------------------------


def test_home_visits_use_working_hours_and_the_people_only(client_, host):
    home = LocationFactory(client_home=True)
    occupy(client=client_, host=host, start=local(MONDAY, 9), minutes=60)
    [suggestion] = suggestions_for(client_, host, KEUKENTAFELGESPREK, days=1)
    assert suggestion.location == home
    assert suggestion.slots[0].room is None
    assert starts(suggestion)[0] == local(MONDAY, 10)
    assert starts(suggestion)[-1] == local(MONDAY, 16)  # ends at 17:00
    assert "Bij de klant thuis: geen reistijd voor de klant" in suggestion.why


def test_no_home_visit_for_a_red_client(host):
    LocationFactory(client_home=True)
    rood = ClientFactory(case_manager=host, rood=True)
    [suggestion] = suggestions_for(rood, host, KEUKENTAFELGESPREK)
    assert not suggestion.is_bookable
    assert suggestion.why == suggestion.assessment.hard_reasons
    assert len(suggestion.why) == 1


def test_phone_calls_are_not_on_weekends_or_holidays(client_, host):
    LocationFactory(remote=True)
    [suggestion] = suggestions_for(
        client_, host, TELEFONISCH_VIDEO, start=date(2026, 12, 24), slots_per_day=1,
        slots_per_location=2,
    )  # fmt: skip
    assert starts(suggestion) == [local(date(2026, 12, 24), 9), local(date(2026, 12, 28), 9)]


# Ranking and the reasons why -------------------------------------------------------------------


def test_walking_distance_text_in_dutch():
    assert walking_text(1.2) == "1,2 km · ca. 15 min lopen"
    assert walking_text(0.8) == "0,8 km · ca. 10 min lopen"
    assert walking_text(0.05) == "0,1 km · ca. 5 min lopen"
    with translation.override("en"):
        assert walking_text(1.2) == "1.2 km · about 15 min walk"


def test_distances_come_from_the_pc4_centroid():
    # PC4 1093 to Stadsloket Oost (Oranje-Vrijstaatplein): about half a kilometre.
    assert haversine_km(PC4_CENTROIDS["1093"], (Decimal("52.3567"), Decimal("4.9290"))) == (
        pytest.approx(0.6, abs=0.1)
    )


def test_safety_fit_first_then_the_advised_level(host):
    oranje = ClientFactory(case_manager=host, postcode="1093 KL", oranje=True)
    below = place(level="basis", name="A basis")
    safer = place(level="beveiligd", name="B beveiligd")
    fits = place(level="verhoogd", name="C verhoogd")
    suggestions = suggestions_for(oranje, host)
    assert [s.location for s in suggestions] == [fits, safer, below]
    assert suggestions[0].why[0] == "Veiligheidsniveau verhoogd, zoals geadviseerd"
    assert (
        suggestions[1].why[0] == "Veiligheidsniveau beveiligd, veiliger dan geadviseerd (verhoogd)"
    )
    assert suggestions[2].needs_override and suggestions[2].is_bookable
    assert suggestions[2].why[0] == suggestions[2].assessment.soft_reasons[0]
    assert "Alleen met een geschreven reden." in suggestions[2].why


def test_low_threshold_then_distance_then_offerings(client_, host):
    near = {"latitude": Decimal("52.362000"), "longitude": Decimal("4.927400")}  # the centroid
    far = {"latitude": Decimal("52.354000"), "longitude": Decimal("4.998800")}  # IJburg, ~5 km
    high = place(name="Hoogdrempelig", threshold=Threshold.HIGH, **near)
    far_low = place(name="Ver weg", threshold=Threshold.LOW, **far)
    near_low = place(name="Dichtbij", threshold=Threshold.LOW, **near)
    with_offer = place(name="Dichtbij met taalcafé", threshold=Threshold.LOW, **near)
    with_offer.offerings.add(OfferingFactory(name="Taalwijzer", theme=Theme.LANGUAGE))
    ranked = [s.location for s in suggestions_for(client_, host, KENNISMAKING)]
    assert ranked == [with_offer, near_low, far_low, high]

    # A type that does not prefer a low threshold ranks by distance first.
    neutral = MeetingTypeFactory(prefers_low_threshold=False)
    ranked = [
        s.location for s in suggest_locations(client=client_, meeting_type=neutral, host=host)
    ]
    assert ranked == [with_offer, near_low, high, far_low]


def test_an_earlier_slot_wins_when_all_else_is_equal(client_, host):
    later = place(name="A later", weekdays=[1])
    sooner = place(name="B sooner", weekdays=[0])
    assert [s.location for s in suggestions_for(client_, host)] == [sooner, later]


def test_the_reasons_why_in_plain_dutch(client_, host):
    location = place(
        name="PostOost",
        threshold=Threshold.LOW,
        latitude=Decimal("52.362000"),
        longitude=Decimal("4.927400"),
    )
    location.offerings.add(
        OfferingFactory(name="Taalwijzer", theme=Theme.LANGUAGE),
        OfferingFactory(name="Beweegochtend", theme=Theme.HEALTH),
    )
    with time_machine.travel(local(date(2026, 11, 24), 10, 7), tick=False):
        [suggestion] = suggestions_for(client_, host, KENNISMAKING)
    assert suggestion.why == [
        "Veiligheidsniveau basis, zoals geadviseerd",
        "Laagdrempelig",
        "0,0 km · ca. 5 min lopen",
        "Aanbod: Taalwijzer (taal)",
        "Eerste vrije tijd: di 24 nov 10:30",
    ]
    assert suggestion.distance_km == pytest.approx(0.0, abs=0.1)


def test_no_free_time_is_said_and_sinks_to_the_end(client_, host):
    closed = place(name="A dicht", threshold=Threshold.LOW)
    ClosureFactory(location=closed, starts_on=MONDAY, ends_on=MONDAY + timedelta(days=30))
    open_ = place(name="B open", threshold=Threshold.HIGH)
    suggestions = suggestions_for(client_, host)
    assert [s.location for s in suggestions] == [open_, closed]
    assert suggestions[1].why[-1] == "Geen vrije tijd in deze periode"


def test_step_free_is_a_hard_rule_for_a_client_who_needs_it(host):
    client = ClientFactory(case_manager=host, needs_step_free=True)
    steps = place(name="Met trappen", is_step_free=False)
    step_free = place(name="Drempelvrij", is_step_free=True)
    suggestions = suggestions_for(client, host)
    assert [(s.location, s.is_bookable) for s in suggestions] == [
        (step_free, True),
        (steps, False),
    ]
    assert "Drempelvrij toegankelijk" in suggestions[0].why
    assert suggestions[1].why == ["Niet drempelvrij, en de klant heeft dat nodig."]
    assert [s.location for s in suggestions_for(client, host, include_unsuitable=False)] == [
        step_free
    ]


def test_kinds_the_type_does_not_allow_are_not_suggested(client_, host):
    place(kind=LocationKind.BIBLIOTHEEK)
    stadsloket = place(kind=LocationKind.STADSLOKET, level="beveiligd")
    suggestions = suggestions_for(client_, host, "afstemmingsgesprek")
    assert [s.location for s in suggestions] == [stadsloket]


def test_unsuitable_locations_only_when_asked(client_, host):
    place(capacities=(2,))
    assert suggestions_for(client_, host, GROEPSBIJEENKOMST, include_unsuitable=False) == []
    assert len(suggestions_for(client_, host, GROEPSBIJEENKOMST)) == 1


# Performance -----------------------------------------------------------------------------------


def _count_queries(client, host, *, cached: bool = False) -> int:
    type_ = meeting_type(KENNISMAKING)
    if not cached:
        forget_all()
    with CaptureQueriesContext(connection) as queries:
        suggest_locations(client=client, meeting_type=type_, host=host)
    return len(queries)


def test_the_number_of_queries_is_constant_as_locations_grow(
    client_, host, django_assert_num_queries
):
    type_ = meeting_type(KENNISMAKING)
    for _ in range(3):
        place(capacities=(2, 4)).offerings.add(OfferingFactory())
    # Location data version, the places the type may use (2), locations/rooms/offerings (3),
    # opening hours (3), busy times (3).
    with django_assert_num_queries(12):
        suggest_locations(client=client_, meeting_type=type_, host=host)
    for _ in range(27):
        place(capacities=(2, 4, 6)).offerings.add(OfferingFactory())
    # The new places made a new location data version: nothing comes from the cache.
    with django_assert_num_queries(12):
        suggestions = suggest_locations(client=client_, meeting_type=type_, host=host)
    # Thirty places suit; the page proposes the nearest few.
    assert len(suggestions) == MAX_SUGGESTIONS


def test_the_number_of_queries_is_constant_as_meetings_grow(client_, host):
    locations = [place(capacities=(2, 4)) for _ in range(3)]
    rooms = [room for location in locations for room in location.rooms.all()]
    before = _count_queries(client_, host)
    other = ClientFactory()
    staff = other.case_manager
    type_ = meeting_type(VOORTGANGSGESPREK)
    meetings = []
    for n in range(200):
        day = MONDAY + timedelta(days=n // 32)
        start = local(day, 9) + timedelta(minutes=15 * (n % 32))
        meetings.append(
            Meeting(
                client=client_ if n % 50 == 0 else other,
                meeting_type=type_,
                location=rooms[n % len(rooms)].location,
                room=rooms[n % len(rooms)],
                host=host if n % 40 == 0 else staff,
                starts_at=start,
                ends_at=start + timedelta(minutes=15),
                created_by=staff,
                changed_by=staff,
            )
        )
    Meeting.objects.bulk_create(meetings)
    assert _count_queries(client_, host) == before == 12
    # With the static location data cached: the version and the 3 busy times.
    assert _count_queries(client_, host, cached=True) == 4


def test_cached_location_data_is_used_until_a_location_changes(client_, host):
    nearby = place(capacities=(2,))
    reading = OfferingFactory(name="Leesclub", theme=Theme.LANGUAGE)
    first = suggestions_for(client_, host)
    assert _count_queries(client_, host, cached=True) == 4
    assert suggestions_for(client_, host) == first

    # Every kind of change the suggestions read makes a new version, so none is stale.
    nearby.offerings.add(reading)
    assert "Aanbod: Leesclub (taal)" in suggestions_for(client_, host)[0].why
    ClosureFactory(location=nearby, starts_on=MONDAY, ends_on=MONDAY + timedelta(days=1))
    assert starts(suggestions_for(client_, host)[0])[0].date() == MONDAY + timedelta(days=2)
    RoomFactory(location=nearby, capacity=8, is_active=False)
    nearby.is_active = False
    nearby.save()
    assert suggestions_for(client_, host) == []

"""The demo locations: idempotent, and showing Oud-Oost's real gap in coverage (rule 8)."""

import datetime as dt

import pytest

from locations import demo
from locations.choices import LocationKind
from locations.models import District, Location, OpeningHours, Room
from locations.querysets import COVERAGE_MIN_WEEKLY_MINUTES
from locations.selectors import open_intervals
from meetings.choices import KENNISMAKING, SEEDED_SLUGS, VOORTGANGSGESPREK
from meetings.selectors import locations_suitable_for
from tests.factories import LocationFactory, OpeningHoursFactory, RoomFactory, meeting_type

pytestmark = pytest.mark.django_db


def coverage(slug: str) -> dict[str, int]:
    suitable = locations_suitable_for(
        meeting_type=meeting_type(slug), min_weekly_open_minutes=COVERAGE_MIN_WEEKLY_MINUTES
    )
    return {
        district.name: suitable.in_district(district).count() for district in District.objects.all()
    }


def test_demo_locations_are_idempotent_and_complete():
    first = demo.create_locations()
    counts = (Location.objects.count(), Room.objects.count(), OpeningHours.objects.count())
    second = demo.create_locations()
    assert [loc.pk for loc in first] == [loc.pk for loc in second]
    assert (Location.objects.count(), Room.objects.count(), OpeningHours.objects.count()) == counts
    assert District.objects.count() == 4
    assert Location.objects.virtual().count() == 2
    stadsloket = Location.objects.get(name="Stadsloket Oost")
    assert stadsloket.postcode == "1093 NG"
    assert stadsloket.district.name == "Oud-Oost"
    assert stadsloket.safety_level == 3
    postoost = Location.objects.get(name="PostOost")
    assert {o.name for o in postoost.offerings.all()} == {
        "Dynamo welzijnsspreekuur",
        "Vrijwilligerscentrale",
        "Taalwijzer",
        "Schuldhulp-inloop",
    }
    for location in Location.objects.physical():
        assert location.district is not None
        assert location.rooms.filter(is_active=True).exists()


def test_oud_oost_falls_short_and_the_other_gebieden_meet_the_target():
    demo.create_locations()
    for slug in (KENNISMAKING, VOORTGANGSGESPREK):
        counts = coverage(slug)
        assert counts["Oud-Oost"] < 5, slug
        others = {name: n for name, n in counts.items() if name != "Oud-Oost"}
        assert all(n >= 5 for n in others.values()), (slug, counts)
    for slug in SEEDED_SLUGS:
        assert coverage(slug)["Oud-Oost"] < 5, slug


def test_demo_rooms_have_open_intervals():
    demo.create_locations()
    monday = dt.date(2026, 3, 16)
    result = open_intervals(
        rooms=Room.objects.filter(location__name="Stadsloket Oost"),
        start=monday,
        end=monday + dt.timedelta(days=7),
    )
    by_name = {Room.objects.get(pk=pk).name: intervals for pk, intervals in result.items()}
    assert len(by_name["Spreekkamer 1"]) == 5
    assert len(by_name["Spreekkamer 4"]) == 2  # per-room override: Tuesday and Thursday mornings


def test_coverage_needs_a_room_open_eight_hours_a_week():
    short = LocationFactory(verhoogd=True, kind=LocationKind.PARTNER)
    RoomFactory(location=short)
    OpeningHoursFactory(location=short, weekday=0, opens=dt.time(9), closes=dt.time(16, 59))
    long = LocationFactory(verhoogd=True, kind=LocationKind.PARTNER)
    RoomFactory(location=long)
    OpeningHoursFactory(location=long, weekday=0, opens=dt.time(9), closes=dt.time(13))
    OpeningHoursFactory(location=long, weekday=2, opens=dt.time(9), closes=dt.time(13))
    found = set(
        Location.objects.with_bookable_room(min_weekly_open_minutes=COVERAGE_MIN_WEEKLY_MINUTES)
    )
    assert found == {long}

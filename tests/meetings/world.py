"""Small worlds for booking tests: a bookable room, a client, klantmanagers of one team."""

import datetime
from zoneinfo import ZoneInfo

from activering.roles import KLANTMANAGER
from locations.choices import Weekday
from locations.models import Room
from tests.factories import LocationFactory, OpeningHoursFactory, RoomFactory, UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: "Now" in these tests: Monday 23 November 2026, 08:00 in Amsterdam.
NOW = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=AMSTERDAM)
#: A Tuesday morning slot in the future.
TUESDAY_10 = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)


def bookable_room(*, capacity: int = 4, opens: int = 8, closes: int = 20, **location) -> Room:
    """A room at a new location (factory traits as keywords), open every day opens–closes."""
    room = RoomFactory(location=LocationFactory(**location), capacity=capacity)
    for weekday in Weekday.values:
        OpeningHoursFactory(
            location=room.location,
            weekday=weekday,
            opens=datetime.time(opens),
            closes=datetime.time(closes),
        )
    return room


def klantmanager(team=None):
    kwargs = {"role": KLANTMANAGER}
    if team is not None:
        kwargs["team"] = team
    return UserFactory(**kwargs)

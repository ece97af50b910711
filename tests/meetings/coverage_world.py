"""A small known world for the coverage page, with every figure computable by hand.

Now: Monday 23 November 2026, 08:00 in Amsterdam. The period used by most tests, PERIOD, is
1 September – 31 October 2026 (Amsterdam days). Reach counts from 23 November 2025.

Gebieden: Oud-Oost (1091 1092 1093, target 5) and Watergraafsmeer (1096 1097 1098, target 2).
1087 (IJburg) is in no gebied here.

Locations (rooms open per week):
  Oud-Oost   L1 Stadsloket      stadsloket        beveiligd   room for 4, 40 h
             L2 Buurthuis       huis van de wijk  basis       room for 4, 12 h
             L3 Partner kort    partner           verhoogd    room for 4,  7 h  (too few hours)
             L4 Partner alarm   partner           basis*      room for 4, 40 h  (*no alarm only)
             L5 Bieb klein      bibliotheek       basis       room for 1, 40 h  (too small)
             L6 Partner dicht   partner           verhoogd    inactive
  WGM        W1 Partner groot   partner           verhoogd    room for 10, 40 h
             W2 Bieb WGM        bibliotheek       basis       room for 4, 40 h
  virtual    HOME (client_home), PHONE (remote)

Team A: teamleider TL, klantmanagers KM1 and KM2. Team B: KM3.
Clients (active unless said): KM1: C1 1091, C2 1093, C3 1097, C4 1087, C10 1098, C11 1091;
KM2: C5 1092, C6 1096, C7 1091 (inactive), C9 1093; KM3: C8 1091.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from activering.models import Team, User
from activering.roles import KLANTMANAGER, TEAMLEIDER
from clients.models import Client
from locations.choices import LocationKind, Weekday
from locations.models import District, Location
from meetings.coverage import CoverageFilters, Period
from meetings.models import Meeting, MeetingStatus
from tests.factories import (
    ClientFactory,
    DistrictFactory,
    LocationFactory,
    OpeningHoursFactory,
    RoomFactory,
    TeamFactory,
    UserFactory,
    meeting_type,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=AMSTERDAM)
TODAY = NOW.date()
PERIOD = Period(first_day=dt.date(2026, 9, 1), last_day=dt.date(2026, 10, 31))


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def open_hours(location: Location, spans: dict[int, tuple[int, int]]) -> None:
    for weekday, (opens, closes) in spans.items():
        OpeningHoursFactory(
            location=location, weekday=weekday, opens=dt.time(opens), closes=dt.time(closes)
        )


WORKWEEK = dict.fromkeys(range(5), (9, 17))  # 40 hours


def physical(name: str, district: District, *, kind: str, postcode: str, capacity: int,
             hours: dict[int, tuple[int, int]], **features: bool) -> Location:  # fmt: skip
    location = LocationFactory(
        name=name, kind=kind, postcode=postcode, district=district, **features
    )
    RoomFactory(location=location, capacity=capacity)
    open_hours(location, hours)
    return location


@dataclass
class World:
    oud_oost: District
    wgm: District
    locations: dict[str, Location]
    team: Team
    teamleider: User
    km1: User
    km2: User
    km3: User
    clients: dict[str, Client]
    meetings: dict[str, Meeting]

    def filters(self, **kwargs: object) -> CoverageFilters:
        return CoverageFilters(period=PERIOD, **kwargs)


def add_meeting(
    *,
    client: Client,
    location: Location,
    starts_at: dt.datetime,
    status: str = MeetingStatus.HELD,
    host: User | None = None,
    type_slug: str = "voortgangsgesprek",
    minutes: int = 45,
    **extra: object,
) -> Meeting:
    """A meeting written directly (past dates, any status): the reads do not care how it came."""
    host = host or client.case_manager
    room = location.rooms.first() if not location.is_virtual else None
    return Meeting.objects.create(
        client=client,
        meeting_type=meeting_type(type_slug),
        location=location,
        room=room,
        host=host,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        status=status,
        created_by=host,
        changed_by=host,
        **extra,
    )


def build_world() -> World:
    oud_oost = DistrictFactory(name="Oud-Oost", pc4_codes=["1091", "1092", "1093"])
    wgm = DistrictFactory(
        name="Watergraafsmeer", pc4_codes=["1096", "1097", "1098"], coverage_target=2
    )
    hours_12 = {Weekday.MONDAY: (9, 17), Weekday.TUESDAY: (9, 13)}
    hours_7 = {Weekday.MONDAY: (9, 16)}
    locs = {
        "L1": physical(
            "Stadsloket", oud_oost, kind=LocationKind.STADSLOKET, postcode="1093 NG",
            capacity=4, hours=WORKWEEK, beveiligd=True,
        ),
        "L2": physical(
            "Buurthuis", oud_oost, kind=LocationKind.HUIS_VAN_DE_WIJK, postcode="1093 JC",
            capacity=4, hours=hours_12, basis=True,
        ),
        "L3": physical(
            "Partner kort", oud_oost, kind=LocationKind.PARTNER, postcode="1092 CL",
            capacity=4, hours=hours_7, verhoogd=True,
        ),
        "L4": physical(
            "Partner alarm", oud_oost, kind=LocationKind.PARTNER, postcode="1091 AA",
            capacity=4, hours=WORKWEEK, basis=True, has_colleague_nearby=True,
            has_escape_route=True,
        ),
        "L5": physical(
            "Bieb klein", oud_oost, kind=LocationKind.BIBLIOTHEEK, postcode="1092 CL",
            capacity=1, hours=WORKWEEK, basis=True,
        ),
        "L6": physical(
            "Partner dicht", oud_oost, kind=LocationKind.PARTNER, postcode="1093 AA",
            capacity=4, hours=WORKWEEK, verhoogd=True, is_active=False,
        ),
        "W1": physical(
            "Partner groot", wgm, kind=LocationKind.PARTNER, postcode="1097 DN",
            capacity=10, hours=WORKWEEK, verhoogd=True,
        ),
        "W2": physical(
            "Bieb WGM", wgm, kind=LocationKind.BIBLIOTHEEK, postcode="1098 AA",
            capacity=4, hours=WORKWEEK, basis=True,
        ),
        "HOME": LocationFactory(client_home=True, name="Bij de klant thuis"),
        "PHONE": LocationFactory(remote=True, name="Telefonisch"),
    }  # fmt: skip

    team = TeamFactory(name="Team A")
    other_team = TeamFactory(name="Team B")
    teamleider = UserFactory(username="tl", role=TEAMLEIDER, team=team)
    km1 = UserFactory(username="km1", first_name="Anna", last_name="Eerst", role=KLANTMANAGER,
                      team=team)  # fmt: skip
    km2 = UserFactory(username="km2", first_name="Bert", last_name="Tweede", role=KLANTMANAGER,
                      team=team)  # fmt: skip
    km3 = UserFactory(username="km3", role=KLANTMANAGER, team=other_team)

    def client(key: str, manager: User, postcode: str, **kwargs: object) -> Client:
        return ClientFactory(
            klantnummer=f"90000{key[1:]:0>2}",
            first_name=f"Klant{key[1:]}",
            last_name="Test",
            case_manager=manager,
            postcode=postcode,
            **kwargs,
        )

    clients = {
        "C1": client("C1", km1, "1091 AB"),
        "C2": client("C2", km1, "1093 XA"),
        "C3": client("C3", km1, "1097 DN"),
        "C4": client("C4", km1, "1087 ZW"),
        "C10": client("C10", km1, "1098 AB"),
        "C11": client("C11", km1, "1091 CD"),
        "C5": client("C5", km2, "1092 AB"),
        "C6": client("C6", km2, "1096 AB"),
        "C7": client("C7", km2, "1091 EF", is_active=False),
        "C9": client("C9", km2, "1093 AB"),
        "C8": client("C8", km3, "1091 GH"),
    }
    c = clients
    no_show = MeetingStatus.NO_SHOW
    meetings = {
        # Period boundaries (Amsterdam days): 00:30 on the first day counts, 23:59 the day
        # before does not; 23:30 on the last day counts, 00:00 the day after does not.
        "B1": add_meeting(client=c["C1"], location=locs["L1"], starts_at=local(2026, 9, 1, 0, 30)),
        "B2": add_meeting(
            client=c["C1"], location=locs["L2"], starts_at=local(2026, 8, 31, 23, 59), minutes=15,
            override_reason="Klant durft niet naar het stadsloket.", advised_level=2,
            location_level=1, override_reviewed_by=teamleider,
            override_reviewed_at=local(2026, 9, 2),
        ),
        "B3": add_meeting(
            client=c["C2"], location=locs["HOME"], starts_at=local(2026, 10, 31, 23, 30),
            type_slug="keukentafelgesprek", minutes=30,
        ),
        "B4": add_meeting(client=c["C2"], location=locs["L1"], starts_at=local(2026, 11, 1, 0, 0)),
        "M5": add_meeting(client=c["C3"], location=locs["W1"], starts_at=local(2026, 9, 15)),
        "M6": add_meeting(
            client=c["C5"], location=locs["PHONE"], starts_at=local(2026, 10, 5),
            type_slug="telefonisch-video", minutes=30,
        ),
        "M7": add_meeting(client=c["C5"], location=locs["L1"], starts_at=local(2026, 9, 20),
                          status=no_show),
        "M8": add_meeting(
            client=c["C6"], location=locs["L2"], starts_at=local(2026, 10, 10), status=no_show,
            override_reason="Oranje, maar de klant komt alleen in de buurt.", advised_level=2,
            location_level=1,
        ),
        "M9": add_meeting(client=c["C6"], location=locs["L2"], starts_at=local(2026, 10, 12),
                          status=MeetingStatus.EXCUSED),
        "M10": add_meeting(
            client=c["C4"], location=locs["L2"], starts_at=local(2026, 9, 10),
            override_reason="Geen verhoogde locatie vrij.", advised_level=2, location_level=1,
            override_reviewed_by=teamleider, override_reviewed_at=local(2026, 9, 11),
        ),
        "M11": add_meeting(client=c["C1"], location=locs["L1"], starts_at=local(2026, 9, 3),
                           status=MeetingStatus.CANCELLED),
        "M12": add_meeting(client=c["C2"], location=locs["L1"], starts_at=local(2026, 10, 20),
                           status=MeetingStatus.PLANNED),
        "M13": add_meeting(
            client=c["C8"], location=locs["L1"], starts_at=local(2026, 9, 5),
            override_reason="Ander team.", advised_level=3, location_level=2,
        ),
        "M14": add_meeting(client=c["C6"], location=locs["L2"], starts_at=local(2026, 9, 25)),
        "M15": add_meeting(
            client=c["C1"], location=locs["L4"], starts_at=local(2027, 1, 11),
            status=MeetingStatus.PLANNED, type_slug="heronderzoek",
            override_reason="Klant kan niet naar het stadsloket reizen.", advised_level=2,
            location_level=1,
        ),
        # Reach boundaries: 23:30 the day before 23 November 2025 is too early, 00:15 on it counts.
        "R9": add_meeting(client=c["C9"], location=locs["L1"],
                          starts_at=local(2025, 11, 22, 23, 30)),
        "R11": add_meeting(client=c["C11"], location=locs["L1"],
                           starts_at=local(2025, 11, 23, 0, 15)),
    }  # fmt: skip
    return World(
        oud_oost=oud_oost,
        wgm=wgm,
        locations=locs,
        team=team,
        teamleider=teamleider,
        km1=km1,
        km2=km2,
        km3=km3,
        clients=clients,
        meetings=meetings,
    )


def grow(world: World, *, locations: int, clients: int, meetings: int) -> None:
    """More of everything, in both gebieden, for the constant-query tests."""
    for n in range(locations):
        physical(
            f"Extra locatie {n}",
            world.oud_oost if n % 2 else world.wgm,
            kind=LocationKind.PARTNER,
            postcode="1093 JC" if n % 2 else "1097 DN",
            capacity=4,
            hours=WORKWEEK,
            verhoogd=True,
        )
    extra_clients = [
        ClientFactory(
            case_manager=world.km1 if n % 2 else world.km2,
            postcode=["1091 AB", "1096 AB", "1087 ZW"][n % 3],
        )
        for n in range(clients)
    ]
    places = [world.locations[key] for key in ("L1", "L2", "W1", "HOME", "PHONE")]
    statuses = [MeetingStatus.HELD, MeetingStatus.NO_SHOW, MeetingStatus.EXCUSED]
    for n in range(meetings):
        add_meeting(
            client=extra_clients[n % len(extra_clients)],
            location=places[n % len(places)],
            starts_at=local(2026, 9, 1) + dt.timedelta(hours=3 * n),
            status=statuses[n % 3],
            override_reason="Reden." if n % 4 == 0 else "",
        )

"""City-scale benchmark data: realistic, deterministic, without overlaps, loaded with COPY.

Never used for the demo database: `manage.py bench` points Django at a database of its own.
Meetings are generated on a per-klantmanager grid (six one-hour slots a working day) in rooms that
only that klantmanager uses, for clients of that klantmanager only, so that no room, colleague or
client is ever double-booked; the exclusion constraints check that as the rows arrive.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from activering.models import Team, User
from activering.roles import BEHEERDER, KLANTMANAGER, TEAMLEIDER
from bench.scales import Scale
from clients.choices import LadderStep, Risk, Theme
from locations.choices import LocationKind, SafetyLevel, Threshold
from locations.geo import AMSTERDAM_TZ
from locations.models import District, Location, OpeningHours, Room
from locations.safety import safety_level
from meetings.choices import KENNISMAKING, VOORTGANGSGESPREK
from meetings.models import Meeting, MeetingEvent, MeetingStatus, MeetingType

BENCH_PASSWORD = "activering-bench"  # noqa: S105  (generated test data on loopback only)
SLOT_HOURS = (9, 10, 11, 13, 14, 15)  # inside the 09:00–17:00 opening hours
#: Fictional but realistic names, so that searching behaves as with real client lists.
FIRST_NAMES = [
    "Fatima", "Jan", "Samira", "Kees", "Mohamed", "Anouk", "Yusuf", "Naima", "Ruben", "Priya",
    "Mehmet", "Lotte", "Esra", "Daan", "Ilse", "Sanne", "Tariq", "Femke", "Hakan", "Noor",
    "Wouter", "Latifa", "Joris", "Mirjam", "Carla", "Orlando", "Hanneke", "Ayoub", "Ingrid",
    "Kofi", "Marieke", "Said", "Ellen", "Bilal", "Gerda", "Rachid", "Yvonne", "Ahmed", "Tineke",
]  # fmt: skip
LAST_NAMES = [
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos",
    "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "van Dijk", "Koster", "Yilmaz", "Öztürk",
    "El Amrani", "Bouzid", "Haddou", "Aydin", "Kaya", "Demir", "Ramdin", "Kartosen", "Pinas",
    "Sedney", "Lieveld", "Zwart", "Mensah", "Boateng", "Asante", "Tahiri", "Benali", "Chaouch",
    "van der Berg", "van Leeuwen", "de Graaf", "Willems", "Kramer", "Scholten", "Post", "Kok",
]  # fmt: skip
_OOST = [
    ("Oud-Oost", ["1091", "1092", "1093"], (52.358, 4.921)),
    ("Indische Buurt / Oostelijk Havengebied", ["1019", "1094", "1095"], (52.366, 4.940)),
    ("Watergraafsmeer", ["1096", "1097", "1098"], (52.346, 4.931)),
    ("IJburg / Zeeburgereiland", ["1086", "1087"], (52.358, 4.990)),
]
_CITY = [
    "Centrum-West", "Centrum-Oost", "Westerpark", "Bos en Lommer", "Oud-West / De Baarsjes",
    "Geuzenveld / Slotermeer", "Osdorp", "De Aker / Sloten", "Slotervaart", "Oud-Zuid",
    "Buitenveldert / Zuidas", "De Pijp / Rivierenbuurt", "Oud-Noord", "Noord-West", "Noord-Oost",
    "Bijlmer-West", "Bijlmer-Centrum", "Bijlmer-Oost", "Gaasperdam",
]  # fmt: skip
_KINDS = [
    (LocationKind.PARTNER, 40),
    (LocationKind.HUIS_VAN_DE_WIJK, 25),
    (LocationKind.BIBLIOTHEEK, 15),
    (LocationKind.PARTICIPATIECENTRUM, 15),
    (LocationKind.STADSLOKET, 5),
]
_FEATURE_SETS = [  # basis, verhoogd, beveiligd, below basis
    ({"has_private_room"}, 45),
    ({"has_private_room", "has_fixed_alarm", "has_colleague_nearby", "has_escape_route"}, 35),
    (
        {
            "has_private_room",
            "has_fixed_alarm",
            "has_mobile_alarm",
            "has_colleague_nearby",
            "has_escape_route",
            "has_line_of_sight",
            "has_reception_desk",
            "has_camera_supervision",
        },
        8,
    ),
    (set(), 12),
]
_STATUSES_PAST = [
    (MeetingStatus.HELD, 75),
    (MeetingStatus.NO_SHOW, 12),
    (MeetingStatus.EXCUSED, 5),
    (MeetingStatus.CANCELLED, 8),
]


@dataclass(frozen=True)
class GeneratedCounts:
    districts: int
    locations: int
    rooms: int
    klantmanagers: int
    clients: int
    meetings: int


def _pick[T](rng: random.Random, weighted: Sequence[tuple[T, int]]) -> T:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def _districts(scale: Scale) -> list[tuple[str, list[str], tuple[float, float]]]:
    if scale.districts <= len(_OOST):
        return _OOST[: scale.districts]
    # Amsterdam's PC4 areas 1011–1109 shared out over the other gebieden, in order.
    others = _CITY[: scale.districts - len(_OOST)]
    used = {pc4 for _, codes, _ in _OOST for pc4 in codes}
    free = [str(code) for code in range(1011, 1110) if str(code) not in used]
    per = len(free) // len(others)
    result = list(_OOST)
    for index, name in enumerate(others):
        codes = free[index * per : (index + 1) * per] or [free[-1]]
        angle_lat = 52.30 + 0.12 * ((index * 7) % len(others)) / len(others)
        angle_lon = 4.78 + 0.22 * ((index * 3) % len(others)) / len(others)
        result.append((name, codes, (round(angle_lat, 3), round(angle_lon, 3))))
    return result


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with connection.cursor() as cursor:
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)


def _next_ids(table: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608 (constant)
            "FROM generate_series(1, %s)",
            [count],
        )
        return [row[0] for row in cursor.fetchall()]


def is_generated() -> bool:
    return Meeting.objects.exists()


@transaction.atomic
def generate(
    scale: Scale, *, seed: int = 2026, today: date | None = None, log: Callable[[str], None] = print
) -> GeneratedCounts:
    """Fill an empty database with `scale`'s data. Deterministic for a seed and a date."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())

    # Gebieden, locations, rooms, opening hours ---------------------------------------------
    district_rows = _districts(scale)
    districts = District.objects.bulk_create(
        District(
            name=name,
            slug=f"gebied-{index + 1}",
            pc4_codes=codes,
            coverage_target=5,
            centre_latitude=Decimal(str(centre[0])),
            centre_longitude=Decimal(str(centre[1])),
        )
        for index, (name, codes, centre) in enumerate(district_rows)
    )
    locations: list[Location] = []
    for index in range(scale.locations):
        district = districts[index % len(districts)]
        pc4 = district.pc4_codes[index % len(district.pc4_codes)]
        kind = _pick(rng, _KINDS)
        features = (
            _pick(rng, _FEATURE_SETS) if kind != LocationKind.STADSLOKET else _FEATURE_SETS[2][0]
        )
        locations.append(
            Location(
                name=f"Locatie {index + 1:03d} ({district.name})",
                kind=kind,
                street_address=f"Benchstraat {index + 1}",
                postcode=f"{pc4} {chr(65 + index % 26)}{chr(65 + (index // 26) % 26)}",
                pc4=pc4,
                latitude=district.centre_latitude + Decimal(rng.randint(-80, 80)) / 10_000,
                longitude=district.centre_longitude + Decimal(rng.randint(-80, 80)) / 10_000,
                district=district,
                threshold=_pick(
                    rng, [(Threshold.LOW, 5), (Threshold.MEDIUM, 3), (Threshold.HIGH, 2)]
                ),
                is_step_free=rng.random() < 0.8,
                **dict.fromkeys(features, True),
            )
        )
    locations = Location.objects.bulk_create(locations)
    physical_rooms = Room.objects.bulk_create(
        Room(
            location=locations[index % len(locations)],
            name=f"Kamer {index + 1}",
            capacity=rng.choice([2, 4, 4, 6, 12]),
        )
        for index in range(scale.rooms)
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=weekday, opens=time(9), closes=time(17))
        for location in locations
        for weekday in range(5)
    )
    Location.objects.create(name="Bij de klant thuis", kind=LocationKind.CLIENT_HOME)
    Location.objects.create(name="Telefonisch / video", kind=LocationKind.REMOTE)
    log(f"  {len(districts)} gebieden, {len(locations)} locations, {len(physical_rooms)} rooms")

    # Staff ----------------------------------------------------------------------------------
    groups = {group.name: group for group in Group.objects.all()}
    password = make_password(BENCH_PASSWORD)
    teams = Team.objects.bulk_create(Team(name=f"Team {d.name}") for d in districts)
    managers = User.objects.bulk_create(
        User(
            username=f"klantmanager{n + 1}",
            first_name="Klantmanager",
            last_name=str(n + 1),
            password=password,
            team=teams[n % len(teams)],
        )
        for n in range(scale.klantmanagers)
    )
    leaders = User.objects.bulk_create(
        User(username=f"teamleider{n + 1}", password=password, team=team)
        for n, team in enumerate(teams)
    )
    beheerder = User.objects.create(username="beheerder1", password=password)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=groups[KLANTMANAGER].pk) for u in managers]
        + [User.groups.through(user_id=u.pk, group_id=groups[TEAMLEIDER].pk) for u in leaders]
        + [User.groups.through(user_id=beheerder.pk, group_id=groups[BEHEERDER].pk)]
    )
    log(f"  {len(managers)} klantmanagers, {len(leaders)} teamleiders")

    # Each klantmanager gets rooms of their own gebied that nobody else books.
    rooms_by_district: dict[int, list[Room]] = {}
    location_by_id = {location.pk: location for location in locations}
    for room in physical_rooms:
        location = location_by_id[room.location_id]
        if location.has_private_room and location.district_id is not None:
            rooms_by_district.setdefault(location.district_id, []).append(room)
    own_room: dict[int, Room] = {}
    for index, manager in enumerate(managers):
        district = districts[index % len(districts)]
        rooms = rooms_by_district[district.pk]
        own_room[manager.pk] = rooms[(index // len(districts)) % len(rooms)]
    if len({room.pk for room in own_room.values()}) < len(managers):
        raise RuntimeError("not enough rooms for one per klantmanager at this scale")

    # Clients --------------------------------------------------------------------------------
    client_ids = _next_ids("clients_client", scale.clients)
    managers_by_team: dict[int, list[User]] = {}
    for manager in managers:
        managers_by_team.setdefault(manager.team_id or 0, []).append(manager)
    clients_of: dict[int, list[tuple[int, str]]] = {m.pk: [] for m in managers}
    now = timezone.now()

    def client_rows() -> Iterable[tuple[Any, ...]]:
        for number, client_id in enumerate(client_ids):
            index = number % len(districts)
            district, team = districts[index], teams[index]
            pc4 = rng.choice(district.pc4_codes)
            manager = managers_by_team[team.pk][
                number // len(districts) % len(managers_by_team[team.pk])
            ]
            risk = _pick(rng, [(Risk.GROEN, 85), (Risk.ORANJE, 12), (Risk.ROOD, 3)])
            clients_of[manager.pk].append((client_id, risk))
            yield (
                client_id,
                f"{3_000_000 + number:07d}",
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                f"{pc4} {chr(65 + number % 26)}{chr(65 + (number // 26) % 26)}",
                f"Benchweg {number % 200 + 1}",
                "020 123 4567",
                "",
                "nl",
                manager.pk,
                _pick(
                    rng,
                    [
                        (LadderStep.ISOLATED, 3),
                        (LadderStep.SOCIAL_CONTACTS, 4),
                        (LadderStep.ORGANISED_ACTIVITIES, 2),
                        (LadderStep.UNPAID_WORK, 1),
                    ],
                ),
                "{" + ",".join(rng.sample([t.value for t in Theme], 2)) + "}",
                risk,
                "" if risk == Risk.GROEN else "Gegenereerd risicosignaal",
                None if risk == Risk.GROEN else manager.pk,
                None if risk == Risk.GROEN else now,
                rng.random() < 0.1,
                True,
            )

    _copy(
        "clients_client",
        [
            "id", "klantnummer", "first_name", "last_name", "postcode", "address", "phone",
            "email", "preferred_language", "case_manager_id", "ladder_step", "themes", "risk",
            "risk_reason", "risk_set_by_id", "risk_set_at", "needs_step_free", "is_active",
        ],
        client_rows(),
    )  # fmt: skip
    log(f"  {scale.clients} clients")

    # Meetings ---------------------------------------------------------------------------------
    types = {
        t.slug: t for t in MeetingType.objects.filter(slug__in=[KENNISMAKING, VOORTGANGSGESPREK])
    }
    weeks = scale.past_weeks + scale.planned_weeks
    first_monday = monday - timedelta(weeks=scale.past_weeks)
    slots = [(week, day, hour) for week in range(weeks) for day in range(5) for hour in SLOT_HOURS]
    per_manager = scale.meetings // len(managers)
    meeting_ids = _next_ids("meetings_meeting", per_manager * len(managers))
    level_of = {location.pk: safety_level(location) for location in locations}
    meeting_rows: list[tuple[Any, ...]] = []
    commitment_rows: list[tuple[Any, ...]] = []
    event_rows: list[tuple[Any, ...]] = []
    next_id = iter(meeting_ids)
    for manager in managers:
        room = own_room[manager.pk]
        location_level = level_of[room.location_id]
        candidates = [c for c in clients_of[manager.pk] if c[1] != Risk.ROOD]
        for week, day, hour in sorted(rng.sample(slots, per_manager)):
            meeting_type = types[KENNISMAKING] if rng.random() < 0.2 else types[VOORTGANGSGESPREK]
            local = datetime.combine(
                first_monday + timedelta(weeks=week, days=day), time(hour), tzinfo=AMSTERDAM_TZ
            )
            starts_at = local.astimezone(UTC)
            ends_at = starts_at + timedelta(minutes=meeting_type.duration_minutes)
            client_id, risk = rng.choice(candidates)
            advised = SafetyLevel.VERHOOGD if risk == Risk.ORANJE else SafetyLevel.BASIS
            override = (
                ""
                if (location_level or 0) >= advised
                else "Enige geschikte plek dichtbij de klant."
            )
            status = _pick(rng, _STATUSES_PAST) if starts_at < now else MeetingStatus.PLANNED
            ladder = (
                rng.randint(1, 6) if status == MeetingStatus.HELD and rng.random() < 0.5 else None
            )
            booked_at = starts_at - timedelta(days=rng.randint(2, 30))
            meeting_id = next(next_id)
            meeting_rows.append((
                meeting_id, client_id, meeting_type.pk, room.location_id, room.pk, manager.pk,
                starts_at, ends_at, status, 1, override, advised, location_level, ladder,
                "Vervolggesprek plannen" if ladder else "", manager.pk, booked_at, manager.pk,
                booked_at,
            ))  # fmt: skip
            commitment_rows.append(
                (meeting_id, manager.pk, starts_at, ends_at, status != MeetingStatus.CANCELLED)
            )
            event_rows.append(
                (
                    meeting_id,
                    MeetingEvent.Kind.BOOKED,
                    MeetingStatus.PLANNED,
                    starts_at,
                    ends_at,
                    room.pk,
                    "",
                    manager.pk,
                    booked_at,
                )
            )
            if status != MeetingStatus.PLANNED:
                event_rows.append(
                    (
                        meeting_id,
                        MeetingEvent.Kind.STATUS_CHANGED,
                        status,
                        starts_at,
                        ends_at,
                        room.pk,
                        "",
                        manager.pk,
                        ends_at,
                    )
                )
    _copy(
        "meetings_meeting",
        [
            "id", "client_id", "meeting_type_id", "location_id", "room_id", "host_id",
            "starts_at", "ends_at", "status", "group_size", "override_reason", "advised_level",
            "location_level", "ladder_step_measured", "next_step", "created_by_id", "created_at",
            "changed_by_id", "changed_at",
        ],
        meeting_rows,
    )  # fmt: skip
    _copy(
        "meetings_staffcommitment",
        ["meeting_id", "user_id", "starts_at", "ends_at", "is_occupying"],
        commitment_rows,
    )
    _copy(
        "meetings_meetingevent",
        [
            "meeting_id",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "room_id",
            "reason",
            "by_id",
            "at",
        ],
        event_rows,
    )
    log(f"  {len(meeting_rows)} meetings over {weeks} weeks")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return GeneratedCounts(
        districts=len(districts),
        locations=len(locations),
        rooms=len(physical_rooms),
        klantmanagers=len(managers),
        clients=scale.clients,
        meetings=len(meeting_rows),
    )

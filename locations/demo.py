"""Demo gebieden, wijken and locations of stadsdeel Oost (DOMAIN.md, Geography).

The real places (Stadsloket Oost, PostOost, Oosterparkhuis, De Meevaart, OBA Javaplein, OBA
Linnaeusstraat) have their public addresses; their safety features, rooms and hours here are
fictional. The other partner locations are fictional ("fictief" in their notes).

Oud-Oost deliberately has fewer than 5 suitable locations for every conversation type: that
gap is the department's real problem and the coverage dashboard must show it. The other
gebieden have 5 for kennismaking and voortgangsgesprek.

Idempotent: everything is looked up by name first; all writes go through
`locations.services`, so the postcode, PC4 and gebied are derived as in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from clients.choices import Theme
from locations import services
from locations.choices import LocationKind, Threshold
from locations.models import Closure, District, Location, Neighbourhood, Offering, Room

DISTRICTS: list[dict] = [
    {
        "name": "Oud-Oost",
        "pc4_codes": ["1091", "1092", "1093"],
        "centre": ("52.358000", "4.921000"),
        "wijken": ["Weesperzijde", "Oosterparkbuurt", "Dapperbuurt", "Transvaalbuurt", "Oostpoort"],
    },
    {
        "name": "Indische Buurt / Oostelijk Havengebied",
        "pc4_codes": ["1019", "1094", "1095"],
        "centre": ("52.366000", "4.940000"),
        "wijken": [
            "Indische Buurt West",
            "Indische Buurt Oost",
            "Java-eiland",
            "KNSM-eiland",
            "Sporenburg",
            "Borneo",
        ],
    },
    {
        "name": "Watergraafsmeer",
        "pc4_codes": ["1096", "1097", "1098"],
        "centre": ("52.346000", "4.931000"),
        "wijken": ["Middenmeer", "Park de Meer", "Betondorp", "Amsteldorp", "Frankendael"],
    },
    {
        "name": "IJburg / Zeeburgereiland",
        "pc4_codes": ["1086", "1087"],
        "centre": ("52.358000", "4.990000"),
        "wijken": [
            "Steigereiland",
            "Haveneiland",
            "Rieteilanden",
            "Centrumeiland",
            "Strandeiland",
            "Sportheldenbuurt",
        ],
    },
]

OFFERINGS: dict[str, str] = {
    "Dynamo welzijnsspreekuur": Theme.SOCIAL,
    "Vrijwilligerscentrale": Theme.WORK,
    "Taalwijzer": Theme.LANGUAGE,
    "Schuldhulp-inloop": Theme.DEBTS,
    "Taalcafé": Theme.LANGUAGE,
    "Inloop dagbesteding": Theme.DAYTIME_ACTIVITY,
    "Formulierenhulp": Theme.FINANCES,
    "Beweegochtend": Theme.HEALTH,
    "Werkplaats hout en fiets": Theme.DAYTIME_ACTIVITY,
    "Koffie-ochtend voor buren": Theme.SOCIAL,
}

BASIS = {"has_private_room"}
VERHOOGD = BASIS | {
    "has_fixed_alarm",
    "has_colleague_nearby",
    "has_escape_route",
    "has_line_of_sight",
}
BEVEILIGD = VERHOOGD | {"has_mobile_alarm", "has_reception_desk", "has_camera_supervision"}
WEEKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4)


@dataclass
class DemoLocation:
    name: str
    kind: str
    street_address: str = ""
    postcode: str = ""
    latitude: str | None = None
    longitude: str | None = None
    wijk: str = ""
    partner_organisation: str = ""
    threshold: str = Threshold.LOW
    features: set[str] = field(default_factory=set)
    is_step_free: bool = True
    offerings: list[str] = field(default_factory=list)
    rooms: list[tuple[str, int]] = field(default_factory=list)
    #: (weekdays, opens, closes) of the location's general hours.
    hours: list[tuple[tuple[int, ...], time, time]] = field(default_factory=list)
    #: room name → (weekdays, opens, closes): a per-room override.
    room_hours: dict[str, list[tuple[tuple[int, ...], time, time]]] = field(default_factory=dict)
    open_on_public_holidays: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    notes: str = ""


OFFICE_HOURS: list[tuple[tuple[int, ...], time, time]] = [(WEEKDAYS, time(9, 0), time(17, 0))]

LOCATIONS: list[DemoLocation] = [
    # Oud-Oost: three locations with a private room, one library corner without one.
    DemoLocation(
        name="Stadsloket Oost",
        kind=LocationKind.STADSLOKET,
        street_address="Oranje-Vrijstaatplein 2",
        postcode="1093 NG",
        latitude="52.356700",
        longitude="4.929000",
        wijk="Transvaalbuurt",
        threshold=Threshold.HIGH,
        features=BEVEILIGD,
        rooms=[
            ("Spreekkamer 1", 3),
            ("Spreekkamer 2", 3),
            ("Spreekkamer 3", 3),
            ("Spreekkamer 4", 4),
            ("Groepsruimte", 12),
        ],
        hours=[(WEEKDAYS, time(8, 30), time(17, 0))],
        room_hours={"Spreekkamer 4": [((1, 3), time(9, 0), time(12, 30))]},
        contact_name="Balie Stadsloket Oost",
        contact_phone="14 020",
    ),
    DemoLocation(
        name="PostOost",
        kind=LocationKind.PARTICIPATIECENTRUM,
        street_address="Wijttenbachstraat 36",
        postcode="1093 JC",
        latitude="52.361400",
        longitude="4.926300",
        wijk="Dapperbuurt",
        partner_organisation="Dynamo",
        features=VERHOOGD,
        offerings=[
            "Dynamo welzijnsspreekuur",
            "Vrijwilligerscentrale",
            "Taalwijzer",
            "Schuldhulp-inloop",
        ],
        rooms=[("Spreekkamer A", 3), ("Spreekkamer B", 3), ("Zaal", 16)],
        hours=OFFICE_HOURS,
    ),
    DemoLocation(
        name="Oosterparkhuis",
        kind=LocationKind.HUIS_VAN_DE_WIJK,
        street_address="Derde Oosterparkstraat 159",
        postcode="1091 KE",
        latitude="52.355300",
        longitude="4.916900",
        wijk="Oosterparkbuurt",
        features=BASIS | {"has_mobile_alarm"},
        offerings=["Taalcafé", "Inloop dagbesteding"],
        rooms=[("Spreekkamer", 2)],
        hours=[((0, 1, 2, 3), time(9, 30), time(16, 30))],
    ),
    DemoLocation(
        name="OBA Linnaeusstraat",
        kind=LocationKind.BIBLIOTHEEK,
        street_address="Linnaeusstraat 44",
        postcode="1092 CL",
        latitude="52.359000",
        longitude="4.927000",
        wijk="Oostpoort",
        features={"has_line_of_sight"},
        offerings=["Formulierenhulp"],
        rooms=[("Studieplek", 2)],
        hours=[((0, 1, 2, 3, 4, 5), time(10, 0), time(18, 0)), ((6,), time(12, 0), time(17, 0))],
        notes="Open studieplek zonder deur: geschikt voor een kort gesprek met weinig privacy.",
    ),
    # Indische Buurt / Oostelijk Havengebied: five suitable locations.
    DemoLocation(
        name="De Meevaart",
        kind=LocationKind.HUIS_VAN_DE_WIJK,
        street_address="Balistraat 48a",
        postcode="1094 JN",
        latitude="52.361200",
        longitude="4.938600",
        wijk="Indische Buurt West",
        features=VERHOOGD,
        offerings=["Taalcafé", "Koffie-ochtend voor buren", "Beweegochtend"],
        rooms=[("Spreekkamer 1", 3), ("Spreekkamer 2", 3), ("Grote zaal", 30)],
        hours=[*OFFICE_HOURS, ((1, 3), time(19, 0), time(21, 0))],
    ),
    DemoLocation(
        name="OBA Javaplein",
        kind=LocationKind.BIBLIOTHEEK,
        street_address="Javaplein 2",
        postcode="1095 CJ",
        latitude="52.363100",
        longitude="4.944100",
        wijk="Indische Buurt Oost",
        features=BASIS | {"has_line_of_sight"},
        offerings=["Formulierenhulp", "Taalwijzer"],
        rooms=[("Studiecel", 2)],
        hours=[((0, 1, 2, 3, 4, 5), time(10, 0), time(18, 0)), ((6,), time(12, 0), time(17, 0))],
        open_on_public_holidays=True,
    ),
    DemoLocation(
        name="Buurtkamer Javastraat",
        kind=LocationKind.PARTNER,
        partner_organisation="Stichting Buurtkracht",
        street_address="Javastraat 120",
        postcode="1094 HK",
        latitude="52.362400",
        longitude="4.935400",
        wijk="Indische Buurt West",
        features=BASIS | {"has_colleague_nearby"},
        offerings=["Koffie-ochtend voor buren"],
        rooms=[("Achterkamer", 3)],
        hours=[((0, 2, 4), time(10, 0), time(16, 0))],
        notes="Fictieve partnerlocatie (demo).",
    ),
    DemoLocation(
        name="Werkplaats KNSM",
        kind=LocationKind.PARTNER,
        partner_organisation="Werkplaats Oostelijk Havengebied",
        street_address="KNSM-laan 50",
        postcode="1019 LL",
        latitude="52.376000",
        longitude="4.939000",
        wijk="KNSM-eiland",
        features=VERHOOGD,
        offerings=["Werkplaats hout en fiets", "Vrijwilligerscentrale"],
        rooms=[("Kantoor", 3), ("Kantine", 10)],
        hours=OFFICE_HOURS,
        notes="Fictieve partnerlocatie (demo).",
    ),
    DemoLocation(
        name="Participatiecentrum Zeeburg",
        kind=LocationKind.PARTICIPATIECENTRUM,
        street_address="Ambonplein 61",
        postcode="1094 PZ",
        latitude="52.360500",
        longitude="4.941500",
        wijk="Indische Buurt Oost",
        features=BASIS | {"has_fixed_alarm", "has_escape_route"},
        offerings=["Inloop dagbesteding", "Schuldhulp-inloop"],
        rooms=[("Spreekkamer", 3), ("Leslokaal", 12)],
        hours=OFFICE_HOURS,
        notes="Fictieve locatie (demo).",
    ),
    # Watergraafsmeer: fictional partner rooms, five suitable.
    DemoLocation(
        name="Buurtkamer Middenmeer",
        kind=LocationKind.HUIS_VAN_DE_WIJK,
        street_address="Middenweg 150",
        postcode="1097 TP",
        latitude="52.350000",
        longitude="4.933000",
        wijk="Middenmeer",
        features=BASIS,
        offerings=["Koffie-ochtend voor buren"],
        rooms=[("Spreekkamer", 3)],
        hours=OFFICE_HOURS,
        notes="Fictieve locatie (demo).",
    ),
    DemoLocation(
        name="Partnerruimte Park de Meer",
        kind=LocationKind.PARTNER,
        partner_organisation="Sportbuurtwerk Oost",
        street_address="Radioweg 40",
        postcode="1098 NJ",
        latitude="52.351500",
        longitude="4.945000",
        wijk="Park de Meer",
        features=VERHOOGD,
        offerings=["Beweegochtend"],
        rooms=[("Overlegruimte", 4), ("Sportkantine", 14)],
        hours=OFFICE_HOURS,
        notes="Fictieve partnerlocatie (demo).",
    ),
    DemoLocation(
        name="Buurthuis Betondorp",
        kind=LocationKind.HUIS_VAN_DE_WIJK,
        street_address="Brink 20",
        postcode="1097 TV",
        latitude="52.341000",
        longitude="4.951000",
        wijk="Betondorp",
        threshold=Threshold.MEDIUM,
        features=BASIS | {"has_line_of_sight"},
        is_step_free=False,
        offerings=["Taalcafé"],
        rooms=[("Bovenzaal", 8)],
        hours=[((0, 1, 2, 3), time(9, 0), time(16, 0))],
        notes="Fictieve locatie (demo).",
    ),
    DemoLocation(
        name="Werkplek Frankendael",
        kind=LocationKind.PARTNER,
        partner_organisation="Tuinen van Frankendael",
        street_address="Middenweg 72",
        postcode="1097 BS",
        latitude="52.348500",
        longitude="4.930000",
        wijk="Frankendael",
        features=BASIS,
        offerings=["Inloop dagbesteding"],
        rooms=[("Tuinkamer", 3)],
        hours=OFFICE_HOURS,
        notes="Fictieve partnerlocatie (demo).",
    ),
    DemoLocation(
        name="Participatiecentrum Amsteldorp",
        kind=LocationKind.PARTICIPATIECENTRUM,
        street_address="Amstelvlietstraat 10",
        postcode="1096 GG",
        latitude="52.339000",
        longitude="4.919000",
        wijk="Amsteldorp",
        threshold=Threshold.MEDIUM,
        features=VERHOOGD,
        offerings=["Formulierenhulp", "Schuldhulp-inloop"],
        rooms=[("Spreekkamer 1", 3), ("Spreekkamer 2", 3)],
        hours=OFFICE_HOURS,
        notes="Fictieve locatie (demo).",
    ),
    # IJburg / Zeeburgereiland: fictional partner rooms, five suitable.
    DemoLocation(
        name="Partnerruimte Steigereiland",
        kind=LocationKind.PARTNER,
        partner_organisation="Stichting Eilandwerk",
        street_address="IJburglaan 50",
        postcode="1087 AA",
        latitude="52.355500",
        longitude="4.988000",
        wijk="Steigereiland",
        features=BASIS,
        rooms=[("Spreekkamer", 3)],
        hours=OFFICE_HOURS,
        notes="Fictieve partnerlocatie (demo).",
    ),
    DemoLocation(
        name="Buurthuis Haveneiland",
        kind=LocationKind.HUIS_VAN_DE_WIJK,
        street_address="IJburglaan 700",
        postcode="1087 BC",
        latitude="52.354000",
        longitude="5.001000",
        wijk="Haveneiland",
        features=VERHOOGD,
        offerings=["Taalcafé", "Koffie-ochtend voor buren"],
        rooms=[("Spreekkamer", 3), ("Buurtzaal", 20)],
        hours=OFFICE_HOURS,
        notes="Fictieve locatie (demo).",
    ),
    DemoLocation(
        name="Buurtkamer Centrumeiland",
        kind=LocationKind.PARTNER,
        partner_organisation="Stichting Eilandwerk",
        street_address="Krijn Taconiskade 10",
        postcode="1087 HW",
        latitude="52.362000",
        longitude="4.987000",
        wijk="Centrumeiland",
        features=BASIS | {"has_mobile_alarm"},
        offerings=["Vrijwilligerscentrale"],
        rooms=[("Spreekkamer", 2)],
        hours=[((0, 1, 2, 3), time(9, 0), time(15, 0))],
        notes="Fictieve partnerlocatie (demo).",
    ),
    DemoLocation(
        name="Werkplaats Sportheldenbuurt",
        kind=LocationKind.PARTNER,
        partner_organisation="Sportbuurtwerk Oost",
        street_address="Bert Haanstrakade 100",
        postcode="1086 AB",
        latitude="52.362000",
        longitude="4.977000",
        wijk="Sportheldenbuurt",
        features=BASIS,
        offerings=["Beweegochtend", "Werkplaats hout en fiets"],
        rooms=[("Kantoor", 3)],
        hours=OFFICE_HOURS,
        notes="Fictieve partnerlocatie (demo).",
    ),
    DemoLocation(
        name="Participatiecentrum IJburg",
        kind=LocationKind.PARTICIPATIECENTRUM,
        street_address="Pampuslaan 50",
        postcode="1087 JA",
        latitude="52.353000",
        longitude="5.005000",
        wijk="Haveneiland",
        features=BASIS | {"has_fixed_alarm", "has_colleague_nearby"},
        offerings=["Formulierenhulp", "Inloop dagbesteding"],
        rooms=[("Spreekkamer 1", 3), ("Leslokaal", 10)],
        hours=OFFICE_HOURS,
        notes="Fictieve locatie (demo).",
    ),
    # Virtual locations: no address, rooms or hours.
    DemoLocation(
        name="Bij de klant thuis",
        kind=LocationKind.CLIENT_HOME,
        threshold=Threshold.LOW,
        notes="Keukentafelgesprek of huisbezoek op het adres van de klant.",
    ),
    DemoLocation(
        name="Telefonisch / video",
        kind=LocationKind.REMOTE,
        threshold=Threshold.LOW,
        notes="Gesprek per telefoon of beeldbellen.",
    ),
]


def _closures(today: date) -> list[tuple[str, str | None, date, date, str]]:
    """(location, room or None, first day, last day, reason), a few weeks ahead."""
    monday = today + timedelta(days=14 - today.weekday())
    return [
        ("De Meevaart", "Grote zaal", monday, monday + timedelta(days=4), "Nieuwe vloer"),
        ("PostOost", None, monday + timedelta(days=9), monday + timedelta(days=9),
         "Studiedag medewerkers"),
        ("Buurtkamer Javastraat", None, monday + timedelta(days=21),
         monday + timedelta(days=25), "Schilderwerk"),
    ]  # fmt: skip


def create_districts() -> list[District]:
    districts = []
    for data in DISTRICTS:
        district = District.objects.filter(name=data["name"]).first()
        if district is None:
            latitude, longitude = data["centre"]
            district = services.save_district(
                district=District(
                    name=data["name"],
                    slug=slugify(data["name"]),
                    pc4_codes=data["pc4_codes"],
                    centre_latitude=Decimal(latitude),
                    centre_longitude=Decimal(longitude),
                )
            )
        for wijk in data["wijken"]:
            Neighbourhood.objects.get_or_create(district=district, name=wijk)
        districts.append(district)
    return districts


def _create_location(data: DemoLocation, offerings: dict[str, Offering]) -> Location:
    location = Location(
        name=data.name,
        kind=data.kind,
        partner_organisation=data.partner_organisation,
        street_address=data.street_address,
        postcode=data.postcode,
        latitude=Decimal(data.latitude) if data.latitude else None,
        longitude=Decimal(data.longitude) if data.longitude else None,
        threshold=data.threshold,
        is_step_free=data.is_step_free,
        open_on_public_holidays=data.open_on_public_holidays,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        notes=data.notes,
        **dict.fromkeys(data.features, True),
    )
    location.derive_from_postcode()
    if data.wijk and location.district is not None:
        location.neighbourhood = Neighbourhood.objects.get(
            district=location.district, name=data.wijk
        )
    services.save_location(
        location=location, offerings=[offerings[name] for name in data.offerings]
    )
    rooms = {
        name: services.add_room(location=location, name=name, capacity=capacity)
        for name, capacity in data.rooms
    }
    for weekdays, opens, closes in data.hours:
        for weekday in weekdays:
            services.add_opening_hours(
                location=location, weekday=weekday, opens=opens, closes=closes
            )
    for room_name, spec in data.room_hours.items():
        for weekdays, opens, closes in spec:
            for weekday in weekdays:
                services.add_opening_hours(
                    location=location,
                    room=rooms[room_name],
                    weekday=weekday,
                    opens=opens,
                    closes=closes,
                )
    services.validate_location_rooms(location=location)
    return location


def create_locations() -> list[Location]:
    """Gebieden, wijken, offerings, locations with rooms and hours, and a few closures.
    Returns every demo location (also those that already existed)."""
    create_districts()
    offerings = {
        name: Offering.objects.get_or_create(name=name, defaults={"theme": theme})[0]
        for name, theme in OFFERINGS.items()
    }
    locations = []
    for data in LOCATIONS:
        location = Location.objects.filter(name=data.name).first()
        if location is None:
            location = _create_location(data, offerings)
        locations.append(location)
    by_name = {location.name: location for location in locations}
    for location_name, room_name, starts_on, ends_on, reason in _closures(timezone.localdate()):
        location = by_name[location_name]
        if Closure.objects.filter(location=location, reason=reason).exists():
            continue
        room = Room.objects.get(location=location, name=room_name) if room_name else None
        services.add_closure(
            location=location, room=room, starts_on=starts_on, ends_on=ends_on, reason=reason
        )
    return locations

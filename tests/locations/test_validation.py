"""Model validation with Dutch messages, and the database constraints behind it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from locations import services
from locations.choices import LocationKind
from locations.models import Closure, District, Location, OpeningHours, Room
from locations.selectors import district_for_pc4
from tests.factories import (
    DistrictFactory,
    LocationFactory,
    NeighbourhoodFactory,
    OpeningHoursFactory,
    RoomFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


@pytest.fixture
def oud_oost():
    return DistrictFactory()


def new_location(**overrides) -> Location:
    values = {
        "name": "Buurthuis Test",
        "kind": LocationKind.HUIS_VAN_DE_WIJK,
        "street_address": "Wijttenbachstraat 36",
        "postcode": "1093 JC",
        "latitude": Decimal("52.361400"),
        "longitude": Decimal("4.926300"),
        "has_private_room": True,
    }
    return Location(**{**values, **overrides})


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_postcode_is_normalised_and_pc4_and_gebied_derived(oud_oost):
    location = services.save_location(location=new_location(postcode=" 1093ng "))
    location.refresh_from_db()
    assert location.postcode == "1093 NG"
    assert location.pc4 == "1093"
    assert location.district == oud_oost
    assert district_for_pc4("1093") == oud_oost
    assert district_for_pc4("1011") is None


@pytest.mark.parametrize("postcode", ["", "109 NG", "0193 NG", "1093 N", "1093 N1", "abcd ef"])
def test_bad_postcode_is_rejected_in_dutch(oud_oost, postcode):
    with pytest.raises(ValidationError) as error:
        services.save_location(location=new_location(postcode=postcode))
    assert messages(error.value)["postcode"] == ["Vul een postcode in als 1234 AB."]
    assert not Location.objects.exists()


def test_postcode_outside_every_gebied_is_rejected(oud_oost):
    with pytest.raises(ValidationError) as error:
        services.save_location(location=new_location(postcode="1011 AB"))
    assert messages(error.value)["postcode"] == [
        "Postcodegebied 1011 ligt in geen enkel gebied. Voeg het eerst toe aan een gebied."
    ]


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [("52.090000", "5.120000"), ("52.269999", "4.900000"), ("52.360000", "5.090000")],
)
def test_coordinates_outside_amsterdam_are_rejected(oud_oost, latitude, longitude):
    location = new_location(latitude=Decimal(latitude), longitude=Decimal(longitude))
    with pytest.raises(ValidationError) as error:
        services.save_location(location=location)
    assert messages(error.value)["latitude"] == ["De coördinaten liggen niet in Amsterdam."]


def test_missing_address_and_coordinates_for_a_physical_location(oud_oost):
    with pytest.raises(ValidationError) as error:
        services.save_location(
            location=new_location(street_address=" ", latitude=None, longitude=None)
        )
    assert messages(error.value)["street_address"] == ["Vul de straat en het huisnummer in."]
    assert messages(error.value)["latitude"] == ["Vul de coördinaten van de locatie in."]


@pytest.mark.parametrize("kind", [LocationKind.CLIENT_HOME, LocationKind.REMOTE])
def test_virtual_locations_need_no_address_and_may_not_have_one(kind):
    virtual = services.save_location(location=Location(name=f"Virtueel {kind}", kind=kind))
    assert virtual.district is None and virtual.pc4 == ""
    with pytest.raises(ValidationError) as error:
        services.save_location(location=Location(name="Met adres", kind=kind, postcode="1093 JC"))
    assert "postcode" in messages(error.value)


def test_wijk_must_lie_in_the_gebied(oud_oost):
    elsewhere = NeighbourhoodFactory(
        district=DistrictFactory(name="Watergraafsmeer", pc4_codes=["1096", "1097", "1098"]),
        name="Betondorp",
    )
    with pytest.raises(ValidationError) as error:
        services.save_location(location=new_location(neighbourhood=elsewhere))
    assert messages(error.value)["neighbourhood"] == [
        "Deze wijk ligt niet in het gebied van de locatie."
    ]


def test_a_pc4_belongs_to_one_gebied_only(oud_oost):
    with pytest.raises(ValidationError) as error:
        services.save_district(
            district=District(
                name="Nieuw",
                slug="nieuw",
                pc4_codes=["1093", "1094"],
                centre_latitude=Decimal("52.36"),
                centre_longitude=Decimal("4.94"),
            )
        )
    assert messages(error.value)["pc4_codes"] == ["PC4 1093 hoort al bij gebied Oud-Oost."]


def test_moving_a_pc4_to_another_gebied_moves_its_locations(oud_oost):
    location = services.save_location(location=new_location())
    oud_oost.pc4_codes = ["1091", "1092"]
    services.save_district(district=oud_oost)
    new = services.save_district(
        district=District(
            name="Dapperbuurt-gebied",
            slug="dapperbuurt-gebied",
            pc4_codes=["1093"],
            centre_latitude=Decimal("52.36"),
            centre_longitude=Decimal("4.93"),
        )
    )
    location.refresh_from_db()
    assert location.district == new


def test_closing_time_must_be_after_opening_time():
    location = LocationFactory()
    row = OpeningHours(location=location, weekday=0, opens=dt.time(17), closes=dt.time(9))
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert messages(error.value)["closes"] == ["De sluitingstijd moet na de openingstijd liggen."]


@pytest.mark.parametrize(
    ("opens", "closes", "overlaps"),
    [
        (dt.time(12), dt.time(13), True),
        (dt.time(8), dt.time(9, 1), True),
        (dt.time(8), dt.time(18), True),
        (dt.time(8), dt.time(9), False),  # touching is fine: [) ranges
        (dt.time(17), dt.time(19), False),
    ],
)
def test_overlapping_opening_hours_are_rejected(opens, closes, overlaps):
    saved = OpeningHoursFactory(weekday=0, opens=dt.time(9), closes=dt.time(17))
    row = OpeningHours(location=saved.location, weekday=0, opens=opens, closes=closes)
    if overlaps:
        with pytest.raises(ValidationError) as error:
            row.full_clean()
        assert error.value.messages == ["Openingstijden mogen elkaar niet overlappen."]
    else:
        row.full_clean()
        row.save()


def test_same_hours_on_another_day_or_as_a_room_override_do_not_overlap():
    saved = OpeningHoursFactory(weekday=0)
    room = RoomFactory(location=saved.location)
    for row in (
        OpeningHours(location=saved.location, weekday=1, opens=saved.opens, closes=saved.closes),
        OpeningHours(
            location=saved.location, room=room, weekday=0, opens=saved.opens, closes=saved.closes
        ),
    ):
        row.full_clean()
        row.save()
    duplicate_override = OpeningHours(
        location=saved.location, room=room, weekday=0, opens=dt.time(16), closes=dt.time(18)
    )
    with pytest.raises(ValidationError):
        duplicate_override.full_clean()


def test_new_rows_are_checked_against_each_other_before_saving():
    location = LocationFactory()
    rows = [
        OpeningHours(location=location, weekday=2, opens=dt.time(9), closes=dt.time(12)),
        OpeningHours(location=location, weekday=2, opens=dt.time(11), closes=dt.time(14)),
    ]
    with pytest.raises(ValidationError) as error:
        services.validate_opening_hours(rows=rows)
    assert error.value.messages == ["Openingstijden mogen elkaar niet overlappen."]
    rows[1].opens = dt.time(12)
    services.validate_opening_hours(rows=rows)


def test_opening_hours_room_must_belong_to_the_location():
    room = RoomFactory()
    row = OpeningHours(
        location=LocationFactory(), room=room, weekday=0, opens=dt.time(9), closes=dt.time(10)
    )
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert messages(error.value)["room"] == ["Deze spreekkamer hoort bij een andere locatie."]


def test_closure_must_end_on_or_after_its_start():
    location = LocationFactory()
    with pytest.raises(ValidationError) as error:
        services.add_closure(
            location=location,
            starts_on=dt.date(2026, 4, 2),
            ends_on=dt.date(2026, 4, 1),
            reason="Verbouwing",
        )
    assert messages(error.value)["ends_on"] == [
        "Het einde van de sluiting moet op of na het begin liggen."
    ]
    one_day = services.add_closure(
        location=location,
        starts_on=dt.date(2026, 4, 2),
        ends_on=dt.date(2026, 4, 2),
        reason="Studiedag",
    )
    assert one_day.pk


def test_closure_room_must_belong_to_the_location():
    with pytest.raises(ValidationError) as error:
        services.add_closure(
            location=LocationFactory(),
            room=RoomFactory(),
            starts_on=dt.date(2026, 4, 2),
            ends_on=dt.date(2026, 4, 2),
            reason="Lekkage",
        )
    assert messages(error.value)["room"] == ["Deze spreekkamer hoort bij een andere locatie."]


def test_an_active_location_needs_an_active_room():
    location = LocationFactory()
    message = ["Een actieve locatie heeft minstens één actieve spreekkamer nodig."]
    with pytest.raises(ValidationError) as error:
        services.validate_location_rooms(location=location)
    assert error.value.messages == message
    RoomFactory(location=location, is_active=False)
    with pytest.raises(ValidationError):
        services.validate_location_rooms(location=location)
    # The admin passes the rooms as they will be saved.
    services.validate_location_rooms(location=location, rooms=[Room(name="Nieuw", is_active=True)])
    with pytest.raises(ValidationError):
        services.validate_location_rooms(location=location, rooms=[])
    RoomFactory(location=location)
    services.validate_location_rooms(location=location)


def test_inactive_and_virtual_locations_need_no_room():
    services.validate_location_rooms(location=LocationFactory(is_active=False))
    services.validate_location_rooms(location=LocationFactory(client_home=True))
    services.validate_location_rooms(location=LocationFactory(remote=True))


def test_virtual_locations_have_no_rooms():
    with pytest.raises(ValidationError) as error:
        services.add_room(location=LocationFactory(client_home=True), name="Keuken", capacity=4)
    assert error.value.messages == [
        "Een huisbezoek of telefonische locatie heeft geen spreekkamers."
    ]


def test_room_names_are_unique_per_location_and_capacity_positive():
    room = RoomFactory()
    with pytest.raises(ValidationError) as error:
        services.add_room(location=room.location, name=room.name, capacity=0)
    assert set(messages(error.value)) == {"capacity", "__all__"}
    services.add_room(location=LocationFactory(), name=room.name, capacity=2)


# The database refuses what clean() refuses, also when code skips full_clean().


def raises_integrity_error(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_database_refuses_closing_before_opening():
    location = LocationFactory()
    raises_integrity_error(
        lambda: OpeningHours.objects.create(
            location=location, weekday=0, opens=dt.time(17), closes=dt.time(9)
        )
    )
    raises_integrity_error(
        lambda: OpeningHours.objects.create(
            location=location, weekday=7, opens=dt.time(9), closes=dt.time(17)
        )
    )


def test_database_refuses_overlapping_hours():
    saved = OpeningHoursFactory(weekday=3)
    raises_integrity_error(
        lambda: OpeningHours.objects.create(
            location=saved.location, weekday=3, opens=dt.time(16), closes=dt.time(18)
        )
    )
    OpeningHours.objects.create(
        location=saved.location, weekday=3, opens=dt.time(17), closes=dt.time(18)
    )


def test_database_refuses_a_closure_ending_before_it_starts():
    location = LocationFactory()
    raises_integrity_error(
        lambda: Closure.objects.create(
            location=location,
            starts_on=dt.date(2026, 4, 2),
            ends_on=dt.date(2026, 4, 1),
            reason="x",
        )
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"postcode": "1093jc", "pc4": "1093"},
        {"postcode": "1093 JC", "pc4": "1094"},
        {"latitude": Decimal("51.900000")},
        {"longitude": Decimal("5.200000")},
        {"street_address": ""},
        {"kind": LocationKind.REMOTE},
    ],
    ids=["postcode format", "pc4", "latitude", "longitude", "address", "virtual with address"],
)
def test_database_refuses_inconsistent_locations(overrides):
    raises_integrity_error(lambda: LocationFactory(**overrides))


def test_database_refuses_malformed_pc4_codes_and_small_rooms():
    raises_integrity_error(lambda: DistrictFactory(name="Fout", pc4_codes=["1091", "109"]))
    raises_integrity_error(lambda: DistrictFactory(name="Fout", pc4_codes=["1091", "10a1"]))
    raises_integrity_error(lambda: RoomFactory(capacity=0))
    DistrictFactory(name="Leeg", pc4_codes=[])

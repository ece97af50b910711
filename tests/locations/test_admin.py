"""The beheerder's pages at /beheer/: who gets in, what they show, and validation that rejects
bad input with a Dutch message and saves nothing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clients.models import Client
from locations.choices import LocationKind, SafetyLevel, Weekday
from locations.models import Closure, Location, OpeningHours, Room
from tests.factories import (
    ClientFactory,
    ClosureFactory,
    DistrictFactory,
    LocationFactory,
    OpeningHoursFactory,
    RoomFactory,
    meeting_type,
)

pytestmark = pytest.mark.django_db

FEATURES = (
    "has_private_room",
    "has_fixed_alarm",
    "has_mobile_alarm",
    "has_escape_route",
    "has_colleague_nearby",
    "has_line_of_sight",
    "has_reception_desk",
    "has_camera_supervision",
)


@pytest.fixture
def beheer(client, beheerder):
    client.force_login(beheerder)
    return client


@pytest.fixture
def location():
    location = LocationFactory(name="Buurthuis De Ketel", verhoogd=True)
    RoomFactory(location=location, name="Spreekkamer 1", capacity=4)
    OpeningHoursFactory(location=location, weekday=Weekday.MONDAY)
    return location


def change_url(location: Location) -> str:
    return reverse("admin:locations_location_change", args=[location.pk])


def _formset(prefix: str, rows: list[dict], initial: int) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def location_post(location: Location | None, *, rooms=None, hours=None, closures=None, **fields):
    """The admin change form as a browser would post it: the location's current values (or a
    new location's), its existing inline rows unchanged, plus `rooms`/`hours`/`closures` rows
    appended and `fields` overriding location fields ("" unticks a checkbox)."""
    base = location or Location(
        name="Nieuwe plek",
        kind=LocationKind.HUIS_VAN_DE_WIJK,
        street_address="Wijttenbachstraat 36",
        postcode="1093 JC",
        latitude=Decimal("52.361400"),
        longitude=Decimal("4.926300"),
        has_private_room=True,
    )
    values = {
        "name": base.name,
        "kind": base.kind,
        "partner_organisation": base.partner_organisation,
        "threshold": base.threshold,
        "street_address": base.street_address,
        "postcode": base.postcode,
        "neighbourhood": "",
        "latitude": "" if base.latitude is None else str(base.latitude),
        "longitude": "" if base.longitude is None else str(base.longitude),
        "contact_name": base.contact_name,
        "contact_phone": base.contact_phone,
        "notes": base.notes,
    }
    for name in (*FEATURES, "is_step_free", "is_active", "open_on_public_holidays"):
        if getattr(base, name):
            values[name] = "on"
    for name, value in fields.items():
        if value == "":
            values.pop(name, None)  # an unticked checkbox is not posted at all
        else:
            values[name] = value
    existing_rooms = list(location.rooms.order_by("pk")) if location else []
    existing_hours = list(location.opening_hours.order_by("pk")) if location else []
    existing_closures = list(location.closures.order_by("pk")) if location else []
    parent = str(location.pk) if location else ""
    room_rows = [
        {"id": room.pk, "location": parent, "name": room.name, "capacity": room.capacity}
        | ({"is_active": "on"} if room.is_active else {})
        for room in existing_rooms
    ] + [{"location": parent, **row} for row in rooms or []]
    hour_rows = [
        {
            "id": row.pk,
            "location": parent,
            "weekday": row.weekday,
            "opens": f"{row.opens:%H:%M}",
            "closes": f"{row.closes:%H:%M}",
            "room": row.room_id or "",
        }
        for row in existing_hours
    ] + [{"location": parent, "room": "", **row} for row in hours or []]
    closure_rows = [
        {
            "id": row.pk,
            "location": parent,
            "starts_on": f"{row.starts_on:%d-%m-%Y}",
            "ends_on": f"{row.ends_on:%d-%m-%Y}",
            "reason": row.reason,
            "room": row.room_id or "",
        }
        for row in existing_closures
    ] + [{"location": parent, "room": "", **row} for row in closures or []]
    return (
        values
        | _formset("rooms", room_rows, len(existing_rooms))
        | _formset("opening_hours", hour_rows, len(existing_hours))
        | _formset("closures", closure_rows, len(existing_closures))
    )


def counts() -> tuple[int, int, int, int]:
    return (
        Location.objects.count(),
        Room.objects.count(),
        OpeningHours.objects.count(),
        Closure.objects.count(),
    )


# Access ----------------------------------------------------------------------------------------


def test_beheerder_reaches_every_beheer_page(beheer, location):
    ClosureFactory(location=location)
    urls = [
        reverse("admin:index"),
        reverse("admin:locations_location_changelist"),
        reverse("admin:locations_location_add"),
        change_url(location),
        reverse("admin:locations_location_history", args=[location.pk]),
        reverse("admin:locations_location_import"),
        reverse("admin:locations_district_changelist"),
        reverse("admin:locations_district_change", args=[location.district_id]),
        reverse("admin:locations_neighbourhood_changelist"),
        reverse("admin:locations_offering_changelist"),
        reverse("admin:meetings_meetingtype_changelist"),
        reverse("admin:meetings_meetingtype_change", args=[meeting_type("kennismaking").pk]),
        reverse("admin:meetings_meetingtype_add"),
    ]
    for url in urls:
        assert beheer.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["klantmanager", "teamleider"])
def test_other_roles_get_403_in_the_beheer(client, role, request, location):
    client.force_login(request.getfixturevalue(role))
    for url in (
        reverse("admin:index"),
        reverse("admin:locations_location_changelist"),
        change_url(location),
        reverse("admin:locations_location_import"),
        reverse("admin:locations_location_export"),
    ):
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("admin:locations_location_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_beheer_never_shows_client_data(beheer, location):
    ClientFactory(first_name="Geheimina", last_name="Klantdata", klantnummer="7654321")
    index = beheer.get(reverse("admin:index"))
    assert {app["app_label"] for app in index.context["app_list"]} == {"locations", "meetings"}
    for url in (
        reverse("admin:index"),
        reverse("admin:locations_location_changelist"),
        change_url(location),
    ):
        html = beheer.get(url).content.decode()
        assert "Geheimina" not in html and "7654321" not in html
        assert "/beheer/clients/" not in html and "/beheer/activering/" not in html
    for path in ("clients/client/", "activering/auditentry/", "activering/user/", "auth/group/"):
        assert beheer.get(f"/beheer/{path}").status_code == 404, path
    assert Client.objects.count() == 1


# Changelist ------------------------------------------------------------------------------------


def _add_locations(count: int) -> None:
    for n in range(count):
        location = LocationFactory(beveiligd=n % 2 == 0)
        RoomFactory(location=location)


def test_changelist_queries_stay_constant_as_locations_grow(beheer, django_assert_num_queries):
    url = reverse("admin:locations_location_changelist")
    _add_locations(3)
    with CaptureQueriesContext(connection) as few:
        response = beheer.get(url)
    assert len(response.context["cl"].result_list) == 3
    _add_locations(30)
    with django_assert_num_queries(len(few)):
        response = beheer.get(url)
    assert len(response.context["cl"].result_list) == 33
    assert len(few) <= 10


def test_changelist_shows_and_filters_on_the_derived_safety_level(beheer):
    LocationFactory(name="Stadsloket Oost", kind=LocationKind.STADSLOKET, beveiligd=True)
    LocationFactory(name="PostOost", verhoogd=True)
    LocationFactory(name="Bibliotheek", kind=LocationKind.BIBLIOTHEEK, basis=True)
    LocationFactory(name="Zonder kamer", no_private_room=True)
    url = reverse("admin:locations_location_changelist")

    def names(params: dict) -> set[str]:
        response = beheer.get(url, params)
        assert response.status_code == 200
        return {location.name for location in response.context["cl"].result_list}

    assert names({"veiligheid": str(SafetyLevel.VERHOOGD.value)}) == {"PostOost"}
    assert names({"veiligheid": str(SafetyLevel.BEVEILIGD.value)}) == {"Stadsloket Oost"}
    assert names({"veiligheid": "geen"}) == {"Zonder kamer"}
    assert names({"kind__exact": LocationKind.BIBLIOTHEEK}) == {"Bibliotheek"}
    assert names({"q": "PostOost"}) == {"PostOost"}
    html = beheer.get(url).content.decode()
    assert "beveiligd" in html and "verhoogd" in html


def test_change_page_shows_pc4_gebied_safety_and_suitable_types(beheer, location):
    meeting_type("kennismaking")
    meeting_type("afstemmingsgesprek")
    html = beheer.get(change_url(location)).content.decode()
    assert "1093" in html and "Oud-Oost" in html
    assert "verhoogd" in html
    assert "Nog niet beveiligd" in html
    assert "geen cameratoezicht" in html
    assert "Een afstemmingsgesprek mag alleen op het stadsloket" in html
    assert "<td>geschikt</td>" in html


# Validation: each rule rejects bad input with its Dutch message and saves nothing -------------


def post_rejected(beheer, location, data, message: str) -> None:
    before = counts()
    response = beheer.post(change_url(location), data)
    assert response.status_code == 200, response.status_code
    assert message in response.content.decode()
    assert counts() == before
    location.refresh_from_db()
    assert location.name == "Buurthuis De Ketel"


def test_a_valid_edit_saves_everything(beheer, location):
    data = location_post(
        location,
        name="Buurthuis De Ketel (nieuw)",
        postcode="1094jn",
        rooms=[{"name": "Zaal", "capacity": "12", "is_active": "on"}],
        hours=[{"weekday": Weekday.TUESDAY, "opens": "09:00", "closes": "12:00"}],
        closures=[{"starts_on": "01-12-2026", "ends_on": "02-12-2026", "reason": "Training"}],
    )
    DistrictFactory(name="Indische Buurt", pc4_codes=["1094"])
    response = beheer.post(change_url(location), data)
    assert response.status_code == 302, response.context and response.context.get("errors")
    location.refresh_from_db()
    assert location.name == "Buurthuis De Ketel (nieuw)"
    assert (location.postcode, location.pc4, location.district.name) == (
        "1094 JN",
        "1094",
        "Indische Buurt",
    )
    assert location.rooms.count() == 2
    assert location.opening_hours.count() == 2
    assert location.closures.count() == 1


@pytest.mark.parametrize("postcode", ["1093", "1093 J", "AB 1093", "0193 JC"])
def test_bad_postcode_is_rejected(beheer, location, postcode):
    data = location_post(location, name="Veranderd", postcode=postcode)
    post_rejected(beheer, location, data, "Vul een postcode in als 1234 AB.")


def test_coordinates_outside_amsterdam_are_rejected(beheer, location):
    data = location_post(location, name="Veranderd", latitude="51.924400", longitude="4.477700")
    post_rejected(beheer, location, data, "De coördinaten liggen niet in Amsterdam.")


def test_opening_hours_that_close_before_they_open_are_rejected(beheer, location):
    data = location_post(
        location,
        name="Veranderd",
        hours=[{"weekday": Weekday.FRIDAY, "opens": "17:00", "closes": "09:00"}],
    )
    post_rejected(beheer, location, data, "De sluitingstijd moet na de openingstijd liggen.")


def test_opening_hours_overlapping_a_saved_row_are_rejected(beheer, location):
    # The saved row is Monday 09:00–17:00.
    data = location_post(
        location,
        name="Veranderd",
        hours=[{"weekday": Weekday.MONDAY, "opens": "16:00", "closes": "18:00"}],
    )
    post_rejected(beheer, location, data, "Openingstijden mogen elkaar niet overlappen.")


def test_opening_hours_overlapping_each_other_in_one_form_are_rejected(beheer, location):
    data = location_post(
        location,
        name="Veranderd",
        hours=[
            {"weekday": Weekday.WEDNESDAY, "opens": "09:00", "closes": "13:00"},
            {"weekday": Weekday.WEDNESDAY, "opens": "12:00", "closes": "17:00"},
        ],
    )
    post_rejected(beheer, location, data, "Openingstijden mogen elkaar niet overlappen.")


def test_touching_opening_hours_and_a_room_override_are_fine(beheer, location):
    room = location.rooms.get()
    data = location_post(
        location,
        hours=[
            {"weekday": Weekday.WEDNESDAY, "opens": "09:00", "closes": "12:00"},
            {"weekday": Weekday.WEDNESDAY, "opens": "12:00", "closes": "17:00"},
            {"weekday": Weekday.MONDAY, "opens": "10:00", "closes": "12:00", "room": room.pk},
        ],
    )
    assert beheer.post(change_url(location), data).status_code == 302
    assert location.opening_hours.count() == 4


def test_a_closure_that_ends_before_it_starts_is_rejected(beheer, location):
    data = location_post(
        location,
        name="Veranderd",
        closures=[{"starts_on": "10-12-2026", "ends_on": "09-12-2026", "reason": "Verbouwing"}],
    )
    post_rejected(
        beheer, location, data, "Het einde van de sluiting moet op of na het begin liggen."
    )


def test_an_active_location_without_an_active_room_is_rejected(beheer, location):
    data = location_post(location, name="Veranderd")
    data["rooms-0-DELETE"] = "on"
    post_rejected(
        beheer, location, data, "Een actieve locatie heeft minstens één actieve spreekkamer nodig."
    )
    data = location_post(location, name="Veranderd")
    del data["rooms-0-is_active"]
    post_rejected(
        beheer, location, data, "Een actieve locatie heeft minstens één actieve spreekkamer nodig."
    )


def test_an_inactive_location_may_be_without_rooms(beheer, location):
    data = location_post(location, is_active="")
    data["rooms-0-DELETE"] = "on"
    assert beheer.post(change_url(location), data).status_code == 302
    assert not location.rooms.exists()


def test_a_new_active_location_needs_a_room_and_saves_nothing_without(beheer):
    DistrictFactory()
    before = counts()
    url = reverse("admin:locations_location_add")
    response = beheer.post(url, location_post(None))
    assert response.status_code == 200
    assert "Een actieve locatie heeft minstens één actieve spreekkamer nodig." in (
        response.content.decode()
    )
    assert counts() == before
    data = location_post(None, rooms=[{"name": "Spreekkamer", "capacity": "3", "is_active": "on"}])
    assert beheer.post(url, data).status_code == 302
    created = Location.objects.get(name="Nieuwe plek")
    assert created.pc4 == "1093" and created.district is not None
    assert created.rooms.count() == 1


def test_a_home_visit_location_has_no_rooms(beheer):
    location = LocationFactory(client_home=True, name="Bij de klant thuis")
    data = location_post(
        location, rooms=[{"name": "Woonkamer", "capacity": "3", "is_active": "on"}]
    )
    before = counts()
    response = beheer.post(change_url(location), data)
    assert response.status_code == 200
    assert "Een huisbezoek of telefonische locatie heeft geen spreekkamers." in (
        response.content.decode()
    )
    assert counts() == before


def test_a_bad_pc4_code_on_a_gebied_is_rejected(beheer):
    district = DistrictFactory()
    url = reverse("admin:locations_district_change", args=[district.pk])
    data = {
        "name": district.name,
        "slug": district.slug,
        "pc4_codes": "1091, 109X",
        "coverage_target": "5",
        "centre_latitude": "52.358000",
        "centre_longitude": "4.921000",
    }
    response = beheer.post(url, data)
    assert response.status_code == 200
    assert "109X: een pc4-code bestaat uit vier cijfers, zoals 1093." in response.content.decode()
    data["pc4_codes"] = "1091 1092;1093, 1089"
    assert beheer.post(url, data).status_code == 302
    district.refresh_from_db()
    assert district.pc4_codes == ["1089", "1091", "1092", "1093"]


def test_the_afstemmingsgesprek_stays_strict_in_the_admin(beheer):
    afstemming = meeting_type("afstemmingsgesprek")
    url = reverse("admin:meetings_meetingtype_change", args=[afstemming.pk])
    data = {
        "name": afstemming.name,
        "description": afstemming.description,
        "duration_minutes": "45",
        "is_active": "on",
        "allowed_kinds": [LocationKind.STADSLOKET, LocationKind.PARTNER],
        "minimum_safety_level": str(SafetyLevel.BEVEILIGD.value),
        "min_capacity": "1",
        "needs_room": "on",
    }
    response = beheer.post(url, data)
    assert response.status_code == 200
    assert "Een afstemmingsgesprek vindt alleen plaats op het stadsloket" in (
        response.content.decode()
    )
    afstemming.refresh_from_db()
    assert afstemming.allowed_kinds == [LocationKind.STADSLOKET]
    data["allowed_kinds"] = [LocationKind.STADSLOKET]
    data["duration_minutes"] = "60"
    assert beheer.post(url, data).status_code == 302
    afstemming.refresh_from_db()
    assert afstemming.duration_minutes == 60


def test_seeded_conversation_types_cannot_be_deleted(beheer):
    kennismaking = meeting_type("kennismaking")
    url = reverse("admin:meetings_meetingtype_delete", args=[kennismaking.pk])
    assert beheer.get(url).status_code == 403


def test_a_closure_for_a_room_only_lists_this_locations_rooms(beheer, location):
    other = RoomFactory(name="Elders")
    response = beheer.get(change_url(location))
    form = response.context["inline_admin_formsets"][2].formset.forms[0]
    assert list(form.fields["room"].queryset) == list(location.rooms.all())
    assert other not in form.fields["room"].queryset

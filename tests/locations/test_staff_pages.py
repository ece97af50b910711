"""The staff pages /locaties/ and /locaties/<pk>/: filters, htmx fragments, invalid input,
constant query counts, access per role and the conversation types a location suits."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activering.roles import BEHEERDER, KLANTMANAGER, TEAMLEIDER
from locations.choices import LocationKind, SafetyLevel, Threshold, Weekday
from locations.selectors import filter_locations, get_location_detail
from meetings.choices import AFSTEMMINGSGESPREK, HERONDERZOEK, KENNISMAKING, KEUKENTAFELGESPREK
from tests.factories import (
    ClosureFactory,
    DistrictFactory,
    LocationFactory,
    OfferingFactory,
    OpeningHoursFactory,
    RoomFactory,
    UserFactory,
    meeting_type,
)

pytestmark = pytest.mark.django_db

LIST = reverse("locations:list")
HTMX = {"HTTP_HX_REQUEST": "true"}


def watergraafsmeer():
    return DistrictFactory(
        name="Watergraafsmeer",
        pc4_codes=["1096", "1097", "1098"],
        centre_latitude="52.346000",
        centre_longitude="4.931000",
    )


def in_watergraafsmeer(**kwargs):
    return LocationFactory(
        district=watergraafsmeer(),
        postcode="1097 DN",
        pc4="1097",
        latitude="52.345600",
        longitude="4.932100",
        **kwargs,
    )


def names(response) -> list[str]:
    return [location.name for location in response.context["locations"]]


@pytest.fixture
def staff_client(client, klantmanager):
    client.force_login(klantmanager)
    return client


# Filters (selector and page) -----------------------------------------------------------------


def test_filter_by_gebied(staff_client):
    LocationFactory(name="PostOost")
    in_watergraafsmeer(name="Buurthuis Middenmeer")
    response = staff_client.get(LIST, {"gebied": "watergraafsmeer"})
    assert names(response) == ["Buurthuis Middenmeer"]
    assert names(staff_client.get(LIST, {"gebied": "oud-oost"})) == ["PostOost"]


def test_filter_by_kind(staff_client):
    LocationFactory(name="OBA Javaplein", kind=LocationKind.BIBLIOTHEEK)
    LocationFactory(name="PostOost", kind=LocationKind.PARTNER)
    assert names(staff_client.get(LIST, {"soort": "bibliotheek"})) == ["OBA Javaplein"]


def test_filter_by_minimum_safety_level(staff_client):
    LocationFactory(name="A basis", basis=True)
    LocationFactory(name="B verhoogd", verhoogd=True)
    LocationFactory(name="C beveiligd", beveiligd=True)
    LocationFactory(name="D geen", no_private_room=True)
    LocationFactory(client_home=True, name="Thuis")
    assert names(staff_client.get(LIST, {"niveau": SafetyLevel.VERHOOGD})) == [
        "B verhoogd",
        "C beveiligd",
    ]
    assert names(staff_client.get(LIST, {"niveau": SafetyLevel.BEVEILIGD})) == ["C beveiligd"]
    everything = names(staff_client.get(LIST))
    assert everything == ["A basis", "B verhoogd", "C beveiligd", "D geen", "Thuis"]


def test_filter_by_offering(staff_client):
    taalcafe = OfferingFactory(name="Taalcafé")
    schuldhulp = OfferingFactory(name="Schuldhulp-inloop")
    with_both = LocationFactory(name="PostOost")
    with_both.offerings.set([taalcafe, schuldhulp])
    LocationFactory(name="OBA Javaplein").offerings.set([taalcafe])
    LocationFactory(name="Zonder aanbod")
    assert names(staff_client.get(LIST, {"aanbod": schuldhulp.pk})) == ["PostOost"]
    assert names(staff_client.get(LIST, {"aanbod": taalcafe.pk})) == ["OBA Javaplein", "PostOost"]


def test_filter_step_free_only(staff_client):
    LocationFactory(name="Gelijkvloers", is_step_free=True)
    LocationFactory(name="Trap op", is_step_free=False)
    assert names(staff_client.get(LIST, {"drempelvrij": "on"})) == ["Gelijkvloers"]
    assert names(staff_client.get(LIST)) == ["Gelijkvloers", "Trap op"]


def test_search_by_name_or_street_and_filters_combine(staff_client):
    LocationFactory(name="De Meevaart", street_address="Balistraat 48a", basis=True)
    LocationFactory(
        name="Stadsloket Oost", street_address="Oranje-Vrijstaatplein 2", beveiligd=True
    )
    assert names(staff_client.get(LIST, {"q": "bali"})) == ["De Meevaart"]
    assert names(staff_client.get(LIST, {"q": "oost", "niveau": "3"})) == ["Stadsloket Oost"]
    assert names(staff_client.get(LIST, {"q": "meevaart", "niveau": "3"})) == []


def test_inactive_locations_only_when_asked(staff_client):
    LocationFactory(name="Actief")
    LocationFactory(name="Gesloten buurthuis", is_active=False)
    assert names(staff_client.get(LIST)) == ["Actief"]
    response = staff_client.get(LIST, {"ook_inactief": "on"})
    assert names(response) == ["Actief", "Gesloten buurthuis"]
    assert "niet actief" in response.content.decode()


def test_selector_annotates_rooms_and_level():
    location = LocationFactory(verhoogd=True)
    RoomFactory.create_batch(2, location=location)
    RoomFactory(location=location, is_active=False)
    location.offerings.set([OfferingFactory(), OfferingFactory()])
    (found,) = filter_locations(offering=location.offerings.first())
    assert found.active_room_count == 2  # the offering join does not inflate the count
    assert found.safety_level == SafetyLevel.VERHOOGD


# htmx, the page, invalid input ---------------------------------------------------------------


def test_plain_request_gets_the_whole_page_and_htmx_only_the_results(staff_client):
    LocationFactory(name="PostOost")
    page = staff_client.get(LIST)
    html = page.content.decode()
    assert "<html" in html
    assert 'id="main"' in html
    assert "<h1" in html
    assert 'role="search"' in html
    assert 'id="location-map-data"' in html
    assert "Vary" in page
    assert "HX-Request" in page["Vary"]

    fragment = staff_client.get(LIST, {"gebied": "oud-oost"}, **HTMX)
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert 'id="main"' not in html
    assert "<h1" not in html
    assert 'role="search"' not in html
    assert "PostOost" in html
    assert 'hx-swap-oob="innerHTML"' in html  # the live region's new text
    assert "1 locatie gevonden." in html
    assert "HX-Request" in fragment["Vary"]


def test_history_restore_gets_the_whole_page(staff_client):
    response = staff_client.get(LIST, **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_map_data_holds_the_filtered_locations_with_coordinates(staff_client):
    LocationFactory(name="PostOost", latitude="52.361500", longitude="4.926500", beveiligd=True)
    LocationFactory(remote=True)
    in_watergraafsmeer(name="Buurthuis Middenmeer")
    response = staff_client.get(LIST, {"gebied": "oud-oost"}, **HTMX)
    data = re.search(
        r'<script id="location-map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
    )
    assert data
    markers = json.loads(data.group(1))
    assert [marker["name"] for marker in markers] == ["PostOost"]
    assert markers[0]["lat"] == pytest.approx(52.3615)
    assert markers[0]["level"] == "beveiligd"
    assert markers[0]["url"].startswith("/locaties/")


@pytest.mark.parametrize(
    "params",
    [
        {"gebied": "abc"},
        {"soort": "kasteel"},
        {"niveau": "9"},
        {"niveau": "abc"},
        {"aanbod": "abc"},
        {"aanbod": "999999"},
        {"q": "x" * 500},
        {"q": "nul\x00byte"},
    ],
)
def test_invalid_filters_are_reported_and_ignored(staff_client, params):
    LocationFactory(name="PostOost")
    response = staff_client.get(LIST, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Niet alle filters zijn begrepen" in html
    assert 'aria-invalid="true"' in html
    assert names(response) == ["PostOost"]  # the other filters (none) still apply

    fragment = staff_client.get(LIST, params, **HTMX)
    assert fragment.status_code == 200
    assert "Niet alle filters zijn begrepen" in fragment.content.decode()


def test_valid_filters_still_apply_next_to_an_invalid_one(staff_client):
    LocationFactory(name="Bieb", kind=LocationKind.BIBLIOTHEEK)
    LocationFactory(name="Partner", kind=LocationKind.PARTNER)
    response = staff_client.get(LIST, {"soort": "bibliotheek", "gebied": "nergens"})
    assert names(response) == ["Bieb"]


def test_no_results_says_so(staff_client):
    response = staff_client.get(LIST, {"q": "bestaat niet"})
    assert "Geen locaties gevonden." in response.content.decode()


# Constant queries ----------------------------------------------------------------------------


def populate(count: int) -> None:
    offerings = [OfferingFactory(), OfferingFactory()]
    for n in range(count):
        location = LocationFactory(verhoogd=bool(n % 2), neighbourhood=None)
        location.offerings.set(offerings)
        RoomFactory.create_batch(2, location=location)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "fragment"])
def test_list_query_count_does_not_grow_with_locations(
    staff_client, htmx, django_assert_num_queries
):
    headers = HTMX if htmx else {}
    params = {"drempelvrij": "on", "gebied": "oud-oost"}
    populate(3)
    staff_client.get(LIST, params, **headers)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as few:
        response = staff_client.get(LIST, params, **headers)
    assert len(response.context["locations"]) == 3
    populate(27)
    with django_assert_num_queries(len(few)):
        response = staff_client.get(LIST, params, **headers)
    assert len(response.context["locations"]) == 30


def build_location_with(rooms: int) -> int:
    location = LocationFactory(verhoogd=True)
    location.offerings.set([OfferingFactory() for _ in range(rooms)])
    for n in range(rooms):
        room = RoomFactory(location=location)
        OpeningHoursFactory(location=location, room=room if n % 2 else None, weekday=n % 7)
        ClosureFactory(
            location=location,
            room=room if n % 2 else None,
            starts_on=dt.date(2026, 6, 1) + dt.timedelta(days=n),
            reason=f"Reden {n}",
        )
    return location.pk


@time_machine.travel(dt.datetime(2026, 6, 3, 10, tzinfo=dt.UTC), tick=False)
def test_detail_query_count_does_not_grow_with_rooms(staff_client, django_assert_num_queries):
    for slug in (KENNISMAKING, HERONDERZOEK):
        meeting_type(slug)
    small = build_location_with(1)
    large = build_location_with(12)
    staff_client.get(reverse("locations:detail", args=[small]))
    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse("locations:detail", args=[small]))
    with django_assert_num_queries(len(few)):
        response = staff_client.get(reverse("locations:detail", args=[large]))
    assert len(response.context["detail"].rooms) == 12


# Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [KLANTMANAGER, TEAMLEIDER, BEHEERDER])
def test_every_role_sees_the_pages(client, role):
    location = LocationFactory(name="PostOost")
    user = UserFactory(role=role, team=None) if role == BEHEERDER else UserFactory(role=role)
    client.force_login(user)
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("locations:detail", args=[location.pk])).status_code == 200


def test_anonymous_is_sent_to_login(client):
    location = LocationFactory()
    for url in (LIST, reverse("locations:detail", args=[location.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_without_the_permission_403(client):
    client.force_login(UserFactory())  # no role
    assert client.get(LIST).status_code == 403


def test_unknown_location_404(staff_client):
    assert staff_client.get(reverse("locations:detail", args=[999999])).status_code == 404


# The location's page ---------------------------------------------------------------------------


def test_detail_shows_suitability_with_reasons(staff_client):
    for slug in (KENNISMAKING, HERONDERZOEK, AFSTEMMINGSGESPREK, KEUKENTAFELGESPREK):
        meeting_type(slug)
    location = LocationFactory(name="Buurtkamer", kind=LocationKind.PARTNER, basis=True)
    RoomFactory(location=location)
    html = staff_client.get(reverse("locations:detail", args=[location.pk])).content.decode()
    assert "Geschikt" in html  # kennismaking: basis suffices
    assert "Alleen met onderbouwing (afwijking)" in html  # heronderzoek: verhoogd advised
    assert "Niet geschikt" in html
    assert "Een afstemmingsgesprek mag alleen op het stadsloket." in html
    assert "geen collega binnen bereik" in html  # why heronderzoek is below advice


def test_detail_shows_features_rooms_and_the_week(staff_client):
    location = LocationFactory(
        name="PostOost",
        basis=True,
        has_camera_supervision=True,
        contact_name="Fatima",
        contact_phone="020 123 4567",
    )
    RoomFactory(location=location, name="Spreekkamer 1", capacity=3)
    RoomFactory(location=location, name="Oude zaal", is_active=False)
    for weekday in (Weekday.MONDAY, Weekday.TUESDAY):
        OpeningHoursFactory(location=location, weekday=weekday)
    # Monday 27 April 2026 is Koningsdag; Tuesday closed for training.
    ClosureFactory(location=location, starts_on=dt.date(2026, 4, 28), reason="Teamtraining")
    with time_machine.travel(dt.datetime(2026, 4, 29, 10, tzinfo=dt.UTC), tick=False):
        response = staff_client.get(reverse("locations:detail", args=[location.pk]))
    html = response.content.decode()
    assert "Spreekkamer 1" in html
    assert "3 personen" in html
    assert "Koningsdag" in html
    assert "Teamtraining" in html
    assert "Cameratoezicht:" in html
    assert "Fatima" in html
    week = response.context["detail"].week
    assert [day.day for day in week][0] == dt.date(2026, 4, 27)
    assert week[0].closed_reason == "Koningsdag"
    assert week[1].closed_reason == "Teamtraining"
    assert not week[2].is_open and week[2].closed_reason == ""
    assert week[2].is_today


def test_week_hours_across_dst_and_per_room_differences():
    location = LocationFactory()
    first = RoomFactory(location=location, name="Kamer A")
    second = RoomFactory(location=location, name="Kamer B")
    OpeningHoursFactory(location=location, weekday=Weekday.SUNDAY)  # general: Sunday 09–17
    OpeningHoursFactory(location=location, room=second, weekday=Weekday.SUNDAY, opens=dt.time(13))
    ClosureFactory(location=location, room=first, starts_on=dt.date(2026, 3, 23), reason="Lek")
    location.open_on_public_holidays = True
    location.save()
    detail = get_location_detail(pk=location.pk, today=dt.date(2026, 3, 25))
    monday, sunday = detail.week[0], detail.week[6]
    assert monday.closed_reason == "" and not monday.is_open
    assert sunday.day == dt.date(2026, 3, 29)  # the spring DST switch
    assert [(room.room.name, room.spans) for room in sunday.rooms] == [
        ("Kamer A", [(dt.time(9), dt.time(17))]),
        ("Kamer B", [(dt.time(13), dt.time(17))]),
    ]


def test_detail_of_a_virtual_location(staff_client):
    meeting_type(KEUKENTAFELGESPREK)
    home = LocationFactory(client_home=True, name="Bij de klant thuis")
    response = staff_client.get(reverse("locations:detail", args=[home.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bij de klant thuis" in html
    assert "Veiligheidsvoorzieningen van een gebouw gelden hier niet." in html
    assert "Openingstijden deze week" not in html
    assert 'id="location-map"' not in html


def test_detail_of_an_inactive_location_says_so(staff_client):
    location = LocationFactory(is_active=False, threshold=Threshold.HIGH)
    html = staff_client.get(reverse("locations:detail", args=[location.pk])).content.decode()
    assert "Deze locatie is niet actief" in html

"""History of a location, its rooms, opening hours and closures: who changed what, and when."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from locations.choices import Weekday
from locations.history import location_history
from locations.models import Location
from tests.factories import ClosureFactory, LocationFactory, OpeningHoursFactory, RoomFactory
from tests.locations.test_admin import change_url, location_post

pytestmark = pytest.mark.django_db


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


def test_an_edit_through_the_admin_is_recorded_with_the_user(beheer, beheerder, location):
    data = location_post(
        location,
        name="De Ketel",
        has_camera_supervision="on",
        hours=[{"weekday": Weekday.TUESDAY, "opens": "10:00", "closes": "12:00"}],
        closures=[{"starts_on": "01-12-2026", "ends_on": "01-12-2026", "reason": "Studiedag"}],
    )
    data["rooms-0-capacity"] = "6"
    assert beheer.post(change_url(location), data).status_code == 302

    entries = location_history(location=location)
    by_us = [entry for entry in entries if entry.user == beheerder]
    assert {(entry.subject, entry.operation) for entry in by_us} == {
        ("Locatie", "update"),
        ("Spreekkamer “Spreekkamer 1”", "update"),
        ("Openingstijden dinsdag", "insert"),
        ("Sluiting vanaf 1-12-2026", "insert"),
    }
    location_change = next(entry for entry in by_us if entry.subject == "Locatie")
    changes = {change.label: (change.old, change.new) for change in location_change.changes}
    assert changes["naam"] == ("Buurthuis De Ketel", "De Ketel")
    assert changes["cameratoezicht"] == ("nee", "ja")
    room_change = next(entry for entry in by_us if entry.subject.startswith("Spreekkamer"))
    assert [(c.label, c.old, c.new) for c in room_change.changes] == [("capaciteit", "4", "6")]
    # The factory rows were made outside a request: recorded, but without a user.
    assert {entry.user for entry in entries if entry.operation == "insert"} >= {None}


def test_deleting_a_room_is_recorded(beheer, beheerder, location):
    RoomFactory(location=location, name="Zaal")
    data = location_post(location)
    data["rooms-1-DELETE"] = "on"
    assert beheer.post(change_url(location), data).status_code == 302
    deleted = [
        entry for entry in location_history(location=location) if entry.operation == "delete"
    ]
    assert [(entry.subject, entry.user) for entry in deleted] == [("Spreekkamer “Zaal”", beheerder)]


def test_the_history_page_shows_when_who_and_what(beheer, beheerder, location):
    data = location_post(location, contact_phone="020 555 1234")
    assert beheer.post(change_url(location), data).status_code == 302
    response = beheer.get(reverse("admin:locations_location_history", args=[location.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert beheerder.get_username() in html
    assert "telefoonnummer contactpersoon" in html
    assert "020 555 1234" in html
    assert "<caption>" in html


def test_the_history_costs_the_same_queries_however_long_it_is(django_assert_num_queries):
    def build(rounds: int) -> Location:
        location = LocationFactory(verhoogd=True)
        for n in range(rounds):
            RoomFactory(location=location, capacity=n + 1)
            start = 8 + 2 * (n // 7)
            OpeningHoursFactory(
                location=location, weekday=n % 7, opens=dt.time(start), closes=dt.time(start + 1)
            )
            ClosureFactory(location=location, reason=f"Sluiting {n}")
            location.notes = f"Aanpassing {n}"
            location.save()
        return location

    short, long = build(1), build(10)
    with CaptureQueriesContext(connection) as queries:
        assert len(location_history(location=short)) == 5
    with django_assert_num_queries(len(queries)):
        assert len(location_history(location=long)) == 41
    assert len(queries) <= 8


def test_history_events_are_append_only(location):
    event_model = Location.pgh_event_models["update"]  # type: ignore[attr-defined]
    location.notes = "Nieuwe notitie"
    location.save()
    event = event_model.objects.filter(pgh_obj=location).latest("pgh_id")
    with pytest.raises(DatabaseError), transaction.atomic():
        event_model.objects.filter(pk=event.pk).update(notes="vervalst")
    with pytest.raises(DatabaseError), transaction.atomic():
        event_model.objects.filter(pk=event.pk).delete()
    assert event_model.objects.get(pk=event.pk).notes == "Nieuwe notitie"


def test_other_locations_history_is_not_shown(location):
    other = LocationFactory(name="Elders")
    RoomFactory(location=other)
    subjects = {entry.subject for entry in location_history(location=location)}
    assert "Spreekkamer “Spreekkamer 1”" in subjects
    assert all("Elders" not in subject for subject in subjects)
    assert len(location_history(location=other)) == 2

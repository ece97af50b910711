"""The demo conversations: every kind of status, overrides, duos, home visits and calls, all
booked through the services, and no double booking anywhere (checked in plain SQL)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from clients.models import Client
from meetings.choices import KENNISMAKING
from meetings.demo import create_meetings
from meetings.models import Meeting, MeetingEvent, MeetingStatus
from meetings.selectors import DoubleBooking, find_double_bookings
from tests.factories import ClientFactory, meeting_type
from tests.meetings.world import bookable_room, klantmanager

pytestmark = [pytest.mark.django_db]


def test_full_demo_data_has_every_kind_of_meeting_and_no_double_booking(settings):
    """The one test that loads the whole demo (it takes a while): staff, locations, the 600
    clients and the meetings."""
    settings.DEBUG = True
    output = io.StringIO()
    call_command("load_demo_data", stdout=output)
    assert Client.objects.count() == 600
    assert "600 clients" in output.getvalue()

    meetings = Meeting.objects.all()
    now = timezone.now()
    assert 25 * 9 * 3 < meetings.count() < 25 * 9 * 7
    statuses = set(meetings.values_list("status", flat=True))
    assert statuses == set(MeetingStatus.values)
    assert not meetings.filter(status=MeetingStatus.PLANNED, ends_at__lt=now).exists()
    assert meetings.filter(status=MeetingStatus.PLANNED, starts_at__gt=now).count() > 200
    assert meetings.filter(starts_at__lt=now - datetime.timedelta(weeks=5)).exists()
    assert meetings.filter(starts_at__gt=now + datetime.timedelta(weeks=1)).exists()
    held = meetings.filter(status=MeetingStatus.HELD)
    assert not held.filter(ladder_step_measured__isnull=True).exists()
    assert not held.filter(next_step="").exists()
    assert 5 <= meetings.exclude(override_reason="").count() <= 60
    assert meetings.filter(co_host__isnull=False).count() >= 25
    assert meetings.filter(location__kind="client_home").exists()
    assert meetings.filter(location__kind="remote").exists()
    # Every meeting has its booking in the history, and every status change a row.
    assert MeetingEvent.objects.filter(kind="booked").count() == meetings.count()
    assert (
        MeetingEvent.objects.filter(kind="status_changed").count()
        == meetings.exclude(status=MeetingStatus.PLANNED).count()
    )
    # Every klantmanager has about 4-6 a week.
    per_host = dict.fromkeys(range(1, 26), 0)
    for username in meetings.values_list("host__username", flat=True):
        per_host[int(username.removeprefix("klantmanager"))] += 1
    assert min(per_host.values()) >= 9 * 3

    assert find_double_bookings() == []

    # Idempotent.
    assert create_meetings() == 0
    call_command("load_demo_data", verbosity=0)
    assert Meeting.objects.count() == meetings.count()


def test_find_double_bookings_finds_what_the_constraints_would_refuse():
    """The check is independent of the constraints: drop them (inside this test's transaction)
    and insert overlapping meetings behind the services' back."""
    room = bookable_room()
    host, other_host = klantmanager(), klantmanager()
    client = ClientFactory(case_manager=host)
    start = datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE meetings_meeting DROP CONSTRAINT meeting_room_no_overlap")
        cursor.execute("ALTER TABLE meetings_meeting DROP CONSTRAINT meeting_client_no_overlap")

    def insert(offset_minutes, *, host, co_host=None, status=MeetingStatus.PLANNED):
        starts_at = start + datetime.timedelta(minutes=offset_minutes)
        return Meeting.objects.create(
            client=client,
            meeting_type=meeting_type(KENNISMAKING),
            location=room.location,
            room=room,
            host=host,
            co_host=co_host,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1),
            status=status,
            created_by=host,
            changed_by=host,
        )

    first = insert(0, host=host)
    second = insert(30, host=other_host, co_host=host)
    insert(15, host=other_host, status=MeetingStatus.CANCELLED)  # cancelled: never counts
    touching = insert(60, host=host, co_host=other_host)  # [11:00, 12:00) after [10:00, 11:00)

    found = find_double_bookings()
    pair = (first.pk, second.pk)
    assert DoubleBooking("room", room.pk, *pair) in found
    assert DoubleBooking("client", client.pk, *pair) in found
    assert DoubleBooking("staff", host.pk, *pair) in found  # host in one, co-host in the other
    assert not [
        b for b in found if (b.first_meeting_id, b.second_meeting_id) == (first.pk, touching.pk)
    ]
    assert DoubleBooking("room", room.pk, second.pk, touching.pk) in found

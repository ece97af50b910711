"""Races on real PostgreSQL: 20 threads book at once, exactly one wins, the rest get a clean
`SlotTaken` (never a deadlock, never a 500). The control test shows the race is real without
the guard (pretix's pattern: prove the race, then the fix)."""

import datetime
import threading
from collections import Counter
from collections.abc import Callable

import pytest
import time_machine
from django.db import connection
from psycopg import errors as pg_errors

from meetings.choices import KENNISMAKING
from meetings.models import Meeting
from meetings.selectors import find_double_bookings
from meetings.services import SlotTaken, schedule_meeting
from tests.factories import ClientFactory, TeamFactory, meeting_type
from tests.meetings.world import NOW, TUESDAY_10, bookable_room, klantmanager

pytestmark = [pytest.mark.django_db(transaction=True)]

THREADS = 20


def race(attempts: list[Callable[[], object]]) -> Counter:
    """Run the attempts in threads released at the same moment; count how each ended."""
    barrier = threading.Barrier(len(attempts))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run(attempt: Callable[[], object]) -> None:
        try:
            barrier.wait()
            attempt()
            outcome = "booked"
        except SlotTaken as error:
            cause = error.__cause__.__cause__ if error.__cause__ else None
            outcome = "deadlock" if isinstance(cause, pg_errors.DeadlockDetected) else "conflict"
        except Exception as error:  # noqa: BLE001 (any other error is what this test looks for)
            outcome = f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    with time_machine.travel(NOW, tick=True):
        threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    return outcomes


def attempt(*, client, room, starts_at=TUESDAY_10, host=None):
    kind = meeting_type(KENNISMAKING)
    host = host or client.case_manager

    def book() -> Meeting:
        return schedule_meeting(
            client=client,
            meeting_type=kind,
            location=room.location,
            room=room,
            starts_at=starts_at,
            host=host,
            by=host,
        )

    return book


def test_twenty_threads_same_room_same_slot():
    room = bookable_room()
    clients = [ClientFactory() for _ in range(THREADS)]
    outcomes = race([attempt(client=client, room=room) for client in clients])
    assert outcomes == {"booked": 1, "conflict": THREADS - 1}
    assert find_double_bookings() == []
    assert Meeting.objects.count() == 1


def test_twenty_threads_partly_overlapping_slots_in_one_room():
    room = bookable_room()
    starts = [TUESDAY_10 + datetime.timedelta(minutes=15 * (n % 3)) for n in range(THREADS)]
    attempts = [attempt(client=ClientFactory(), room=room, starts_at=start) for start in starts]
    outcomes = race(attempts)
    assert outcomes == {"booked": 1, "conflict": THREADS - 1}
    assert find_double_bookings() == []
    assert Meeting.objects.count() == 1


def test_one_klantmanager_in_twenty_rooms_at_once():
    team = TeamFactory()
    host = klantmanager(team=team)
    attempts = [
        attempt(client=ClientFactory(case_manager=host), room=bookable_room(), host=host)
        for _ in range(THREADS)
    ]
    outcomes = race(attempts)
    assert outcomes == {"booked": 1, "conflict": THREADS - 1}
    assert find_double_bookings() == []


def test_one_client_with_twenty_klantmanagers_at_once():
    client = ClientFactory()
    team = client.case_manager.team
    attempts = [
        attempt(client=client, room=bookable_room(), host=klantmanager(team=team))
        for _ in range(THREADS)
    ]
    outcomes = race(attempts)
    assert outcomes == {"booked": 1, "conflict": THREADS - 1}
    assert find_double_bookings() == []


def test_control_without_the_guard_the_race_double_books():
    """Check-then-insert with the exclusion constraint removed: several threads see a free
    room and all insert. This is the race the constraint and the locks close."""
    room = bookable_room()
    clients = [ClientFactory() for _ in range(THREADS)]
    kind = meeting_type(KENNISMAKING)
    ends_at = TUESDAY_10 + datetime.timedelta(minutes=kind.duration_minutes)
    constraint = next(c for c in Meeting._meta.constraints if c.name == "meeting_room_no_overlap")
    checked = threading.Barrier(THREADS)

    def naive(client):
        def book() -> None:
            free = not Meeting.objects.filter(
                room=room, starts_at__lt=ends_at, ends_at__gt=TUESDAY_10
            ).exists()
            checked.wait()  # everybody has looked before anybody writes
            if free:
                Meeting.objects.create(
                    client=client,
                    meeting_type=kind,
                    location=room.location,
                    room=room,
                    host=client.case_manager,
                    starts_at=TUESDAY_10,
                    ends_at=ends_at,
                    created_by=client.case_manager,
                    changed_by=client.case_manager,
                )

        return book

    with connection.schema_editor() as editor:
        editor.remove_constraint(Meeting, constraint)
    try:
        outcomes = race([naive(client) for client in clients])
        assert outcomes["booked"] == THREADS
        assert Meeting.objects.filter(room=room).count() > 1
        assert {pair.kind for pair in find_double_bookings()} >= {"room"}
    finally:
        Meeting.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Meeting, constraint)

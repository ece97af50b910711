"""`Team.figures_version`: raised by database triggers whenever something the coverage figures
count changes, so figures kept under it are never stale; and the page keeps them."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activering.caching import forget_all
from activering.models import Team
from meetings.models import Meeting, MeetingStatus
from meetings.services import record_outcome
from tests.factories import ClientFactory
from tests.meetings.coverage_world import NOW, World, add_meeting, build_world, local

pytestmark = pytest.mark.django_db

URL = reverse("meetings:coverage") + "?van=2026-09-01&tot=2026-10-31"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world() -> World:
    return build_world()


def versions(*teams: Team) -> list[int]:
    return [Team.objects.get(pk=team.pk).figures_version for team in teams]


def other_team(world: World) -> Team:
    assert world.km3.team is not None
    return world.km3.team


def test_meetings_raise_the_version_of_their_clients_team_only(world):
    team, other = world.team, other_team(world)
    before = versions(team, other)
    meeting = add_meeting(
        client=world.clients["C1"], location=world.locations["L1"], starts_at=local(2026, 10, 5)
    )
    after_insert = versions(team, other)
    assert after_insert[0] > before[0] and after_insert[1] == before[1]

    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.NO_SHOW)
    after_update = versions(team, other)
    assert after_update[0] > after_insert[0] and after_update[1] == before[1]

    Meeting.objects.filter(pk=meeting.pk).delete()
    after_delete = versions(team, other)
    assert after_delete[0] > after_update[0] and after_delete[1] == before[1]


def test_a_bulk_insert_raises_each_team_once(world):
    """Statement-level triggers: the benchmark's COPY of half a million meetings is one raise."""
    (before,) = versions(world.team)
    start = local(2026, 10, 6, 9)
    Meeting.objects.bulk_create(
        Meeting(
            client=world.clients["C1"], meeting_type=world.meetings["M5"].meeting_type,
            location=world.locations["PHONE"], host=world.km1,
            starts_at=start + dt.timedelta(hours=n),
            ends_at=start + dt.timedelta(hours=n, minutes=30),
            created_by=world.km1, changed_by=world.km1, status=MeetingStatus.HELD,
        )
        for n in range(5)
    )  # fmt: skip
    assert versions(world.team) == [before + 1]


def test_clients_raise_the_teams_they_leave_and_join(world):
    team, other = world.team, other_team(world)
    before = versions(team, other)
    new = ClientFactory(case_manager=world.km1)
    assert versions(team, other) == [before[0] + 1, before[1]]
    new.case_manager = world.km3
    new.save()
    assert versions(team, other) == [before[0] + 2, before[1] + 1]


def test_staff_raise_their_teams_when_they_move_or_are_renamed_not_when_they_log_in(world):
    team, other = world.team, other_team(world)
    before = versions(team, other)
    world.km1.last_login = timezone.now()
    world.km1.save()
    assert versions(team, other) == before
    world.km1.last_name = "Anders"
    world.km1.save()
    assert versions(team, other) == [before[0] + 1, before[1]]
    world.km1.team = other
    world.km1.save()
    assert versions(team, other) == [before[0] + 2, before[1] + 1]


def count_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def overrides(html: str) -> tuple[int, int]:
    """(total, open) from "3 afwijkingen, 2 nog niet beoordeeld."."""
    found = re.search(r"(\d+) afwijkingen?, (\d+) nog niet beoordeeld", " ".join(html.split()))
    assert found, "no override counts on the page"
    return int(found.group(1)), int(found.group(2))


def test_the_page_keeps_the_figures_until_the_team_changes(client, world):
    client.force_login(world.teamleider)
    cold, html = count_queries(client)
    total, open_ = overrides(html)
    warm, html = count_queries(client)
    assert warm < cold
    # Another team's change leaves this team's figures where they are.
    ClientFactory(case_manager=world.km3)
    assert count_queries(client)[0] == warm

    # Recording an outcome in the team shows at once.
    held_before = html.count("Markeer als beoordeeld")
    add_meeting(
        client=world.clients["C1"], location=world.locations["L1"],
        starts_at=local(2026, 10, 7), status=MeetingStatus.PLANNED,
        override_reason="Dichtbij huis.",
    )  # fmt: skip
    queries, html = count_queries(client)
    assert queries > warm  # counted again; the location figures stay kept
    assert overrides(html) == (total + 1, open_ + 1)
    assert html.count("Markeer als beoordeeld") == held_before + 1


def test_reviewing_an_override_shows_at_once(client, world):
    client.force_login(world.teamleider)
    _queries, html = count_queries(client)
    total, open_ = overrides(html)
    meeting = world.meetings["M8"]  # an open override of the team, in the period
    assert meeting.override_reviewed_at is None
    response = client.post(reverse("meetings:coverage-review", args=[meeting.pk]))
    assert response.status_code == 302
    _queries, html = count_queries(client)
    assert overrides(html) == (total, open_ - 1)


def test_a_planned_booking_without_override_keeps_the_version(world):
    """Nothing on /dekking/ counts it: the busiest write of the day leaves the figures kept."""
    (before,) = versions(world.team)
    add_meeting(
        client=world.clients["C1"], location=world.locations["L1"],
        starts_at=local(2026, 11, 25), status=MeetingStatus.PLANNED,
    )  # fmt: skip
    assert versions(world.team) == [before]


def test_record_outcome_raises_the_version(world):
    (before,) = versions(world.team)
    planned = add_meeting(
        client=world.clients["C1"], location=world.locations["L1"],
        starts_at=local(2026, 11, 20), status=MeetingStatus.PLANNED,
    )  # fmt: skip
    (after_booking,) = versions(world.team)
    record_outcome(meeting=planned, status=MeetingStatus.HELD, by=world.km1)
    assert after_booking == before  # planned, no override: not counted
    assert versions(world.team) == [after_booking + 1]


def _figures_html(client) -> str:
    html = client.get(URL).content.decode()
    # CSP nonces and masked CSRF tokens are new on every render; everything else must match.
    html = re.sub(r'nonce="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def _fresh_html(client) -> str:
    forget_all()
    return _figures_html(client)


CHANGES = {
    "planned booking without override": lambda w: add_meeting(
        client=w.clients["C2"], location=w.locations["L1"], starts_at=local(2026, 11, 26),
        status=MeetingStatus.PLANNED,
    ),
    "planned booking with override": lambda w: add_meeting(
        client=w.clients["C2"], location=w.locations["L2"], starts_at=local(2026, 11, 27),
        status=MeetingStatus.PLANNED, override_reason="Dichtbij.", advised_level=2,
        location_level=1,
    ),
    "outcome recorded": lambda w: Meeting.objects.filter(pk=w.meetings["M5"].pk).update(
        status=MeetingStatus.NO_SHOW
    ),
    "override reviewed": lambda w: Meeting.objects.filter(pk=w.meetings["M8"].pk).update(
        override_reviewed_by=w.teamleider, override_reviewed_at=NOW
    ),
    "meeting moved into the period": lambda w: Meeting.objects.filter(
        pk=w.meetings["B4"].pk
    ).update(starts_at=local(2026, 10, 30), ends_at=local(2026, 10, 30, 11)),
    "client transferred out": lambda w: type(w.clients["C3"]).objects.filter(
        pk=w.clients["C3"].pk
    ).update(case_manager=w.km3),
    "client deactivated": lambda w: type(w.clients["C9"]).objects.filter(
        pk=w.clients["C9"].pk
    ).update(is_active=False),
    "client moved house": lambda w: type(w.clients["C1"]).objects.filter(
        pk=w.clients["C1"].pk
    ).update(pc4="1097", postcode="1097 AB"),
    "klantmanager renamed": lambda w: type(w.km2).objects.filter(pk=w.km2.pk).update(
        last_name="Hernoemd"
    ),
    "location renamed": lambda w: type(w.locations["L2"]).objects.filter(
        pk=w.locations["L2"].pk
    ).update(name="Buurthuis Oost"),
}  # fmt: skip


@pytest.mark.parametrize("change", list(CHANGES))
def test_the_kept_page_is_the_fresh_page_after_every_kind_of_change(client, world, change):
    """The figures are kept, never stale: after each kind of change the page shows exactly what
    a process with nothing kept computes."""
    client.force_login(world.teamleider)
    _figures_html(client)  # kept now
    CHANGES[change](world)
    kept = _figures_html(client)
    assert kept == _fresh_html(client)

"""/agenda/: the klantmanager's week (host and co-host), today, other weeks, DST, query counts."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from locations.geo import AMSTERDAM_TZ
from meetings.agenda import agenda_week, iso_week, parse_week
from meetings.choices import KENNISMAKING, TELEFONISCH_VIDEO
from meetings.services import cancel_meeting, schedule_meeting
from tests.factories import ClientFactory, LocationFactory, meeting_type
from tests.meetings.world import bookable_room, klantmanager

pytestmark = [pytest.mark.django_db]

AGENDA = reverse("meetings:agenda")
HTMX = {"HX-Request": "true"}
#: Monday 23 November 2026, 08:00: week 48 runs 23–29 November.
NOW = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=AMSTERDAM_TZ)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=AMSTERDAM_TZ)


def book(*, room, starts_at, host, client=None, co_host=None, slug=KENNISMAKING):
    client = client or ClientFactory(case_manager=host)
    return schedule_meeting(
        client=client,
        meeting_type=meeting_type(slug),
        location=room.location,
        room=room,
        starts_at=starts_at,
        host=host,
        co_host=co_host,
        by=host,
        allow_past=True,
    )


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def user():
    return klantmanager()


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def room():
    return bookable_room(opens=7, closes=21)


# Weeks ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "monday", "valid"),
    [
        (None, datetime.date(2026, 11, 23), True),
        ("", datetime.date(2026, 11, 23), True),
        ("2026-W48", datetime.date(2026, 11, 23), True),
        ("2026-W01", datetime.date(2025, 12, 29), True),
        ("2026-W53", datetime.date(2026, 12, 28), True),  # 2026 has 53 ISO weeks
        ("2027-W53", datetime.date(2026, 11, 23), False),  # 2027 has 52
        ("2020-W53", datetime.date(2020, 12, 28), True),
        ("2026-W00", datetime.date(2026, 11, 23), False),
        ("2026-48", datetime.date(2026, 11, 23), False),
        ("9999-W01", datetime.date(2026, 11, 23), False),
        ("morgen", datetime.date(2026, 11, 23), False),
        ("2026-W48\x00", datetime.date(2026, 11, 23), False),
    ],
)
def test_parse_week(value, monday, valid):
    assert parse_week(value, today=datetime.date(2026, 11, 25)) == (monday, valid)


def test_iso_week_at_the_turn_of_the_year():
    assert iso_week(datetime.date(2026, 12, 31)) == "2026-W53"
    assert iso_week(datetime.date(2027, 1, 1)) == "2026-W53"
    assert iso_week(datetime.date(2026, 11, 23)) == "2026-W48"


# The page ---------------------------------------------------------------------------------------


def test_week_shows_own_meetings_as_host_and_co_host_not_others(signed_in, user, room):
    colleague = klantmanager()
    own = book(room=room, starts_at=at(datetime.date(2026, 11, 24), 10), host=user)
    duo = book(
        room=room,
        starts_at=at(datetime.date(2026, 11, 26), 14),
        host=colleague,
        co_host=user,
    )
    other = book(room=room, starts_at=at(datetime.date(2026, 11, 25), 9), host=colleague)
    next_week = book(room=room, starts_at=at(datetime.date(2026, 12, 1), 9), host=user)

    response = signed_in.get(AGENDA)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Agenda · Activering Oost</title>" in html
    assert reverse("meetings:detail", args=[own.pk]) in html
    assert reverse("meetings:detail", args=[duo.pk]) in html
    assert reverse("meetings:detail", args=[other.pk]) not in html
    assert reverse("meetings:detail", args=[next_week.pk]) not in html
    assert escape(f"{own.client.klantnummer} {own.client.full_name}") in html
    assert "10:00–11:00" in html
    assert escape(f"duo met {colleague}") in html  # the co-host sees who hosts
    assert "2 gesprekken deze week." in html
    assert "Week 48 · 23 november – 29 november 2026" in html
    assert response["Vary"].count("HX-Request") == 1


def test_today_is_highlighted_with_text_not_colour_alone(signed_in):
    html = signed_in.get(AGENDA).content.decode()
    assert html.count('aria-current="date"') == 1
    assert html.count(">Vandaag</span>") == 1
    today = html.index('aria-current="date"')
    assert html.index("Maandag 23 november") > today  # the highlighted day is Monday


def test_no_today_in_another_week(signed_in):
    html = signed_in.get(AGENDA, {"week": "2026-W50"}).content.decode()
    assert "Vandaag" not in html
    assert 'aria-current="date"' not in html
    assert "Deze week" in html  # a way back


def test_empty_week_says_so(signed_in):
    html = signed_in.get(AGENDA).content.decode()
    assert "Je hebt deze week geen gesprekken." in html
    assert "0 gesprekken deze week." in html


def test_previous_and_next_week_links_work_with_and_without_htmx(signed_in):
    html = signed_in.get(AGENDA).content.decode()
    for week in ("2026-W47", "2026-W49"):
        url = f"{AGENDA}?week={week}"
        assert f'href="{url}" hx-get="{url}" hx-target="#agenda-week"' in html
    assert 'hx-push-url="true"' in html

    fragment = signed_in.get(AGENDA, {"week": "2026-W49"}, headers=HTMX)
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert body.lstrip().startswith('<section id="agenda-week"')
    assert "<html" not in body
    assert "30 november – 6 december 2026" in body
    assert "data-focus-after-swap" in body

    # A history restore (back button after a push) needs the whole page.
    restore = signed_in.get(
        AGENDA, {"week": "2026-W49"}, headers={**HTMX, "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


@pytest.mark.parametrize("week", ["2026-W99", "volgende", "2026-W48;DROP", "x" * 500])
def test_bad_week_falls_back_to_this_week_with_a_message(signed_in, week):
    response = signed_in.get(AGENDA, {"week": week})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Die week bestaat niet; dit is de huidige week." in html
    assert "23 november – 29 november 2026" in html


def test_cancelled_meetings_stay_visible_as_cancelled(signed_in, user, room):
    meeting = book(room=room, starts_at=at(datetime.date(2026, 11, 24), 10), host=user)
    cancel_meeting(meeting=meeting, reason="Klant ziek", by=user)
    html = signed_in.get(AGENDA).content.decode()
    assert "app-agenda__meeting--cancelled" in html
    assert "geannuleerd" in html


def test_home_visits_and_calls_show_their_kind(signed_in, user):
    remote = LocationFactory(remote=True, name="Telefonisch / video")
    client = ClientFactory(case_manager=user)
    schedule_meeting(
        client=client,
        meeting_type=meeting_type(TELEFONISCH_VIDEO),
        location=remote,
        room=None,
        starts_at=at(datetime.date(2026, 11, 24), 9),
        host=user,
        by=user,
    )
    html = signed_in.get(AGENDA).content.decode()
    assert "Telefonisch / video" in html


def test_only_staff_who_plan_meetings(client, beheerder):
    client.force_login(beheerder)
    assert client.get(AGENDA).status_code == 403


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(AGENDA)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Daylight saving --------------------------------------------------------------------------------


def test_dst_weeks_keep_local_times(signed_in, user, room):
    """Summer time ends on Sunday 25 October 2026 at 03:00: week 43 has 169 hours. Meetings at
    10:00 local on both sides of the switch, and on the Monday after, show 10:00."""
    with time_machine.travel(datetime.datetime(2026, 10, 1, 8, tzinfo=AMSTERDAM_TZ)):
        before = book(room=room, starts_at=at(datetime.date(2026, 10, 19), 10), host=user)
        sunday = book(room=room, starts_at=at(datetime.date(2026, 10, 25), 10), host=user)
        after = book(room=room, starts_at=at(datetime.date(2026, 10, 26), 10), host=user)
        late_sunday = book(room=room, starts_at=at(datetime.date(2026, 10, 25), 20), host=user)
    assert before.starts_at.utcoffset() is not None
    assert before.starts_at.astimezone(datetime.UTC).hour == 8  # CEST, UTC+2
    assert sunday.starts_at.astimezone(datetime.UTC).hour == 9  # CET, UTC+1

    week43 = agenda_week(user=user, monday=datetime.date(2026, 10, 19), today=NOW.date())
    assert [len(day.meetings) for day in week43.days] == [1, 0, 0, 0, 0, 0, 2]
    html = signed_in.get(AGENDA, {"week": "2026-W43"}).content.decode()
    assert html.count("10:00–11:00") == 2
    assert "20:00–21:00" in html  # the last hour of the long Sunday stays in that week
    assert reverse("meetings:detail", args=[after.pk]) not in html
    assert reverse("meetings:detail", args=[late_sunday.pk]) in html

    html = signed_in.get(AGENDA, {"week": "2026-W44"}).content.decode()
    assert reverse("meetings:detail", args=[after.pk]) in html
    assert "10:00–11:00" in html
    assert "Maandag 26 oktober" in html


def test_dst_spring_week(signed_in, user, room):
    """Summer time starts on Sunday 29 March 2026: week 13 has 167 hours."""
    with time_machine.travel(datetime.datetime(2026, 3, 1, 8, tzinfo=AMSTERDAM_TZ)):
        book(room=room, starts_at=at(datetime.date(2026, 3, 29), 10), host=user)
        book(room=room, starts_at=at(datetime.date(2026, 3, 30), 10), host=user)
    week13 = agenda_week(user=user, monday=datetime.date(2026, 3, 23), today=NOW.date())
    assert [len(day.meetings) for day in week13.days] == [0, 0, 0, 0, 0, 0, 1]
    html = signed_in.get(AGENDA, {"week": "2026-W13"}).content.decode()
    assert "10:00–11:00" in html


# Query counts -----------------------------------------------------------------------------------


def _fill_week(user, room, count: int) -> None:
    colleague = klantmanager()
    rooms = [room, bookable_room(opens=7, closes=21)]
    for n in range(count):
        day = datetime.date(2026, 11, 23) + datetime.timedelta(days=n // 12)
        starts_at = at(day, 8 + n % 12)
        if n % 3 == 2:  # every third as co-host, another room of another location
            book(room=rooms[1], starts_at=starts_at, host=colleague, co_host=user)
        else:
            book(room=rooms[0], starts_at=starts_at, host=user)


@pytest.mark.parametrize("count", [3, 30])
def test_agenda_query_count_is_constant(signed_in, user, room, count, django_assert_num_queries):
    _fill_week(user, room, count)
    # session, user, permissions (2), the location data version, the week's meetings with
    # client and staff; the first time also all locations, their rooms and offerings, and the
    # types (4).
    with django_assert_num_queries(10):
        response = signed_in.get(AGENDA)
    assert response.content.decode().count('class="app-agenda__meeting ') == count
    with django_assert_num_queries(6):
        signed_in.get(AGENDA, headers=HTMX)


def test_the_agenda_shows_a_renamed_location_at_once(signed_in, user, room):
    """Locations, rooms and types come from the kept location data; a change is a new version."""
    _fill_week(user, room, 1)
    assert room.location.name in signed_in.get(AGENDA).content.decode()
    room.location.name = "Buurthuis De Nieuwe Naam"
    room.location.save()
    room.name = "Kamer Zeven"
    room.save()
    html = signed_in.get(AGENDA).content.decode()
    assert "Buurthuis De Nieuwe Naam, Kamer Zeven" in html

"""The personal calendar feed: a secret, renewable token; the one .ics renderer."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from activering.models import Team
from locations.geo import AMSTERDAM_TZ
from meetings.choices import KENNISMAKING
from meetings.ics import calendar_for
from meetings.models import FeedToken, Meeting
from meetings.services import cancel_meeting, renew_feed_token, reschedule_meeting, schedule_meeting
from tests.factories import ClientFactory, meeting_type
from tests.meetings.world import bookable_room, klantmanager

pytestmark = [pytest.mark.django_db]

SETTINGS = reverse("meetings:feed-settings")
NOW = datetime.datetime(2026, 10, 1, 8, 0, tzinfo=AMSTERDAM_TZ)


def at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM_TZ)


def feed_url(token: str) -> str:
    return reverse("meetings:feed", kwargs={"token": token})


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def user():
    return klantmanager()


@pytest.fixture
def room():
    return bookable_room(opens=8, closes=20)


def book(*, room, starts_at, host, co_host=None, client=None):
    return schedule_meeting(
        client=client or ClientFactory(case_manager=host, first_name="Naima", last_name="Bakker"),
        meeting_type=meeting_type(KENNISMAKING),
        location=room.location,
        room=room,
        starts_at=starts_at,
        host=host,
        co_host=co_host,
        by=host,
    )


def events_of(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


# The settings page ------------------------------------------------------------------------------


def test_make_a_link_shows_it_once(client, user):
    client.force_login(user)
    html = client.get(SETTINGS).content.decode()
    assert "Je hebt nog geen agendalink." in html
    assert "Maak mijn agendalink" in html

    response = client.post(SETTINGS, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(SETTINGS, 302)]
    found = re.search(r'value="(http://testserver/agenda/feed/([A-Za-z0-9_-]{43})\.ics)"', html)
    assert found is not None
    assert "Vernieuw link" in html
    assert "no-store" in response["Cache-Control"]
    token = found[2]
    # Only the hash is stored.
    stored = FeedToken.objects.get(user=user)
    assert stored.token_hash != token
    assert token not in stored.token_hash
    assert len(stored.token_hash) == 64

    again = client.get(SETTINGS).content.decode()
    assert token not in again
    assert "Je hebt op " in again  # "You made a calendar link on …"
    assert client.get(feed_url(token)).status_code == 200


def test_renewing_stops_the_old_link_at_once(client, user):
    old = renew_feed_token(user=user)
    assert client.get(feed_url(old)).status_code == 200
    client.force_login(user)
    client.post(SETTINGS)
    new = client.session.get("meetings:new-feed-token")
    client.logout()
    assert new and new != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert FeedToken.objects.filter(user=user).count() == 1


def test_feed_settings_need_the_plan_permission(client, beheerder):
    client.force_login(beheerder)
    assert client.get(SETTINGS).status_code == 403
    assert client.post(SETTINGS).status_code == 403
    assert not FeedToken.objects.exists()


# The feed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["onbekend", "x" * 43, "a" * 500, "..%2F..%2Fetc", "ABC-_def"])
def test_unknown_tokens_are_404(client, user, token):
    renew_feed_token(user=user)
    assert client.get(f"/agenda/feed/{token}.ics").status_code == 404


def test_an_inactive_users_feed_is_gone(client, user):
    token = renew_feed_token(user=user)
    user.is_active = False
    user.save()
    assert client.get(feed_url(token)).status_code == 404


def test_feed_needs_no_login_and_holds_only_the_owners_meetings(client, user, room):
    colleague = klantmanager()
    stranger = klantmanager(team=Team.objects.create(name="Team West"))
    own = book(room=room, starts_at=at(2026, 10, 6, 10), host=user)
    duo = book(room=room, starts_at=at(2026, 10, 7, 10), host=colleague, co_host=user)
    others = book(room=room, starts_at=at(2026, 10, 8, 10), host=colleague)
    strangers = book(room=room, starts_at=at(2026, 10, 9, 10), host=stranger)
    cancelled = book(room=room, starts_at=at(2026, 10, 12, 10), host=user)
    cancel_meeting(meeting=cancelled, reason="ziek", by=user)
    far = bookable_room()
    too_far = book(room=far, starts_at=at(2027, 5, 3, 10), host=user)
    token = renew_feed_token(user=user)
    renew_feed_token(user=stranger)

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    events = events_of(response.content)
    assert set(events) == {f"meeting-{own.pk}@activering", f"meeting-{duo.pk}@activering"}
    for meeting in (others, strangers, cancelled, too_far):
        assert f"meeting-{meeting.pk}@activering" not in events
    event = events[f"meeting-{own.pk}@activering"]
    assert (
        str(event["SUMMARY"])
        == f"Kennismaking / diagnose (klantbeeld) · klant {own.client.klantnummer}"
    )
    assert room.location.name in str(event["LOCATION"])
    assert f"http://testserver/gesprekken/{own.pk}/" in str(event["DESCRIPTION"])
    # No client name or address in a calendar that ends up on phones.
    body = response.content.decode()
    assert "Naima" not in body
    assert "Bakker" not in body


def test_feed_query_count_is_constant(client, user, room, django_assert_num_queries):
    token = renew_feed_token(user=user)
    book(room=room, starts_at=at(2026, 10, 6, 10), host=user)
    with django_assert_num_queries(2):  # the token with its user, the meetings
        client.get(feed_url(token))
    for day in range(7, 17):
        book(room=room, starts_at=at(2026, 10, day, 10), host=user)
    with django_assert_num_queries(2):
        response = client.get(feed_url(token))
    assert len(events_of(response.content)) == 11


# The renderer -----------------------------------------------------------------------------------


def _with_related(meetings: list[Meeting]) -> list[Meeting]:
    return list(
        Meeting.objects.filter(pk__in=[m.pk for m in meetings])
        .select_related("client", "meeting_type", "location", "room", "host", "co_host")
        .order_by("starts_at")
    )


def test_ics_round_trips_amsterdam_time_across_the_dst_switch(user, room):
    """Summer time ends on 25 October 2026: 10:00 stays 10:00 on both sides."""
    before = book(room=room, starts_at=at(2026, 10, 23, 10), host=user)
    after = book(room=room, starts_at=at(2026, 10, 26, 10), host=user)
    body = calendar_for(_with_related([before, after]), name="Test")
    text = body.decode()
    assert "BEGIN:VTIMEZONE" in text
    assert "TZID:Europe/Amsterdam" in text
    assert "DTSTART;TZID=Europe/Amsterdam:20261023T100000" in text
    assert "DTSTART;TZID=Europe/Amsterdam:20261026T100000" in text
    assert "DTEND;TZID=Europe/Amsterdam:20261026T110000" in text

    events = events_of(body)
    for meeting in (before, after):
        start = events[f"meeting-{meeting.pk}@activering"]["DTSTART"].dt
        assert start == meeting.starts_at  # the same instant
        assert (start.hour, start.minute) == (10, 0)
        assert str(start.tzinfo) == "Europe/Amsterdam"
    utc_hours = [
        events[f"meeting-{m.pk}@activering"]["DTSTART"].dt.astimezone(datetime.UTC).hour
        for m in (before, after)
    ]
    assert utc_hours == [8, 9]  # CEST then CET


def test_spring_switch_round_trip(user, room):
    with time_machine.travel(at(2026, 3, 1, 8), tick=False):
        meeting = book(room=room, starts_at=at(2026, 3, 30, 9, 15), host=user)
    start = events_of(calendar_for(_with_related([meeting]), name="T"))[
        f"meeting-{meeting.pk}@activering"
    ]["DTSTART"].dt
    assert start == meeting.starts_at
    assert (start.hour, start.minute, start.utcoffset()) == (9, 15, datetime.timedelta(hours=2))


def test_uid_is_stable_and_sequence_grows_when_moved(user, room):
    meeting = book(room=room, starts_at=at(2026, 10, 6, 10), host=user)
    first = events_of(calendar_for(_with_related([meeting]), name="T"))
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        reschedule_meeting(meeting=meeting, starts_at=at(2026, 10, 7, 11), by=user)
    second = events_of(calendar_for(_with_related([meeting]), name="T"))
    uid = f"meeting-{meeting.pk}@activering"
    assert set(first) == set(second) == {uid}
    assert int(second[uid]["SEQUENCE"]) > int(first[uid]["SEQUENCE"])
    assert second[uid]["LAST-MODIFIED"].dt > first[uid]["LAST-MODIFIED"].dt
    assert second[uid]["DTSTART"].dt == at(2026, 10, 7, 11)


def test_a_cancelled_meeting_renders_as_cancelled(user, room):
    meeting = book(room=room, starts_at=at(2026, 10, 6, 10), host=user)
    cancel_meeting(meeting=meeting, reason="ziek", by=user)
    event = events_of(calendar_for(_with_related([meeting]), name="T"))[
        f"meeting-{meeting.pk}@activering"
    ]
    assert str(event["STATUS"]) == "CANCELLED"


def test_an_empty_calendar_is_valid():
    calendar = Calendar.from_ical(calendar_for([], name="Leeg"))
    assert str(calendar["X-WR-CALNAME"]) == "Leeg"
    assert calendar.walk("VEVENT") == []

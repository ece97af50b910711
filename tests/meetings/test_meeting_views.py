"""/gesprekken/<pk>/: details and history, and moving, cancelling and recording the outcome
through the views (plain POST and htmx), access (another team → 404) and query counts."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from activering.models import Team
from clients.choices import LadderStep
from locations.geo import AMSTERDAM_TZ
from meetings.agenda import allowed_actions
from meetings.choices import KENNISMAKING, TELEFONISCH_VIDEO, VOORTGANGSGESPREK
from meetings.models import Meeting, MeetingEvent, MeetingStatus
from meetings.services import cancel_meeting, reschedule_meeting, schedule_meeting
from tests.factories import ClientFactory, LocationFactory, RoomFactory, meeting_type
from tests.meetings.world import bookable_room, klantmanager

pytestmark = [pytest.mark.django_db]

HTMX = {"HX-Request": "true"}
#: Monday 23 November 2026, 08:00.
NOW = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=AMSTERDAM_TZ)
TUESDAY_10 = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM_TZ)


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
    return bookable_room(opens=8, closes=20)


@pytest.fixture
def meeting(user, room):
    return schedule_meeting(
        client=ClientFactory(case_manager=user, first_name="Naima", last_name="El Idrissi"),
        meeting_type=meeting_type(KENNISMAKING),
        location=room.location,
        room=room,
        starts_at=TUESDAY_10,
        host=user,
        by=user,
    )


def url(name: str, meeting: Meeting) -> str:
    return reverse(f"meetings:{name}", args=[meeting.pk])


def kinds(meeting: Meeting) -> list[tuple[str, str]]:
    return list(meeting.events.order_by("at", "id").values_list("kind", "status"))


# The page ---------------------------------------------------------------------------------------


def test_detail_shows_the_conversation(signed_in, meeting, room):
    response = signed_in.get(url("detail", meeting))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="ams-heading ams-heading--1">Kennismaking' in html
    assert "dinsdag 24 november 2026, 10:00–11:00" in html
    assert f"{meeting.client.klantnummer} · Naima El Idrissi" in html
    assert reverse("clients:detail", args=[meeting.client.pk]) in html
    assert room.location.name in html
    assert room.name in html
    assert escape(str(meeting.host)) in html  # faker names may hold an apostrophe (van 't …)
    assert "gepland" in html
    # History: the booking, with who and for when.
    assert "Geboekt voor 24 november 2026, 10:00" in html
    # A planned meeting in the future: move, cancel, or mark excused only.
    assert "Verplaats naar een ander moment" in html
    assert "Annuleer het gesprek" in html
    assert '<option value="excused">afgemeld</option>' in html
    assert 'value="held"' not in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # three forms, each label finds its own field


def test_detail_of_a_home_visit_and_a_call(signed_in, user):
    client = ClientFactory(case_manager=user, address="Javastraat 12", phone="06 1234 5678")
    remote = LocationFactory(remote=True)
    meeting = schedule_meeting(
        client=client,
        meeting_type=meeting_type(TELEFONISCH_VIDEO),
        location=remote,
        room=None,
        starts_at=TUESDAY_10,
        host=user,
        by=user,
    )
    html = signed_in.get(url("detail", meeting)).content.decode()
    assert "Telefonisch of video: 06 1234 5678" in html
    assert 'name="room"' not in html  # nothing to choose when moving a call


def test_override_reason_and_advice_are_shown(signed_in, user):
    basis_room = bookable_room(basis=True)
    meeting = schedule_meeting(
        client=ClientFactory(case_manager=user, oranje=True),
        meeting_type=meeting_type(VOORTGANGSGESPREK),
        location=basis_room.location,
        room=basis_room,
        starts_at=TUESDAY_10,
        host=user,
        by=user,
        override_reason="Vertrouwde plek; collega in het pand.",
    )
    html = signed_in.get(url("detail", meeting)).content.decode()
    assert "Vertrouwde plek; collega in het pand." in html
    assert "onder het advies" in html
    assert "Nog niet bekeken door een teamleider." in html


def test_another_teams_meeting_is_404_for_every_view(client, meeting):
    stranger = klantmanager(team=Team.objects.create(name="Team West"))
    client.force_login(stranger)
    assert client.get(url("detail", meeting)).status_code == 404
    for name, data in [
        ("cancel", {"reason": "weg"}),
        ("reschedule", {"day": "2026-11-25", "start": "10:00"}),
        ("outcome", {"status": "excused"}),
    ]:
        assert client.post(url(name, meeting), data).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert kinds(meeting) == [("booked", "planned")]


def test_the_beheerder_sees_no_meeting(client, beheerder, meeting):
    client.force_login(beheerder)
    assert client.get(url("detail", meeting)).status_code == 404


def test_a_teamleider_of_the_team_can_open_it(client, teamleider, meeting):
    client.force_login(teamleider)
    assert client.get(url("detail", meeting)).status_code == 200


def test_actions_only_accept_post(signed_in, meeting):
    assert signed_in.get(url("cancel", meeting)).status_code == 405


# Cancel -----------------------------------------------------------------------------------------


def test_cancel_without_a_reason_is_a_form_error(signed_in, meeting):
    response = signed_in.post(url("cancel", meeting), {"reason": "  "})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Dit veld is verplicht." in html
    assert 'aria-invalid="true"' in html
    assert '<details class="app-action" open>' in html
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_cancel_without_javascript_redirects_with_a_message(signed_in, meeting):
    response = signed_in.post(url("cancel", meeting), {"reason": "Klant is ziek"}, follow=True)
    assert response.redirect_chain == [(url("detail", meeting), 302)]
    html = response.content.decode()
    assert "Het gesprek is geannuleerd." in html
    assert "geannuleerd" in html
    assert "Klant is ziek" in html  # the reason in the history
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert kinds(meeting) == [("booked", "planned"), ("status_changed", "cancelled")]
    # Nothing left to do with a cancelled conversation.
    assert "Annuleer het gesprek" not in html
    assert "Verplaats naar een ander moment" not in html


def test_cancel_with_htmx_swaps_the_partial_and_focuses_the_result(signed_in, meeting):
    response = signed_in.post(url("cancel", meeting), {"reason": "Klant is ziek"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="meeting"')
    assert "<html" not in html
    assert 'role="status" tabindex="-1" data-focus-after-swap' in html
    assert "Het gesprek is geannuleerd." in html
    assert "Klant is ziek" in html
    # The message is shown in the fragment, not saved for the next page as well.
    assert (
        "Het gesprek is geannuleerd." not in signed_in.get(url("detail", meeting)).content.decode()
    )


def test_cancelling_twice_is_a_conflict_not_a_500(signed_in, meeting, user):
    cancel_meeting(meeting=meeting, reason="eerder", by=user)
    response = signed_in.post(url("cancel", meeting), {"reason": "nog eens"}, headers=HTMX)
    assert response.status_code == 409
    assert "Dit kan niet meer: het gesprek is intussen gewijzigd." in response.content.decode()
    assert len(kinds(meeting)) == 2


# Reschedule -------------------------------------------------------------------------------------


def test_reschedule_moves_it_and_keeps_the_history(signed_in, meeting, room):
    other_room = RoomFactory(location=room.location, name="Zaal B")
    response = signed_in.post(
        url("reschedule", meeting),
        {"day": "2026-11-26", "start": "14:15", "room": other_room.pk, "reason": "Klant werkt"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime.datetime(2026, 11, 26, 14, 15, tzinfo=AMSTERDAM_TZ)
    assert meeting.room == other_room
    assert kinds(meeting) == [("booked", "planned"), ("rescheduled", "planned")]
    html = signed_in.get(url("detail", meeting)).content.decode()
    assert "Verplaatst naar 26 november 2026, 14:15 (Zaal B)" in html
    assert "Geboekt voor 24 november 2026, 10:00" in html  # the old time stays
    assert "Klant werkt" in html


def test_reschedule_to_a_room_of_another_location_is_refused(signed_in, meeting):
    elsewhere = bookable_room()
    response = signed_in.post(
        url("reschedule", meeting), {"day": "2026-11-26", "start": "10:00", "room": elsewhere.pk}
    )
    assert response.status_code == 422
    assert "Selecteer een geldige keuze." in response.content.decode()


def test_reschedule_off_the_grid_is_refused(signed_in, meeting):
    response = signed_in.post(url("reschedule", meeting), {"day": "2026-11-26", "start": "10:07"})
    assert response.status_code == 422


def test_reschedule_outside_opening_hours_is_a_form_error(signed_in, meeting):
    response = signed_in.post(
        url("reschedule", meeting), {"day": "2026-11-26", "start": "19:30"}, headers=HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "data-focus-after-swap" in html
    assert "De spreekkamer is dan niet open voor het hele gesprek." in html
    meeting.refresh_from_db()
    assert meeting.starts_at == TUESDAY_10


def test_reschedule_into_the_past_is_a_form_error(signed_in, meeting):
    response = signed_in.post(url("reschedule", meeting), {"day": "2026-11-20", "start": "10:00"})
    assert response.status_code == 422
    assert "Dit tijdstip is al voorbij." in response.content.decode()


def test_reschedule_onto_a_taken_slot_is_409(signed_in, meeting, room):
    colleague = klantmanager()
    schedule_meeting(
        client=ClientFactory(case_manager=colleague),
        meeting_type=meeting_type(KENNISMAKING),
        location=room.location,
        room=room,
        starts_at=datetime.datetime(2026, 11, 26, 10, 0, tzinfo=AMSTERDAM_TZ),
        host=colleague,
        by=colleague,
    )
    response = signed_in.post(
        url("reschedule", meeting), {"day": "2026-11-26", "start": "10:30"}, headers=HTMX
    )
    assert response.status_code == 409
    assert "Dit tijdslot is zojuist geboekt" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at == TUESDAY_10


# Outcome ----------------------------------------------------------------------------------------


def test_outcome_before_the_start_is_only_excused(signed_in, meeting):
    response = signed_in.post(url("outcome", meeting), {"status": "held"})
    assert response.status_code == 422
    response = signed_in.post(url("outcome", meeting), {"status": "excused"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.EXCUSED


def test_held_with_a_ladder_step_and_next_step(signed_in, meeting, user):
    with time_machine.travel(TUESDAY_10 + datetime.timedelta(hours=1), tick=False):
        signed_in.force_login(user)  # a new working day, a new session
        page = signed_in.get(url("detail", meeting)).content.decode()
        assert '<option value="held">gehouden</option>' in page
        response = signed_in.post(
            url("outcome", meeting),
            {"status": "held", "ladder_step": "3", "next_step": "Naar het taalcafé"},
            headers=HTMX,
        )
    assert response.status_code == 200
    html = response.content.decode()
    assert "De uitkomst is vastgelegd." in html
    assert "Naar het taalcafé" in html
    meeting.refresh_from_db()
    meeting.client.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.ladder_step_measured == LadderStep.ORGANISED_ACTIVITIES
    assert meeting.client.ladder_step == LadderStep.ORGANISED_ACTIVITIES
    assert kinds(meeting) == [("booked", "planned"), ("status_changed", "held")]


def test_ladder_step_with_a_no_show_is_a_form_error(signed_in, meeting, user):
    with time_machine.travel(TUESDAY_10 + datetime.timedelta(hours=1), tick=False):
        signed_in.force_login(user)
        response = signed_in.post(
            url("outcome", meeting), {"status": "no_show", "ladder_step": "2"}
        )
    assert response.status_code == 422
    assert "Een trede kun je alleen vastleggen bij een gehouden gesprek." in (
        response.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


@pytest.mark.parametrize("data", [{"status": "planned"}, {"status": "nonsense"}, {}])
def test_bad_outcome_values_are_form_errors(signed_in, meeting, data):
    assert signed_in.post(url("outcome", meeting), data).status_code == 422


def test_allowed_actions(meeting, user, beheerder):
    before = allowed_actions(meeting=meeting, user=user, now=NOW)
    assert (before.reschedule, before.cancel, before.outcomes) == (
        True,
        True,
        (MeetingStatus.EXCUSED,),
    )
    started = allowed_actions(meeting=meeting, user=user, now=TUESDAY_10)
    assert started.outcomes == (MeetingStatus.HELD, MeetingStatus.NO_SHOW, MeetingStatus.EXCUSED)
    assert not allowed_actions(meeting=meeting, user=beheerder, now=NOW).any
    cancelled = cancel_meeting(meeting=meeting, reason="x", by=user)
    assert not allowed_actions(meeting=cancelled, user=user, now=NOW).any


# Query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("moves", [0, 6])
def test_detail_query_count_is_constant(signed_in, meeting, user, moves, django_assert_num_queries):
    for n in range(moves):
        reschedule_meeting(
            meeting=meeting,
            starts_at=TUESDAY_10 + datetime.timedelta(days=1 + n),
            by=user,
            reason=f"verzet {n}",
        )
    # session, user, permissions (2), the meeting with everything, its history, the rooms to
    # move to.
    with django_assert_num_queries(7):
        response = signed_in.get(url("detail", meeting))
    assert response.content.decode().count("<tr>") == 1 + 1 + moves


# The client's page ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 5])
def test_client_detail_lists_the_conversations(
    signed_in, user, room, count, django_assert_num_queries
):
    client = ClientFactory(case_manager=user)
    meetings = [
        schedule_meeting(
            client=client,
            meeting_type=meeting_type(KENNISMAKING),
            location=room.location,
            room=room,
            starts_at=TUESDAY_10 + datetime.timedelta(days=n),
            host=user,
            by=user,
        )
        for n in range(count)
    ]
    # As tests/clients/test_views.py: 6 queries, + 1 for the conversations.
    with django_assert_num_queries(7):
        response = signed_in.get(reverse("clients:detail", args=[client.pk]))
    html = response.content.decode()
    assert "Nog geen gesprekken." not in html
    for meeting in meetings:
        assert reverse("meetings:detail", args=[meeting.pk]) in html
    assert html.count("app-status--planned") == count
    # Newest first.
    assert count == 1 or html.index(url("detail", meetings[-1])) < html.index(
        url("detail", meetings[0])
    )


def test_history_rows_are_appended_never_rewritten(signed_in, meeting):
    first = MeetingEvent.objects.get(meeting=meeting)
    signed_in.post(url("cancel", meeting), {"reason": "Klant is ziek"})
    first_again = MeetingEvent.objects.get(pk=first.pk)
    assert (first_again.kind, first_again.status, first_again.at) == (
        first.kind,
        first.status,
        first.at,
    )

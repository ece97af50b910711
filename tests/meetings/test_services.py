"""Every booking rule of DOMAIN.md, at the service level (meetings.services)."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from activering.roles import BEHEERDER, TEAMLEIDER
from clients.choices import LadderStep, Risk
from locations.choices import SafetyLevel
from meetings.choices import (
    AFSTEMMINGSGESPREK,
    GROEPSBIJEENKOMST,
    HERONDERZOEK,
    KENNISMAKING,
    KEUKENTAFELGESPREK,
    TELEFONISCH_VIDEO,
    VOORTGANGSGESPREK,
)
from meetings.models import Meeting, MeetingEvent, MeetingStatus, StaffCommitment
from meetings.services import (
    BookingError,
    OverrideReasonRequired,
    SlotTaken,
    cancel_meeting,
    record_outcome,
    reschedule_meeting,
    review_override,
    schedule_meeting,
)
from tests.factories import (
    ClientFactory,
    ClosureFactory,
    LocationFactory,
    UserFactory,
    meeting_type,
)
from tests.meetings.world import AMSTERDAM, NOW, TUESDAY_10, bookable_room, klantmanager

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield


def book(client, slug=KENNISMAKING, *, room=None, location=None, starts_at=TUESDAY_10, **kwargs):
    if location is None:
        location = room.location
    return schedule_meeting(
        client=client,
        meeting_type=meeting_type(slug),
        location=location,
        room=room,
        starts_at=starts_at,
        host=kwargs.pop("host", client.case_manager),
        by=kwargs.pop("by", client.case_manager),
        **kwargs,
    )


# Booking ------------------------------------------------------------------------------------


def test_booking_stores_utc_times_commitments_and_history():
    room = bookable_room()
    client = ClientFactory()
    meeting = book(client, room=room)
    assert meeting.status == MeetingStatus.PLANNED
    assert meeting.starts_at == TUESDAY_10
    assert meeting.ends_at - meeting.starts_at == datetime.timedelta(minutes=60)
    assert meeting.starts_at.utcoffset() == datetime.timedelta(0) or meeting.starts_at == TUESDAY_10
    assert [c.user for c in StaffCommitment.objects.filter(meeting=meeting)] == [
        client.case_manager
    ]
    assert list(meeting.events.values_list("kind", flat=True)) == [MeetingEvent.Kind.BOOKED]
    assert meeting.override_reason == ""
    assert meeting.advised_level == SafetyLevel.BASIS


@pytest.mark.parametrize(
    ("slug", "kind_trait", "message"),
    [
        (AFSTEMMINGSGESPREK, {}, "alleen op het stadsloket"),
        (HERONDERZOEK, {"kind": "bibliotheek"}, "niet in een bibliotheek"),
    ],
)
def test_hard_rule_type_and_location_kind(slug, kind_trait, message):
    room = bookable_room(verhoogd=True, **kind_trait)
    client = ClientFactory()
    with pytest.raises(BookingError) as error:
        book(client, slug, room=room)
    assert message in " ".join(error.value.messages)
    assert not Meeting.objects.exists()


def test_afstemmingsgesprek_at_the_stadsloket_is_fine_and_never_overridable():
    stadsloket = bookable_room(kind="stadsloket", beveiligd=True)
    client = ClientFactory()
    assert book(client, AFSTEMMINGSGESPREK, room=stadsloket).pk
    # A stadsloket below beveiligd: hard, even with a reason.
    weak = bookable_room(kind="stadsloket", verhoogd=True)
    other = ClientFactory()
    with pytest.raises(BookingError) as error:
        book(other, AFSTEMMINGSGESPREK, room=weak, override_reason="Het kan echt niet anders.")
    assert not isinstance(error.value, OverrideReasonRequired)
    assert Meeting.objects.count() == 1


def test_below_advice_needs_a_written_reason_and_records_it():
    basis_room = bookable_room(basis=True)
    client = ClientFactory(oranje=True)
    with pytest.raises(OverrideReasonRequired) as error:
        book(client, room=basis_room)
    assert "lager dan het advies verhoogd" in " ".join(error.value.messages)
    assert not Meeting.objects.exists()

    meeting = book(
        client, room=basis_room, override_reason="  Klant komt alleen hier; collega mee.  "
    )
    assert meeting.override_reason == "Klant komt alleen hier; collega mee."
    assert meeting.advised_level == SafetyLevel.VERHOOGD
    assert meeting.location_level == SafetyLevel.BASIS


def test_a_safer_place_than_advised_never_needs_or_keeps_a_reason():
    secured = bookable_room(beveiligd=True)
    meeting = book(ClientFactory(), room=secured, override_reason="overbodig")
    assert meeting.override_reason == ""


def test_rood_needs_beveiligd_and_a_duo():
    client = ClientFactory(rood=True)
    colleague = klantmanager(team=client.case_manager.team)
    secured = bookable_room(beveiligd=True)
    with pytest.raises(BookingError, match="duo"):
        book(client, room=secured)
    verhoogd = bookable_room(verhoogd=True)
    with pytest.raises(OverrideReasonRequired):
        book(client, room=verhoogd, co_host=colleague)
    meeting = book(client, room=secured, co_host=colleague)
    assert meeting.advised_level == SafetyLevel.BEVEILIGD
    assert {c.user for c in meeting.commitments.all()} == {client.case_manager, colleague}


def test_home_visits_groen_yes_oranje_with_duo_rood_never():
    home = LocationFactory(client_home=True)
    groen = ClientFactory()
    assert book(groen, KEUKENTAFELGESPREK, location=home).room is None

    oranje = ClientFactory(oranje=True)
    with pytest.raises(BookingError, match="duo"):
        book(oranje, KEUKENTAFELGESPREK, location=home)
    colleague = klantmanager(team=oranje.case_manager.team)
    assert book(oranje, KEUKENTAFELGESPREK, location=home, co_host=colleague).co_host == colleague

    rood = ClientFactory(rood=True)
    with pytest.raises(BookingError, match="nooit"):
        book(rood, KEUKENTAFELGESPREK, location=home, co_host=klantmanager(), override_reason="x")


def test_phone_call_has_no_room():
    remote = LocationFactory(remote=True)
    client = ClientFactory()
    assert book(client, TELEFONISCH_VIDEO, location=remote).room is None
    room = bookable_room()
    with pytest.raises(BookingError):
        book(ClientFactory(), TELEFONISCH_VIDEO, location=remote, room=room)


def test_room_must_belong_to_the_location_and_hold_the_group():
    room = bookable_room(capacity=4)
    other = bookable_room()
    with pytest.raises(BookingError, match="niet op de gekozen locatie"):
        book(ClientFactory(), location=other.location, room=room)
    with pytest.raises(BookingError):
        book(ClientFactory(), GROEPSBIJEENKOMST, room=room, group_size=8)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    "starts_at",
    [
        datetime.datetime(2026, 11, 24, 7, 30, tzinfo=TUESDAY_10.tzinfo),  # before opening
        datetime.datetime(2026, 11, 24, 19, 30, tzinfo=TUESDAY_10.tzinfo),  # runs past closing
        datetime.datetime(2026, 12, 25, 10, 0, tzinfo=TUESDAY_10.tzinfo),  # Eerste Kerstdag
    ],
)
def test_room_must_be_open_for_the_whole_meeting(starts_at):
    room = bookable_room(opens=8, closes=20)
    with pytest.raises(BookingError, match="niet open"):
        book(ClientFactory(), room=room, starts_at=starts_at)


def test_closures_block_bookings():
    room = bookable_room()
    ClosureFactory(location=room.location, starts_on=TUESDAY_10.date(), reason="Schoonmaak")
    with pytest.raises(BookingError, match="niet open"):
        book(ClientFactory(), room=room)


@pytest.mark.parametrize(
    ("local", "offset_hours"),
    [
        (datetime.datetime(2026, 3, 30, 10, 0, tzinfo=AMSTERDAM), 2),  # after spring switch: CEST
        (datetime.datetime(2026, 10, 26, 10, 0, tzinfo=AMSTERDAM), 1),  # after autumn switch: CET
    ],
)
def test_daylight_saving_never_shifts_a_meeting(local, offset_hours):
    room = bookable_room()
    starts_at = local
    with time_machine.travel(starts_at - datetime.timedelta(days=7), tick=False):
        meeting = book(ClientFactory(), room=room, starts_at=starts_at)
    meeting.refresh_from_db()
    assert meeting.starts_at.astimezone(TUESDAY_10.tzinfo).hour == 10
    assert meeting.starts_at.utcoffset() == datetime.timedelta(0)
    assert meeting.starts_at.hour == 10 - offset_hours


def test_quarter_hour_grid_and_no_past_unless_recording_afterwards():
    room = bookable_room()
    with pytest.raises(BookingError, match="kwartier"):
        book(ClientFactory(), room=room, starts_at=TUESDAY_10 + datetime.timedelta(minutes=10))
    yesterday = TUESDAY_10 - datetime.timedelta(days=2)
    with pytest.raises(BookingError, match="voorbij"):
        book(ClientFactory(), room=room, starts_at=yesterday)
    assert book(ClientFactory(), room=room, starts_at=yesterday, allow_past=True).pk


def test_the_host_must_be_allowed_to_plan():
    room = bookable_room()
    outsider = UserFactory(role=BEHEERDER, team=None)
    with pytest.raises(BookingError):
        book(ClientFactory(), room=room, host=outsider)


# No double booking ------------------------------------------------------------------------------


def test_room_taken_gives_the_friendly_conflict_message():
    room = bookable_room()
    book(ClientFactory(), room=room)
    with pytest.raises(SlotTaken) as error:
        book(ClientFactory(), room=room, starts_at=TUESDAY_10 + datetime.timedelta(minutes=45))
    assert error.value.messages[0] == "Dit tijdslot is zojuist geboekt."
    assert Meeting.objects.count() == 1


def test_host_busy_as_co_host_elsewhere_is_a_conflict():
    first = ClientFactory()
    busy = klantmanager(team=first.case_manager.team)
    book(first, room=bookable_room(), co_host=busy)
    second = ClientFactory(case_manager=busy)
    with pytest.raises(SlotTaken, match="collega"):
        book(second, room=bookable_room())


def test_client_cannot_be_in_two_places():
    client = ClientFactory()
    book(client, room=bookable_room())
    colleague = klantmanager(team=client.case_manager.team)
    with pytest.raises(SlotTaken, match="klant heeft dan al"):
        book(client, VOORTGANGSGESPREK, room=bookable_room(), host=colleague)


def test_back_to_back_meetings_are_fine():
    room = bookable_room()
    client = ClientFactory()
    book(client, room=room)
    assert book(client, room=room, starts_at=TUESDAY_10 + datetime.timedelta(hours=1)).pk


def test_the_database_refuses_overlaps_even_without_the_service():
    room = bookable_room()
    meeting = book(ClientFactory(), room=room)
    other = ClientFactory()
    with pytest.raises(IntegrityError, match="meeting_room_no_overlap"), transaction.atomic():
        Meeting.objects.create(
            client=other,
            meeting_type=meeting.meeting_type,
            location=room.location,
            room=room,
            host=other.case_manager,
            starts_at=meeting.starts_at + datetime.timedelta(minutes=30),
            ends_at=meeting.ends_at + datetime.timedelta(minutes=30),
            created_by=other.case_manager,
            changed_by=other.case_manager,
        )


# After booking -----------------------------------------------------------------------------------


def test_cancel_needs_a_reason_frees_the_slot_and_appends_history():
    room = bookable_room()
    client = ClientFactory()
    meeting = book(client, room=room)
    with pytest.raises(BookingError, match="reden"):
        cancel_meeting(meeting=meeting, reason="  ", by=client.case_manager)
    cancelled = cancel_meeting(meeting=meeting, reason="Klant is ziek", by=client.case_manager)
    assert cancelled.status == MeetingStatus.CANCELLED
    assert not cancelled.commitments.filter(is_occupying=True).exists()
    assert list(cancelled.events.values_list("kind", "status", "reason")) == [
        (MeetingEvent.Kind.BOOKED, MeetingStatus.PLANNED, ""),
        (MeetingEvent.Kind.STATUS_CHANGED, MeetingStatus.CANCELLED, "Klant is ziek"),
    ]
    # The room, the klantmanager and the client are free again.
    assert book(client, room=room).pk
    with pytest.raises(BookingError):
        cancel_meeting(meeting=cancelled, reason="nog eens", by=client.case_manager)


def test_reschedule_moves_commitments_and_keeps_the_old_time_in_history():
    room = bookable_room()
    client = ClientFactory()
    meeting = book(client, room=room)
    later = TUESDAY_10 + datetime.timedelta(hours=3)
    moved = reschedule_meeting(
        meeting=meeting, starts_at=later, by=client.case_manager, reason="Tram"
    )
    assert moved.starts_at == later
    assert set(moved.commitments.values_list("starts_at", flat=True)) == {later}
    assert list(moved.events.values_list("kind", "starts_at")) == [
        (MeetingEvent.Kind.BOOKED, TUESDAY_10),
        (MeetingEvent.Kind.RESCHEDULED, later),
    ]
    # The old slot is free again, the new one is not.
    assert book(ClientFactory(), room=room).pk
    with pytest.raises(SlotTaken):
        book(ClientFactory(), room=room, starts_at=later)


def test_outcome_held_records_the_ladder_step_on_the_client():
    room = bookable_room()
    client = ClientFactory(ladder_step=LadderStep.ISOLATED)
    meeting = book(client, room=room)
    with pytest.raises(BookingError, match="nog niet begonnen"):
        record_outcome(meeting=meeting, status=MeetingStatus.HELD, by=client.case_manager)
    with time_machine.travel(TUESDAY_10 + datetime.timedelta(hours=2), tick=False):
        with pytest.raises(BookingError):
            record_outcome(
                meeting=meeting,
                status=MeetingStatus.NO_SHOW,
                ladder_step=LadderStep.SOCIAL_CONTACTS,
                by=client.case_manager,
            )
        held = record_outcome(
            meeting=meeting,
            status=MeetingStatus.HELD,
            ladder_step=LadderStep.ORGANISED_ACTIVITIES,
            next_step="Aanmelden bij het taalcafé",
            by=client.case_manager,
        )
    client.refresh_from_db()
    assert held.status == MeetingStatus.HELD
    assert client.ladder_step == LadderStep.ORGANISED_ACTIVITIES
    assert held.events.last().reason == "Aanmelden bij het taalcafé"


def test_history_rows_cannot_be_edited():
    meeting = book(ClientFactory(), room=bookable_room())
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        MeetingEvent.objects.filter(meeting=meeting).update(reason="herschreven")


def test_teamleider_reviews_an_override_once():
    client = ClientFactory(oranje=True)
    meeting = book(
        client, room=bookable_room(basis=True), override_reason="Enige plek in de buurt."
    )
    from tests.factories import UserFactory

    teamleider = UserFactory(role=TEAMLEIDER)
    reviewed = review_override(meeting=meeting, by=teamleider)
    assert reviewed.override_reviewed_by == teamleider
    assert reviewed.override_reviewed_at == NOW
    with pytest.raises(BookingError):
        review_override(meeting=book(ClientFactory(), room=bookable_room()), by=teamleider)


def test_risk_levels_drive_the_advice_recorded():
    client = ClientFactory(risk=Risk.GROEN)
    meeting = book(client, room=bookable_room(verhoogd=True))
    assert (meeting.advised_level, meeting.location_level) == (
        SafetyLevel.BASIS,
        SafetyLevel.VERHOOGD,
    )


def test_step_free_need_is_a_hard_rule():
    client = ClientFactory(needs_step_free=True)
    with pytest.raises(BookingError, match="drempelvrij"):
        book(client, room=bookable_room(is_step_free=False), override_reason="Toch hier.")
    assert book(client, room=bookable_room(is_step_free=True)).pk

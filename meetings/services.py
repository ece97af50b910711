"""Writes for conversations: book, reschedule, cancel, record the outcome, review an override.

Each use case is one function and one durable transaction. Double booking is impossible in the
database (exclusion constraints on the room and the client in `Meeting`, on every staff member in
`StaffCommitment`). Concurrent conflicting inserts on exclusion constraints can deadlock, so every
write first takes transaction-level advisory locks on the room, the people and the client, in
sorted order, with a short lock timeout (pretix's pattern); a conflict, a lock timeout and a
deadlock all become the same friendly `SlotTaken`.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import errors as pg_errors

from activering.models import User
from clients.choices import LadderStep
from clients.models import Client
from locations.geo import AMSTERDAM_TZ
from locations.models import Location, Room
from locations.selectors import open_intervals
from meetings.models import (
    FeedToken,
    Meeting,
    MeetingEvent,
    MeetingStatus,
    MeetingType,
    StaffCommitment,
)
from meetings.selectors import Assessment, assess_location

#: Slots are offered, and bookings accepted, on a 15-minute grid.
GRID_MINUTES = 15
#: How long a booking waits for a competing one before giving up with `SlotTaken`.
LOCK_TIMEOUT = "3s"
#: Outcomes that can be recorded for a planned meeting (rule 7).
OUTCOMES = (MeetingStatus.HELD, MeetingStatus.NO_SHOW, MeetingStatus.EXCUSED)

# Advisory lock name spaces, so that room 7, user 7 and client 7 are different locks.
_LOCK_ROOM, _LOCK_STAFF, _LOCK_CLIENT = 1, 2, 3

_CONSTRAINT_MESSAGES = {
    "meeting_room_no_overlap": lambda: _("The room is already booked at that time."),
    "meeting_client_no_overlap": lambda: _("The client already has a conversation at that time."),
    "staff_no_overlap": lambda: _("You or your colleague already have a conversation then."),
}


class BookingError(Exception):
    """A rule forbids this; `messages` are plain Dutch sentences for the user."""

    def __init__(self, *messages: str) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


class OverrideReasonRequired(BookingError):
    """The location is below the safety advice: only with a written reason (a soft rule)."""


class SlotTaken(BookingError):
    """Someone else was faster: the room, a colleague or the client is no longer free."""


def schedule_meeting(
    *,
    client: Client,
    meeting_type: MeetingType,
    location: Location,
    room: Room | None,
    starts_at: datetime,
    host: User,
    co_host: User | None = None,
    group_size: int = 1,
    override_reason: str = "",
    by: User,
    allow_past: bool = False,
) -> Meeting:
    """Book a conversation, enforcing every rule of DOMAIN.md (hard rules raise `BookingError`,
    a missing reason below the safety advice raises `OverrideReasonRequired`, a conflict raises
    `SlotTaken`).

    `allow_past` is for recording conversations after the fact (demo data, imports).
    """
    ends_at = starts_at + timedelta(minutes=meeting_type.duration_minutes)
    assessment = _check_booking(
        client=client,
        meeting_type=meeting_type,
        location=location,
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        host=host,
        co_host=co_host,
        group_size=group_size,
        allow_past=allow_past,
    )
    if assessment.soft_reasons and not override_reason.strip():
        raise OverrideReasonRequired(
            *assessment.soft_reasons,
            _("Explain in writing why this location is still the right choice."),
        )

    def insert() -> Meeting:
        meeting = Meeting.objects.create(
            client=client,
            meeting_type=meeting_type,
            location=location,
            room=room,
            host=host,
            co_host=co_host,
            starts_at=starts_at,
            ends_at=ends_at,
            group_size=group_size,
            # Choosing a place as safe as advised, or safer, never needs (or keeps) a reason.
            override_reason=override_reason.strip() if assessment.soft_reasons else "",
            advised_level=assessment.required_level,
            location_level=assessment.location_level,
            created_by=by,
            changed_by=by,
        )
        StaffCommitment.objects.bulk_create(
            StaffCommitment(meeting=meeting, user=person, starts_at=starts_at, ends_at=ends_at)
            for person in meeting.staff
        )
        _append_event(meeting, MeetingEvent.Kind.BOOKED, by=by)
        return meeting

    return _locked_write(insert, rooms=[room], staff=[host, co_host], clients=[client])


def reschedule_meeting(
    *, meeting: Meeting, starts_at: datetime, room: Room | None = None, by: User, reason: str = ""
) -> Meeting:
    """Move a planned conversation to another time (and optionally another room of the same
    location). The old time stays in the history."""
    if meeting.status != MeetingStatus.PLANNED:
        raise BookingError(_("Only a planned conversation can be moved."))
    new_room = room if room is not None else meeting.room
    ends_at = starts_at + timedelta(minutes=meeting.meeting_type.duration_minutes)
    _check_booking(
        client=meeting.client,
        meeting_type=meeting.meeting_type,
        location=meeting.location,
        room=new_room,
        starts_at=starts_at,
        ends_at=ends_at,
        host=meeting.host,
        co_host=meeting.co_host,
        group_size=meeting.group_size,
        allow_past=False,
    )

    def move() -> Meeting:
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.PLANNED:
            raise BookingError(_("Only a planned conversation can be moved."))
        locked.starts_at, locked.ends_at, locked.room = starts_at, ends_at, new_room
        locked.changed_by = by
        locked.save(update_fields=["starts_at", "ends_at", "room", "changed_by", "changed_at"])
        locked.commitments.update(starts_at=starts_at, ends_at=ends_at)
        _append_event(locked, MeetingEvent.Kind.RESCHEDULED, by=by, reason=reason)
        return locked

    return _locked_write(
        move, rooms=[new_room], staff=[meeting.host, meeting.co_host], clients=[meeting.client]
    )


def cancel_meeting(*, meeting: Meeting, reason: str, by: User) -> Meeting:
    """Cancel a planned conversation; its room, staff and client are free again."""
    if not reason.strip():
        raise BookingError(_("Give a reason for cancelling."))

    @transaction.atomic(durable=True)
    def cancel() -> Meeting:
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.PLANNED:
            raise BookingError(_("Only a planned conversation can be cancelled."))
        locked.status = MeetingStatus.CANCELLED
        locked.changed_by = by
        locked.save(update_fields=["status", "changed_by", "changed_at"])
        locked.commitments.update(is_occupying=False)
        _append_event(locked, MeetingEvent.Kind.STATUS_CHANGED, by=by, reason=reason.strip())
        return locked

    return cancel()


def record_outcome(
    *,
    meeting: Meeting,
    status: MeetingStatus,
    by: User,
    ladder_step: LadderStep | int | None = None,
    next_step: str = "",
) -> Meeting:
    """Record what happened: held (with the ladder step measured and a next step), no-show or
    excused. A measured ladder step also becomes the client's current step."""
    if status not in OUTCOMES:
        raise BookingError(_("Choose held, no-show or excused."))
    if status != MeetingStatus.HELD and ladder_step is not None:
        raise BookingError(_("A ladder step can only be recorded for a held conversation."))
    if status != MeetingStatus.EXCUSED and meeting.starts_at > timezone.now():
        raise BookingError(_("This conversation has not started yet."))

    @transaction.atomic(durable=True)
    def record() -> Meeting:
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.status != MeetingStatus.PLANNED:
            raise BookingError(_("The outcome of this conversation has already been recorded."))
        locked.status = status
        locked.ladder_step_measured = ladder_step
        locked.next_step = next_step.strip()
        locked.changed_by = by
        locked.save(
            update_fields=[
                "status",
                "ladder_step_measured",
                "next_step",
                "changed_by",
                "changed_at",
            ]
        )
        if ladder_step is not None:
            Client.objects.filter(pk=locked.client_id).update(ladder_step=ladder_step)
        _append_event(locked, MeetingEvent.Kind.STATUS_CHANGED, by=by, reason=next_step.strip())
        return locked

    return record()


def review_override(*, meeting: Meeting, by: User) -> Meeting:
    """A teamleider marks a safety override as reviewed (who and when are kept)."""
    if not meeting.override_reason:
        raise BookingError(_("This conversation has no safety override to review."))

    @transaction.atomic(durable=True)
    def review() -> Meeting:
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.override_reviewed_at is None:
            locked.override_reviewed_by = by
            locked.override_reviewed_at = timezone.now()
            locked.save(update_fields=["override_reviewed_by", "override_reviewed_at"])
            _append_event(locked, MeetingEvent.Kind.OVERRIDE_REVIEWED, by=by)
        return locked

    return review()


# Rules ----------------------------------------------------------------------------------------


def _check_booking(
    *,
    client: Client,
    meeting_type: MeetingType,
    location: Location,
    room: Room | None,
    starts_at: datetime,
    ends_at: datetime,
    host: User,
    co_host: User | None,
    group_size: int,
    allow_past: bool,
) -> Assessment:
    """Every hard rule; returns the assessment whose soft reasons need an override reason."""
    if timezone.is_naive(starts_at):
        raise ValueError("starts_at must be timezone-aware")
    local = starts_at.astimezone(AMSTERDAM_TZ)
    if local.minute % GRID_MINUTES or local.second or local.microsecond:
        raise BookingError(_("Choose a start time on the quarter hour."))
    if not allow_past and starts_at < timezone.now():
        raise BookingError(_("This time has already passed."))
    if not client.is_active:
        raise BookingError(_("This client is no longer active."))
    if group_size < 1:
        raise BookingError(_("A conversation has at least one participant."))

    location_with_rooms = Location.objects.prefetch_related("rooms").get(pk=location.pk)
    assessment = assess_location(
        location=location_with_rooms,
        meeting_type=meeting_type,
        risk=client.risk,
        group_size=group_size,
        needs_step_free=client.needs_step_free,
    )
    if assessment.hard_reasons:
        raise BookingError(*assessment.hard_reasons)

    needs_room = meeting_type.needs_room and not location.is_virtual
    if needs_room and room is None:
        raise BookingError(_("Choose a room."))
    if not needs_room and room is not None:
        raise BookingError(_("This conversation does not take place in a room."))
    if room is not None:
        _check_room(
            room=room,
            location=location,
            meeting_type=meeting_type,
            group_size=group_size,
            starts_at=starts_at,
            ends_at=ends_at,
        )

    if co_host is not None and co_host.pk == host.pk:
        raise BookingError(_("The second colleague must be someone else than the klantmanager."))
    if assessment.duo_required and co_host is None:
        raise BookingError(_("This client needs a duo conversation: choose a second colleague."))
    for person in (host, co_host):
        if person is not None and not (
            person.is_active and person.has_perm("activering.plan_meetings")
        ):
            raise BookingError(
                _("%(name)s cannot hold conversations with clients.") % {"name": person}
            )
    return assessment


def _check_room(
    *,
    room: Room,
    location: Location,
    meeting_type: MeetingType,
    group_size: int,
    starts_at: datetime,
    ends_at: datetime,
) -> None:
    if room.location_id != location.pk:
        raise BookingError(_("This room is not at the chosen location."))
    if not room.is_active:
        raise BookingError(_("This room cannot be booked."))
    needed = max(group_size, meeting_type.min_capacity)
    if room.capacity < needed:
        raise BookingError(
            _("This room holds %(capacity)d people; %(needed)d are needed.")
            % {"capacity": room.capacity, "needed": needed}
        )
    day = starts_at.astimezone(AMSTERDAM_TZ).date()
    intervals = open_intervals(rooms=[room], start=day, end=day + timedelta(days=1))[room.pk]
    if not any(opens <= starts_at and ends_at <= closes for opens, closes in intervals):
        raise BookingError(_("The room is not open for the whole conversation at that time."))


# Locking and history --------------------------------------------------------------------------


def _locked_write[T](
    write: Callable[[], T],
    *,
    rooms: list[Room | None],
    staff: list[User | None],
    clients: list[Client],
) -> T:
    """Run `write` in one durable transaction after taking the advisory locks; turn a conflict,
    a lock timeout or a deadlock into `SlotTaken`."""
    keys = sorted(
        {(_LOCK_ROOM, room.pk) for room in rooms if room is not None}
        | {(_LOCK_STAFF, person.pk) for person in staff if person is not None}
        | {(_LOCK_CLIENT, client.pk) for client in clients}
    )
    try:
        with transaction.atomic(durable=True), _advisory_locks(keys):
            return write()
    except IntegrityError as error:
        constraint = _violated_exclusion_constraint(error)
        if constraint is None:
            raise
        raise SlotTaken(
            _("This time slot has just been booked."), _CONSTRAINT_MESSAGES[constraint]()
        ) from error
    except OperationalError as error:
        if isinstance(error.__cause__, pg_errors.LockNotAvailable | pg_errors.DeadlockDetected):
            raise SlotTaken(
                _("This time slot has just been booked."),
                _("Someone else is booking the same room or people right now."),
            ) from error
        raise


@contextmanager
def _advisory_locks(keys: list[tuple[int, int]]) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
        for namespace, key in keys:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, key])
    yield


def _violated_exclusion_constraint(error: IntegrityError) -> str | None:
    cause: Any = error.__cause__
    if isinstance(cause, pg_errors.ExclusionViolation):
        name = cause.diag.constraint_name
        return name if name in _CONSTRAINT_MESSAGES else None
    return None


def _append_event(
    meeting: Meeting, kind: MeetingEvent.Kind, *, by: User, reason: str = ""
) -> MeetingEvent:
    return MeetingEvent.objects.create(
        meeting=meeting,
        kind=kind,
        status=meeting.status,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        room=meeting.room,
        reason=reason,
        by=by,
    )


# Personal calendar feed -----------------------------------------------------------------------


def hash_feed_token(token: str) -> str:
    """What `FeedToken.token_hash` holds for a token (the token itself is never stored)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic(durable=True)
def renew_feed_token(*, user: User) -> str:
    """Make (or replace) `user`'s calendar feed secret and return it, once: only its hash is
    kept, so the previous feed URL stops working at once."""
    token = secrets.token_urlsafe(32)
    FeedToken.objects.update_or_create(
        user=user,
        defaults={"token_hash": hash_feed_token(token), "created_at": timezone.now()},
    )
    return token

"""Reads for the klantmanager's agenda, one conversation's actions, a client's conversation
history and the personal calendar feed. Writes are in `meetings.services`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from activering.caching import remembered
from activering.models import User
from clients.models import Client
from locations.geo import AMSTERDAM_TZ
from locations.selectors import (
    kept_locations,
    location_data_key,
    location_data_version,
)
from meetings.models import FeedToken, Meeting, MeetingStatus, MeetingType
from meetings.services import OUTCOMES, hash_feed_token

#: Who may plan, move, cancel and record conversations (klantmanager, teamleider).
PLAN_MEETINGS = "activering.plan_meetings"

#: The feed holds the conversations from this long ago…
FEED_PAST = timedelta(weeks=4)
#: …up to this far ahead.
FEED_FUTURE = timedelta(weeks=26)

_ISO_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")

#: What the agenda, the feed and the client history show of each meeting, in one query.
_LIST_RELATED = ("client", "meeting_type", "location", "room", "host", "co_host")


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM_TZ)


# Weeks ------------------------------------------------------------------------------------------


def iso_week(day: date) -> str:
    """The ISO week `day` falls in, as used in the agenda URL: "2026-W48"."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(value: str | None, *, today: date) -> tuple[date, bool]:
    """The Monday of the ISO week in `value` ("2026-W48") and whether `value` was valid.

    Missing, malformed or impossible weeks ("2026-W54", "tomorrow") give this week and False
    (False only when something was given), so the page falls back with a message, never a 500.
    """
    this_monday = today - timedelta(days=today.weekday())
    if not value:
        return this_monday, True
    match = _ISO_WEEK.match(value.strip())
    if match is None:
        return this_monday, False
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return this_monday, False
    if not 2000 <= monday.year <= 2100:
        return this_monday, False
    return monday, True


@dataclass(frozen=True)
class AgendaDay:
    day: date
    is_today: bool
    meetings: list[Meeting]


@dataclass(frozen=True)
class AgendaWeek:
    monday: date
    days: list[AgendaDay]
    week: str  # "2026-W48"
    previous_week: str
    next_week: str
    this_week: str
    is_this_week: bool

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def meeting_count(self) -> int:
        return sum(len(day.meetings) for day in self.days)


def meetings_of(*, user: User, start: datetime, end: datetime) -> QuerySet[Meeting]:
    """`user`'s meetings as host or co-host that start in [start, end), all statuses, by time.

    Host and co-host are columns of the meeting (both indexed with `starts_at`), so this is one
    query with everything a list shows.
    """
    return (
        Meeting.objects.filter(
            Q(host=user) | Q(co_host=user), starts_at__gte=start, starts_at__lt=end
        )
        .select_related(*_LIST_RELATED)
        .order_by("starts_at", "pk")
    )


def _with_kept_places(meetings: QuerySet[Meeting]) -> list[Meeting]:
    """The meetings with their type, location and room from the kept location data
    (`kept_locations`) instead of three joins more: planning the seven-table join cost the
    agenda more than running it. One query more (the data version) when kept."""
    version = location_data_version()
    locations = kept_locations(version=version)
    types = remembered(
        location_data_key("meeting-types", version=version),
        lambda: {kind.pk: kind for kind in MeetingType.objects.all()},
    )
    result = list(meetings.select_related(None).select_related("client", "host", "co_host"))
    for meeting in result:
        meeting.meeting_type = types[meeting.meeting_type_id]
        meeting.location = location = locations[meeting.location_id]
        meeting.room = next(
            (room for room in location.rooms.all() if room.pk == meeting.room_id), None
        )
    return result


def agenda_week(*, user: User, monday: date, today: date) -> AgendaWeek:
    """`user`'s week, Monday to Sunday in Europe/Amsterdam, meetings grouped per local day.

    Two queries (the location data version, the meetings), four more when the locations and
    types are not kept yet. The week runs from local midnight to local midnight, so a week with
    a daylight-saving switch has 167 or 169 hours and every meeting keeps its local time.
    """
    by_day: dict[date, list[Meeting]] = {monday + timedelta(days=n): [] for n in range(7)}
    for meeting in _with_kept_places(
        meetings_of(
            user=user,
            start=_local_midnight(monday),
            end=_local_midnight(monday + timedelta(days=7)),
        )
    ):
        by_day[meeting.starts_at.astimezone(AMSTERDAM_TZ).date()].append(meeting)
    this_monday = today - timedelta(days=today.weekday())
    return AgendaWeek(
        monday=monday,
        days=[AgendaDay(day, day == today, meetings) for day, meetings in by_day.items()],
        week=iso_week(monday),
        previous_week=iso_week(monday - timedelta(days=7)),
        next_week=iso_week(monday + timedelta(days=7)),
        this_week=iso_week(today),
        is_this_week=monday == this_monday,
    )


# One conversation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AllowedActions:
    """What may be done with a meeting now; the page shows only these, the views check them."""

    reschedule: bool = False
    cancel: bool = False
    #: The outcomes that may be recorded now (excused before the start, all three after).
    outcomes: tuple[MeetingStatus, ...] = ()

    @property
    def record_outcome(self) -> bool:
        return bool(self.outcomes)

    @property
    def any(self) -> bool:
        return self.reschedule or self.cancel or self.record_outcome


def allowed_actions(*, meeting: Meeting, user: User, now: datetime) -> AllowedActions:
    """Only a planned meeting changes, and only by someone who plans meetings. Before it starts
    it can only be marked excused (afgemeld); held and no-show need it to have started."""
    if meeting.status != MeetingStatus.PLANNED or not user.has_perm(PLAN_MEETINGS):
        return AllowedActions()
    started = meeting.starts_at <= now
    return AllowedActions(
        reschedule=True,
        cancel=True,
        outcomes=OUTCOMES if started else (MeetingStatus.EXCUSED,),
    )


# A client's history -----------------------------------------------------------------------------


def meetings_for_client(*, client: Client) -> QuerySet[Meeting]:
    """Every conversation with `client`, newest first, with what a list shows (one query)."""
    return (
        Meeting.objects.filter(client=client)
        .select_related("meeting_type", "location", "room", "host", "co_host")
        .order_by("-starts_at", "-pk")
    )


# Calendar feed ----------------------------------------------------------------------------------


def get_feed_owner(*, token: str) -> User:
    """The active user whose current feed token this is; 404 for an unknown or renewed one."""
    feed_token = (
        FeedToken.objects.filter(token_hash=hash_feed_token(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed_token is None:
        raise Http404
    return feed_token.user


def get_feed_token(*, user: User) -> FeedToken | None:
    return FeedToken.objects.filter(user=user).first()


def feed_meetings(*, user: User, now: datetime) -> QuerySet[Meeting]:
    """What `user`'s calendar feed holds: their meetings (host or co-host) from four weeks ago to
    26 weeks ahead. Cancelled ones are left out: a subscribed calendar is replaced as a whole on
    every refresh, so they disappear there, and Outlook does not reliably show STATUS:CANCELLED
    in a subscribed calendar (a phantom appointment would block the time)."""
    return meetings_of(user=user, start=now - FEED_PAST, end=now + FEED_FUTURE).exclude(
        status=MeetingStatus.CANCELLED
    )

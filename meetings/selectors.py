"""The meeting rules of DOMAIN.md: which safety a conversation needs, when a duo is required,
and whether a location suits a conversation type (hard rules: never; soft rules: with a written
override reason).

`assess_location` judges one location in Python and explains itself in Dutch;
`locations_suitable_for` is the same judgement in SQL for lists and coverage. Tests keep the
two in agreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext, ngettext

from activering.models import User
from clients.choices import Risk
from clients.models import Client
from locations.choices import KIND_PLACE_PHRASES, VIRTUAL_KINDS, LocationKind, SafetyLevel
from locations.models import Location
from locations.querysets import LocationQuerySet, bookable_room_exists
from locations.safety import label_for, level_q, missing_features_for
from meetings.choices import AFSTEMMINGSGESPREK
from meetings.models import Meeting, MeetingEvent, MeetingType

#: Rule 1: the safety level a client's risk signal asks for, at least.
RISK_MINIMUM_LEVEL: dict[str, SafetyLevel | None] = {
    Risk.GROEN: None,
    Risk.ORANJE: SafetyLevel.VERHOOGD,
    Risk.ROOD: SafetyLevel.BEVEILIGD,
}


def required_safety_level(*, meeting_type: MeetingType, risk: Risk | str) -> SafetyLevel | None:
    """Rule 1: max(type minimum, risk minimum); oranje ⇒ at least verhoogd, rood ⇒ beveiligd.

    None: no minimum. Applies to physical locations; at the client's home the home-visit rules
    (duo for oranje, never rood) take its place, and phone/video needs no physical safety.
    """
    candidates = [
        SafetyLevel(level)
        for level in (meeting_type.minimum_safety_level, RISK_MINIMUM_LEVEL[Risk(risk)])
        if level is not None
    ]
    return max(candidates) if candidates else None


def is_home_visit(*, meeting_type: MeetingType, location: Location | None = None) -> bool:
    """At the client's home: the location's kind decides; without a location, the type does
    (a type allowed only at home, the keukentafelgesprek)."""
    if location is not None:
        return location.kind == LocationKind.CLIENT_HOME
    return meeting_type.is_home_visit_type


def duo_required(
    *, meeting_type: MeetingType, risk: Risk | str, location: Location | None = None
) -> bool:
    """A second colleague must attend: always for rood; for oranje on a home visit."""
    if risk == Risk.ROOD:
        return True
    return risk == Risk.ORANJE and is_home_visit(meeting_type=meeting_type, location=location)


@dataclass(frozen=True)
class Assessment:
    """Whether a location suits a conversation type for a client, and why not.

    hard_reasons: never bookable, no override possible.
    soft_reasons: below the safety advice; bookable only with a written override reason.
    """

    hard_reasons: list[str] = field(default_factory=list)
    soft_reasons: list[str] = field(default_factory=list)
    #: The safety level advised (None: no minimum, or a home visit / phone / video).
    required_level: SafetyLevel | None = None
    #: The location's safety level (None: below basis, or a virtual location).
    location_level: SafetyLevel | None = None
    duo_required: bool = False

    @property
    def is_suitable(self) -> bool:
        return not self.hard_reasons and not self.soft_reasons

    @property
    def is_bookable_with_override(self) -> bool:
        return not self.hard_reasons and bool(self.soft_reasons)

    @property
    def reasons(self) -> list[str]:
        """Hard reasons first, then soft ones: the "why not" text for a page."""
        return [*self.hard_reasons, *self.soft_reasons]


def _kind_reason(meeting_type: MeetingType, location: Location) -> str | None:
    if meeting_type.slug == AFSTEMMINGSGESPREK and location.kind != LocationKind.STADSLOKET:
        return gettext("An afstemmingsgesprek may only take place at the stadsloket.")
    if location.kind not in meeting_type.allowed_kinds:
        return gettext("This conversation type may not take place %(where)s.") % {
            "where": KIND_PLACE_PHRASES[location.kind]
        }
    return None


def _room_reason(location: Location, needed: int) -> str | None:
    rooms = [room for room in location.rooms.all() if room.is_active]
    if not rooms:
        return gettext("This location has no active room.")
    if not any(room.capacity >= needed for room in rooms):
        return ngettext(
            "No room here holds %(count)d person.",
            "No room here holds %(count)d people.",
            needed,
        ) % {"count": needed}
    return None


def _safety_reason(
    *, location: Location, required: SafetyLevel, level: SafetyLevel | None, advice: bool
) -> str:
    values = {
        "level": label_for(level),
        "required": label_for(required),
        "missing": ", ".join(missing_features_for(location, required)),
    }
    if advice:
        return (
            gettext("Safety level %(level)s is lower than the advised %(required)s: %(missing)s.")
            % values
        )
    return (
        gettext("Safety level %(level)s is lower than the required %(required)s: %(missing)s.")
        % values
    )


def assess_location(
    *,
    location: Location,
    meeting_type: MeetingType,
    risk: Risk | str = Risk.GROEN,
    group_size: int = 1,
    needs_step_free: bool = False,
) -> Assessment:
    """Judge one location for a conversation type and a client's risk (DOMAIN rules 1–3).

    Hard: location or type inactive; a kind the type does not allow; an afstemmingsgesprek
    outside the stadsloket; a home visit for rood; no active room holding
    max(`group_size`, type minimum capacity) people when the type needs a room at a physical
    location; below the required safety level when the type allows no override.
    Also hard: a physical location with steps for a client who needs step-free access.
    Soft: below the safety advice when the type allows an override. Safer than advised is fine.

    Reads `location.rooms.all()`: prefetch `rooms` when assessing many locations, and nothing
    else is queried (safety features are fields of the location).
    """
    hard: list[str] = []
    soft: list[str] = []
    if not location.is_active:
        hard.append(gettext("This location is not active."))
    if not meeting_type.is_active:
        hard.append(gettext("This conversation type is no longer in use."))
    kind_reason = _kind_reason(meeting_type, location)
    if kind_reason:
        hard.append(kind_reason)
    if location.kind == LocationKind.CLIENT_HOME and risk == Risk.ROOD:
        hard.append(gettext("A home visit is never possible for a client with risk signal red."))
    if needs_step_free and not location.is_virtual and not location.is_step_free:
        hard.append(gettext("Not step-free, and the client needs that."))
    if meeting_type.needs_room and not location.is_virtual:
        room_reason = _room_reason(location, max(group_size, meeting_type.min_capacity))
        if room_reason:
            hard.append(room_reason)

    required: SafetyLevel | None = None
    level: SafetyLevel | None = None
    if not location.is_virtual:
        required = required_safety_level(meeting_type=meeting_type, risk=risk)
        level = location.safety_level
        if required is not None and (level is None or level < required):
            advice = meeting_type.override_allowed
            reason = _safety_reason(
                location=location, required=required, level=level, advice=advice
            )
            (soft if advice else hard).append(reason)

    return Assessment(
        hard_reasons=hard,
        soft_reasons=soft,
        required_level=required,
        location_level=level,
        duo_required=duo_required(meeting_type=meeting_type, risk=risk, location=location),
    )


def suitable_types_for(
    location: Location,
    meeting_types: Iterable[MeetingType],
    *,
    risk: Risk | str = Risk.GROEN,
) -> list[tuple[MeetingType, Assessment]]:
    """Every type with its assessment for one location (the location detail page: "suits /
    why not"). Prefetch the location's `rooms`; no query per type."""
    return [
        (meeting_type, assess_location(location=location, meeting_type=meeting_type, risk=risk))
        for meeting_type in meeting_types
    ]


def locations_suitable_for(
    *,
    meeting_type: MeetingType,
    risk: Risk | str = Risk.GROEN,
    group_size: int = 1,
    min_weekly_open_minutes: int = 0,
    locations: LocationQuerySet | None = None,
) -> LocationQuerySet:
    """The locations `assess_location` calls suitable (no hard and no soft reason), in SQL.

    Coverage (rule 8) is `locations_suitable_for(meeting_type=t,
    min_weekly_open_minutes=COVERAGE_MIN_WEEKLY_MINUTES).in_district(d)`: a groen client, the
    type's hard rules and minimum level, a room open at least 8 hours a week. Pass
    `locations` to narrow a queryset you already have.
    """
    queryset = (locations if locations is not None else Location.objects.all()).active()
    if not meeting_type.is_active:
        return queryset.none()
    kinds = set(meeting_type.allowed_kinds)
    if meeting_type.slug == AFSTEMMINGSGESPREK:
        kinds &= {LocationKind.STADSLOKET.value}
    if risk == Risk.ROOD:
        kinds.discard(LocationKind.CLIENT_HOME.value)
    queryset = queryset.filter(kind__in=sorted(kinds))
    virtual = Q(kind__in=sorted(VIRTUAL_KINDS))
    required = required_safety_level(meeting_type=meeting_type, risk=risk)
    if required is not None:
        queryset = queryset.filter(virtual | level_q(required))
    if meeting_type.needs_room:
        rooms = bookable_room_exists(
            min_capacity=max(group_size, meeting_type.min_capacity),
            min_weekly_open_minutes=min_weekly_open_minutes,
        )
        queryset = queryset.filter(virtual | Q(rooms))
    elif min_weekly_open_minutes:
        queryset = queryset.filter(
            virtual | Q(bookable_room_exists(min_weekly_open_minutes=min_weekly_open_minutes))
        )
    return queryset


# One conversation ------------------------------------------------------------------------------


def get_meeting_for(*, user: User | AnonymousUser, pk: int) -> Meeting:
    """The meeting with this pk if `user` may see its client (`Client.objects.visible_to`), with
    everything the detail page shows; otherwise 404, never a hint that it exists."""
    meeting = (
        Meeting.objects.filter(client__in=Client.objects.visible_to(user), pk=pk)
        .select_related(
            "client",
            "meeting_type",
            "location",
            "room",
            "host",
            "co_host",
            "created_by",
            "override_reviewed_by",
        )
        .prefetch_related(
            Prefetch(
                "events",
                queryset=MeetingEvent.objects.select_related("by", "room").order_by("at", "id"),
            )
        )
        .first()
    )
    if meeting is None:
        raise Http404(gettext("No conversation found."))
    return meeting


# Integrity check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DoubleBooking:
    """Two non-cancelled meetings that overlap on the same room, client or staff member."""

    kind: str  # "room", "client" or "staff"
    resource_id: int
    first_meeting_id: int
    second_meeting_id: int


# Plain SQL self-joins over the meeting table, independent of the exclusion constraints and of
# StaffCommitment (a staff member is the host or the co-host), so it can check them.
_DOUBLE_BOOKINGS_SQL = """
WITH live AS (
    SELECT id, room_id, client_id, host_id, co_host_id,
           tstzrange(starts_at, ends_at, '[)') AS period
    FROM meetings_meeting
    WHERE status <> 'cancelled'
), staff AS (
    SELECT id, host_id AS user_id, period FROM live
    UNION ALL
    SELECT id, co_host_id, period FROM live WHERE co_host_id IS NOT NULL
)
SELECT 'room', a.room_id, a.id, b.id
FROM live a JOIN live b ON a.id < b.id AND a.room_id = b.room_id AND a.period && b.period
UNION ALL
SELECT 'client', a.client_id, a.id, b.id
FROM live a JOIN live b ON a.id < b.id AND a.client_id = b.client_id AND a.period && b.period
UNION ALL
SELECT 'staff', a.user_id, a.id, b.id
FROM staff a JOIN staff b ON a.id < b.id AND a.user_id = b.user_id AND a.period && b.period
ORDER BY 1, 2, 3, 4
"""


def find_double_bookings() -> list[DoubleBooking]:
    """Every pair of overlapping non-cancelled meetings per room, per client and per staff
    member (host or co-host). Must always be empty: DOMAIN rule 4."""
    with connection.cursor() as cursor:
        cursor.execute(_DOUBLE_BOOKINGS_SQL)
        return [DoubleBooking(*row) for row in cursor.fetchall()]

"""Demo conversations: six weeks of past ones (held, no-show, excused, cancelled) and three weeks
of planned ones for the 25 demo klantmanagers and their clients, the same on every run.

Every meeting is booked through `meetings.services.schedule_meeting` (with `allow_past=True` for
the past), and outcomes and cancellations through `record_outcome` and `cancel_meeting`, so every
rule and database constraint holds. Free slots come from a seeded generator that stays inside
the rooms' opening hours (`open_intervals`) and keeps its own calendar of who and what is busy;
a slot the service still refuses is simply skipped. Reads are batched up front.

Idempotent: does nothing when there are meetings already.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from activering.models import User
from clients.choices import Risk
from clients.models import Client
from locations.geo import AMSTERDAM_TZ
from locations.models import Location, Room
from locations.selectors import is_public_holiday, open_intervals
from meetings import choices
from meetings.models import Meeting, MeetingStatus, MeetingType
from meetings.selectors import Assessment, assess_location
from meetings.services import (
    BookingError,
    cancel_meeting,
    record_outcome,
    schedule_meeting,
)

_SEED = 20_261_124
PAST_WEEKS = 6
FUTURE_WEEKS = 3  # this week and the next two
MEETINGS_PER_WEEK = (4, 6)  # per klantmanager
_ATTEMPTS = 15

#: How often each type is booked (per client risk; rood clients only go to the stadsloket).
_TYPE_WEIGHTS: dict[str, int] = {
    choices.VOORTGANGSGESPREK: 40,
    choices.KENNISMAKING: 14,
    choices.TELEFONISCH_VIDEO: 15,
    choices.KEUKENTAFELGESPREK: 9,
    choices.WARME_OVERDRACHT: 10,
    choices.HERONDERZOEK: 6,
    choices.AFSTEMMINGSGESPREK: 3,
}
_OUTCOMES = [
    (MeetingStatus.HELD, 72),
    (MeetingStatus.NO_SHOW, 11),
    (MeetingStatus.EXCUSED, 8),
    (MeetingStatus.CANCELLED, 9),
]
_NEXT_STEPS = [
    "Aanmelden bij het taalcafé; over vier weken samen evalueren.",
    "Klant gaat twee ochtenden per week naar de inloop dagbesteding.",
    "Samen naar de schuldhulp-inloop; brieven meenemen.",
    "Proefplaats bij de werkplaats bespreken met de partner.",
    "Huisarts vragen naar een verwijzing; over drie weken bellen.",
    "Vrijwilligerswerk zoeken via de vrijwilligerscentrale.",
    "Formulierenhulp voor de toeslagen; volgende keer het budgetplan.",
    "Doel: elke week één activiteit buiten de deur.",
]
_CANCEL_REASONS = [
    "Klant belde af: ziek.",
    "Klantmanager ziek; nieuwe afspraak volgt.",
    "Dubbele afspraak met de schuldhulpverlening; verzet.",
    "Klant is verhuisd naar een ander stadsdeel.",
]
_OVERRIDE_REASONS = [
    "Klant komt alleen naar een vertrouwde plek in de buurt; collega zit in het pand en is "
    "ingelicht.",
    "Het stadsloket roept bij deze klant veel spanning op; afgesproken met de teamleider, "
    "mobiel alarm mee.",
    "Eerdere gesprekken hier verliepen rustig; deur blijft open, collega aan de balie weet ervan.",
]


@dataclass
class _Calendar:
    """Who and what is busy, kept in memory so most slots are right the first time."""

    busy: dict[tuple[str, int], list[tuple[datetime, datetime]]]

    def free(self, keys: list[tuple[str, int]], start: datetime, end: datetime) -> bool:
        return not any(s < end and start < e for key in keys for s, e in self.busy[key])

    def take(self, keys: list[tuple[str, int]], start: datetime, end: datetime) -> None:
        for key in keys:
            self.busy[key].append((start, end))


def _pick[T](rng: random.Random, weighted: list[tuple[T, int]]) -> T:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _demo_klantmanagers() -> list[User]:
    names = [f"klantmanager{n}" for n in range(1, 26)]
    by_name = {user.username: user for user in User.objects.filter(username__in=names)}
    managers = [by_name[name] for name in names if name in by_name]
    for manager in managers:
        manager.has_perm("activering.plan_meetings")  # fills the permission cache once
    return managers


def _grid_starts(
    rng: random.Random, opens: datetime, closes: datetime, minutes: int
) -> list[datetime]:
    """Quarter-hour starts between 09:00 and 16:30 local inside [opens, closes), shuffled."""
    starts = []
    moment = opens
    while moment + timedelta(minutes=minutes) <= closes:
        local = moment.astimezone(AMSTERDAM_TZ)
        if local.minute % 15 == 0 and time(9) <= local.time() <= time(16, 30):
            starts.append(moment)
        moment += timedelta(minutes=15)
    rng.shuffle(starts)
    return starts


class _Generator:
    def __init__(self, *, today: date, now: datetime) -> None:
        self.rng = random.Random(_SEED)  # noqa: S311 (demo data, not security)
        self.now = now
        self.first_monday = today - timedelta(days=today.weekday(), weeks=PAST_WEEKS)
        self.end = self.first_monday + timedelta(weeks=PAST_WEEKS + FUTURE_WEEKS)
        self.managers = _demo_klantmanagers()
        self.clients: dict[int, list[Client]] = defaultdict(list)
        for client in Client.objects.filter(case_manager__in=self.managers, is_active=True):
            self.clients[client.case_manager_id].append(client)
        self.types = {t.slug: t for t in MeetingType.objects.active()}
        self.locations = list(
            Location.objects.active().select_related("district").prefetch_related("rooms")
        )
        rooms = [room for location in self.locations for room in location.rooms.all()]
        self.rooms: dict[int, list[Room]] = defaultdict(list)
        for room in rooms:
            if room.is_active:
                self.rooms[room.location_id].append(room)
        self.open = open_intervals(rooms=rooms, start=self.first_monday, end=self.end)
        self.calendar = _Calendar(busy=defaultdict(list))
        self._assessments: dict[tuple[int, str, str], Assessment] = {}

    def assessment(self, location: Location, meeting_type: MeetingType, risk: str) -> Assessment:
        key = (location.pk, meeting_type.slug, risk)
        if key not in self._assessments:
            self._assessments[key] = assess_location(
                location=location, meeting_type=meeting_type, risk=risk
            )
        return self._assessments[key]

    def choose_place(
        self, client: Client, meeting_type: MeetingType
    ) -> tuple[Location, Assessment, str] | None:
        """A location that passes the hard rules: a suitable one, near the client when possible;
        now and then one below the advice, with a written reason (an override)."""
        suitable, below_advice = [], []
        for location in self.locations:
            found = self.assessment(location, meeting_type, client.risk)
            if found.is_suitable:
                suitable.append((location, found))
            elif found.is_bookable_with_override:
                below_advice.append((location, found))
        if below_advice and (not suitable or self.rng.random() < 0.03):
            location, found = self.rng.choice(below_advice)
            return location, found, self.rng.choice(_OVERRIDE_REASONS)
        if not suitable:
            return None
        nearby = [
            pair
            for pair in suitable
            if pair[0].district is not None and client.pc4 in pair[0].district.pc4_codes
        ]
        location, found = self.rng.choice(
            nearby if nearby and self.rng.random() < 0.8 else suitable
        )
        return location, found, ""

    def choose_type(self, client: Client) -> MeetingType:
        weights = [
            (slug, weight)
            for slug, weight in _TYPE_WEIGHTS.items()
            if slug in self.types
            and not (client.risk == Risk.ROOD and slug == choices.KEUKENTAFELGESPREK)
        ]
        return self.types[_pick(self.rng, weights)]

    def slot(
        self,
        *,
        day: date,
        location: Location,
        meeting_type: MeetingType,
        keys: list[tuple[str, int]],
    ) -> tuple[Room | None, datetime] | None:
        minutes = meeting_type.duration_minutes
        if location.is_virtual or not meeting_type.needs_room:
            if is_public_holiday(day):
                return None
            opens = datetime.combine(day, time(9), tzinfo=AMSTERDAM_TZ)
            closes = datetime.combine(day, time(17), tzinfo=AMSTERDAM_TZ)
            for start in _grid_starts(self.rng, opens, closes, minutes):
                if self.calendar.free(keys, start, start + timedelta(minutes=minutes)):
                    return None, start
            return None
        rooms = [
            room for room in self.rooms[location.pk] if room.capacity >= meeting_type.min_capacity
        ]
        self.rng.shuffle(rooms)
        for room in rooms:
            for opens, closes in self.open.get(room.pk, []):
                if opens.astimezone(AMSTERDAM_TZ).date() != day:
                    continue
                for start in _grid_starts(self.rng, opens, closes, minutes):
                    end = start + timedelta(minutes=minutes)
                    if self.calendar.free([*keys, ("room", room.pk)], start, end):
                        return room, start
        return None

    def book_one(self, manager: User, monday: date) -> bool:
        clients = self.clients.get(manager.pk)
        if not clients:
            return False
        client = self.rng.choice(clients)
        meeting_type = self.choose_type(client)
        place = self.choose_place(client, meeting_type)
        if place is None:
            return False
        location, found, override_reason = place
        co_host = None
        if found.duo_required or self.rng.random() < 0.06:
            co_host = self.rng.choice([m for m in self.managers if m.pk != manager.pk])
        day = monday + timedelta(days=self.rng.randrange(5))
        keys = [("staff", manager.pk), ("client", client.pk)]
        if co_host is not None:
            keys.append(("staff", co_host.pk))
        slot = self.slot(day=day, location=location, meeting_type=meeting_type, keys=keys)
        if slot is None:
            return False
        room, starts_at = slot
        try:
            meeting = schedule_meeting(
                client=client,
                meeting_type=meeting_type,
                location=location,
                room=room,
                starts_at=starts_at,
                host=manager,
                co_host=co_host,
                override_reason=override_reason,
                by=manager,
                allow_past=True,
            )
        except BookingError:
            return False
        ends_at = starts_at + timedelta(minutes=meeting_type.duration_minutes)
        self.calendar.take([*keys, *([("room", room.pk)] if room else [])], starts_at, ends_at)
        self.settle(meeting, client, manager)
        return True

    def settle(self, meeting: Meeting, client: Client, manager: User) -> None:
        """Past meetings get an outcome (or were cancelled); a few future ones are cancelled."""
        if meeting.starts_at > self.now:
            if self.rng.random() < 0.05:
                cancel_meeting(meeting=meeting, reason=self.rng.choice(_CANCEL_REASONS), by=manager)
            return
        outcome = _pick(self.rng, _OUTCOMES)
        if outcome == MeetingStatus.CANCELLED:
            cancel_meeting(meeting=meeting, reason=self.rng.choice(_CANCEL_REASONS), by=manager)
        elif outcome == MeetingStatus.HELD:
            step = min(6, client.ladder_step + (1 if self.rng.random() < 0.15 else 0))
            record_outcome(
                meeting=meeting,
                status=MeetingStatus.HELD,
                by=manager,
                ladder_step=step,
                next_step=self.rng.choice(_NEXT_STEPS),
            )
            client.ladder_step = step
        else:
            record_outcome(meeting=meeting, status=outcome, by=manager)

    def run(self) -> int:
        booked = 0
        for week in range(PAST_WEEKS + FUTURE_WEEKS):
            monday = self.first_monday + timedelta(weeks=week)
            for manager in self.managers:
                wanted = self.rng.randint(*MEETINGS_PER_WEEK)
                done = 0
                for _attempt in range(_ATTEMPTS):
                    if done == wanted:
                        break
                    done += self.book_one(manager, monday)
                booked += done
        return booked


def create_meetings() -> int:
    """Book the demo conversations; returns how many were booked (0 when there were some)."""
    if Meeting.objects.exists():
        return 0
    generator = _Generator(today=timezone.localdate(), now=timezone.now())
    if not generator.managers:
        return 0
    return generator.run()

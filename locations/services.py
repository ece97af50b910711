"""Writes for partner locations. Every writer validates with `full_clean()` (which derives the
postcode, PC4 and gebied in `Location.derive_from_postcode`, the one place) and saves in one
transaction, so the admin, the CSV import and the demo data store the same thing.

These services are not `durable`: the admin and the CSV import call them inside their own
transaction (all-or-nothing imports, admin change forms with inlines).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from locations.models import Closure, District, Location, Offering, OpeningHours, Room


@transaction.atomic
def save_location(*, location: Location, offerings: Iterable[Offering] | None = None) -> Location:
    """Validate (normalising the postcode and deriving `pc4` and `district`) and save.

    Raises ValidationError with Dutch messages per field. `offerings`, when given, replaces the
    location's offerings.
    """
    location.full_clean()
    location.save()
    if offerings is not None:
        location.offerings.set(offerings)
    return location


@transaction.atomic
def save_district(*, district: District) -> District:
    """Validate and save a gebied, then re-derive the gebied of every location whose PC4 moved
    into or out of it, so `Location.district` always follows `District.pc4_codes`."""
    district.full_clean()
    district.save()
    Location.objects.physical().filter(pc4__in=district.pc4_codes).exclude(
        district=district
    ).update(district=district)
    for location in Location.objects.filter(district=district).exclude(pc4__in=district.pc4_codes):
        location.district = District.objects.for_pc4(location.pc4)
        location.save(update_fields=["district"])
    return district


def validate_location_rooms(*, location: Location, rooms: Iterable[Room] | None = None) -> None:
    """An active location other than a home visit or phone/video needs an active room.

    This rule spans a location and its rooms, so it cannot live in `Location.clean()` (the
    rooms are not saved yet when an admin form with a rooms inline is validated). The admin
    calls it from the rooms inline formset's `clean()` with the rooms as they will be saved
    (`rooms`: the forms' instances, deleted ones left out); other writers call it after saving
    the rooms (`rooms=None` reads them from the database).
    """
    if not location.is_active or location.is_virtual:
        return
    current = list(location.rooms.all()) if rooms is None else list(rooms)
    if not any(room.is_active for room in current):
        raise ValidationError(gettext("An active location needs at least one active room."))


def validate_opening_hours(*, rows: Iterable[OpeningHours]) -> None:
    """Rows saved together (an admin inline) must not overlap each other.

    The exclusion constraint `opening_hours_no_overlap` guarantees it in the database and
    `full_clean()` checks each row against the saved rows; this checks the new rows among
    themselves before they reach the database, so the user sees a message instead of an error.
    """
    per_key: dict[tuple[int | None, int | None, int], list[tuple[time, time]]] = defaultdict(list)
    for row in rows:
        if row.opens is None or row.closes is None or row.weekday is None:
            continue
        per_key[(row.location_id, row.room_id, row.weekday)].append((row.opens, row.closes))
    for ranges in per_key.values():
        ranges.sort()
        for (_opens, closes), (next_opens, _next_closes) in zip(ranges, ranges[1:], strict=False):
            if next_opens < closes:
                raise ValidationError(gettext("Opening hours may not overlap."))


@transaction.atomic
def add_room(*, location: Location, name: str, capacity: int, is_active: bool = True) -> Room:
    room = Room(location=location, name=name, capacity=capacity, is_active=is_active)
    room.full_clean()
    room.save()
    return room


@transaction.atomic
def add_opening_hours(
    *, location: Location, weekday: int, opens: time, closes: time, room: Room | None = None
) -> OpeningHours:
    row = OpeningHours(location=location, room=room, weekday=weekday, opens=opens, closes=closes)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def add_closure(
    *,
    location: Location,
    starts_on: date,
    ends_on: date,
    reason: str,
    room: Room | None = None,
) -> Closure:
    closure = Closure(
        location=location, room=room, starts_on=starts_on, ends_on=ends_on, reason=reason
    )
    closure.full_clean()
    closure.save()
    return closure

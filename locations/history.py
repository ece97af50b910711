"""Who changed what on a location, its rooms, opening hours and closures, and when.

The events are written by database triggers (django-pghistory, `@_tracked()` in
`locations.models`) into append-only event tables, with the signed-in user from the request
context (`pghistory.middleware.HistoryMiddleware`). This module only reads them and turns them
into lines a beheerder can read: "Spreekkamer 2 · changed · capacity: 4 → 6".

`location_history()` costs a constant number of queries (one per event table, one for the
users, one each for gebieden and wijken), however long the history is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats
from django.utils.translation import gettext, pgettext

from activering.models import User
from locations.models import Closure, District, Location, Neighbourhood, OpeningHours, Room

#: At most this many events per table are shown (newest first); older ones stay stored.
HISTORY_LIMIT = 300

INSERT, UPDATE, DELETE = "insert", "update", "delete"

#: Fields not shown as a change: the key, and the parent location of a room/hours/closure.
_HIDDEN_FIELDS = {"id", "location"}


@dataclass(frozen=True)
class FieldChange:
    """One field of one event: its label and the value before and after ("" when empty)."""

    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One event: when, by whom (None: not through a page, e.g. the demo data), on what."""

    at: datetime
    user: User | None
    #: What it is about, e.g. "Locatie", "Ruimte Spreekkamer 2", "Openingstijden maandag".
    subject: str
    #: insert / update / delete
    operation: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return {
            INSERT: pgettext("history", "added"),
            UPDATE: pgettext("history", "changed"),
            DELETE: pgettext("history", "deleted"),
        }[self.operation]


def _event_model(model: type[models.Model]) -> type[models.Model]:
    return apps.get_model(model._meta.app_label, f"{model.__name__}Event")


def _shown_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        each
        for each in model._meta.concrete_fields
        if each.name not in _HIDDEN_FIELDS and isinstance(each, models.Field)
    ]


class _Formatter:
    """Display values of a snapshot, with the names of gebieden, wijken and rooms looked up."""

    def __init__(
        self,
        *,
        districts: Mapping[int, str],
        neighbourhoods: Mapping[int, str],
        rooms: Mapping[int, str],
    ) -> None:
        self.names: dict[str, Mapping[int, str]] = {
            "district": districts,
            "neighbourhood": neighbourhoods,
            "room": rooms,
        }

    def value(self, each: models.Field, raw: Any) -> str:
        if raw is None or raw == "":
            return ""
        if each.is_relation:
            names = self.names.get(each.name, {})
            return names.get(raw) or gettext("#%(id)s (deleted)") % {"id": raw}
        if each.choices:
            return str(dict(each.flatchoices).get(raw, raw))
        if isinstance(raw, bool):
            return gettext("yes") if raw else gettext("no")
        if isinstance(raw, time):
            return f"{raw:%H:%M}"
        if isinstance(raw, date):
            return formats.date_format(raw, "SHORT_DATE_FORMAT")
        if isinstance(raw, Decimal):
            return formats.number_format(raw)
        return str(raw)


def _snapshot(event: models.Model, fields: Iterable[models.Field]) -> dict[str, Any]:
    return {each.name: getattr(event, each.attname) for each in fields}


def _subject(model: type[models.Model], event: models.Model, formatter: _Formatter) -> str:
    if model is Location:
        return str(Location._meta.verbose_name).capitalize()
    if model is Room:
        return gettext("Room “%(name)s”") % {"name": event.name}  # type: ignore[attr-defined]
    room_id = getattr(event, "room_id", None)
    room = formatter.names["room"].get(room_id, "") if room_id else ""
    if model is OpeningHours:
        day = OpeningHours._meta.get_field("weekday")
        subject = gettext("Opening hours %(day)s") % {
            "day": formatter.value(day, event.weekday)  # type: ignore[attr-defined]
        }
    else:
        subject = gettext("Closure from %(date)s") % {
            "date": formats.date_format(event.starts_on, "SHORT_DATE_FORMAT")  # type: ignore[attr-defined]
        }
    return f"{subject} ({room})" if room else subject


def _changes(
    *,
    fields: list[models.Field],
    operation: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    formatter: _Formatter,
) -> list[FieldChange]:
    if operation == DELETE:
        return []
    changes = []
    for each in fields:
        new = after[each.name]
        if before is not None and before[each.name] == new:
            continue
        if before is None and operation == INSERT and new in (None, "", False):
            continue  # a new record: only what was filled in
        old = formatter.value(each, before[each.name]) if before is not None else ""
        changes.append(FieldChange(str(each.verbose_name), old, formatter.value(each, new)))
    return changes


def location_history(*, location: Location) -> list[HistoryEntry]:
    """Every recorded change to `location`, its rooms, opening hours and closures, newest first.

    An update shows each field that changed with its old and new value; an insert the values
    it was created with; a delete only what was deleted.
    """
    tracked: list[tuple[type[models.Model], list[models.Model]]] = []
    tracked_models: tuple[type[models.Model], ...] = (Location, Room, OpeningHours, Closure)
    for model in tracked_models:
        event_model = _event_model(model)
        where = {"pgh_obj_id": location.pk} if model is Location else {"location_id": location.pk}
        events = list(
            event_model._default_manager.filter(**where)
            .select_related("pgh_context")
            .order_by("-pgh_id")[:HISTORY_LIMIT]
        )
        events.reverse()  # oldest first, to compare each event with the one before
        tracked.append((model, events))

    user_ids: set[int] = set()
    district_ids: set[int] = set()
    neighbourhood_ids: set[int] = set()
    room_names: dict[int, str] = {}
    for model, events in tracked:
        for event in events:
            context = event.pgh_context  # type: ignore[attr-defined]
            if context is not None and context.metadata.get("user"):
                user_ids.add(int(context.metadata["user"]))
            if model is Location:
                district_ids.add(event.district_id)  # type: ignore[attr-defined]
                neighbourhood_ids.add(event.neighbourhood_id)  # type: ignore[attr-defined]
            if model is Room:
                room_names[event.pgh_obj_id] = event.name  # type: ignore[attr-defined]
    users = User.objects.in_bulk(user_ids) if user_ids else {}
    formatter = _Formatter(
        districts=dict(
            District.objects.filter(pk__in=district_ids - {None}).values_list("pk", "name")
        ),
        neighbourhoods=dict(
            Neighbourhood.objects.filter(pk__in=neighbourhood_ids - {None}).values_list(
                "pk", "name"
            )
        ),
        rooms=room_names,
    )

    entries: list[tuple[datetime, int, int, HistoryEntry]] = []
    for index, (tracked_model, events) in enumerate(tracked):
        fields = _shown_fields(tracked_model)
        previous: dict[int, dict[str, Any]] = defaultdict(dict)
        for event in events:
            after = _snapshot(event, fields)
            obj_id: int = event.pgh_obj_id  # type: ignore[attr-defined]
            operation: str = event.pgh_label  # type: ignore[attr-defined]
            before = previous.get(obj_id) or None
            previous[obj_id] = after
            context = event.pgh_context  # type: ignore[attr-defined]
            user_id = context.metadata.get("user") if context is not None else None
            at: datetime = event.pgh_created_at  # type: ignore[attr-defined]
            entries.append(
                (
                    at,
                    index,
                    event.pk,
                    HistoryEntry(
                        at=at,
                        user=users.get(int(user_id)) if user_id else None,
                        subject=_subject(tracked_model, event, formatter),
                        operation=operation,
                        changes=_changes(
                            fields=fields,
                            operation=operation,
                            before=before,
                            after=after,
                            formatter=formatter,
                        ),
                    ),
                )
            )
    entries.sort(key=lambda item: item[:3], reverse=True)
    return [item[3] for item in entries]

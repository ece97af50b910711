"""CSV export and import of locations with their rooms, for beheerders who keep partner lists
in a spreadsheet.

The format (docs/adr and the import page describe it to users):

- UTF-8 with a byte order mark, semicolon-separated, decimal comma: what Dutch Excel opens
  and saves ("CSV UTF-8"). The import also accepts a comma as separator (detected from the
  header) and a decimal point, and a file without the byte order mark.
- ONE ROW PER ROOM, the location's columns repeated on each of its rooms' rows; a location
  without rooms (home visit, phone/video, or not yet furnished) has one row with the room columns
  empty. That is what round-trips: every value sits in its own cell, and a spreadsheet can sort
  and filter it.
- Fixed Dutch column headers (`COLUMNS`), the same in every language of the interface.
- A location is found by its name, a room by its name within the location: a row with a known
  name updates, an unknown name creates. Rooms and locations missing from the file are left
  as they are (the import never deletes).
- Kinds and thresholds as their code (`huis_van_de_wijk`, `low`); the Dutch or English label
  is accepted too. Yes/no as `ja`/`nee`; an empty yes/no cell means the field's default.
  Offerings by name, separated by `|`.

The import is two steps: `plan_import()` validates every row exactly as the admin does
(`full_clean()`, which derives PC4 and gebied through `Location.derive_from_postcode`, and
`services.validate_location_rooms`) and reports per row what would happen and what is wrong;
`import_locations()` plans again from the same text and writes everything or nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext, ngettext

from activering.models import AuditAction, User
from activering.services import record_audit
from locations import services
from locations.choices import LocationKind, Threshold
from locations.models import Location, Neighbourhood, Offering, Room

#: Largest file accepted (bytes); a partner list of a stadsdeel is a few kilobytes.
MAX_BYTES = 1_000_000
#: Most data rows accepted in one file.
MAX_ROWS = 5_000
DELIMITER = ";"
OFFERING_SEPARATOR = "|"
TRUE_WORDS = frozenset({"ja", "j", "yes", "y", "true", "waar", "1", "x"})
FALSE_WORDS = frozenset({"nee", "n", "no", "false", "onwaar", "0"})


@dataclass(frozen=True)
class Column:
    """A column of the file: its header and the model field it holds."""

    header: str
    field: str
    kind: str = "text"  # text, bool, decimal, int, kind, threshold, offerings, neighbourhood


LOCATION_COLUMNS: tuple[Column, ...] = (
    Column("naam", "name"),
    Column("soort", "kind", "kind"),
    Column("partnerorganisatie", "partner_organisation"),
    Column("adres", "street_address"),
    Column("postcode", "postcode"),
    Column("breedtegraad", "latitude", "decimal"),
    Column("lengtegraad", "longitude", "decimal"),
    Column("wijk", "neighbourhood", "neighbourhood"),
    Column("drempel", "threshold", "threshold"),
    Column("prive_ruimte", "has_private_room", "bool"),
    Column("alarmknop", "has_fixed_alarm", "bool"),
    Column("mobiel_alarm", "has_mobile_alarm", "bool"),
    Column("vluchtweg", "has_escape_route", "bool"),
    Column("collega_binnen_bereik", "has_colleague_nearby", "bool"),
    Column("zichtlijn_collegas", "has_line_of_sight", "bool"),
    Column("receptie_of_beveiliging", "has_reception_desk", "bool"),
    Column("cameratoezicht", "has_camera_supervision", "bool"),
    Column("drempelvrij", "is_step_free", "bool"),
    Column("open_op_feestdagen", "open_on_public_holidays", "bool"),
    Column("aanbod", "offerings", "offerings"),
    Column("contactpersoon", "contact_name"),
    Column("contact_telefoon", "contact_phone"),
    Column("notities", "notes"),
    Column("actief", "is_active", "bool"),
)
ROOM_COLUMNS: tuple[Column, ...] = (
    Column("ruimte", "name"),
    Column("ruimte_capaciteit", "capacity", "int"),
    Column("ruimte_actief", "is_active", "bool"),
)
COLUMNS: tuple[Column, ...] = LOCATION_COLUMNS + ROOM_COLUMNS
HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)
_LOCATION_HEADER = {column.field: column.header for column in LOCATION_COLUMNS}
_ROOM_HEADER = {column.field: column.header for column in ROOM_COLUMNS}


class CsvFileError(Exception):
    """The upload is not a CSV file this import can read; the message says why, in Dutch."""


class CsvImportError(Exception):
    """The file has errors (or has them now, on confirming); nothing was imported."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(gettext("The file has errors; nothing was imported."))
        self.plan = plan


# Export ----------------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def _decimal(value: Decimal | None) -> str:
    return "" if value is None else str(value).replace(".", ",")


def _location_cells(location: Location) -> list[str]:
    cells: list[str] = []
    for column in LOCATION_COLUMNS:
        value = getattr(location, column.field) if column.kind != "offerings" else None
        if column.kind == "bool":
            cells.append(_yes_no(bool(value)))
        elif column.kind == "decimal":
            cells.append(_decimal(value))
        elif column.kind == "offerings":
            names = sorted(offering.name for offering in location.offerings.all())
            cells.append(OFFERING_SEPARATOR.join(names))
        elif column.kind == "neighbourhood":
            cells.append(value.name if value is not None else "")
        else:
            cells.append(str(value))
    return cells


def export_rows(*, locations: Iterable[Location]) -> list[list[str]]:
    """The header and one row per room (the location's cells repeated); prefetch `rooms`,
    `offerings` and select `neighbourhood` (see `locations_for_export`)."""
    rows: list[list[str]] = [list(HEADERS)]
    for location in locations:
        cells = _location_cells(location)
        rooms = sorted(location.rooms.all(), key=lambda room: room.name)
        if not rooms:
            rows.append([*cells, "", "", ""])
        for room in rooms:
            rows.append([*cells, room.name, str(room.capacity), _yes_no(room.is_active)])
    return rows


def locations_for_export(queryset: QuerySet[Location] | None = None) -> QuerySet[Location]:
    """The locations to export with what the rows need: three queries for any number."""
    queryset = Location.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("neighbourhood")
        .prefetch_related("rooms", "offerings")
        .order_by("name")
    )


def render_csv(rows: Sequence[Sequence[str]]) -> str:
    """The text of the file, with the byte order mark Dutch Excel needs to read UTF-8."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def export_locations(*, user: User, locations: QuerySet[Location] | None = None) -> str:
    """The CSV text of `locations` (all when None), written to the audit log."""
    selected = list(locations_for_export(locations))
    text = render_csv(export_rows(locations=selected))
    record_audit(
        user=user,
        action=AuditAction.EXPORT_CSV,
        object_type=Location._meta.label_lower,
        object_id="",
        detail=gettext("Exported %(count)d locations: %(ids)s")
        % {"count": len(selected), "ids": ", ".join(str(each.pk) for each in selected)},
    )
    return text


# Reading an upload -----------------------------------------------------------------------------


def read_upload(*, data: bytes) -> str:
    """The text of an uploaded file, or CsvFileError with a message a beheerder can act on."""
    if len(data) > MAX_BYTES:
        raise CsvFileError(
            gettext("The file is too large: at most %(size)d kB.") % {"size": MAX_BYTES // 1000}
        )
    if not data.strip():
        raise CsvFileError(gettext("The file is empty."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise CsvFileError(
            gettext(
                "This is not a CSV text file (it may be an Excel workbook or UTF-16 text). "
                "In Excel, save it as 'CSV UTF-8 (comma delimited)'."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFileError(
            gettext(
                "The file is not saved as UTF-8. In Excel, save it as 'CSV UTF-8 (comma "
                "delimited)'."
            )
        ) from None


def _parse(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the data rows (with their spreadsheet row numbers, the header being
    row 1); CsvFileError for a file that is not a table with our columns."""
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = DELIMITER if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        missing = [name for name in HEADERS if name not in header]
        unknown = [name for name in header if name and name not in HEADERS]
        if missing or unknown:
            problems = []
            if missing:
                problems.append(gettext("missing columns: %s") % ", ".join(missing))
            if unknown:
                problems.append(gettext("unknown columns: %s") % ", ".join(unknown))
            raise CsvFileError(
                gettext(
                    "The first row must name the columns (%(problems)s). Start from an export "
                    "to get them right."
                )
                % {"problems": "; ".join(problems)}
            )
        rows: list[tuple[int, dict[str, str]]] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvFileError(
                    gettext("The file has too many rows: at most %(count)d.") % {"count": MAX_ROWS}
                )
            padded = [*cells, *[""] * (len(header) - len(cells))]
            rows.append(
                (reader.line_num, {name: padded[i].strip() for i, name in enumerate(header)})
            )
    except csv.Error as error:
        raise CsvFileError(
            gettext("Row %(row)d cannot be read as CSV: %(error)s")
            % {"row": reader.line_num, "error": error}
        ) from None
    if not rows:
        raise CsvFileError(gettext("The file has no rows below the column names."))
    return header, rows


# Planning --------------------------------------------------------------------------------------

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class RowPlan:
    """One data row of the file: what importing it would do, and what is wrong with it."""

    number: int
    location_name: str
    room_name: str
    location_action: str = ""
    room_action: str = ""
    errors: list[str] = field(default_factory=list)

    def add_error(self, column: str | None, message: str) -> None:
        if column:
            self.errors.append(
                gettext("Row %(row)d, column %(column)s: %(message)s")
                % {"row": self.number, "column": column, "message": message}
            )
        else:
            self.errors.append(
                gettext("Row %(row)d: %(message)s") % {"row": self.number, "message": message}
            )

    @property
    def action_labels(self) -> list[str]:
        labels = {
            CREATE: gettext("new"),
            UPDATE: gettext("changed"),
            UNCHANGED: gettext("unchanged"),
        }
        return [labels[action] for action in (self.location_action, self.room_action) if action]


@dataclass
class _LocationPlan:
    location: Location
    offerings: list[Offering]
    rooms: list[Room]
    rows: list[RowPlan]


@dataclass
class ImportPlan:
    """The outcome of validating a file: per row its action and errors."""

    rows: list[RowPlan]
    locations: list[_LocationPlan] = field(default_factory=list, repr=False)

    @property
    def errors(self) -> list[str]:
        return [error for row in self.rows for error in row.errors]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def count(self, action: str, *, rooms: bool = False) -> int:
        if rooms:
            return sum(1 for row in self.rows if row.room_action == action)
        return sum(1 for plan in self.locations if plan.rows[0].location_action == action)


def _choice(value: str, choices: type[LocationKind] | type[Threshold]) -> str | None:
    wanted = value.strip().lower()
    for choice in choices:
        names = {choice.value.lower()}
        for language in ("nl", "en"):
            with translation.override(language):
                names.add(str(choice.label).lower())
        if wanted in names:
            return str(choice.value)
    return None


def _convert(column: Column, raw: str, default: Any, row: RowPlan) -> Any:
    """The typed value of one cell; records an error on `row` and returns None when invalid."""
    if column.kind == "bool":
        word = raw.lower()
        if not word:
            return default
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        row.add_error(column.header, gettext("Enter ja or nee."))
    elif column.kind == "decimal":
        if not raw:
            return None
        try:
            return Decimal(raw.replace(",", "."))
        except InvalidOperation:
            row.add_error(column.header, gettext("Enter a number such as 52,3567."))
    elif column.kind == "int":
        if raw.isdigit():
            return int(raw)
        row.add_error(column.header, gettext("Enter a whole number such as 4."))
    elif column.kind in ("kind", "threshold"):
        choices = LocationKind if column.kind == "kind" else Threshold
        if not raw and default:
            return default
        if not raw:
            row.add_error(column.header, gettext("Fill in this column."))
            return None
        value = _choice(raw, choices)
        if value is None:
            row.add_error(
                column.header,
                gettext("Unknown value %(value)s; use one of %(codes)s.")
                % {"value": raw, "codes": ", ".join(choices.values)},
            )
        return value
    else:
        return raw
    return None


def _location_values(
    values: dict[str, str], row: RowPlan, offerings: dict[str, Offering]
) -> tuple[dict[str, Any], list[Offering], str]:
    typed: dict[str, Any] = {}
    chosen: list[Offering] = []
    neighbourhood = ""
    for column in LOCATION_COLUMNS:
        raw = values.get(column.header, "")
        if column.kind == "offerings":
            for name in filter(None, (part.strip() for part in raw.split(OFFERING_SEPARATOR))):
                if name in offerings:
                    chosen.append(offerings[name])
                else:
                    row.add_error(
                        column.header, gettext("Unknown offering %(name)s.") % {"name": name}
                    )
        elif column.kind == "neighbourhood":
            neighbourhood = raw
        else:
            model_field = Location._meta.get_field(column.field)
            assert isinstance(model_field, models.Field)  # noqa: S101  (a concrete field)
            default = model_field.get_default()
            typed[column.field] = _convert(column, raw, default, row)
    return typed, chosen, neighbourhood


def _add_validation_errors(
    row: RowPlan, error: ValidationError, headers: dict[str, str], *, prefix: str = ""
) -> None:
    for name, messages in error.message_dict.items():
        column = headers.get(name) if name != NON_FIELD_ERRORS else None
        for message in messages:
            row.add_error(column, f"{prefix}{message}")


def plan_import(*, text: str) -> ImportPlan:
    """Validate every row of `text` against the database without writing anything.

    Raises CsvFileError when the file as a whole cannot be read (see `read_upload`, `_parse`).
    Location errors are reported on the location's first row; a location's cells must be the
    same on each of its rows.
    """
    _header, parsed = _parse(text)
    offerings = {offering.name: offering for offering in Offering.objects.all()}
    neighbourhoods: dict[tuple[int | None, str], Neighbourhood] = {
        (each.district_id, each.name.lower()): each for each in Neighbourhood.objects.all()
    }
    names = {values.get("naam", "") for _number, values in parsed}
    existing = {
        location.name: location
        for location in Location.objects.filter(name__in=names).prefetch_related(
            "rooms", "offerings"
        )
    }

    rows: list[RowPlan] = []
    groups: dict[str, list[tuple[RowPlan, dict[str, str]]]] = {}
    for number, values in parsed:
        row = RowPlan(number=number, location_name=values["naam"], room_name=values["ruimte"])
        rows.append(row)
        if not row.location_name:
            row.add_error("naam", gettext("Enter the name of the location."))
            continue
        groups.setdefault(row.location_name, []).append((row, values))

    plans: list[_LocationPlan] = []
    for name, members in groups.items():
        plans.append(_plan_location(name, members, existing, offerings, neighbourhoods))
    return ImportPlan(rows=rows, locations=plans)


def _plan_location(
    name: str,
    members: list[tuple[RowPlan, dict[str, str]]],
    existing: dict[str, Location],
    offerings: dict[str, Offering],
    neighbourhoods: dict[tuple[int | None, str], Neighbourhood],
) -> _LocationPlan:
    first, first_values = members[0]
    location_headers = [column.header for column in LOCATION_COLUMNS]
    for row, values in members[1:]:
        for header in location_headers:
            if values.get(header, "") != first_values.get(header, ""):
                row.add_error(
                    header,
                    gettext("differs from row %(row)d of the same location.")
                    % {"row": first.number},
                )

    typed, chosen, neighbourhood_name = _location_values(first_values, first, offerings)
    location = existing.get(name)
    before: dict[str, Any] = {}
    if location is None:
        location = Location()
        action = CREATE
    else:
        action = UPDATE
        before = {field: getattr(location, field) for field in typed}
        before["neighbourhood_id"] = location.neighbourhood_id
        before["offerings"] = {offering.pk for offering in location.offerings.all()}
    for field_name, value in typed.items():
        setattr(location, field_name, value)
    location.neighbourhood = None

    if not first.errors:
        try:
            location.full_clean()
        except ValidationError as error:
            _add_validation_errors(first, error, _LOCATION_HEADER)
        if neighbourhood_name:
            found = neighbourhoods.get((location.district_id, neighbourhood_name.lower()))
            if found is None:
                first.add_error(
                    "wijk",
                    gettext("There is no wijk %(name)s in the location's gebied.")
                    % {"name": neighbourhood_name},
                )
            location.neighbourhood = found
    if action == UPDATE:
        after = {field: getattr(location, field) for field in typed}
        after["neighbourhood_id"] = location.neighbourhood_id
        after["offerings"] = {offering.pk for offering in chosen}
        if after == before:
            action = UNCHANGED
    for row, _values in members:
        row.location_action = action

    rooms = _plan_rooms(location, members)
    if not any(row.errors for row, _values in members):
        try:
            services.validate_location_rooms(location=location, rooms=rooms)
        except ValidationError as error:
            for message in error.messages:
                first.add_error("ruimte", message)
    return _LocationPlan(
        location=location, offerings=chosen, rooms=rooms, rows=[row for row, _ in members]
    )


def _plan_rooms(location: Location, members: list[tuple[RowPlan, dict[str, str]]]) -> list[Room]:
    """The location's rooms as they would be after the import: the rows' rooms (new or
    updated) and the existing rooms the file does not mention."""
    current = {room.name: room for room in location.rooms.all()} if location.pk else {}
    seen: dict[str, int] = {}
    planned: list[Room] = []
    for row, values in members:
        if not row.room_name:
            if values["ruimte_capaciteit"] or values["ruimte_actief"]:
                row.add_error("ruimte", gettext("Enter the name of the room."))
            continue
        if row.room_name in seen:
            row.add_error(
                "ruimte",
                gettext("Room “%(name)s” is already in row %(row)d.")
                % {"name": row.room_name, "row": seen[row.room_name]},
            )
            continue
        seen[row.room_name] = row.number
        if location.is_virtual:
            row.add_error("ruimte", gettext("A home visit or phone/video location has no rooms."))
            continue
        capacity = _convert(ROOM_COLUMNS[1], values["ruimte_capaciteit"], None, row)
        is_active = _convert(ROOM_COLUMNS[2], values["ruimte_actief"], True, row)
        room = current.get(row.room_name)
        if room is None:
            room = Room(location=location, name=row.room_name)
            row.room_action = CREATE
        else:
            unchanged = (room.capacity, room.is_active) == (capacity, is_active)
            row.room_action = UNCHANGED if unchanged else UPDATE
        if capacity is not None:
            room.capacity = capacity
        if is_active is not None:
            room.is_active = is_active
        try:
            room.full_clean(exclude=["location"] if location.pk is None else None)
        except ValidationError as error:
            _add_validation_errors(row, error, _ROOM_HEADER)
        planned.append(room)
    planned.extend(room for name, room in current.items() if name not in seen)
    return planned


# Importing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    rooms_created: int
    rooms_updated: int


@transaction.atomic
def import_locations(*, text: str, user: User, filename: str = "") -> ImportResult:
    """Validate `text` again (the database may have changed since the preview, and the text
    came back from the browser) and import every location and room, or nothing.

    Raises CsvFileError or CsvImportError (with the new plan) and writes nothing then.
    """
    plan = plan_import(text=text)
    if not plan.is_valid:
        raise CsvImportError(plan)
    for location_plan in plan.locations:
        location = location_plan.location
        if location_plan.rows[0].location_action != UNCHANGED:
            services.save_location(location=location, offerings=location_plan.offerings)
        for room in location_plan.rooms:
            if room.pk is None or room in _changed_rooms(location_plan):
                room.location = location
                room.full_clean()
                room.save()
        services.validate_location_rooms(location=location)
    result = ImportResult(
        created=plan.count(CREATE),
        updated=plan.count(UPDATE),
        rooms_created=plan.count(CREATE, rooms=True),
        rooms_updated=plan.count(UPDATE, rooms=True),
    )
    record_audit(
        user=user,
        action=AuditAction.IMPORT_CSV,
        object_type=Location._meta.label_lower,
        object_id="",
        detail=ngettext(
            "%(name)s: %(count)d row; %(created)d locations new, %(updated)d changed; "
            "%(rooms_created)d rooms new, %(rooms_updated)d changed.",
            "%(name)s: %(count)d rows; %(created)d locations new, %(updated)d changed; "
            "%(rooms_created)d rooms new, %(rooms_updated)d changed.",
            len(plan.rows),
        )
        % {
            "name": filename or "CSV",
            "count": len(plan.rows),
            "created": result.created,
            "updated": result.updated,
            "rooms_created": result.rooms_created,
            "rooms_updated": result.rooms_updated,
        },
    )
    return result


def _changed_rooms(location_plan: _LocationPlan) -> list[Room]:
    by_name = {row.room_name: row for row in location_plan.rows}
    return [
        room
        for room in location_plan.rooms
        if room.name in by_name and by_name[room.name].room_action == UPDATE
    ]

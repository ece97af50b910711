"""The CSV exports of /dekking/ for Dutch Excel: semicolons, a UTF-8 byte order mark, decimal
commas. The rows are built here from the same selector results the page shows."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.translation import gettext

from meetings.coverage import CoverageFilters, CoverageMatrix, Reach, ReachRow


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}".replace(".", ",")


def describe_filters(filters: CoverageFilters) -> str:
    """The filters in one line, for the audit log."""
    parts = [f"{filters.period.first_day.isoformat()}..{filters.period.last_day.isoformat()}"]
    if filters.district is not None:
        parts.append(f"gebied={filters.district.slug}")
    if filters.meeting_type is not None:
        parts.append(f"type={filters.meeting_type.slug}")
    return " ".join(parts)


def matrix_rows(matrix: CoverageMatrix) -> list[list[str]]:
    """Gebied, target, then per type the number of suitable locations ("n.v.t." when coverage
    does not apply) and whether the gebied is short."""
    header = [gettext("Gebied"), gettext("Target")]
    for meeting_type in matrix.types:
        header += [meeting_type.name, f"{meeting_type.name}: {gettext('status')}"]
    rows = [header]
    for row in matrix.rows:
        line = [row.district.name, str(row.district.coverage_target)]
        for cell in row.cells:
            if not cell.applies:
                line += [gettext("n/a"), ""]
            else:
                line += [str(cell.count), gettext("short") if cell.is_short else gettext("met")]
        rows.append(line)
    return rows


def reach_rows(reach: Reach) -> list[list[str]]:
    """Bereik per gebied, per klantmanager and in total."""
    rows = [
        [
            gettext("Grouping"),
            gettext("Name"),
            gettext("Active clients"),
            gettext("Seen in the last 12 months"),
            gettext("Not seen"),
            gettext("Reach (%)"),
        ]
    ]

    def line(kind: str, row: ReachRow) -> list[str]:
        return [
            kind,
            row.label,
            str(row.clients),
            str(row.seen),
            str(row.not_seen),
            _percent(row.share),
        ]

    rows += [line(gettext("Gebied"), row) for row in reach.by_district]
    rows += [line(gettext("Klantmanager"), row) for row in reach.by_case_manager]
    rows.append(line(gettext("Total"), reach.total))
    return rows


def csv_response(*, filename: str, rows: Iterable[list[str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    csv.writer(response, delimiter=";", lineterminator="\r\n").writerows(rows)
    return response

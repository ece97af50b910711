"""Reads for the coverage page `/dekking/` (issue 5): where are we short, where do conversations
happen, whom have we not seen, where do clients not show up, and which safety overrides need a look.

Everything is aggregated in SQL (GROUP BY with conditional counts); Python only folds the few
aggregated rows (gebieden × months, gebieden × klantmanagers) into the page's tables. The number
of queries does not grow with locations, clients or meetings.

Who sees what is decided here, once (`coverage_scope`), not in templates:

- a teamleider (`activering.view_coverage`) sees the clients and conversations of their team and
  reviews safety overrides;
- a klantmanager (`activering.plan_meetings` only) sees their OWN numbers: their own clients'
  reach and not-seen list, and the conversations they hosted (their own overrides, no review);
- anyone else (the beheerder) gets 403: the page is about clients (DOMAIN rule 9).

The coverage matrix itself (rule 8) holds no client data and is the same for both roles.

Time: periods are whole days in Europe/Amsterdam; `Period.starts_at` is local midnight of the first
day, `Period.ends_before` local midnight after the last day (both aware, compared with the UTC
`starts_at` of meetings).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from activering.caching import remembered, version_key
from activering.models import Team, User
from clients.choices import Risk
from clients.models import Client, ClientQuerySet, team_member_ids, visible_clients
from locations.choices import PHYSICAL_KINDS, VIRTUAL_KINDS, LocationKind, SafetyLevel
from locations.geo import AMSTERDAM_TZ
from locations.models import District, Location
from locations.querysets import COVERAGE_MIN_WEEKLY_MINUTES, LocationQuerySet, bookable_room_exists
from locations.safety import missing_features_for
from locations.selectors import location_data_key, location_data_version
from meetings.models import Meeting, MeetingStatus, MeetingType
from meetings.selectors import locations_suitable_for, required_safety_level

PLAN_MEETINGS = "activering.plan_meetings"
VIEW_COVERAGE = "activering.view_coverage"

#: The default period of the page: the last 90 days, today included.
DEFAULT_PERIOD_DAYS = 90
#: The longest period the page accepts (the month chart stays readable).
MAX_PERIOD_DAYS = 731
#: Bereik counts a held conversation in the last 12 months.
REACH_MONTHS = 12
#: The not-seen list shows this many clients, longest not seen first (the total is always shown).
NOT_SEEN_LIMIT = 50
#: The override list shows at most this many meetings (open ones first; the total is shown).
OVERRIDE_LIMIT = 25


# Period and filters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole days in Amsterdam, both ends included."""

    first_day: date
    last_day: date

    @property
    def starts_at(self) -> datetime:
        """Local midnight at the start of the first day (aware)."""
        return datetime.combine(self.first_day, time(0), tzinfo=AMSTERDAM_TZ)

    @property
    def ends_before(self) -> datetime:
        """Local midnight after the last day (aware, exclusive)."""
        return datetime.combine(self.last_day + timedelta(days=1), time(0), tzinfo=AMSTERDAM_TZ)

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def contains(self, field_name: str = "starts_at") -> Q:
        """SQL: the datetime field lies in the period."""
        return Q(**{f"{field_name}__gte": self.starts_at, f"{field_name}__lt": self.ends_before})

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches, in order."""
        months = []
        month = self.first_day.replace(day=1)
        while month <= self.last_day:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months


def default_period(*, today: date) -> Period:
    """The last `DEFAULT_PERIOD_DAYS` days, today included."""
    return Period(first_day=today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), last_day=today)


@dataclass(frozen=True)
class CoverageFilters:
    """The page's filters: a period, optionally one gebied and one conversation type."""

    period: Period
    district: District | None = None
    meeting_type: MeetingType | None = None


# Who sees what ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageScope:
    """The clients and conversations the page counts for this user."""

    user: User
    #: True for a teamleider (the whole team); False for a klantmanager (own numbers only).
    is_team: bool

    @property
    def can_review(self) -> bool:
        """Only a teamleider marks safety overrides as reviewed."""
        return self.is_team

    @cached_property
    def _team_members(self) -> list[int]:
        # As a list: the team's counts cover thousands of clients (see `visible_clients`).
        return team_member_ids(self.user)

    @cached_property
    def clients(self) -> ClientQuerySet:
        """Clients counted for reach and the not-seen list."""
        if self.is_team:
            return Client.objects.filter(visible_clients(self.user, members=self._team_members))
        return Client.objects.visible_to(self.user).filter(case_manager=self.user)

    @cached_property
    def meetings(self) -> QuerySet[Meeting]:
        """Conversations counted for places, no-shows and overrides."""
        if self.is_team:
            return Meeting.objects.filter(
                visible_clients(self.user, via="client__", members=self._team_members)
            )
        return Meeting.objects.filter(visible_clients(self.user, via="client__"), host=self.user)

    def figures_version(self) -> int | None:
        """`Team.figures_version` of the user's team (one query): raised by database triggers
        whenever something these figures count changes."""
        if self.user.team_id is None:
            return None
        team = Team.objects.filter(pk=self.user.team_id)
        return team.values_list("figures_version", flat=True).first()


def coverage_scope(*, user: User) -> CoverageScope:
    """What `user` may see on /dekking/; PermissionDenied (403) without either permission.

    Teamleider: the team's clients (`Client.objects.visible_to`) and their conversations.
    Klantmanager: their own clients, and the conversations they hosted.
    """
    team_view = user.has_perm(VIEW_COVERAGE)
    if not team_view and not user.has_perm(PLAN_MEETINGS):
        raise PermissionDenied
    return CoverageScope(user=user, is_team=team_view)


def _district_by_pc4(districts: Sequence[District]) -> dict[str, int]:
    """PC4 code → gebied pk. Queries group by PC4 and the gebied is looked up here: a CASE over
    every gebied's codes, evaluated for each row in SQL, cost more than the counting itself."""
    result: dict[str, int] = {}
    for district in districts:
        for pc4 in district.pc4_codes:
            result.setdefault(pc4, district.pk)
    return result


def _share(part: int, whole: int) -> float | None:
    """Percentage, or None when there is nothing to divide by."""
    return 100 * part / whole if whole else None


# Coverage matrix (DOMAIN rule 8) ---------------------------------------------------------------


def needs_a_place(meeting_type: MeetingType) -> bool:
    """False for types held only at the client's home or by phone/video: no location in a
    gebied is involved, so coverage does not apply to them ("n.v.t.")."""
    return not set(meeting_type.allowed_kinds) <= VIRTUAL_KINDS


def suitable_locations(*, meeting_type: MeetingType) -> LocationQuerySet:
    """Rule 8: active locations passing the type's hard rules and minimum level (groen client),
    with a room open at least 8 hours a week. Narrow with `.in_district(d)`."""
    return locations_suitable_for(
        meeting_type=meeting_type, min_weekly_open_minutes=COVERAGE_MIN_WEEKLY_MINUTES
    )


@dataclass(frozen=True)
class CoverageCell:
    district: District
    meeting_type: MeetingType
    #: Suitable locations; None when coverage does not apply to the type.
    count: int | None

    @property
    def target(self) -> int:
        return self.district.coverage_target

    @property
    def applies(self) -> bool:
        return self.count is not None

    @property
    def is_short(self) -> bool:
        return self.count is not None and self.count < self.target

    @property
    def shortfall(self) -> int:
        return max(0, self.target - self.count) if self.count is not None else 0


@dataclass(frozen=True)
class CoverageRow:
    district: District
    cells: list[CoverageCell]

    @property
    def short_count(self) -> int:
        return sum(cell.is_short for cell in self.cells)


@dataclass(frozen=True)
class CoverageMatrix:
    types: list[MeetingType]
    rows: list[CoverageRow]
    #: Identifies this data version, types and gebied (for caching the rendered table).
    cache_key: str = ""

    @property
    def not_applicable_types(self) -> list[MeetingType]:
        return [t for t in self.types if not needs_a_place(t)]


def coverage_types(*, meeting_type: MeetingType | None = None) -> list[MeetingType]:
    """The active conversation types (the matrix's columns), or just the filtered one."""
    if meeting_type is not None:
        return [meeting_type]
    return list(MeetingType.objects.active().order_by("pk"))


def coverage_matrix(
    *, types: Sequence[MeetingType], district: District | None = None, version: str | None = None
) -> CoverageMatrix:
    """Gebieden × types: suitable locations per cell against the gebied's target.

    Coverage only reads static location data, so the matrix is cached under
    `location_data_version()` (one cheap query); any change to a location, room, opening hours,
    gebied or type makes a new version. Otherwise ONE query however many locations there are.
    """
    key = location_data_key(
        "coverage-matrix",
        ",".join(str(t.pk) for t in types),
        district.pk if district is not None else "",
        version=version,
    )
    return remembered(
        key, lambda: replace(_coverage_matrix(types=types, district=district), cache_key=key)
    )


def _coverage_matrix(*, types: Sequence[MeetingType], district: District | None) -> CoverageMatrix:
    """Every gebied annotated with a conditional count per type (`locations IN (suitable for
    type t)`), the suitability being the rule-8 SQL of `locations_suitable_for`."""
    counted = [t for t in types if needs_a_place(t)]
    districts = District.objects.order_by("name")
    if district is not None:
        districts = districts.filter(pk=district.pk)
    districts = districts.annotate(
        **{
            f"coverage_{t.pk}": Count(
                "locations", filter=Q(locations__in=suitable_locations(meeting_type=t))
            )
            for t in counted
        }
    )
    rows = [
        CoverageRow(
            district=d,
            cells=[
                CoverageCell(
                    district=d,
                    meeting_type=t,
                    count=getattr(d, f"coverage_{t.pk}") if needs_a_place(t) else None,
                )
                for t in types
            ],
        )
        for d in districts
    ]
    return CoverageMatrix(types=list(types), rows=rows)


@dataclass(frozen=True)
class NearMiss:
    """A location of an allowed kind in the gebied that does not count, and what it lacks."""

    location: Location
    reasons: list[str]


@dataclass(frozen=True)
class CellDetail:
    cell: CoverageCell
    suitable: list[Location]
    near_misses: list[NearMiss]


def _hours_reason() -> str:
    hours = COVERAGE_MIN_WEEKLY_MINUTES // 60
    return ngettext(
        "no room open at least %(hours)d hour a week",
        "no room open at least %(hours)d hours a week",
        hours,
    ) % {"hours": hours}


def coverage_cell(*, district_slug: str, type_slug: str) -> CellDetail:
    """One cell of the matrix: the suitable locations and the near-misses (404 when unknown).

    Near-misses are the active physical locations in the gebied of a kind the type allows that
    fail only on what can be fixed: safety features (`missing_features_for`), a room big enough,
    or a room open at least 8 hours a week. Three queries.
    """
    district = District.objects.filter(slug=district_slug).first()
    meeting_type = MeetingType.objects.active().filter(slug=type_slug).first()
    if district is None or meeting_type is None:
        raise Http404(gettext("No such gebied or conversation type."))
    if not needs_a_place(meeting_type):
        return CellDetail(
            cell=CoverageCell(district=district, meeting_type=meeting_type, count=None),
            suitable=[],
            near_misses=[],
        )
    suitable = list(
        suitable_locations(meeting_type=meeting_type)
        .in_district(district)
        .with_safety_level()
        .order_by("name")
    )
    capacity = max(1, meeting_type.min_capacity) if meeting_type.needs_room else 1
    candidates = (
        Location.objects.active()
        .physical()
        .in_district(district)
        .filter(kind__in=meeting_type.allowed_kinds)
        .exclude(pk__in=[location.pk for location in suitable])
        .with_safety_level()
        .annotate(
            has_active_room=bookable_room_exists(),
            has_big_room=bookable_room_exists(min_capacity=capacity),
            has_open_room=bookable_room_exists(
                min_capacity=capacity, min_weekly_open_minutes=COVERAGE_MIN_WEEKLY_MINUTES
            ),
        )
        .order_by("name")
    )
    required = required_safety_level(meeting_type=meeting_type, risk=Risk.GROEN)
    near_misses = []
    for location in candidates:
        reasons = _near_miss_reasons(location, required=required, capacity=capacity)
        if reasons:
            near_misses.append(NearMiss(location=location, reasons=reasons))
    return CellDetail(
        cell=CoverageCell(district=district, meeting_type=meeting_type, count=len(suitable)),
        suitable=suitable,
        near_misses=near_misses,
    )


def _near_miss_reasons(
    location: Location, *, required: SafetyLevel | None, capacity: int
) -> list[str]:
    """What keeps a location out of the count, from its features and the annotated room checks."""
    reasons: list[str] = []
    if required is not None:
        reasons.extend(missing_features_for(location, required))
    if not getattr(location, "has_active_room", False):
        reasons.append(gettext("no active room"))
    elif not getattr(location, "has_big_room", False):
        reasons.append(
            ngettext("no room for %(count)d person", "no room for %(count)d people", capacity)
            % {"count": capacity}
        )
    elif not getattr(location, "has_open_room", False):
        reasons.append(_hours_reason())
    return reasons


# Where conversations happen -------------------------------------------------------------------

#: Kinds counted as "partner locations": every physical kind but the stadsloket.
PARTNER_KINDS: tuple[str, ...] = tuple(
    kind for kind in PHYSICAL_KINDS if kind != LocationKind.STADSLOKET
)

#: The four places, in the order of every table and chart.
PLACES: tuple[tuple[str, Promise], ...] = (
    ("stadsloket", _("At the stadsloket")),
    ("partner", _("At partner locations")),
    ("home", _("At home")),
    ("phone", _("By phone or video")),
)

_PLACE_FILTERS: dict[str, Q] = {
    "stadsloket": Q(location__kind=LocationKind.STADSLOKET),
    "partner": Q(location__kind__in=PARTNER_KINDS),
    "home": Q(location__kind=LocationKind.CLIENT_HOME),
    "phone": Q(location__kind=LocationKind.REMOTE),
}


@dataclass(frozen=True)
class PlaceShare:
    key: str
    label: Promise
    count: int
    share: float | None


@dataclass(frozen=True)
class PlaceCounts:
    """Held conversations per place."""

    stadsloket: int = 0
    partner: int = 0
    home: int = 0
    phone: int = 0

    @property
    def total(self) -> int:
        return self.stadsloket + self.partner + self.home + self.phone

    def __add__(self, other: PlaceCounts) -> PlaceCounts:
        return PlaceCounts(
            stadsloket=self.stadsloket + other.stadsloket,
            partner=self.partner + other.partner,
            home=self.home + other.home,
            phone=self.phone + other.phone,
        )

    def count(self, key: str) -> int:
        value: int = getattr(self, key)
        return value

    def share(self, key: str) -> float | None:
        return _share(self.count(key), self.total)

    @property
    def places(self) -> list[PlaceShare]:
        return [
            PlaceShare(key=key, label=label, count=self.count(key), share=self.share(key))
            for key, label in PLACES
        ]


@dataclass(frozen=True)
class WhereRow:
    """One gebied (None: the client's PC4 is in no gebied)."""

    district: District | None
    counts: PlaceCounts


@dataclass(frozen=True)
class MonthCounts:
    month: date
    counts: PlaceCounts


@dataclass(frozen=True)
class WhereSummary:
    rows: list[WhereRow]
    total: PlaceCounts
    months: list[MonthCounts]


def _in_district(pc4_field: str, district: District | None) -> Q:
    return Q(**{f"{pc4_field}__in": district.pc4_codes}) if district is not None else Q()


def where_conversations_happen(
    *, scope: CoverageScope, filters: CoverageFilters, districts: Sequence[District]
) -> WhereSummary:
    """Held conversations in the period per gebied (by the CLIENT's PC4) and per month, split by
    place: stadsloket, partner locations (every other physical kind), home, phone/video.

    One query, grouped by (PC4, month) with a conditional count per place.
    """
    held = scope.meetings.filter(
        filters.period.contains(),
        _in_district("client__pc4", filters.district),
        status=MeetingStatus.HELD,
    )
    if filters.meeting_type is not None:
        held = held.filter(meeting_type=filters.meeting_type)
    rows = (
        held.order_by()
        .values("client__pc4", month=TruncMonth("starts_at", tzinfo=AMSTERDAM_TZ))
        .annotate(
            stadsloket=Count("pk", filter=_PLACE_FILTERS["stadsloket"]),
            partner=Count("pk", filter=_PLACE_FILTERS["partner"]),
            home=Count("pk", filter=_PLACE_FILTERS["home"]),
            phone=Count("pk", filter=_PLACE_FILTERS["phone"]),
        )
    )
    district_of = _district_by_pc4(districts)
    per_district: dict[int | None, PlaceCounts] = defaultdict(PlaceCounts)
    per_month: dict[date, PlaceCounts] = defaultdict(PlaceCounts)
    for row in rows:
        counts = PlaceCounts(
            stadsloket=row["stadsloket"],
            partner=row["partner"],
            home=row["home"],
            phone=row["phone"],
        )
        per_district[district_of.get(row["client__pc4"])] += counts
        per_month[row["month"].astimezone(AMSTERDAM_TZ).date()] += counts
    shown = [d for d in districts if filters.district is None or d.pk == filters.district.pk]
    result = [WhereRow(district=d, counts=per_district.get(d.pk, PlaceCounts())) for d in shown]
    if None in per_district:
        result.append(WhereRow(district=None, counts=per_district[None]))
    total = sum((row.counts for row in result), PlaceCounts())
    months = [
        MonthCounts(month=month, counts=per_month.get(month, PlaceCounts()))
        for month in filters.period.months()
    ]
    return WhereSummary(rows=result, total=total, months=months)


# Reach (bereik) --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReachRow:
    label: str
    clients: int
    seen: int

    @property
    def not_seen(self) -> int:
        return self.clients - self.seen

    @property
    def share(self) -> float | None:
        return _share(self.seen, self.clients)


@dataclass(frozen=True)
class Reach:
    since: date
    by_district: list[ReachRow]
    by_case_manager: list[ReachRow]
    total: ReachRow
    #: The clients not seen since `since`, longest first, at most NOT_SEEN_LIMIT; each has
    #: `last_held` (aware datetime or None: never) and `case_manager` loaded.
    not_seen: Sequence[Client]

    @property
    def not_seen_total(self) -> int:
        return self.total.not_seen

    @property
    def not_seen_is_capped(self) -> bool:
        return self.not_seen_total > len(self.not_seen)


def reach_since(*, today: date) -> date:
    """The first day of the reach window: the same date `REACH_MONTHS` months ago."""
    year, month = divmod(today.year * 12 + today.month - 1 - REACH_MONTHS, 12)
    month += 1
    for day in (today.day, 30, 29, 28):  # 31 March → 28/29 February when needed
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def reach(
    *,
    scope: CoverageScope,
    districts: Sequence[District],
    district: District | None,
    today: date,
    now: datetime,
    limit: int = NOT_SEEN_LIMIT,
) -> Reach:
    """Bereik: the share of ACTIVE clients with a HELD conversation in the last 12 months, per
    gebied (client's PC4) and per klantmanager, and the clients not seen (capped, the total is
    exact).

    Three queries: each client's last held conversation (one index probe per client of the
    team, counted here), the klantmanagers' names, and the capped not-seen list.

    The conversation type filter does not apply: bereik counts any held conversation.
    """
    since = reach_since(today=today)
    since_at = datetime.combine(since, time(0), tzinfo=AMSTERDAM_TZ)
    last_held = Subquery(
        Meeting.objects.filter(client=OuterRef("pk"), status=MeetingStatus.HELD, starts_at__lt=now)
        .order_by("-starts_at")
        .values("starts_at")[:1]
    )
    clients = list(
        scope.clients.filter(_in_district("pc4", district), is_active=True)
        .order_by()
        .annotate(last_held=last_held)
        .values_list("pk", "case_manager_id", "pc4", "klantnummer", "last_held")
    )
    district_of = _district_by_pc4(districts)
    per_district: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
    per_manager: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    not_seen_rows = []
    for row in clients:
        _pk, manager, pc4, _klantnummer, last = row
        seen = last is not None and last >= since_at
        for bucket in (per_district[district_of.get(pc4)], per_manager[manager]):
            bucket[0] += 1
            bucket[1] += seen
        if not seen:
            not_seen_rows.append(row)
    shown = [d for d in districts if district is None or d.pk == district.pk]
    by_district = [ReachRow(d.name, *per_district.get(d.pk, [0, 0])) for d in shown]
    if None in per_district:
        by_district.append(ReachRow(gettext("Outside the gebieden"), *per_district[None]))
    managers = User.objects.filter(pk__in=per_manager).only("first_name", "last_name", "username")
    by_case_manager = sorted(
        (
            ReachRow(manager.get_full_name() or manager.username, *per_manager[manager.pk])
            for manager in managers
        ),
        key=lambda row: row.label.lower(),
    )
    total = ReachRow(
        gettext("Total"),
        sum(row.clients for row in by_district),
        sum(row.seen for row in by_district),
    )
    # Longest not seen first (never seen before all), then by klantnummer.
    not_seen_rows.sort(key=lambda row: (row[4] is not None, row[4] or since_at, row[3]))
    last_of = {row[0]: row[4] for row in not_seen_rows[:limit]}
    position = {pk: index for index, pk in enumerate(last_of)}
    not_seen = sorted(
        Client.objects.filter(pk__in=last_of).select_related("case_manager"),
        key=lambda client: position[client.pk],
    )
    for client in not_seen:
        client.last_held = last_of[client.pk]  # type: ignore[attr-defined]
    return Reach(
        since=since,
        by_district=by_district,
        by_case_manager=by_case_manager,
        total=total,
        not_seen=not_seen,
    )


# No-shows --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NoShowRow:
    """No-show rate at one location: niet verschenen / (gehouden + niet verschenen).

    Afgemeld (excused) is not in the denominator: the client called off in advance, so neither
    a conversation nor a no-show took place. Planned and cancelled meetings do not count.
    """

    location_id: int
    name: str
    kind: str
    held: int
    no_show: int
    excused: int

    @property
    def counted(self) -> int:
        """The meetings behind the rate."""
        return self.held + self.no_show

    @property
    def rate(self) -> float | None:
        return _share(self.no_show, self.counted)

    @property
    def kind_label(self) -> str:
        return str(LocationKind(self.kind).label)


def no_show_rates(*, scope: CoverageScope, filters: CoverageFilters) -> list[NoShowRow]:
    """Per location, in the period (gebied: the client's PC4), highest rate first. One query."""
    meetings = scope.meetings.filter(
        filters.period.contains(),
        _in_district("client__pc4", filters.district),
        status__in=[MeetingStatus.HELD, MeetingStatus.NO_SHOW, MeetingStatus.EXCUSED],
    )
    if filters.meeting_type is not None:
        meetings = meetings.filter(meeting_type=filters.meeting_type)
    rows = (
        meetings.order_by()
        .values("location_id", "location__name", "location__kind")
        .annotate(
            held=Count("pk", filter=Q(status=MeetingStatus.HELD)),
            no_show=Count("pk", filter=Q(status=MeetingStatus.NO_SHOW)),
            excused=Count("pk", filter=Q(status=MeetingStatus.EXCUSED)),
        )
    )
    result = [
        NoShowRow(
            location_id=row["location_id"],
            name=row["location__name"],
            kind=row["location__kind"],
            held=row["held"],
            no_show=row["no_show"],
            excused=row["excused"],
        )
        for row in rows
    ]
    return sorted(result, key=lambda row: (-(row.rate or 0), -row.counted, row.name))


# Safety overrides ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideList:
    meetings: list[Meeting]
    total: int
    open: int

    @property
    def is_capped(self) -> bool:
        return self.total > len(self.meetings)


_OVERRIDE_RELATED = ("client", "location", "host", "meeting_type", "override_reviewed_by")


def safety_overrides(
    *, scope: CoverageScope, filters: CoverageFilters, limit: int = OVERRIDE_LIMIT
) -> OverrideList:
    """Meetings booked below the safety advice (`override_reason` set): every one not yet
    reviewed, whatever its date, and the reviewed ones starting in the period. Open ones first,
    then the most recently booked.

    Two queries: the first `limit` ids with both counts (window counts over all of them), then
    those meetings with what the list shows. A team has over a thousand; joining the related
    rows for all of them before cutting to `limit` cost twice as much.
    """
    overrides = scope.meetings.exclude(override_reason="").filter(
        Q(override_reviewed_at__isnull=True) | filters.period.contains(),
        _in_district("client__pc4", filters.district),
    )
    if filters.meeting_type is not None:
        overrides = overrides.filter(meeting_type=filters.meeting_type)
    first = list(
        overrides.annotate(
            total=Window(Count("pk")),
            open=Window(Count("pk", filter=Q(override_reviewed_at__isnull=True))),
        )
        .order_by(
            Case(When(override_reviewed_at__isnull=True, then=Value(0)), default=Value(1)),
            "-created_at",
            "-pk",
        )
        .values_list("pk", "total", "open")[:limit]
    )
    position = {pk: index for index, (pk, _total, _open) in enumerate(first)}
    meetings = sorted(
        Meeting.objects.filter(pk__in=position).select_related(*_OVERRIDE_RELATED),
        key=lambda meeting: position[meeting.pk],
    )
    total, open_count = (first[0][1], first[0][2]) if first else (0, 0)
    return OverrideList(meetings=meetings, total=total, open=open_count)


def get_override_for(*, user: User, pk: int) -> Meeting:
    """A meeting with a safety override that `user` may review: 403 for a klantmanager (they
    see their own overrides, a teamleider reviews them), 404 outside the team or without an
    override."""
    scope = coverage_scope(user=user)
    if not scope.can_review:
        raise PermissionDenied
    meeting = (
        scope.meetings.exclude(override_reason="")
        .select_related(*_OVERRIDE_RELATED)
        .filter(pk=pk)
        .first()
    )
    if meeting is None:
        raise Http404(gettext("No conversation found."))
    return meeting


# The whole page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageFigures:
    """What /dekking/ counts in the team's meetings and clients."""

    where: WhereSummary
    reach: Reach
    no_shows: list[NoShowRow]
    overrides: OverrideList


@dataclass(frozen=True)
class Dashboard:
    scope: CoverageScope
    filters: CoverageFilters
    matrix: CoverageMatrix
    figures: CoverageFigures
    districts: list[District] = field(default_factory=list)

    @property
    def where(self) -> WhereSummary:
        return self.figures.where

    @property
    def reach(self) -> Reach:
        return self.figures.reach

    @property
    def no_shows(self) -> list[NoShowRow]:
        return self.figures.no_shows

    @property
    def overrides(self) -> OverrideList:
        return self.figures.overrides


def coverage_figures(
    *,
    scope: CoverageScope,
    filters: CoverageFilters,
    districts: Sequence[District],
    today: date,
    now: datetime,
) -> CoverageFigures:
    """Where conversations happen, reach, no-shows and overrides: seven queries (eight when the
    team's members are not looked up yet)."""
    return CoverageFigures(
        where=where_conversations_happen(scope=scope, filters=filters, districts=districts),
        reach=reach(
            scope=scope, districts=districts, district=filters.district, today=today, now=now
        ),
        no_shows=no_show_rates(scope=scope, filters=filters),
        overrides=safety_overrides(scope=scope, filters=filters),
    )


def coverage_dashboard(
    *, scope: CoverageScope, filters: CoverageFilters, today: date, now: datetime
) -> Dashboard:
    """Every figure of /dekking/, in a fixed number of queries whatever the data.

    The figures are kept per process under the team's figures version (raised by database
    triggers whenever an outcome, an override, a client or a member's name of the team
    changes) and the location data version: a teamleider who opens the page again, or filters
    back, waits for three queries (the two versions, the types) instead of a dozen over
    thousands of rows.
    """
    version = location_data_version()
    districts = remembered(
        location_data_key("districts", version=version),
        lambda: list(District.objects.order_by("name")),
    )
    key = version_key(
        "coverage-figures",
        f"{scope.figures_version()}:{version}",
        scope.is_team,
        scope.user.team_id if scope.is_team else scope.user.pk,
        filters.period,
        filters.district.pk if filters.district is not None else None,
        filters.meeting_type.pk if filters.meeting_type is not None else None,
        today,
        get_language(),
    )
    return Dashboard(
        scope=scope,
        filters=filters,
        matrix=coverage_matrix(
            types=coverage_types(meeting_type=filters.meeting_type),
            district=filters.district,
            version=version,
        ),
        figures=remembered(
            key,
            lambda: coverage_figures(
                scope=scope, filters=filters, districts=districts, today=today, now=now
            ),
        ),
        districts=districts,
    )

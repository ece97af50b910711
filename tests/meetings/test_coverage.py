"""The figures of /dekking/, each checked against a hand computation on the known small world of
`coverage_world` (read its docstring and the comments here for the arithmetic)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from activering.roles import BEHEERDER
from locations.models import Location
from meetings.coverage import (
    CoverageFilters,
    Period,
    PlaceCounts,
    coverage_cell,
    coverage_matrix,
    coverage_scope,
    coverage_types,
    default_period,
    no_show_rates,
    reach,
    reach_since,
    safety_overrides,
    where_conversations_happen,
)
from meetings.coverage_forms import CoverageFilterForm
from tests.factories import UserFactory, meeting_type
from tests.meetings.coverage_world import NOW, PERIOD, TODAY, World, build_world, local

pytestmark = pytest.mark.django_db

# Hand-computed coverage (DOMAIN rule 8) per type: see coverage_world's table of locations.
#   kennismaking      all physical kinds, basis, room for 2     Oud-Oost L1 L2 L4   WGM W1 W2
#   voortgangsgesprek the same kinds (and home), basis, 2       Oud-Oost L1 L2 L4   WGM W1 W2
#   warme-overdracht  not the stadsloket, basis, room for 3     Oud-Oost L2 L4      WGM W1 W2
#   keukentafel       home only                                 n.v.t.
#   heronderzoek      stadsloket/partner, verhoogd, 2           Oud-Oost L1         WGM W1
#   afstemming        stadsloket, beveiligd, 2                  Oud-Oost L1         WGM -
#   groepsbijeenkomst all physical, basis, room for 8           Oud-Oost -          WGM W1
#   telefonisch/video phone only                                n.v.t.
EXPECTED_MATRIX = {
    "Oud-Oost": {
        "kennismaking": 3,
        "voortgangsgesprek": 3,
        "warme-overdracht": 2,
        "keukentafelgesprek": None,
        "heronderzoek": 1,
        "afstemmingsgesprek": 1,
        "groepsbijeenkomst": 0,
        "telefonisch-video": None,
    },
    "Watergraafsmeer": {
        "kennismaking": 2,
        "voortgangsgesprek": 2,
        "warme-overdracht": 2,
        "keukentafelgesprek": None,
        "heronderzoek": 1,
        "afstemmingsgesprek": 0,
        "groepsbijeenkomst": 1,
        "telefonisch-video": None,
    },
}


@pytest.fixture
def world() -> World:
    return build_world()


def team_scope(world):
    """The teamleider's scope, with the team's members looked up (once per page)."""
    scope = coverage_scope(user=world.teamleider)
    assert scope.clients is not None
    return scope


def test_the_matrix_counts_every_cell_by_rule_8(world, django_assert_num_queries):
    types = coverage_types()
    # The data version, then the one matrix query; asked again, only the version.
    with django_assert_num_queries(2):
        matrix = coverage_matrix(types=types)
    with django_assert_num_queries(1):
        assert coverage_matrix(types=types) == matrix
    counts = {
        row.district.name: {cell.meeting_type.slug: cell.count for cell in row.cells}
        for row in matrix.rows
    }
    assert counts == EXPECTED_MATRIX
    oud_oost, wgm = matrix.rows
    kennismaking = {cell.meeting_type.slug: cell for cell in oud_oost.cells}["kennismaking"]
    assert (kennismaking.target, kennismaking.is_short, kennismaking.shortfall) == (5, True, 2)
    wgm_cells = {cell.meeting_type.slug: cell for cell in wgm.cells}
    assert not wgm_cells["kennismaking"].is_short  # 2 of target 2
    assert wgm_cells["heronderzoek"].is_short  # 1 of target 2
    assert not wgm_cells["telefonisch-video"].is_short  # n.v.t. is neither short nor met
    assert [t.slug for t in matrix.not_applicable_types] == [
        "keukentafelgesprek",
        "telefonisch-video",
    ]


def test_the_matrix_follows_the_gebied_and_type_filters(world):
    matrix = coverage_matrix(
        types=coverage_types(meeting_type=meeting_type("heronderzoek")), district=world.wgm
    )
    assert [(row.district.name, [c.count for c in row.cells]) for row in matrix.rows] == [
        ("Watergraafsmeer", [1])
    ]


def test_a_cell_lists_the_suitable_locations_and_the_near_misses_with_what_they_lack(world):
    with translation.override("nl"):
        detail = coverage_cell(district_slug="oud-oost", type_slug="kennismaking")
        heronderzoek = coverage_cell(district_slug="oud-oost", type_slug="heronderzoek")
    assert [loc.name for loc in detail.suitable] == ["Buurthuis", "Partner alarm", "Stadsloket"]
    assert detail.cell.count == 3 == EXPECTED_MATRIX["Oud-Oost"]["kennismaking"]
    # L3 is open 7 hours a week, L5's only room holds one person; L6 is inactive (not listed).
    assert [(miss.location.name, miss.reasons) for miss in detail.near_misses] == [
        ("Bieb klein", ["geen spreekkamer voor 2 personen"]),
        ("Partner kort", ["geen spreekkamer open ≥ 8 uur per week"]),
    ]
    assert [loc.name for loc in heronderzoek.suitable] == ["Stadsloket"]
    # A heronderzoek needs verhoogd; the library (L5) and community centre (L2) are not allowed
    # kinds, so they are not near-misses.
    assert [(miss.location.name, miss.reasons) for miss in heronderzoek.near_misses] == [
        ("Partner alarm", ["geen alarmknop of mobiel alarm"]),
        ("Partner kort", ["geen spreekkamer open ≥ 8 uur per week"]),
    ]


def test_a_cell_of_a_home_or_phone_type_is_not_applicable_and_unknown_cells_are_404(world):
    detail = coverage_cell(district_slug="oud-oost", type_slug="telefonisch-video")
    assert not detail.cell.applies
    assert detail.suitable == detail.near_misses == []
    with pytest.raises(Http404):
        coverage_cell(district_slug="nergens", type_slug="kennismaking")
    with pytest.raises(Http404):
        coverage_cell(district_slug="oud-oost", type_slug="bestaat-niet")


# Where conversations happen ------------------------------------------------------------------


def _where(world, user, **filters):
    return where_conversations_happen(
        scope=coverage_scope(user=user),
        filters=CoverageFilters(period=PERIOD, **filters),
        districts=[world.oud_oost, world.wgm],
    )


def test_where_conversations_happen_per_gebied_of_the_client(world, django_assert_num_queries):
    scope = team_scope(world)
    with django_assert_num_queries(1):
        summary = where_conversations_happen(
            scope=scope,
            filters=CoverageFilters(period=PERIOD),
            districts=[world.oud_oost, world.wgm],
        )
    # Held in 1 Sep – 31 Oct, team A: B1 (C1 Oud-Oost, stadsloket, 1 Sep 00:30), B3 (C2
    # Oud-Oost, home, 31 Oct 23:30), M5 (C3 WGM, partner), M6 (C5 Oud-Oost, phone), M10 (C4
    # outside the gebieden, partner), M14 (C6 WGM, partner). Not: B2 (31 Aug 23:59), B4 (1 Nov
    # 00:00), M7/M8 no-show, M9 excused, M11 cancelled, M12 planned, M13 other team.
    rows = {row.district.name if row.district else None: row.counts for row in summary.rows}
    assert rows == {
        "Oud-Oost": PlaceCounts(stadsloket=1, partner=0, home=1, phone=1),
        "Watergraafsmeer": PlaceCounts(partner=2),
        None: PlaceCounts(partner=1),
    }
    assert summary.total == PlaceCounts(stadsloket=1, partner=3, home=1, phone=1)
    assert rows["Oud-Oost"].share("stadsloket") == pytest.approx(100 / 3)
    assert rows["Watergraafsmeer"].share("partner") == 100
    assert summary.total.share("partner") == 50  # 3 of 6
    # Months in Amsterdam time: B1 (31 Aug 22:30 UTC) belongs to September.
    assert [(m.month, m.counts) for m in summary.months] == [
        (dt.date(2026, 9, 1), PlaceCounts(stadsloket=1, partner=3)),
        (dt.date(2026, 10, 1), PlaceCounts(home=1, phone=1)),
    ]


def test_period_boundaries_are_amsterdam_days(world):
    first_day = Period(first_day=dt.date(2026, 9, 1), last_day=dt.date(2026, 9, 1))
    day_before = Period(first_day=dt.date(2026, 8, 31), last_day=dt.date(2026, 8, 31))
    scope = coverage_scope(user=world.teamleider)

    def stadsloket_and_partner(period):
        total = where_conversations_happen(
            scope=scope, filters=CoverageFilters(period=period), districts=[world.oud_oost]
        ).total
        return total.stadsloket, total.partner

    assert stadsloket_and_partner(first_day) == (1, 0)  # B1 at 00:30 on 1 September
    assert stadsloket_and_partner(day_before) == (0, 1)  # B2 at 23:59 on 31 August
    assert first_day.starts_at == local(2026, 9, 1, 0, 0)
    assert first_day.ends_before == local(2026, 9, 2, 0, 0)


def test_where_for_a_klantmanager_counts_only_the_conversations_they_hosted(world):
    summary = _where(world, world.km2)
    # KM2 hosted M6 (phone, C5 Oud-Oost) and M14 (partner, C6 WGM) that were held in the period.
    assert summary.total == PlaceCounts(partner=1, phone=1)


def test_where_follows_the_gebied_and_type_filters(world):
    by_gebied = _where(world, world.teamleider, district=world.oud_oost)
    assert [row.district for row in by_gebied.rows] == [world.oud_oost]
    assert by_gebied.total == PlaceCounts(stadsloket=1, home=1, phone=1)
    by_type = _where(world, world.teamleider, meeting_type=meeting_type("telefonisch-video"))
    assert by_type.total == PlaceCounts(phone=1)


# Reach -----------------------------------------------------------------------------------------


def _reach(world, user, district=None):
    return reach(
        scope=coverage_scope(user=user),
        districts=[world.oud_oost, world.wgm],
        district=district,
        today=TODAY,
        now=NOW,
    )


def test_reach_per_gebied_and_klantmanager(world, django_assert_num_queries):
    scope = team_scope(world)
    # Each client's last held conversation, the klantmanagers' names, the not-seen list.
    with django_assert_num_queries(3):
        result = reach(
            scope=scope, districts=[world.oud_oost, world.wgm], district=None, today=TODAY, now=NOW
        )
    assert result.since == dt.date(2025, 11, 23)
    # Active team-A clients and their last held conversation since 23 Nov 2025 00:00:
    #   Oud-Oost: C1 yes, C2 yes, C5 yes, C9 no (22 Nov 23:30), C11 yes (23 Nov 00:15)  4 of 5
    #   WGM:      C3 yes, C6 yes, C10 never                                              2 of 3
    #   outside:  C4 yes                                                                  1 of 1
    # C7 is inactive, C8 is in team B.
    assert [(r.label, r.clients, r.seen) for r in result.by_district] == [
        ("Oud-Oost", 5, 4),
        ("Watergraafsmeer", 3, 2),
        ("Buiten de gebieden", 1, 1),
    ]
    assert result.by_district[0].share == 80
    assert result.by_district[1].share == pytest.approx(200 / 3)
    # KM1: C1 C2 C3 C4 C10 C11 (C10 not seen); KM2: C5 C6 C9 (C9 not seen).
    assert [(r.label, r.clients, r.seen) for r in result.by_case_manager] == [
        ("Anna Eerst", 6, 5),
        ("Bert Tweede", 3, 2),
    ]
    assert (result.total.clients, result.total.seen) == (9, 7)
    assert result.total.share == pytest.approx(700 / 9)
    # Never seen first, then the longest ago.
    assert [(c.klantnummer, c.last_held) for c in result.not_seen] == [
        ("9000010", None),
        ("9000009", local(2025, 11, 22, 23, 30)),
    ]
    assert result.not_seen_total == 2
    assert not result.not_seen_is_capped


def test_a_klantmanager_sees_only_their_own_clients_reach(world):
    result = _reach(world, world.km1)
    assert [(r.label, r.clients, r.seen) for r in result.by_case_manager] == [("Anna Eerst", 6, 5)]
    assert [(r.label, r.clients, r.seen) for r in result.by_district] == [
        ("Oud-Oost", 3, 3),  # C1, C2, C11
        ("Watergraafsmeer", 2, 1),  # C3, C10
        ("Buiten de gebieden", 1, 1),  # C4
    ]
    assert [c.klantnummer for c in result.not_seen] == ["9000010"]  # never KM2's C9
    assert [c.klantnummer for c in _reach(world, world.km2).not_seen] == ["9000009"]


def test_reach_with_a_gebied_filter_and_a_capped_list(world):
    result = _reach(world, world.teamleider, district=world.oud_oost)
    assert [(r.label, r.clients, r.seen) for r in result.by_district] == [("Oud-Oost", 5, 4)]
    assert [(r.label, r.clients, r.seen) for r in result.by_case_manager] == [
        ("Anna Eerst", 3, 3),
        ("Bert Tweede", 2, 1),
    ]
    capped = reach(
        scope=coverage_scope(user=world.teamleider),
        districts=[world.oud_oost, world.wgm],
        district=None,
        today=TODAY,
        now=NOW,
        limit=1,
    )
    assert [c.klantnummer for c in capped.not_seen] == ["9000010"]
    assert capped.not_seen_total == 2 and capped.not_seen_is_capped


@pytest.mark.parametrize(
    ("today", "since"),
    [
        (dt.date(2026, 11, 23), dt.date(2025, 11, 23)),
        (dt.date(2028, 2, 29), dt.date(2027, 2, 28)),
        (dt.date(2026, 1, 5), dt.date(2025, 1, 5)),
    ],
)
def test_reach_counts_twelve_months_back(today, since):
    assert reach_since(today=today) == since


# No-shows --------------------------------------------------------------------------------------


def test_no_show_rate_per_location(world, django_assert_num_queries):
    scope = team_scope(world)
    with django_assert_num_queries(1):
        rows = no_show_rates(scope=scope, filters=CoverageFilters(period=PERIOD))
    # Rate = no-show / (held + no-show); excused is listed but not counted.
    #   Stadsloket: held B1, no-show M7                   1 of 2 = 50 %
    #   Buurthuis:  held M10 M14, no-show M8, excused M9   1 of 3 = 33 %
    #   Partner groot (M5), thuis (B3), telefonisch (M6): 0 of 1
    assert [(r.name, r.held, r.no_show, r.excused, r.counted) for r in rows] == [
        ("Stadsloket", 1, 1, 0, 2),
        ("Buurthuis", 2, 1, 1, 3),
        ("Bij de klant thuis", 1, 0, 0, 1),
        ("Partner groot", 1, 0, 0, 1),
        ("Telefonisch", 1, 0, 0, 1),
    ]
    assert rows[0].rate == 50
    assert rows[1].rate == pytest.approx(100 / 3)
    assert rows[2].rate == 0


def test_no_shows_of_a_klantmanager_are_their_own(world):
    rows = no_show_rates(
        scope=coverage_scope(user=world.km2), filters=CoverageFilters(period=PERIOD)
    )
    # KM2 hosted M7 (no-show, Stadsloket), M8 (no-show), M9 (excused), M14 (held) at Buurthuis,
    # M6 (held, phone).
    assert [(r.name, r.held, r.no_show, r.excused) for r in rows] == [
        ("Stadsloket", 0, 1, 0),
        ("Buurthuis", 1, 1, 1),
        ("Telefonisch", 1, 0, 0),
    ]
    assert rows[0].rate == 100


# Safety overrides ------------------------------------------------------------------------------


def test_overrides_open_ones_always_reviewed_ones_in_the_period(world, django_assert_num_queries):
    scope = team_scope(world)
    with django_assert_num_queries(2):
        result = safety_overrides(scope=scope, filters=CoverageFilters(period=PERIOD))
    m = world.meetings
    # Open: M8 (October) and M15 (January 2027, outside the period but not reviewed yet).
    # Reviewed: M10 (in the period); B2 is reviewed and outside it; M13 is team B's.
    assert [meeting.pk for meeting in result.meetings[:2]] == sorted(
        [m["M8"].pk, m["M15"].pk], key=lambda pk: -pk
    )
    assert [meeting.pk for meeting in result.meetings[2:]] == [m["M10"].pk]
    assert (result.total, result.open) == (3, 2)
    km1 = safety_overrides(scope=coverage_scope(user=world.km1), filters=world.filters())
    assert {meeting.pk for meeting in km1.meetings} == {m["M15"].pk, m["M10"].pk}
    assert (km1.total, km1.open) == (2, 1)


# Access ----------------------------------------------------------------------------------------


def test_scope_per_role(world):
    assert coverage_scope(user=world.teamleider).can_review
    assert not coverage_scope(user=world.km1).can_review
    with pytest.raises(PermissionDenied):
        coverage_scope(user=UserFactory(role=BEHEERDER, team=None))


# Filters ---------------------------------------------------------------------------------------


def test_filter_defaults_and_invalid_input(world):
    default = CoverageFilterForm({}, today=TODAY).filters()
    assert default.period == default_period(today=TODAY)
    assert default.period.first_day == dt.date(2026, 8, 26)  # 90 days, today included
    assert default.period.days == 90

    form = CoverageFilterForm(
        {"van": "2026-09-01", "tot": "2026-10-31", "gebied": "oud-oost", "type": "heronderzoek"},
        today=TODAY,
    )
    filters = form.filters()
    assert not form.errors
    assert filters.period == PERIOD
    assert filters.district == world.oud_oost
    assert filters.meeting_type == meeting_type("heronderzoek")

    bad = CoverageFilterForm(
        {"van": "2026-10-31", "tot": "2026-09-01", "gebied": "nergens", "type": "heronderzoek"},
        today=TODAY,
    )
    filters = bad.filters()
    assert set(bad.errors) == {"van", "gebied"}
    assert filters.period == default_period(today=TODAY)
    assert filters.district is None
    assert filters.meeting_type == meeting_type("heronderzoek")  # the valid filter still applies

    too_long = CoverageFilterForm({"van": "2020-01-01", "tot": "2026-01-01"}, today=TODAY)
    assert "van" in too_long.errors
    garbage = CoverageFilterForm({"van": "gisteren", "tot": "31-10-2026"}, today=TODAY)
    assert set(garbage.errors) == {"van"}
    assert garbage.filters().period == default_period(today=TODAY)


def test_the_cached_matrix_follows_every_change_to_the_locations(world):
    types = coverage_types()
    before = coverage_matrix(types=types)
    location = Location.objects.filter(is_active=True, kind="partner").first()
    location.is_active = False
    location.save()
    after = coverage_matrix(types=types)
    assert after != before

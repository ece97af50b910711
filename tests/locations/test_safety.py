"""The safety level: one rule, evaluated in Python and in SQL, over every feature combination."""

import itertools
from types import SimpleNamespace

import pytest
from django.utils import translation

from locations.choices import SafetyLevel
from locations.models import Location
from locations.safety import FEATURE_FIELDS, missing_features_for, safety_level
from tests.factories import DistrictFactory, LocationFactory

B, V, S = SafetyLevel.BASIS, SafetyLevel.VERHOOGD, SafetyLevel.BEVEILIGD

ALL_COMBINATIONS = [
    dict(zip(FEATURE_FIELDS, values, strict=True))
    for values in itertools.product([False, True], repeat=len(FEATURE_FIELDS))
]


def reference_level(f: dict[str, bool]) -> SafetyLevel | None:
    """DOMAIN.md, written out independently of locations.safety."""
    if not f["has_private_room"]:
        return None
    alarm = f["has_fixed_alarm"] or f["has_mobile_alarm"]
    if not (alarm and f["has_colleague_nearby"] and f["has_escape_route"]):
        return B
    if not (f["has_reception_desk"] and f["has_camera_supervision"]):
        return V
    return S


def combo_id(combo: dict[str, bool]) -> str:
    return "+".join(name.removeprefix("has_") for name, on in combo.items() if on) or "none"


def test_there_are_eight_features_and_256_combinations():
    assert len(FEATURE_FIELDS) == 8
    assert len(ALL_COMBINATIONS) == 256
    assert {reference_level(c) for c in ALL_COMBINATIONS} == {None, B, V, S}


@pytest.mark.parametrize("combo", ALL_COMBINATIONS, ids=combo_id)
def test_safety_level_matches_the_rule_for_every_combination(combo):
    assert safety_level(SimpleNamespace(**combo)) == reference_level(combo)


FULL = dict.fromkeys(FEATURE_FIELDS, True)


@pytest.mark.parametrize(
    ("without", "expected"),
    [
        ((), S),
        (("has_private_room",), None),
        (("has_fixed_alarm",), S),  # the mobile alarm is enough
        (("has_mobile_alarm",), S),  # the fixed alarm is enough
        (("has_fixed_alarm", "has_mobile_alarm"), B),
        (("has_colleague_nearby",), B),
        (("has_escape_route",), B),
        (("has_line_of_sight",), S),  # not part of any level
        (("has_reception_desk",), V),
        (("has_camera_supervision",), V),
        (("has_reception_desk", "has_camera_supervision", "has_escape_route"), B),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, tuple) else str(value),
)
def test_each_feature_that_changes_the_level(without, expected):
    features = {**FULL, **dict.fromkeys(without, False)}
    assert safety_level(SimpleNamespace(**features)) == expected


def test_levels_compare_in_order():
    assert B < V < S
    assert S >= V
    assert max(B, S) == S


def test_missing_features_are_dutch_phrases():
    basis_only = SimpleNamespace(
        **{**dict.fromkeys(FEATURE_FIELDS, False), "has_private_room": True}
    )
    with translation.override("nl"):
        assert missing_features_for(basis_only, V) == [
            "geen alarmknop of mobiel alarm",
            "geen collega binnen bereik",
            "geen vluchtweg",
        ]
        assert missing_features_for(basis_only, B) == []
        nothing = SimpleNamespace(**dict.fromkeys(FEATURE_FIELDS, False))
        assert missing_features_for(nothing, S) == [
            "geen afgesloten spreekkamer",
            "geen alarmknop of mobiel alarm",
            "geen collega binnen bereik",
            "geen vluchtweg",
            "geen receptie of beveiligingsbalie",
            "geen cameratoezicht",
        ]


@pytest.mark.django_db
def test_sql_annotation_and_filter_agree_with_python_for_every_combination():
    district = DistrictFactory()
    Location.objects.bulk_create(
        LocationFactory.build(name=f"Combinatie {n}", district=district, **combo)
        for n, combo in enumerate(ALL_COMBINATIONS)
    )
    expected = {f"Combinatie {n}": reference_level(c) for n, c in enumerate(ALL_COMBINATIONS)}

    annotated = dict(Location.objects.with_safety_level().values_list("name", "safety_level"))
    assert annotated == expected

    for location in Location.objects.with_safety_level():
        assert location.safety_level == expected[location.name]

    for level in SafetyLevel:
        in_sql = set(Location.objects.at_least(level).values_list("name", flat=True))
        in_python = {name for name, got in expected.items() if got is not None and got >= level}
        assert in_sql == in_python
        assert set(
            Location.objects.with_safety_level()
            .filter(safety_level=level)
            .values_list("name", flat=True)
        ) == {name for name, got in expected.items() if got == level}
    assert Location.objects.at_least(None).count() == 256


@pytest.mark.django_db
def test_factory_traits_give_their_level():
    assert LocationFactory(basis=True).safety_level == B
    assert LocationFactory(verhoogd=True).safety_level == V
    assert LocationFactory(beveiligd=True).safety_level == S
    assert LocationFactory(no_private_room=True).safety_level is None

"""DOMAIN.md rules 1–3: safety requirement, duo, and which locations suit a conversation type."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from clients.choices import Risk
from locations.choices import LocationKind, SafetyLevel
from locations.models import Location
from meetings.choices import (
    AFSTEMMINGSGESPREK,
    GROEPSBIJEENKOMST,
    HERONDERZOEK,
    KENNISMAKING,
    KEUKENTAFELGESPREK,
    SEEDED_SLUGS,
    TELEFONISCH_VIDEO,
    VOORTGANGSGESPREK,
    WARME_OVERDRACHT,
)
from meetings.models import MeetingType
from meetings.selectors import (
    assess_location,
    duo_required,
    locations_suitable_for,
    required_safety_level,
    suitable_types_for,
)
from tests.factories import LocationFactory, MeetingTypeFactory, RoomFactory, meeting_type

pytestmark = pytest.mark.django_db

B, V, S = SafetyLevel.BASIS, SafetyLevel.VERHOOGD, SafetyLevel.BEVEILIGD


@pytest.fixture(autouse=True)
def _dutch():
    with translation.override("nl"):
        yield


def place(kind=LocationKind.PARTNER, level="verhoogd", capacity=4, **extra) -> Location:
    """An active location of `kind` at `level` with one active room (none for virtual kinds)."""
    if kind == LocationKind.CLIENT_HOME:
        return LocationFactory(client_home=True, **extra)
    if kind == LocationKind.REMOTE:
        return LocationFactory(remote=True, **extra)
    traits = {level: True} if level else {}
    location = LocationFactory(kind=kind, **traits, **extra)
    RoomFactory(location=location, capacity=capacity)
    return location


def test_the_eight_types_are_seeded():
    # meeting_type() reads the seeded row, or re-creates it from the migration's data when a
    # transactional test flushed the table (the migration's data is what is checked here).
    types = {slug: meeting_type(slug) for slug in SEEDED_SLUGS}
    assert len(types) == 8
    for seeded in types.values():
        seeded.full_clean()
    kennismaking = meeting_type(KENNISMAKING)
    assert kennismaking.name == "Kennismaking / diagnose (klantbeeld)"
    assert kennismaking.duration_minutes == 60
    assert meeting_type(AFSTEMMINGSGESPREK).override_allowed is False
    assert meeting_type(TELEFONISCH_VIDEO).allowed_kinds == [LocationKind.REMOTE]
    assert meeting_type(TELEFONISCH_VIDEO).needs_room is False
    assert meeting_type(GROEPSBIJEENKOMST).min_capacity == 8


# Rule 1 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "risk", "expected"),
    [
        (KENNISMAKING, Risk.GROEN, B),
        (KENNISMAKING, Risk.ORANJE, V),
        (KENNISMAKING, Risk.ROOD, S),
        (HERONDERZOEK, Risk.GROEN, V),
        (HERONDERZOEK, Risk.ORANJE, V),
        (HERONDERZOEK, Risk.ROOD, S),
        (AFSTEMMINGSGESPREK, Risk.GROEN, S),
        (AFSTEMMINGSGESPREK, Risk.ORANJE, S),
        (KEUKENTAFELGESPREK, Risk.GROEN, None),
        (KEUKENTAFELGESPREK, Risk.ORANJE, V),
        (TELEFONISCH_VIDEO, Risk.GROEN, None),
    ],
)
def test_required_level_is_the_higher_of_type_and_risk(slug, risk, expected):
    assert required_safety_level(meeting_type=meeting_type(slug), risk=risk) == expected


@pytest.mark.parametrize(
    ("slug", "risk", "expected"),
    [
        (KENNISMAKING, Risk.GROEN, False),
        (KENNISMAKING, Risk.ORANJE, False),
        (KENNISMAKING, Risk.ROOD, True),
        (TELEFONISCH_VIDEO, Risk.ROOD, True),
        (KEUKENTAFELGESPREK, Risk.GROEN, False),
        (KEUKENTAFELGESPREK, Risk.ORANJE, True),
        (KEUKENTAFELGESPREK, Risk.ROOD, True),
    ],
)
def test_duo_for_rood_always_and_for_oranje_at_home(slug, risk, expected):
    assert duo_required(meeting_type=meeting_type(slug), risk=risk) is expected


def test_duo_follows_the_location_for_a_type_allowed_in_several_places():
    voortgang = meeting_type(VOORTGANGSGESPREK)
    home, office = place(LocationKind.CLIENT_HOME), place(LocationKind.PARTNER)
    assert duo_required(meeting_type=voortgang, risk=Risk.ORANJE, location=home)
    assert not duo_required(meeting_type=voortgang, risk=Risk.ORANJE, location=office)
    assessment = assess_location(location=home, meeting_type=voortgang, risk=Risk.ORANJE)
    assert assessment.duo_required and assessment.is_suitable


# Rule 2: kind × type ---------------------------------------------------------------------------

K = LocationKind
PARTNER_HOSTED = {K.PARTICIPATIECENTRUM, K.HUIS_VAN_DE_WIJK, K.BIBLIOTHEEK, K.PARTNER}
ALLOWED = {
    KENNISMAKING: PARTNER_HOSTED | {K.STADSLOKET},
    VOORTGANGSGESPREK: PARTNER_HOSTED | {K.STADSLOKET, K.CLIENT_HOME},
    WARME_OVERDRACHT: PARTNER_HOSTED,
    KEUKENTAFELGESPREK: {K.CLIENT_HOME},
    HERONDERZOEK: {K.STADSLOKET, K.PARTNER},
    AFSTEMMINGSGESPREK: {K.STADSLOKET},
    GROEPSBIJEENKOMST: PARTNER_HOSTED | {K.STADSLOKET},
    TELEFONISCH_VIDEO: {K.REMOTE},
}


@pytest.mark.parametrize("slug", SEEDED_SLUGS)
@pytest.mark.parametrize("kind", LocationKind.values)
def test_type_by_location_kind(slug, kind):
    # A beveiligd place with a big room: only the kind can make it unsuitable.
    location = place(kind, level="beveiligd", capacity=20)
    assessment = assess_location(location=location, meeting_type=meeting_type(slug))
    if kind in ALLOWED[slug]:
        assert assessment.hard_reasons == []
        assert assessment.is_suitable
    else:
        assert len(assessment.hard_reasons) == 1
        assert not assessment.is_bookable_with_override
        if slug == AFSTEMMINGSGESPREK:
            assert assessment.hard_reasons == [
                "Een afstemmingsgesprek mag alleen op het stadsloket."
            ]


def test_kind_reason_names_the_place_in_dutch():
    library = place(LocationKind.BIBLIOTHEEK)
    assessment = assess_location(location=library, meeting_type=meeting_type(HERONDERZOEK))
    assert assessment.hard_reasons == ["Dit gesprekstype mag niet in een bibliotheek."]
    home = place(LocationKind.CLIENT_HOME)
    assessment = assess_location(location=home, meeting_type=meeting_type(KENNISMAKING))
    assert assessment.hard_reasons == ["Dit gesprekstype mag niet bij de klant thuis."]


# Afstemmingsgesprek: stadsloket only, never overridden ----------------------------------------


def test_afstemmingsgesprek_below_beveiligd_is_hard_not_soft():
    stadsloket = place(LocationKind.STADSLOKET, level="verhoogd")
    assessment = assess_location(location=stadsloket, meeting_type=meeting_type(AFSTEMMINGSGESPREK))
    assert assessment.soft_reasons == []
    assert assessment.hard_reasons == [
        "Veiligheidsniveau verhoogd is lager dan het vereiste niveau beveiligd: "
        "geen receptie of beveiligingsbalie, geen cameratoezicht."
    ]
    assert not assessment.is_bookable_with_override


def test_afstemmingsgesprek_at_a_beveiligd_stadsloket_is_suitable_for_every_risk():
    stadsloket = place(LocationKind.STADSLOKET, level="beveiligd")
    for risk in Risk:
        assessment = assess_location(
            location=stadsloket, meeting_type=meeting_type(AFSTEMMINGSGESPREK), risk=risk
        )
        assert assessment.is_suitable
        assert assessment.duo_required is (risk == Risk.ROOD)


@pytest.mark.parametrize(
    "change",
    [
        {"allowed_kinds": [LocationKind.STADSLOKET, LocationKind.PARTNER]},
        {"override_allowed": True},
        {"minimum_safety_level": SafetyLevel.VERHOOGD},
    ],
)
def test_the_database_keeps_the_afstemmingsgesprek_strict(change):
    afstemming = meeting_type(AFSTEMMINGSGESPREK)
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingType.objects.filter(pk=afstemming.pk).update(**change)
    for field, value in change.items():
        setattr(afstemming, field, value)
    with pytest.raises(ValidationError, match="alleen plaats op het stadsloket"):
        afstemming.full_clean()


# Risk: oranje ⇒ verhoogd, rood ⇒ beveiligd (soft, with override) --------------------------------


@pytest.mark.parametrize(
    ("level", "risk", "soft"),
    [
        ("basis", Risk.GROEN, False),
        ("basis", Risk.ORANJE, True),
        ("verhoogd", Risk.ORANJE, False),
        ("verhoogd", Risk.ROOD, True),
        ("beveiligd", Risk.ROOD, False),
        ("beveiligd", Risk.GROEN, False),  # safer than advised never needs a reason
        ("beveiligd", Risk.ORANJE, False),
    ],
)
def test_risk_raises_the_advice_and_below_it_needs_an_override(level, risk, soft):
    location = place(LocationKind.PARTNER, level=level)
    assessment = assess_location(
        location=location, meeting_type=meeting_type(KENNISMAKING), risk=risk
    )
    assert assessment.hard_reasons == []
    assert bool(assessment.soft_reasons) is soft
    assert assessment.is_bookable_with_override is soft
    assert assessment.is_suitable is not soft
    assert assessment.location_level == SafetyLevel[level.upper()]


def test_soft_reason_explains_what_is_missing():
    location = place(LocationKind.PARTNER, level="basis")
    assessment = assess_location(
        location=location, meeting_type=meeting_type(KENNISMAKING), risk=Risk.ORANJE
    )
    assert assessment.required_level == V
    assert assessment.soft_reasons == [
        "Veiligheidsniveau basis is lager dan het advies verhoogd: geen alarmknop of mobiel "
        "alarm, geen collega binnen bereik, geen vluchtweg."
    ]


def test_rood_outside_a_beveiligd_place_is_soft_with_duo():
    location = place(LocationKind.PARTNER, level="verhoogd")
    assessment = assess_location(
        location=location, meeting_type=meeting_type(KENNISMAKING), risk=Risk.ROOD
    )
    assert assessment.required_level == S
    assert assessment.is_bookable_with_override
    assert assessment.duo_required


def test_a_place_without_a_private_room_is_below_basis():
    location = place(LocationKind.BIBLIOTHEEK, level="no_private_room")
    assessment = assess_location(location=location, meeting_type=meeting_type(KENNISMAKING))
    assert assessment.location_level is None
    assert assessment.soft_reasons == [
        "Veiligheidsniveau geen (lager dan basis) is lager dan het advies basis: "
        "geen afgesloten spreekkamer."
    ]


def test_heronderzoek_needs_verhoogd_even_for_groen():
    partner = place(LocationKind.PARTNER, level="basis")
    assessment = assess_location(location=partner, meeting_type=meeting_type(HERONDERZOEK))
    assert assessment.is_bookable_with_override


# Home visits --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("risk", "suitable", "duo"),
    [(Risk.GROEN, True, False), (Risk.ORANJE, True, True), (Risk.ROOD, False, True)],
)
def test_home_visit_groen_ok_oranje_with_duo_rood_never(risk, suitable, duo):
    home = place(LocationKind.CLIENT_HOME)
    assessment = assess_location(
        location=home, meeting_type=meeting_type(KEUKENTAFELGESPREK), risk=risk
    )
    assert assessment.is_suitable is suitable
    assert assessment.duo_required is duo
    assert assessment.soft_reasons == []  # physical safety levels do not apply at home
    if not suitable:
        assert assessment.hard_reasons == [
            "Een huisbezoek is nooit mogelijk bij een klant met risicosignaal rood."
        ]
        assert not assessment.is_bookable_with_override


def test_phone_needs_no_room_and_no_safety_level():
    remote = place(LocationKind.REMOTE)
    for risk in Risk:
        assessment = assess_location(
            location=remote, meeting_type=meeting_type(TELEFONISCH_VIDEO), risk=risk
        )
        assert assessment.is_suitable
        assert assessment.required_level is None


# Rooms, capacity, inactive --------------------------------------------------------------------


def test_group_meeting_needs_a_room_for_the_group():
    location = place(LocationKind.HUIS_VAN_DE_WIJK, level="basis", capacity=6)
    group = meeting_type(GROEPSBIJEENKOMST)
    assessment = assess_location(location=location, meeting_type=group)
    assert assessment.hard_reasons == ["Geen spreekkamer hier is groot genoeg voor 8 personen."]
    RoomFactory(location=location, capacity=12)
    assert assess_location(location=location, meeting_type=group).is_suitable
    too_many = assess_location(location=location, meeting_type=group, group_size=14)
    assert too_many.hard_reasons == ["Geen spreekkamer hier is groot genoeg voor 14 personen."]


def test_no_active_room_and_inactive_location_are_hard():
    location = LocationFactory(verhoogd=True)
    RoomFactory(location=location, is_active=False)
    kennismaking = meeting_type(KENNISMAKING)
    assert assess_location(location=location, meeting_type=kennismaking).hard_reasons == [
        "Deze locatie heeft geen actieve spreekkamer."
    ]
    closed = place(LocationKind.PARTNER, is_active=False)
    assert assess_location(location=closed, meeting_type=kennismaking).hard_reasons == [
        "Deze locatie is niet actief."
    ]


def test_an_inactive_type_is_never_bookable():
    inactive = MeetingTypeFactory(is_active=False)
    assessment = assess_location(location=place(), meeting_type=inactive)
    assert assessment.hard_reasons == ["Dit gesprekstype wordt niet meer gebruikt."]


def test_hard_reasons_add_up_and_come_first():
    library = LocationFactory(kind=LocationKind.BIBLIOTHEEK, is_active=False, no_private_room=True)
    assessment = assess_location(
        location=library, meeting_type=meeting_type(HERONDERZOEK), risk=Risk.ROOD
    )
    assert assessment.hard_reasons == [
        "Deze locatie is niet actief.",
        "Dit gesprekstype mag niet in een bibliotheek.",
        "Deze locatie heeft geen actieve spreekkamer.",
    ]
    assert len(assessment.soft_reasons) == 1
    assert assessment.reasons[:3] == assessment.hard_reasons


# Bulk forms, and SQL agreeing with Python ---------------------------------------------------


def test_suitable_types_for_one_location_without_a_query_per_type(django_assert_num_queries):
    location = place(LocationKind.PARTNER, level="verhoogd")
    types = [meeting_type(slug) for slug in SEEDED_SLUGS]
    location = Location.objects.prefetch_related("rooms").get(pk=location.pk)
    with django_assert_num_queries(0):
        result = suitable_types_for(location, types)
    suitable = {t.slug for t, a in result if a.is_suitable}
    assert suitable == {KENNISMAKING, VOORTGANGSGESPREK, WARME_OVERDRACHT, HERONDERZOEK}


def test_assessing_many_locations_costs_no_query_per_location(django_assert_num_queries):
    for kind in LocationKind.values:
        place(kind)
    kennismaking = meeting_type(KENNISMAKING)
    locations = list(Location.objects.prefetch_related("rooms"))
    with django_assert_num_queries(0):
        for location in locations:
            assess_location(location=location, meeting_type=kennismaking, risk=Risk.ORANJE)


@pytest.mark.parametrize("risk", list(Risk))
def test_sql_selection_agrees_with_assess_location(risk):
    for kind in LocationKind.values:
        for level in ("basis", "verhoogd", "beveiligd", "no_private_room"):
            if kind in (K.CLIENT_HOME, K.REMOTE) and level != "basis":
                continue
            place(kind, level=level, capacity=3)
            place(kind, level=level, capacity=10)
    LocationFactory(is_active=False, beveiligd=True)
    locations = list(Location.objects.prefetch_related("rooms"))
    for slug in SEEDED_SLUGS:
        mt = meeting_type(slug)
        in_python = {
            loc.pk
            for loc in locations
            if assess_location(location=loc, meeting_type=mt, risk=risk).is_suitable
        }
        in_sql = set(
            locations_suitable_for(meeting_type=mt, risk=risk).values_list("pk", flat=True)
        )
        assert in_sql == in_python, slug

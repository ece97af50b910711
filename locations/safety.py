"""The safety rule: which veiligheidsniveau a location's features give it (DOMAIN.md).

The rule is written ONCE, as data (`LEVEL_REQUIREMENTS`); everything else derives from it:

- `safety_level(obj)` evaluates it on Python objects (a `Location`, or anything with the eight
  feature attributes);
- `level_q(level)` / `safety_level_expression()` evaluate it in SQL (used by
  `LocationQuerySet.with_safety_level()` and `.at_least(level)`), so lists and coverage filter in
  the database without a second copy of the rule;
- `missing_features_for(obj, level)` explains in Dutch why a location does not reach a level.

The level is never stored: change a feature and every page follows.
"""

from dataclasses import dataclass
from functools import reduce
from operator import and_, or_
from typing import Protocol

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import Expression
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from locations.choices import SafetyLevel

#: The eight safety features, as model field names, in the order the beheerder sees them.
FEATURE_FIELDS: tuple[str, ...] = (
    "has_private_room",
    "has_fixed_alarm",
    "has_mobile_alarm",
    "has_escape_route",
    "has_colleague_nearby",
    "has_line_of_sight",
    "has_reception_desk",
    "has_camera_supervision",
)


class SafetyFeatures(Protocol):
    """Anything with the eight feature booleans (a `Location`, a form's cleaned data object…)."""

    has_private_room: bool
    has_fixed_alarm: bool
    has_mobile_alarm: bool
    has_escape_route: bool
    has_colleague_nearby: bool
    has_line_of_sight: bool
    has_reception_desk: bool
    has_camera_supervision: bool


@dataclass(frozen=True)
class Requirement:
    """One condition of a level: at least one of `any_of` (feature field names) must be present."""

    any_of: tuple[str, ...]
    #: What is missing when the condition fails, e.g. "geen collega binnen bereik".
    missing: Promise

    def is_met(self, obj: SafetyFeatures) -> bool:
        return any(getattr(obj, name) for name in self.any_of)

    def q(self) -> Q:
        return reduce(or_, (Q(**{name: True}) for name in self.any_of))


#: THE rule. Each level adds its requirements to those of the levels below it.
LEVEL_REQUIREMENTS: dict[SafetyLevel, tuple[Requirement, ...]] = {
    SafetyLevel.BASIS: (Requirement(("has_private_room",), _("no private room")),),
    SafetyLevel.VERHOOGD: (
        Requirement(("has_fixed_alarm", "has_mobile_alarm"), _("no alarm button or mobile alarm")),
        Requirement(("has_colleague_nearby",), _("no colleague within reach")),
        Requirement(("has_escape_route",), _("no escape route")),
    ),
    SafetyLevel.BEVEILIGD: (
        Requirement(("has_reception_desk",), _("no reception or security desk")),
        Requirement(("has_camera_supervision",), _("no camera supervision")),
    ),
}


def requirements_for(level: SafetyLevel) -> tuple[Requirement, ...]:
    """All requirements of `level`, including those of the levels below it."""
    return tuple(
        requirement
        for each_level, requirements in sorted(LEVEL_REQUIREMENTS.items())
        if each_level <= level
        for requirement in requirements
    )


def safety_level(obj: SafetyFeatures) -> SafetyLevel | None:
    """The highest level whose requirements `obj` meets; None when it does not even reach basis."""
    reached: SafetyLevel | None = None
    for level in sorted(SafetyLevel):
        if not all(requirement.is_met(obj) for requirement in requirements_for(level)):
            break
        reached = level
    return reached


def missing_features_for(obj: SafetyFeatures, level: SafetyLevel) -> list[str]:
    """Dutch phrases for what `obj` lacks to reach `level` ([] when it reaches it)."""
    return [str(r.missing) for r in requirements_for(level) if not r.is_met(obj)]


def level_q(level: SafetyLevel) -> Q:
    """SQL condition: the location reaches at least `level`."""
    return reduce(and_, (requirement.q() for requirement in requirements_for(level)))


def safety_level_expression() -> Expression:
    """SQL expression giving the level as an integer (1–3), or NULL below basis."""
    return Case(
        *(
            When(level_q(level), then=Value(int(level)))
            for level in sorted(SafetyLevel, reverse=True)
        ),
        default=Value(None),
        output_field=IntegerField(),
    )


def label_for(level: SafetyLevel | int | None) -> str:
    """Display label for a level, including "none" for locations below basis."""
    if level is None:
        return str(_("none (below basic)"))
    return str(SafetyLevel(level).label)

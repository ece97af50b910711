"""Choices for partner locations: what kind of place, how easy to walk in, how safe."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class LocationKind(models.TextChoices):
    """What kind of place a location is; conversation types allow some kinds and not others."""

    STADSLOKET = "stadsloket", _("city office (stadsloket)")
    PARTICIPATIECENTRUM = "participatiecentrum", _("participation centre")
    HUIS_VAN_DE_WIJK = "huis_van_de_wijk", _("community centre (huis van de wijk)")
    BIBLIOTHEEK = "bibliotheek", _("library")
    PARTNER = "partner", _("partner organisation")
    CLIENT_HOME = "client_home", _("at the client's home")
    REMOTE = "remote", _("by phone or video")


#: Kinds without an address, coordinates, gebied or rooms: the conversation happens at the
#: client's home or by phone/video. Physical safety features do not apply to them.
VIRTUAL_KINDS: frozenset[str] = frozenset(
    {LocationKind.CLIENT_HOME.value, LocationKind.REMOTE.value}
)

#: Every kind with an address and rooms.
PHYSICAL_KINDS: tuple[str, ...] = tuple(
    kind for kind in LocationKind.values if kind not in VIRTUAL_KINDS
)

#: "Where" phrases for sentences such as "Dit gesprekstype mag niet in een bibliotheek."
KIND_PLACE_PHRASES: dict[str, Promise] = {
    LocationKind.STADSLOKET: _("at a city office"),
    LocationKind.PARTICIPATIECENTRUM: _("in a participation centre"),
    LocationKind.HUIS_VAN_DE_WIJK: _("in a community centre"),
    LocationKind.BIBLIOTHEEK: _("in a library"),
    LocationKind.PARTNER: _("at a partner organisation"),
    LocationKind.CLIENT_HOME: _("at the client's home"),
    LocationKind.REMOTE: _("by phone or video"),
}


class Threshold(models.TextChoices):
    """How easy it is for clients to walk in (drempel)."""

    LOW = "low", _("low threshold")
    MEDIUM = "medium", _("medium threshold")
    HIGH = "high", _("high threshold")


class SafetyLevel(models.IntegerChoices):
    """Veiligheidsniveau, ordered: `level >= SafetyLevel.VERHOOGD` means "at least verhoogd".

    Never stored on a location: derived from its features by `locations.safety`.
    """

    BASIS = 1, _("basic")
    VERHOOGD = 2, _("raised")
    BEVEILIGD = 3, _("secured")


class Weekday(models.IntegerChoices):
    """Day of the week as Python's `date.weekday()` counts it: 0 is Monday."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")

"""Partner locations: gebieden and wijken, locations with their rooms, opening hours, closures
and offerings.

Derived values are never typed in twice: a location's `pc4` and `district` follow from its
postcode (`Location.derive_from_postcode`, run by `full_clean()`), its safety level from its
features (`locations.safety`, never stored). The database enforces what must never happen (check
and exclusion constraints); `clean()` says the same in Dutch before it gets that far.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TypeVar

import pghistory
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Coalesce, Left
from django.db.models.lookups import Regex
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.choices import Theme
from locations.choices import VIRTUAL_KINDS, LocationKind, SafetyLevel, Threshold, Weekday
from locations.expressions import TimeOfDayRange
from locations.geo import AMSTERDAM_BOUNDS, POSTCODE_PATTERN, normalise_postcode, pc4_of
from locations.querysets import LocationManager, RoomManager
from locations.safety import safety_level

_VIRTUAL = sorted(VIRTUAL_KINDS)

_M = TypeVar("_M", bound=models.Model)


def _tracked() -> Callable[[type[_M]], type[_M]]:
    """History (who changed what, when) for a location and the things that belong to it:
    database triggers write an append-only event row on every insert, real update and delete;
    the acting user comes from the request (pghistory.middleware.HistoryMiddleware). Shown on
    the location's history page in the beheer (`locations.history`)."""
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        append_only=True,
    )


PC4_VALIDATOR = RegexValidator(r"^[0-9]{4}$", _("A PC4 code is four digits, such as 1093."))


def _in_amsterdam(prefix: str = "") -> Q:
    """The coordinate check constraint, from the one definition of Amsterdam's bounds."""
    b = AMSTERDAM_BOUNDS
    return Q(
        **{
            f"{prefix}latitude__gte": b.min_latitude,
            f"{prefix}latitude__lte": b.max_latitude,
            f"{prefix}longitude__gte": b.min_longitude,
            f"{prefix}longitude__lte": b.max_longitude,
        }
    )


class DistrictQuerySet(models.QuerySet["District"]):
    def for_pc4(self, pc4: str) -> District | None:
        """The gebied a PC4 belongs to (uses the GIN index on `pc4_codes`)."""
        if not pc4:
            return None
        return self.filter(pc4_codes__contains=[pc4]).first()


DistrictManager = models.Manager.from_queryset(DistrictQuerySet)


class District(models.Model):
    """Gebied: part of stadsdeel Oost, made of PC4 areas; coverage is counted per gebied."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Short name used in web addresses.")
    )
    pc4_codes = ArrayField(
        models.CharField(max_length=4, validators=[PC4_VALIDATOR]),
        verbose_name=_("PC4 codes"),
        help_text=_(
            "The four-digit postcode areas in this gebied, e.g. 1091, 1092. A location's gebied "
            "follows from its postcode. Each PC4 belongs to one gebied only."
        ),
        default=list,
        blank=True,
    )
    coverage_target = models.PositiveSmallIntegerField(
        _("coverage target"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("How many suitable locations per conversation type this gebied should have."),
    )
    centre_latitude = models.DecimalField(
        _("centre latitude"),
        max_digits=9,
        decimal_places=6,
        help_text=_("Latitude of the centre of the gebied (for the map), e.g. 52.358000."),
    )
    centre_longitude = models.DecimalField(
        _("centre longitude"),
        max_digits=9,
        decimal_places=6,
        help_text=_("Longitude of the centre of the gebied (for the map), e.g. 4.921000."),
    )

    objects = DistrictManager()

    class Meta:
        verbose_name = _("gebied")
        verbose_name_plural = _("gebieden")
        ordering = ["name"]
        indexes = [GinIndex(fields=["pc4_codes"], name="district_pc4_codes_gin")]
        constraints = [
            models.CheckConstraint(
                # Every element four digits: the array joined with commas must match.
                condition=Regex(
                    Func(
                        F("pc4_codes"),
                        Value(","),
                        function="ARRAY_TO_STRING",
                        output_field=models.CharField(),
                    ),
                    r"^([0-9]{4}(,[0-9]{4})*)?$",
                ),
                name="district_pc4_codes_four_digits",
                violation_error_message=_("A PC4 code is four digits, such as 1093."),
            ),
            models.CheckConstraint(
                condition=Q(coverage_target__gte=1),
                name="district_coverage_target_positive",
            ),
            models.CheckConstraint(
                condition=_in_amsterdam("centre_"),
                name="district_centre_in_amsterdam",
                violation_error_message=_("The coordinates are not in Amsterdam."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # A PC4 in two gebieden would make a location's gebied ambiguous. PostgreSQL cannot
        # express "arrays of text do not overlap" in an exclusion constraint (no GiST operator
        # class for text[]), so this rule is checked here and by services.save_district.
        self.pc4_codes = sorted({code.strip() for code in self.pc4_codes})
        if not self.pc4_codes:
            return
        taken = (
            District.objects.filter(pc4_codes__overlap=self.pc4_codes)
            .exclude(pk=self.pk)
            .values_list("name", "pc4_codes")
        )
        for name, codes in taken:
            shared = ", ".join(sorted(set(codes) & set(self.pc4_codes)))
            raise ValidationError(
                {
                    "pc4_codes": gettext("PC4 %(codes)s already belongs to gebied %(name)s.")
                    % {"codes": shared, "name": name}
                }
            )


class Neighbourhood(models.Model):
    """Wijk: a neighbourhood inside a gebied."""

    district = models.ForeignKey(
        District,
        verbose_name=_("gebied"),
        on_delete=models.CASCADE,
        related_name="neighbourhoods",
    )
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["district__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name"],
                name="neighbourhood_unique_name_per_district",
                violation_error_message=_("This gebied already has a wijk with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Offering(models.Model):
    """Aanbod op locatie: an activity at a location (taalcafé, schuldhulp-inloop, dagbesteding…)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    theme = models.CharField(
        _("theme"),
        max_length=30,
        choices=Theme,
        help_text=_("The client theme this offering helps with; suggestions match on it."),
    )

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@_tracked()
class Location(models.Model):
    """A place where conversations can happen (locatie).

    `client_home` and `remote` are virtual locations: no address, coordinates, gebied or rooms.
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=LocationKind)
    partner_organisation = models.CharField(
        _("partner organisation"),
        max_length=150,
        blank=True,
        help_text=_("The organisation that hosts us here, if not the municipality."),
    )
    street_address = models.CharField(
        _("street and number"),
        max_length=150,
        blank=True,
        help_text=_("E.g. Oranje-Vrijstaatplein 2. Leave empty for home visits and phone/video."),
    )
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        blank=True,
        help_text=_("Like 1093 NG. The gebied follows from the first four digits."),
    )
    pc4 = models.CharField(
        _("PC4"),
        max_length=4,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("The four digits of the postcode (derived)."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Inside Amsterdam, e.g. 52.356700. Empty for home visits and phone/video."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Inside Amsterdam, e.g. 4.929000. Empty for home visits and phone/video."),
    )
    district = models.ForeignKey(
        District,
        verbose_name=_("gebied"),
        on_delete=models.PROTECT,
        related_name="locations",
        null=True,
        blank=True,
        editable=False,
        help_text=_("Derived from the postcode; empty for home visits and phone/video."),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        verbose_name=_("wijk"),
        on_delete=models.SET_NULL,
        related_name="locations",
        null=True,
        blank=True,
        help_text=_("Optional; must lie in the location's gebied."),
    )
    threshold = models.CharField(
        _("threshold"),
        max_length=10,
        choices=Threshold,
        default=Threshold.MEDIUM,
        help_text=_("How easy it is for clients to walk in. Low-threshold places rank higher."),
    )
    has_private_room = models.BooleanField(
        _("private room"),
        default=False,
        help_text=_("A room with a door that closes, where others cannot listen in."),
    )
    has_fixed_alarm = models.BooleanField(
        _("fixed or silent alarm button"),
        default=False,
        help_text=_("A fixed or silent alarm button in the room."),
    )
    has_mobile_alarm = models.BooleanField(
        _("personal or mobile alarm"),
        default=False,
        help_text=_("A personal or mobile alarm is available to staff here."),
    )
    has_escape_route = models.BooleanField(
        _("second exit or escape route"),
        default=False,
        help_text=_("Staff can leave the room by a second exit or escape route."),
    )
    has_colleague_nearby = models.BooleanField(
        _("colleague or host within reach"),
        default=False,
        help_text=_("A colleague or host is within reach, with an agreed assistance protocol."),
    )
    has_line_of_sight = models.BooleanField(
        _("line of sight from colleagues"),
        default=False,
        help_text=_("Colleagues can see into the room."),
    )
    has_reception_desk = models.BooleanField(
        _("reception or security desk"),
        default=False,
        help_text=_("A staffed reception or security desk at the entrance."),
    )
    has_camera_supervision = models.BooleanField(
        _("camera supervision"),
        default=False,
        help_text=_("Camera supervision of the entrance and waiting area."),
    )
    is_step_free = models.BooleanField(
        _("step-free access"),
        default=False,
        help_text=_("Reachable without steps for wheelchairs and walkers."),
    )
    offerings = models.ManyToManyField(
        Offering,
        verbose_name=_("offerings"),
        related_name="locations",
        blank=True,
        help_text=_("Activities on site; suggestions match them to the client's themes."),
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, help_text=_("E.g. 020 123 4567.")
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Practical notes for colleagues (no client data).")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive locations are not suggested and cannot be booked."),
    )
    open_on_public_holidays = models.BooleanField(
        _("open on public holidays"),
        default=False,
        help_text=_("Leave off to treat Dutch public holidays as closures."),
    )

    objects = LocationManager()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=POSTCODE_PATTERN),
                name="location_postcode_format",
                violation_error_message=_("Enter a postcode like 1234 AB."),
            ),
            models.CheckConstraint(
                condition=Q(pc4=Left("postcode", 4)),
                name="location_pc4_from_postcode",
                violation_error_message=_("The PC4 must be the first four digits of the postcode."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True) | _in_amsterdam(),
                name="location_coordinates_in_amsterdam",
                violation_error_message=_("The coordinates are not in Amsterdam."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=_VIRTUAL)
                | (
                    ~Q(street_address="")
                    & ~Q(postcode="")
                    & Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="location_physical_has_address",
                violation_error_message=_("A location needs an address, postcode and coordinates."),
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=_VIRTUAL)
                | Q(
                    street_address="",
                    postcode="",
                    latitude__isnull=True,
                    longitude__isnull=True,
                    district__isnull=True,
                ),
                name="location_virtual_has_no_address",
                violation_error_message=_(
                    "A home visit or phone/video location has no address or coordinates."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_virtual(self) -> bool:
        """At the client's home or by phone/video: no address, rooms or safety features."""
        return self.kind in VIRTUAL_KINDS

    @property
    def safety_level(self) -> SafetyLevel | None:
        """Derived from the features by the one rule in `locations.safety`.

        `LocationQuerySet.with_safety_level()` annotates the same value in SQL under this name
        for filtering and ordering; the Python value is always computed from the loaded
        features, so it can never disagree with them.
        """
        return safety_level(self)

    @safety_level.setter
    def safety_level(self, value: object) -> None:
        # Receives the SQL annotation of the same name; the property recomputes it instead.
        pass

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Tidy the typed postcode ("1093ng", " 1093  NG ") before its length is checked.
        self.postcode = normalise_postcode(self.postcode) or (self.postcode or "").strip()
        super().clean_fields(exclude=exclude)

    def derive_from_postcode(self) -> None:
        """THE derivation of the stored address fields, used by admin, CSV import and demo data
        alike (through `full_clean()`): normalise the postcode, then set `pc4` and `district`.
        Leaves an invalid postcode as typed (clean() reports it)."""
        if self.is_virtual:
            self.pc4 = ""
            self.district = None
            return
        normalised = normalise_postcode(self.postcode)
        if normalised is None:
            return
        self.postcode = normalised
        self.pc4 = pc4_of(normalised)
        self.district = District.objects.for_pc4(self.pc4)

    def clean(self) -> None:
        self.derive_from_postcode()
        errors: dict[str, str] = {}
        if self.is_virtual:
            message = gettext("A home visit or phone/video location has no address or coordinates.")
            for field in ("street_address", "postcode", "latitude", "longitude"):
                if getattr(self, field) not in ("", None):
                    errors[field] = message
        else:
            if not self.street_address.strip():
                errors["street_address"] = gettext("Enter the street and house number.")
            if normalise_postcode(self.postcode) is None:
                errors["postcode"] = gettext("Enter a postcode like 1234 AB.")
            elif self.district is None:
                errors["postcode"] = gettext(
                    "Postcode area %(pc4)s is not in any gebied. Add it to a gebied first."
                ) % {"pc4": self.pc4}
            if self.latitude is None or self.longitude is None:
                errors["latitude"] = gettext("Enter the coordinates of the location.")
            elif not AMSTERDAM_BOUNDS.contains(self.latitude, self.longitude):
                errors["latitude"] = gettext("The coordinates are not in Amsterdam.")
        if (
            self.neighbourhood_id is not None
            and self.neighbourhood is not None
            and self.neighbourhood.district_id != self.district_id
        ):
            errors["neighbourhood"] = gettext("This wijk is not in the location's gebied.")
        if errors:
            raise ValidationError(errors)


@_tracked()
class Room(models.Model):
    """Spreekkamer: a bookable room at a (physical) location."""

    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.CASCADE, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("E.g. Spreekkamer 2."))
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=4,
        validators=[MinValueValidator(1)],
        help_text=_("How many people fit in the room, including staff."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive rooms cannot be booked.")
    )

    objects = RoomManager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["location__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "name"],
                name="room_unique_name_per_location",
                violation_error_message=_("This location already has a room with this name."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="room_capacity_positive",
                violation_error_message=_("A room holds at least one person."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location.name} · {self.name}"

    def clean(self) -> None:
        if self.location_id is not None and self.location.is_virtual:
            raise ValidationError(gettext("A home visit or phone/video location has no rooms."))


def _room_of_location(room: Room | None, location_id: int | None) -> bool:
    return room is None or location_id is None or room.location_id == location_id


@_tracked()
class OpeningHours(models.Model):
    """Weekly opening hours of a location, or of one room.

    Rows with a room are a per-room override: when a room has any rows of its own, those
    REPLACE the location's general hours (rows without a room) for that room, on every day.
    """

    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="opening_hours",
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.CASCADE,
        related_name="opening_hours",
        null=True,
        blank=True,
        help_text=_(
            "Only for a room with its own hours; its hours then replace the location's hours."
        ),
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    opens = models.TimeField(_("opens"), help_text=_("Local time, e.g. 09:00."))
    closes = models.TimeField(_("closes"), help_text=_("Local time, e.g. 17:00."))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["location__name", "room__name", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="opening_hours_weekday_range",
            ),
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="opening_hours_close_after_open",
                violation_error_message=_("The closing time must be after the opening time."),
            ),
            # Overlap is enforced by PostgreSQL (btree_gist, activering migration 0002): per
            # location, per room (0 = the location's general hours, which a room override
            # does not overlap with) and weekday, no two [opens, closes) ranges intersect.
            # Django also runs this constraint in full_clean(), so a single bad row gets the
            # Dutch message; rows added together in one form are checked against each other by
            # services.validate_opening_hours before saving.
            ExclusionConstraint(
                name="opening_hours_no_overlap",
                index_type="gist",
                expressions=[
                    ("location", RangeOperators.EQUAL),
                    (
                        Coalesce("room", Value(0), output_field=models.BigIntegerField()),
                        RangeOperators.EQUAL,
                    ),
                    ("weekday", RangeOperators.EQUAL),
                    (TimeOfDayRange("opens", "closes"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=_("Opening hours may not overlap."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            errors["closes"] = gettext("The closing time must be after the opening time.")
        if not _room_of_location(self.room, self.location_id):
            errors["room"] = gettext("This room belongs to another location.")
        if errors:
            raise ValidationError(errors)


@_tracked()
class Closure(models.Model):
    """Sluiting: the location, or one room, is closed on these days (both inclusive)."""

    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.CASCADE, related_name="closures"
    )
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        on_delete=models.CASCADE,
        related_name="closures",
        null=True,
        blank=True,
        help_text=_("Leave empty when the whole location is closed."),
    )
    starts_on = models.DateField(_("first day"), help_text=_("First day of the closure."))
    ends_on = models.DateField(
        _("last day"), help_text=_("Last day of the closure (the same day for one day).")
    )
    reason = models.CharField(
        _("reason"), max_length=200, help_text=_("E.g. renovation, staff training.")
    )

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_on", "location__name"]
        indexes = [models.Index(fields=["location", "ends_on"], name="closure_location_ends")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="closure_ends_on_or_after_start",
                violation_error_message=_("The end of the closure must be on or after its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.starts_on:%d-%m-%Y}–{self.ends_on:%d-%m-%Y}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.starts_on is not None
            and self.ends_on is not None
            and self.ends_on < self.starts_on
        ):
            errors["ends_on"] = gettext("The end of the closure must be on or after its start.")
        if not _room_of_location(self.room, self.location_id):
            errors["room"] = gettext("This room belongs to another location.")
        if errors:
            raise ValidationError(errors)

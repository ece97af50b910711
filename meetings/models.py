"""Conversation types (gesprekstypen) and their location and safety rules.

The rules themselves (what a type needs from a location, for which client) are in
`meetings.selectors`; this model holds the data the beheerder may change. The `Meeting` model
is added by the booking work.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from locations.choices import VIRTUAL_KINDS, LocationKind, SafetyLevel
from meetings.choices import AFSTEMMINGSGESPREK


class MeetingTypeQuerySet(models.QuerySet["MeetingType"]):
    def active(self) -> MeetingTypeQuerySet:
        return self.filter(is_active=True)


MeetingTypeManager = models.Manager.from_queryset(MeetingTypeQuerySet)


class MeetingType(models.Model):
    """Gesprekstype: a kind of conversation with its duration and location/safety rules."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Short fixed name used in web addresses and by the rules; do not change."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the conversation is for, for colleagues.")
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(15), MaxValueValidator(480)],
        help_text=_("Default length; slots are offered on a 15-minute grid."),
    )
    minimum_safety_level = models.PositiveSmallIntegerField(
        _("minimum safety level"),
        choices=SafetyLevel,
        null=True,
        blank=True,
        help_text=_(
            "The safety level a location needs for this type, for a client without a risk "
            "signal. Empty: no minimum (home visits, phone/video). A client's risk signal can "
            "raise it."
        ),
    )
    allowed_kinds = ArrayField(
        models.CharField(max_length=30, choices=LocationKind),
        verbose_name=_("allowed kinds of location"),
        help_text=_("Where this conversation may take place; other kinds are never bookable."),
    )
    needs_room = models.BooleanField(
        _("needs a room"),
        default=True,
        help_text=_(
            "At a physical location, a bookable room is needed. Off for home visits and "
            "phone/video."
        ),
    )
    min_capacity = models.PositiveSmallIntegerField(
        _("minimum room capacity"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("The room must hold at least this many people (e.g. 8 for a group)."),
    )
    prefers_low_threshold = models.BooleanField(
        _("prefers low threshold"),
        default=False,
        help_text=_("Suggestions rank low-threshold locations higher for this type."),
    )
    override_allowed = models.BooleanField(
        _("override allowed"),
        default=True,
        help_text=_(
            "May a klantmanager choose a location below the safety advice, with a written "
            "reason? Off: below the required level is never bookable."
        ),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive types cannot be booked.")
    )

    objects = MeetingTypeManager()

    class Meta:
        verbose_name = _("conversation type")
        verbose_name_plural = _("conversation types")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(allowed_kinds__contained_by=LocationKind.values)
                & Q(allowed_kinds__len__gt=0),
                name="meeting_type_allowed_kinds_valid",
                violation_error_message=_("Choose at least one kind of location."),
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="meeting_type_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(min_capacity__gte=1), name="meeting_type_min_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(minimum_safety_level__isnull=True)
                | Q(minimum_safety_level__in=SafetyLevel.values),
                name="meeting_type_minimum_safety_level_valid",
            ),
            # DOMAIN.md: the afstemmingsgesprek is only held at the stadsloket, beveiligd, and
            # its safety advice is never overridden. The beheerder may edit the type, but not
            # weaken that.
            models.CheckConstraint(
                condition=~Q(slug=AFSTEMMINGSGESPREK)
                | Q(
                    allowed_kinds=[LocationKind.STADSLOKET.value],
                    override_allowed=False,
                    minimum_safety_level=SafetyLevel.BEVEILIGD.value,
                ),
                name="meeting_type_afstemming_stays_strict",
                violation_error_message=_(
                    "An afstemmingsgesprek is only held at the stadsloket, at safety level "
                    "secured, without override."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_home_visit_type(self) -> bool:
        """Only held at the client's home (keukentafelgesprek / huisbezoek)."""
        return list(self.allowed_kinds) == [LocationKind.CLIENT_HOME]

    def clean(self) -> None:
        self.allowed_kinds = sorted(set(self.allowed_kinds or []))
        if self.needs_room and self.allowed_kinds and set(self.allowed_kinds) <= VIRTUAL_KINDS:
            raise ValidationError(
                {
                    "needs_room": gettext(
                        "A type held only at home or by phone/video does not need a room."
                    )
                }
            )

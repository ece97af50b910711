"""Conversation types (gesprekstypen) and booked conversations (gesprekken).

The rules (what a type needs from a location, for which client) are in `meetings.selectors`;
writes go through `meetings.services`. The database makes double booking impossible.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import (
    ArrayField,
    DateTimeRangeField,
    RangeBoundary,
    RangeOperators,
)
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activering.models import User
from clients.choices import LadderStep
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
    is_voluntary = models.BooleanField(
        _("voluntary"),
        default=False,
        help_text=_(
            "Is attending voluntary for the client? The invitation letter says so. Off: the "
            "client is obliged to come (inlichtingen- en medewerkingsplicht)."
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


class MeetingStatus(models.TextChoices):
    """gepland → gehouden | niet verschenen | afgemeld | geannuleerd (DOMAIN rule 7)."""

    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    NO_SHOW = "no_show", _("no-show")
    EXCUSED = "excused", _("excused")
    CANCELLED = "cancelled", _("cancelled")


#: Every meeting but a cancelled one occupies its room, its staff and its client (DOMAIN rule 4).
#: An excused meeting (afgemeld) keeps its slot: it records what happened; to free the slot, the
#: klantmanager cancels.
OCCUPYING_STATUSES = (
    MeetingStatus.PLANNED,
    MeetingStatus.HELD,
    MeetingStatus.NO_SHOW,
    MeetingStatus.EXCUSED,
)


class TsTzRange(Func):
    """`tstzrange(starts_at, ends_at, '[)')` for exclusion constraints over two columns."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def _period() -> TsTzRange:
    return TsTzRange("starts_at", "ends_at", RangeBoundary())


_occupying = Q(status__in=OCCUPYING_STATUSES)


class Meeting(models.Model):
    """One booked conversation. Times are stored in UTC and shown in Europe/Amsterdam.

    The database makes double booking impossible: exclusion constraints on the room and on the
    client here, and on every staff member (host or co-host) in `StaffCommitment`.
    """

    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    meeting_type = models.ForeignKey(
        MeetingType, verbose_name=_("conversation type"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.ForeignKey(
        "locations.Location",
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("For a home visit or a phone call: the virtual location of that kind."),
    )
    room = models.ForeignKey(
        "locations.Room",
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        related_name="meetings",
        null=True,
        blank=True,
        help_text=_("Empty for a home visit or a phone/video call."),
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("klantmanager"),
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
    )
    co_host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("second colleague"),
        on_delete=models.PROTECT,
        related_name="co_hosted_meetings",
        null=True,
        blank=True,
        help_text=_("Duo conversation: required when the client has a red risk signal."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    group_size = models.PositiveSmallIntegerField(
        _("group size"), default=1, help_text=_("Number of participants, for group meetings.")
    )
    override_reason = models.TextField(
        _("reason for deviating from the safety advice"),
        blank=True,
        help_text=_("Required when the location is below the advised safety level."),
    )
    advised_level = models.PositiveSmallIntegerField(
        _("advised safety level"), choices=SafetyLevel.choices, null=True, blank=True
    )
    location_level = models.PositiveSmallIntegerField(
        _("safety level of the location when booked"),
        choices=SafetyLevel.choices,
        null=True,
        blank=True,
    )
    override_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("override reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    override_reviewed_at = models.DateTimeField(_("override reviewed at"), null=True, blank=True)
    ladder_step_measured = models.PositiveSmallIntegerField(
        _("ladder step measured"), choices=LadderStep.choices, null=True, blank=True
    )
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("last changed at"), auto_now=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["starts_at"]
        indexes = [
            # For slot and agenda lookups; the GiST indexes behind the constraints are not.
            models.Index(fields=["room", "starts_at"], name="meeting_room_start"),
            models.Index(fields=["host", "starts_at"], name="meeting_host_start"),
            models.Index(fields=["client", "starts_at"], name="meeting_client_start"),
            models.Index(fields=["starts_at"], name="meeting_start"),
            # Reach ("seen in the last 12 months") looks up held meetings per client; without
            # it the planner may probe the constraint's GiST index, which is far slower.
            models.Index(
                fields=["client", "starts_at"],
                name="meeting_client_held",
                condition=Q(status="held"),
            ),
            # The teamleider's review list: the few meetings booked below the safety advice.
            models.Index(
                fields=["client", "created_at"],
                name="meeting_client_override",
                condition=~Q(override_reason=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(co_host__isnull=True) | ~Q(co_host=F("host")),
                name="meeting_co_host_not_host",
            ),
            models.CheckConstraint(
                condition=Q(ladder_step_measured__isnull=True) | Q(status=MeetingStatus.HELD),
                name="meeting_ladder_step_only_when_held",
            ),
            ExclusionConstraint(
                name="meeting_room_no_overlap",
                expressions=[(_period(), RangeOperators.OVERLAPS), ("room", RangeOperators.EQUAL)],
                condition=_occupying & Q(room__isnull=False),
                violation_error_message=_("This room is already booked at that time."),
            ),
            ExclusionConstraint(
                name="meeting_client_no_overlap",
                expressions=[
                    (_period(), RangeOperators.OVERLAPS),
                    ("client", RangeOperators.EQUAL),
                ],
                condition=_occupying,
                violation_error_message=_("The client already has a conversation at that time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_type} · {self.client} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def has_override(self) -> bool:
        return bool(self.override_reason)

    @property
    def staff(self) -> list[User]:
        """The klantmanager and, for a duo conversation, the second colleague."""
        return [person for person in (self.host, self.co_host) if person is not None]

    @property
    def place_name(self) -> str:
        """Where it takes place: "Buurthuis, Kamer 2", or "Bij de klant thuis" (the location's
        name; never the client's address)."""
        if self.room is None or self.location.is_virtual:
            return self.location.name
        return f"{self.location.name}, {self.room.name}"


class StaffCommitment(models.Model):
    """A staff member's time taken by a meeting, as host or as co-host (one row each).

    A separate table because one exclusion constraint cannot cover "host or co-host" across two
    columns. Written only by meetings.services, in the same transaction as the meeting.
    """

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    is_occupying = models.BooleanField(_("occupies the time"), default=True)

    class Meta:
        verbose_name = _("staff commitment")
        verbose_name_plural = _("staff commitments")
        indexes = [models.Index(fields=["user", "starts_at"], name="commitment_user_start")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="commitment_once_per_meeting"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="commitment_ends_after_start"
            ),
            ExclusionConstraint(
                name="staff_no_overlap",
                expressions=[(_period(), RangeOperators.OVERLAPS), ("user", RangeOperators.EQUAL)],
                condition=Q(is_occupying=True),
                violation_error_message=_(
                    "This colleague already has a conversation at that time."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.starts_at:%Y-%m-%d %H:%M}"


class MeetingEvent(models.Model):
    """Append-only history of a meeting: booked, rescheduled, status changes (never edited)."""

    class Kind(models.TextChoices):
        BOOKED = "booked", _("booked")
        RESCHEDULED = "rescheduled", _("rescheduled")
        STATUS_CHANGED = "status_changed", _("status changed")
        OVERRIDE_REVIEWED = "override_reviewed", _("override reviewed")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("conversation"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=MeetingStatus.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(
        "locations.Room",
        verbose_name=_("room"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("conversation history entry")
        verbose_name_plural = _("conversation history")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"


class FeedToken(models.Model):
    """The secret in a klantmanager's personal calendar feed URL (`/agenda/feed/<token>.ics`).

    Only the SHA-256 hash of the token is stored: a copy of the database (a backup, a report
    replica) then gives no access to anyone's agenda, and looking a token up by its hash leaks
    nothing through timing. The URL is shown once, right after it is made; renewing replaces the
    hash, so the old URL stops working at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="feed_token",
    )
    token_hash = models.CharField(
        _("token hash"),
        max_length=64,
        unique=True,
        help_text=_("SHA-256 of the secret in the feed URL; the secret itself is not stored."),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, help_text=_("When the current link was made.")
    )

    class Meta:
        verbose_name = _("calendar feed link")
        verbose_name_plural = _("calendar feed links")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"

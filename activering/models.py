from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    """A team of klantmanagers and their teamleider; clients belong to a team via their manager."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    #: Raised by database triggers (meetings/migrations/0008) whenever something the team's
    #: coverage figures count changes (outcomes, overrides, clients, members' names): the
    #: figures are kept per process under it.
    figures_version = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff; what they may do comes from their role (a group) and its permissions."""

    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        help_text=_("Klantmanagers and teamleiders see the clients of their own team."),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("plan_meetings", _("Can plan conversations with clients")),
            ("view_team_clients", _("Can view the clients of their own team")),
            ("view_coverage", _("Can view coverage per gebied")),
            ("maintain_locations", _("Can maintain partner locations")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditAction(models.TextChoices):
    """What was done with a record that the audit log must be able to answer for."""

    VIEW_CLIENT = "view_client", _("viewed a client record")
    SET_CLIENT_RISK = "set_client_risk", _("changed a client's risk signal")
    EXPORT_CSV = "export_csv", _("exported a CSV file")
    IMPORT_CSV = "import_csv", _("imported a CSV file")


class AuditEntry(models.Model):
    """One line of the audit log: who did what to which record, and when.

    Append-only: a database trigger (migration 0004_audit_entry) refuses UPDATE and DELETE, and
    no page or admin offers a way to change an entry. Written through activering.services.
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        help_text=_("The member of staff who did it."),
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    at = models.DateTimeField(
        _("when"), help_text=_("When it happened."), default=timezone.now, db_index=True
    )
    action = models.CharField(
        _("action"), help_text=_("What was done."), max_length=40, choices=AuditAction
    )
    object_type = models.CharField(
        _("object type"),
        help_text=_("The kind of record, as app_label.model (for example clients.client)."),
        max_length=100,
    )
    object_id = models.CharField(
        _("object id"), help_text=_("The primary key of the record, as text."), max_length=64
    )
    detail = models.TextField(
        _("detail"), help_text=_("Anything else worth knowing later."), blank=True
    )

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-pk"]
        indexes = [
            # "Who looked at this client?": all entries for one record, newest first.
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object_idx"),
            models.Index(fields=["user", "-at"], name="audit_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"

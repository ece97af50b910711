from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    """A team of klantmanagers and their teamleider; clients belong to a team via their manager."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. What someone may do comes from their role (a group) and its permissions."""

    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        help_text=_("Klantmanagers and teamleiders see the clients of their own team."),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
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

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        post_migrate.connect(
            ensure_seeded_meeting_types, sender=self, dispatch_uid="meetings.seeded_types"
        )


def ensure_seeded_meeting_types(using: str = "default", **kwargs: Any) -> None:
    """The eight conversation types of DOMAIN.md always exist (the beheer cannot delete them):
    seeded by data migrations, and created again after a database flush (tests). Existing types
    are left as the beheerder edited them."""
    import importlib

    from meetings.models import MeetingType

    seed = importlib.import_module("meetings.migrations.0002_seed_meeting_types")
    voluntary = importlib.import_module(
        "meetings.migrations.0004_history_append_only_and_voluntary_types"
    ).VOLUNTARY
    for data in seed.MEETING_TYPES:
        values = {key: value for key, value in data.items() if key != "slug"}
        MeetingType.objects.using(using).get_or_create(
            slug=data["slug"], defaults={**values, "is_voluntary": data["slug"] in voluntary}
        )

"""The three roles and the permissions each holds.

Code checks permissions by codename (`user.has_perm("activering.plan_meetings")`), never by group
name; this module is the one place that says which role holds which permission.
"""

from typing import Any

from django.apps import AppConfig

KLANTMANAGER = "klantmanager"
TEAMLEIDER = "teamleider"
BEHEERDER = "beheerder"
ROLES = (KLANTMANAGER, TEAMLEIDER, BEHEERDER)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    KLANTMANAGER: (
        "activering.plan_meetings",
        "activering.view_team_clients",
        # Read-only: locations and conversation types (staff pages, booking).
        "locations.view_location",
        "meetings.view_meetingtype",
    ),
    TEAMLEIDER: (
        "activering.plan_meetings",
        "activering.view_team_clients",
        "activering.view_coverage",
        "locations.view_location",
        "meetings.view_meetingtype",
    ),
    BEHEERDER: (
        "activering.maintain_locations",
        # Maintains partner locations and everything about them, and the conversation types.
        *(
            f"locations.{action}_{model}"
            for model in (
                "district",
                "neighbourhood",
                "offering",
                "location",
                "room",
                "openinghours",
                "closure",
            )
            for action in ("add", "change", "delete", "view")
        ),
        *(f"meetings.{action}_meetingtype" for action in ("add", "change", "delete", "view")),
    ),
}


def sync_role_permissions(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Give each role group exactly the permissions in ROLE_PERMISSIONS (post_migrate receiver)."""
    from django.contrib.auth.models import Group, Permission

    # post_migrate is sent once per app, and each app's permissions only exist after its own
    # signal: syncing on every signal keeps the groups right whatever the app order.
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = set(names)
        permissions = [
            permission
            for permission in Permission.objects.using(using).select_related("content_type")
            if f"{permission.content_type.app_label}.{permission.codename}" in wanted
        ]
        group.permissions.set(permissions)

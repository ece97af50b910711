from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ActiveringConfig(AppConfig):
    name = "activering"
    verbose_name = _("Activering")

    def ready(self) -> None:
        from activering.roles import sync_role_permissions

        # Runs after Django has created the permissions of every app (also for the test database),
        # so each role always holds exactly the permissions listed in activering.roles.
        post_migrate.connect(sync_role_permissions, dispatch_uid="activering.sync_role_permissions")

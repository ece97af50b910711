"""`manage.py demo [addrport]`: the one command that serves the app with demo data."""

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from activering.devsetup import SetupError, compile_translations, ensure_frontend_packages


class Command(BaseCommand):
    help = (
        "Install front-end packages if missing, start the embedded database, migrate, load the "
        "demo data when the database is empty, print the demo logins and serve the app."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="Address and port to serve on."
        )

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("The demo only runs with DEBUG on (development machines).")
        try:
            if ensure_frontend_packages():
                self.stdout.write("Front-end packages installed.")
        except SetupError as error:
            raise CommandError(str(error)) from error
        compile_translations()
        call_command("migrate", interactive=False, verbosity=0)
        if not get_user_model().objects.exists():
            self.stdout.write("Loading demo data (first run)…")
            call_command("load_demo_data")
        call_command("print_demo_logins")
        # No autoreloader: its child process would hold the embedded database and be killed
        # without stopping it (STACK-NOTES 1g).
        call_command("runserver", addrport, use_reloader=False)

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from activering import demo as staff_demo
from clients import demo as clients_demo
from locations import demo as locations_demo
from meetings import demo as meetings_demo


class Command(BaseCommand):
    help = "Load the fictional demo data (idempotent). Refuses to run with DEBUG off."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo data is for development only; DEBUG is off.")
        with transaction.atomic():
            staff = staff_demo.create_staff()
            locations = locations_demo.create_locations()
            clients = clients_demo.create_clients()
        # Outside the transaction above: every booking is its own durable transaction
        # (meetings.services), exactly as in the app.
        meetings = meetings_demo.create_meetings()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(staff)} staff accounts, {len(locations)} locations, "
                f"{clients} clients, {meetings} conversations."
            )
        )

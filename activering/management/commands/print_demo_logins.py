from typing import Any

from django.core.management.base import BaseCommand

from activering.demo import DEMO_PASSWORD, demo_logins
from activering.roles import KLANTMANAGER


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        klantmanagers = [name for name, role in logins if role == KLANTMANAGER]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING(f"Demo logins (password: {DEMO_PASSWORD})"))
        self.stdout.write(f"  {KLANTMANAGER}: {klantmanagers[0]} … {klantmanagers[-1]}")
        for name, role in logins:
            if role != KLANTMANAGER:
                self.stdout.write(f"  {role}: {name}")
        self.stdout.write("")

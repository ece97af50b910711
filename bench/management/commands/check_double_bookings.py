from typing import Any

from django.core.management.base import BaseCommand, CommandError

from meetings.selectors import find_double_bookings


class Command(BaseCommand):
    help = "Look for overlapping non-cancelled meetings (room, client, staff); fail if any."

    def handle(self, *args: Any, **options: Any) -> None:
        found = find_double_bookings()
        if found:
            for pair in found[:20]:
                self.stdout.write(str(pair))
            raise CommandError(f"{len(found)} double bookings")
        self.stdout.write("none")

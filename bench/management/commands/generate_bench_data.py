import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from bench.generate import generate, is_generated
from bench.scales import SCALES


class Command(BaseCommand):
    help = "Fill an empty database with benchmark data at a scale (oost, amsterdam)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="oost")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, scale: str, seed: int, **options: Any) -> None:
        if connection.settings_dict["NAME"] in {"activering", "postgres"}:
            raise CommandError(
                "Refusing to fill the demo/default database: set ACTIVERING_DATABASE_NAME "
                "(manage.py bench does this for you)."
            )
        if is_generated():
            self.stdout.write("Benchmark data already present.")
            return
        started = time.monotonic()
        counts = generate(SCALES[scale], seed=seed, log=self.stdout.write)
        self.stdout.write(
            f"Generated {scale}: {counts.meetings} meetings in {time.monotonic() - started:.1f} s"
        )

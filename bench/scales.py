"""The two data scales of the benchmark (issue: city scale)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    districts: int
    locations: int
    rooms: int
    klantmanagers: int
    clients: int
    meetings: int
    past_weeks: int
    planned_weeks: int


SCALES = {
    "oost": Scale("oost", 4, 30, 80, 25, 5_000, 60_000, 96, 8),
    "amsterdam": Scale("amsterdam", 22, 300, 900, 600, 40_000, 500_000, 96, 8),
    # For the generator's own tests.
    "tiny": Scale("tiny", 2, 6, 12, 4, 80, 600, 10, 2),
}

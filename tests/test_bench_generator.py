"""The benchmark: its data generator is realistic and never double-books (bench/generate.py), and
the command runs its mix without errors."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from bench.generate import generate
from bench.scales import SCALES
from clients.models import Client
from locations.geo import AMSTERDAM_TZ
from locations.selectors import open_intervals
from meetings.models import Meeting, MeetingStatus, StaffCommitment
from meetings.selectors import find_double_bookings

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


def test_tiny_scale_has_its_counts_no_overlaps_and_meetings_inside_opening_hours():
    scale = SCALES["tiny"]
    counts = generate(scale, today=TODAY, log=lambda line: None)

    assert counts.meetings == Meeting.objects.count() == scale.meetings
    assert Client.objects.count() == scale.clients
    assert StaffCommitment.objects.count() == scale.meetings
    assert find_double_bookings() == []
    # Past meetings have outcomes, future ones are planned.
    now = datetime.datetime.combine(TODAY, datetime.time(), tzinfo=AMSTERDAM_TZ)
    assert (
        not Meeting.objects.filter(starts_at__gte=now + datetime.timedelta(days=7))
        .exclude(status=MeetingStatus.PLANNED)
        .exists()
    )
    assert Meeting.objects.filter(status=MeetingStatus.HELD).exists()
    # Every meeting lies inside its room's opening hours (a sample of days, all rooms).
    sample = Meeting.objects.order_by("starts_at")[:: max(1, scale.meetings // 40)]
    for meeting in sample:
        day = meeting.starts_at.astimezone(AMSTERDAM_TZ).date()
        intervals = open_intervals(
            rooms=[meeting.room], start=day, end=day + datetime.timedelta(days=1)
        )[meeting.room_id]
        inside = [start <= meeting.starts_at and meeting.ends_at <= end for start, end in intervals]
        assert any(inside), meeting


@pytest.mark.django_db(transaction=True)
def test_the_bench_command_runs_the_mix_without_errors_at_tiny_scale(tmp_path):
    """`manage.py bench` end to end on its own database: generate, gunicorn, a few seconds of
    the locust mix (every page, booking included), the double-booking check. The command fails
    on any error in the mix, as the bench did when the confirm step hid a required duo."""
    out = io.StringIO()
    call_command(
        "bench", scale="tiny", seconds=6, warmup=0, users=2, workers=2,
        results_dir=tmp_path, stdout=out,
    )  # fmt: skip
    [result] = tmp_path.glob("tiny-*.json")
    report = json.loads(result.read_text())
    assert report["errors"] == 0 and report["double_bookings_ok"]
    assert {"healthz", "suggestions", "agenda", "client search"} <= set(report["pages"])
    assert "Double bookings: none" in out.getvalue()

"""The benchmark's data generator: realistic and never double-booked (bench/generate.py)."""

import datetime

import pytest

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

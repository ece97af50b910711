"""Browser journey: the agenda week, other weeks in place, a conversation, cancelling it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from locations.geo import AMSTERDAM_TZ
from meetings.choices import KENNISMAKING
from meetings.services import schedule_meeting
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import ClientFactory, meeting_type
from tests.meetings.world import bookable_room, klantmanager

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next_weekday_at_10() -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=AMSTERDAM_TZ)


def test_agenda_week_meeting_and_cancel(page: Page, live_server, csp_errors):
    user = klantmanager()
    room = bookable_room(opens=8, closes=20)
    client = ClientFactory(case_manager=user, first_name="Naima", last_name="El Idrissi")
    starts_at = _next_weekday_at_10()
    meeting = schedule_meeting(
        client=client,
        meeting_type=meeting_type(KENNISMAKING),
        location=room.location,
        room=room,
        starts_at=starts_at,
        host=user,
        by=user,
    )
    log_in(page, live_server, user.username)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Agenda").click()
    expect(page).to_have_title("Agenda · Activering Oost")
    if starts_at.date() - datetime.timedelta(days=starts_at.weekday()) != (
        timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    ):
        page.get_by_role("link", name="Volgende week").click()
    link = page.get_by_role("link", name=re.compile(r"^Kennismaking"))
    expect(link).to_be_visible()
    expect(page.get_by_text(f"{client.klantnummer} Naima El Idrissi")).to_be_visible()
    expect(page.get_by_text("10:00–11:00")).to_be_visible()
    assert_no_axe_violations(page)

    # Other weeks in place (htmx), with the URL kept shareable and focus on the new week.
    heading = page.locator("#agenda-week-heading")
    shown = heading.inner_text()
    with page.expect_response(re.compile(r"/agenda/\?week=")):
        page.get_by_role("link", name="Volgende week").click()
    expect(heading).not_to_have_text(shown)
    expect(page).to_have_url(re.compile(r"/agenda/\?week=\d{4}-W\d{2}$"))
    expect(heading).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    with page.expect_response(re.compile(r"/agenda/\?week=")):
        page.get_by_role("link", name="Vorige week").click()
    expect(heading).to_have_text(shown)
    assert_no_axe_violations(page)

    link.click()
    expect(page).to_have_url(re.compile(reverse("meetings:detail", args=[meeting.pk]) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Kennismaking"))
    assert_no_axe_violations(page)

    page.locator("summary", has_text="Annuleer het gesprek").click()
    page.get_by_label("Reden van annuleren").fill("Klant belde af: ziek.")
    page.get_by_role("button", name="Annuleer het gesprek").click()
    result = page.get_by_role("status").filter(has_text="Het gesprek is geannuleerd.")
    expect(result).to_be_visible()
    expect(result).to_be_focused()
    expect(page.locator(".app-status--cancelled").first).to_have_text("geannuleerd")
    expect(page.get_by_role("cell", name="Klant belde af: ziek.")).to_be_visible()
    assert_no_axe_violations(page)
    assert csp_errors == []

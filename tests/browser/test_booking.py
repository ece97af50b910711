"""A klantmanager books a conversation on the one booking page (htmx, no reload), finds it in the
agenda and cancels it."""

import re
from datetime import time

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from activering.roles import KLANTMANAGER
from locations.geo import AMSTERDAM_TZ
from meetings.models import Meeting, MeetingStatus
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import (
    ClientFactory,
    LocationFactory,
    OpeningHoursFactory,
    RoomFactory,
    UserFactory,
    meeting_type,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _place(name: str, **traits) -> None:
    location = LocationFactory(name=name, **traits)
    for weekday in range(7):
        OpeningHoursFactory(location=location, weekday=weekday, opens=time(8), closes=time(20))
    RoomFactory(location=location, name="Spreekkamer 1", capacity=4)


def test_book_a_conversation_from_search_to_confirmation(page: Page, live_server, csp_errors):
    user = UserFactory(role=KLANTMANAGER)
    ClientFactory(first_name="Naima", last_name="El Idrissi", case_manager=user, postcode="1093 KL")
    ClientFactory(first_name="Jan", last_name="de Vries", case_manager=user)
    meeting_type("kennismaking")
    meeting_type("voortgangsgesprek")
    _place("PostOost", verhoogd=True)
    _place("Buurthuis Dapper", basis=True)
    log_in(page, live_server, user.username)

    navigation = page.get_by_role("navigation", name="Hoofdmenu")
    navigation.get_by_role("link", name="Plan gesprek").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan gesprek")
    assert_no_axe_violations(page)

    with page.expect_response(re.compile(r"/gesprekken/nieuw/\?q=idris")):
        page.get_by_label("Zoek een klant").press_sequentially("idris", delay=30)
    results = page.locator("#client-results")
    expect(results.get_by_role("link")).to_have_count(1)
    results.get_by_role("link", name="Naima El Idrissi").click()
    expect(page).to_have_url(re.compile(r"\?client=\d+$"))
    expect(page.get_by_text("Kies een gesprekstype: de plekken en vrije tijden")).to_be_visible()

    # Choosing a type updates the suggestions in place: no full page load.
    page.evaluate("window.__sameDocument = true")
    kennismaking = page.get_by_role("radio", name=re.compile(r"^Kennismaking"))
    page.locator("label", has_text="Kennismaking / diagnose").click()
    expect(kennismaking).to_be_checked()
    suggestions = page.locator("#suggestions")
    expect(suggestions.get_by_role("heading", name="PostOost")).to_be_visible()
    expect(suggestions.get_by_text("Laagdrempelig").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"type=kennismaking"))
    assert page.evaluate("window.__sameDocument") is True
    assert_no_axe_violations(page)

    first_card = suggestions.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name="PostOost")
    )
    first_card.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Controleer en bevestig")).to_be_focused()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Gesprek plannen").click()

    expect(page.get_by_role("heading", name="Het gesprek is gepland")).to_be_visible()
    meeting = Meeting.objects.get()
    expect(page).to_have_url(
        re.compile(re.escape(reverse("meetings:confirmation", args=[meeting.pk])) + "$")
    )
    assert meeting.location.name == "PostOost"
    assert meeting.host == user
    expect(page.get_by_role("link", name="Zet in mijn agenda (.ics)")).to_be_visible()
    assert_no_axe_violations(page)

    # The whole journey: the new conversation is in the agenda, and is cancelled from there.
    week = meeting.starts_at.astimezone(AMSTERDAM_TZ).isocalendar()
    page.goto(f"{live_server.url}{reverse('meetings:agenda')}?week={week.year}-W{week.week:02d}")
    link = page.get_by_role("link", name=re.compile(r"^Kennismaking"))
    expect(link).to_be_visible()
    assert_no_axe_violations(page)
    link.click()
    page.locator("summary", has_text="Annuleer het gesprek").click()
    page.get_by_label("Reden van annuleren").fill("Klant belde af.")
    page.get_by_role("button", name="Annuleer het gesprek").click()
    cancelled = page.get_by_role("status").filter(has_text="Het gesprek is geannuleerd.")
    expect(cancelled).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert csp_errors == []

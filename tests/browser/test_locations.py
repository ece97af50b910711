import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from activering.roles import KLANTMANAGER
from locations.choices import LocationKind
from meetings.choices import AFSTEMMINGSGESPREK, KENNISMAKING
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import (
    DistrictFactory,
    LocationFactory,
    OfferingFactory,
    OpeningHoursFactory,
    RoomFactory,
    UserFactory,
    meeting_type,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def locations_in_two_gebieden():
    meeting_type(KENNISMAKING)
    meeting_type(AFSTEMMINGSGESPREK)
    oud_oost = DistrictFactory()
    watergraafsmeer = DistrictFactory(
        name="Watergraafsmeer",
        pc4_codes=["1096", "1097", "1098"],
        centre_latitude="52.346000",
        centre_longitude="4.931000",
    )
    postoost = LocationFactory(name="PostOost", district=oud_oost, verhoogd=True)
    postoost.offerings.set([OfferingFactory(name="Taalcafé")])
    RoomFactory(location=postoost, name="Spreekkamer 1")
    OpeningHoursFactory(location=postoost)
    LocationFactory(
        name="OBA Linnaeusstraat",
        kind=LocationKind.BIBLIOTHEEK,
        district=oud_oost,
        latitude="52.358900",
        longitude="4.926100",
    )
    LocationFactory(
        name="Buurthuis Middenmeer",
        district=watergraafsmeer,
        postcode="1097 DN",
        pc4="1097",
        latitude="52.345600",
        longitude="4.932100",
    )


def test_filter_the_list_in_place_and_open_a_location(page: Page, live_server, csp_errors):
    locations_in_two_gebieden()
    user = UserFactory(role=KLANTMANAGER)
    log_in(page, live_server, user.username)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Locaties").click()
    expect(page).to_have_title("Locaties · Activering Oost")
    expect(page.get_by_role("status")).to_have_text("3 locaties gevonden.")
    expect(page.locator("#location-map img.leaflet-marker-icon")).to_have_count(3)
    assert_no_axe_violations(page)

    # A marker on the page before the swap; a full page load would replace it.
    page.evaluate("document.body.dataset.unchanged = 'yes'")
    gebied = page.get_by_label("Gebied")
    gebied.focus()
    with page.expect_response(re.compile(r"/locaties/\?gebied=watergraafsmeer$")):
        gebied.select_option(label="Watergraafsmeer")
    results = page.locator("#location-results")
    expect(results.get_by_role("link")).to_have_count(1)
    expect(results.get_by_role("link", name="Buurthuis Middenmeer")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("1 locatie gevonden.")
    expect(page).to_have_url(re.compile(r"/locaties/\?gebied=watergraafsmeer$"))
    expect(page.locator("#location-map img.leaflet-marker-icon")).to_have_count(1)
    assert page.evaluate("document.body.dataset.unchanged") == "yes"  # no page load
    expect(gebied).to_be_focused()  # the user can go on choosing filters
    assert_no_axe_violations(page)

    # Back returns to the unfiltered list (fetched again: hx-history="false").
    page.go_back()
    expect(page).to_have_url(re.compile(r"/locaties/$"))
    expect(page.get_by_role("status")).to_have_text("3 locaties gevonden.")
    expect(page.locator("#location-map img.leaflet-marker-icon")).to_have_count(3)

    page.locator("#location-results").get_by_role("link", name="PostOost").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PostOost")
    expect(page.get_by_text("Openingstijden deze week")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Afstemmingsgesprek"))).to_contain_text(
        "Niet geschikt"
    )
    expect(page.get_by_role("row", name=re.compile("Kennismaking"))).to_contain_text("Geschikt")
    assert_no_axe_violations(page)
    assert csp_errors == []


def test_filters_work_without_javascript(browser, live_server):
    locations_in_two_gebieden()
    user = UserFactory(role=KLANTMANAGER)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, user.username)
    page.goto(f"{live_server.url}{reverse('locations:list')}")
    page.get_by_label("Soort locatie").select_option(label="Bibliotheek")
    page.get_by_role("button", name="Toon locaties").click()
    expect(page).to_have_url(re.compile(r"soort=bibliotheek"))
    expect(page.locator("#location-results").get_by_role("link")).to_have_count(1)
    expect(page.get_by_role("link", name="OBA Linnaeusstraat")).to_be_visible()
    context.close()

"""The beheer in a real browser: Django's admin under our strict Content Security Policy."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from activering.roles import BEHEERDER
from locations.models import Location
from tests.browser.conftest import log_in
from tests.factories import LocationFactory, OpeningHoursFactory, RoomFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_beheer_pages_work_without_csp_errors(page: Page, live_server, csp_errors):
    user = UserFactory(role=BEHEERDER, team=None)
    location = LocationFactory(name="Buurthuis De Ketel", verhoogd=True)
    RoomFactory(location=location, name="Spreekkamer 1")
    OpeningHoursFactory(location=location)
    log_in(page, live_server, user.username)

    page.goto(f"{live_server.url}{reverse('admin:index')}")
    locations_link = page.locator("#locations-location").get_by_role("link", name="Locaties")
    expect(locations_link).to_be_visible()
    locations_link.click()
    expect(page.get_by_role("link", name="Buurthuis De Ketel")).to_be_visible()
    page.get_by_role("link", name="Buurthuis De Ketel").click()

    # Edit through the form with its inlines (the admin's JavaScript adds the extra rows).
    page.locator("#id_name").fill("De Ketel")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("De Ketel")
    assert Location.objects.get(pk=location.pk).name == "De Ketel"

    page.goto(f"{live_server.url}{reverse('admin:locations_location_history', args=[location.pk])}")
    expect(page.get_by_role("table", name="Wijzigingen van De Ketel")).to_contain_text(
        user.username
    )
    page.goto(f"{live_server.url}{reverse('admin:locations_location_import')}")
    expect(page.get_by_label("CSV-bestand")).to_be_visible()
    page.goto(f"{live_server.url}{reverse('admin:locations_location_add')}")
    expect(page.locator("#id_name")).to_be_visible()
    assert csp_errors == []

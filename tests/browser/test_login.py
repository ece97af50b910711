import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from activering.roles import KLANTMANAGER
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_through_the_real_form_and_the_home_page_passes_axe(
    page: Page, live_server, csp_errors
):
    user = UserFactory(role=KLANTMANAGER, first_name="Samira")
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}{reverse('login')}?next=/")
    expect(page).to_have_title("Inloggen · Activering Oost")
    assert_no_axe_violations(page)

    log_in(page, live_server, user.username)

    expect(page.get_by_role("heading", level=1)).to_have_text("Goed je te zien, Samira")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    assert_no_axe_violations(page)
    assert csp_errors == []


def test_skip_link_is_the_first_stop_for_the_keyboard(page: Page, live_server):
    user = UserFactory(role=KLANTMANAGER)
    log_in(page, live_server, user.username)
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from activering.roles import KLANTMANAGER
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import ClientFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_as_you_type_and_open_a_client(page: Page, live_server, csp_errors):
    user = UserFactory(role=KLANTMANAGER)
    ClientFactory(first_name="Naima", last_name="El Idrissi", case_manager=user, rood=True)
    ClientFactory(first_name="Jan", last_name="de Vries", case_manager=user)
    ClientFactory.create_batch(3, last_name="Bakker")
    log_in(page, live_server, user.username)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Klanten").click()
    expect(page).to_have_title("Klanten · Activering Oost")
    expect(page.get_by_role("status")).to_have_text("5 klanten gevonden.")
    assert_no_axe_violations(page)

    search = page.get_by_label("Zoek een klant")
    # Typing only: no submit. htmx swaps the results in place and keeps the URL shareable.
    with page.expect_response(re.compile(r"/klanten/\?q=idris")):
        search.press_sequentially("idris", delay=30)
    results = page.locator("#client-results")
    expect(results.get_by_role("link")).to_have_count(1)
    expect(results.get_by_role("link", name="Naima El Idrissi")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("1 klant gevonden.")
    expect(page).to_have_url(re.compile(r"/klanten/\?q=idris$"))
    expect(search).to_be_focused()  # typing goes on undisturbed
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_no_axe_violations(page)

    results.get_by_role("link", name="Naima El Idrissi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Naima El Idrissi")
    expect(page.get_by_text("Nog geen gesprekken.")).to_be_visible()
    expect(page.get_by_text("rood", exact=True)).to_be_visible()
    assert_no_axe_violations(page)
    assert csp_errors == []


def test_search_works_without_javascript(browser, live_server):
    user = UserFactory(role=KLANTMANAGER)
    ClientFactory(first_name="Jan", last_name="de Vries", case_manager=user)
    ClientFactory(first_name="Naima", last_name="El Idrissi", case_manager=user)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, live_server, user.username)
    page.goto(f"{live_server.url}{reverse('clients:list')}")
    page.get_by_label("Zoek een klant").fill("vries")
    page.get_by_role("button", name="Zoeken").click()
    expect(page).to_have_url(re.compile(r"\?q=vries$"))
    expect(page.locator("#client-results").get_by_role("link")).to_have_count(1)
    expect(page.get_by_role("link", name="Jan de Vries")).to_be_visible()
    context.close()

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from meetings.choices import SEEDED_SLUGS
from tests.browser.conftest import assert_no_axe_violations, log_in
from tests.factories import meeting_type
from tests.meetings.coverage_world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teamleider_finds_the_gap_in_oud_oost_and_plans_a_conversation(
    page: Page, live_server, csp_errors
):
    for slug in SEEDED_SLUGS:  # a transactional test starts without the seeded types
        meeting_type(slug)
    world = build_world()
    never_seen = world.clients["C10"]
    log_in(page, live_server, world.teamleider.username)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Dekking").click()
    expect(page).to_have_title("Dekking · Activering Oost")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dekking per gebied")
    matrix = page.get_by_role("table", name=re.compile("Geschikte locaties tegenover"))
    oud_oost = matrix.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Oud-Oost"))
    cell_link = oud_oost.get_by_role(
        "link", name="Kennismaking / diagnose (klantbeeld) in Oud-Oost: 3 locaties"
    )
    expect(cell_link).to_be_visible()
    expect(oud_oost.get_by_text("tekort: 2").first).to_be_visible()
    assert_no_axe_violations(page)

    # Filters update the results in place and keep the address shareable.
    page.get_by_label("Gebied", exact=True).select_option(label="Oud-Oost")
    with page.expect_response(re.compile(r"/dekking/\?.*gebied=oud-oost")):
        page.get_by_role("button", name="Toon cijfers").click()
    expect(page).to_have_url(re.compile(r"/dekking/\?.*gebied=oud-oost"))
    expect(matrix.get_by_role("rowheader", name="Watergraafsmeer")).to_have_count(0)
    expect(page.get_by_text("Gebied: Oud-Oost.")).to_be_focused()
    assert_no_axe_violations(page)

    # The cell: suitable locations and the near-misses with what they lack.
    cell_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kennismaking / diagnose (klantbeeld) in Oud-Oost"
    )
    expect(page.get_by_text("geen spreekkamer open ≥ 8 uur per week")).to_be_visible()
    expect(page.get_by_text("geen spreekkamer voor 2 personen")).to_be_visible()
    assert_no_axe_violations(page)

    # Review an override without leaving the page (htmx swaps the row).
    page.get_by_role("link", name="Terug naar dekking per gebied").click()
    page.get_by_role("button", name="Markeer als beoordeeld (9000006)").click()
    row = page.locator(f"#override-{world.meetings['M8'].pk}")
    expect(row.get_by_text(re.compile(r"^Beoordeeld door .* op "))).to_be_focused()
    expect(page.get_by_role("button", name="Markeer als beoordeeld (9000006)")).to_have_count(0)

    # Plan a conversation with a client not seen for more than 12 months.
    page.get_by_role("link", name=f"Plan gesprek met {never_seen.full_name}").click()
    expect(page).to_have_url(
        re.compile(re.escape(f"{reverse('meetings:new')}?client={never_seen.pk}") + "$")
    )
    assert csp_errors == []

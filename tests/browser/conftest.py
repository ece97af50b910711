import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

_axe = Axe()


def assert_no_axe_violations(page: Page) -> None:
    """Run axe-core (WCAG 2.1 A/AA rules and best practices) on the current page."""
    results = _axe.run(page)
    violations = results.response["violations"]
    assert not violations, results.generate_report()


def log_in(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()


@pytest.fixture
def csp_errors(page: Page) -> list[str]:
    """Console messages about the Content Security Policy; a page must produce none."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors

import os
import shutil
from pathlib import Path

import pytest

from activering.roles import BEHEERDER, KLANTMANAGER, TEAMLEIDER
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in the test thread; the ORM calls in browser tests
# are still synchronous and safe (STACK-NOTES 4b).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FOUND = Path(CHROMIUM).exists()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip browser tests when Chromium is missing, except in CI where that must fail."""
    if CHROMIUM_FOUND or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    """What a fresh clone needs before the first test: compiled translations (before Django
    loads any catalogue) and the npm packages the pages link to."""
    from activering.devsetup import compile_translations, ensure_frontend_packages

    compile_translations()
    ensure_frontend_packages()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches (rendered fragments, and the static location data
    kept per process)."""
    from django.core.cache import cache

    from activering.caching import forget_all

    cache.clear()
    forget_all()
    yield
    cache.clear()
    forget_all()


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    """The test client and the live server speak plain HTTP, whatever the deployment settings
    say (with DATABASE_URL they default to HTTPS only). Session-wide, so it is in place before
    the live server builds its middleware."""
    from django.test import override_settings

    with override_settings(
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,  # a browser would remember it for localhost
    ):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def klantmanager(db):
    return UserFactory(role=KLANTMANAGER)


@pytest.fixture
def teamleider(db):
    return UserFactory(role=TEAMLEIDER)


@pytest.fixture
def beheerder(db):
    return UserFactory(role=BEHEERDER, team=None)

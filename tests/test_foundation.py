import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from activering.demo import DEMO_PASSWORD, create_staff, demo_logins
from activering.models import User
from activering.roles import BEHEERDER, KLANTMANAGER, ROLE_PERMISSIONS, TEAMLEIDER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def nav_labels(response) -> list[str]:
    nav = re.search(r'<nav class="app-nav".*?</nav>', response.content.decode(), re.S)
    assert nav, "no main navigation"
    return re.findall(r'class="ams-link app-nav__link"[^>]*>([^<]+)</a>', nav.group(0))


def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/beheer/")
    assert response.status_code == 302
    # The admin hands over to the one login page of the product.
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"].startswith(reverse("login"))

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_login_page_is_dutch_by_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert "<title>Inloggen · Activering Oost</title>" in html
    assert "Gebruikersnaam" in html
    assert "Wachtwoord" in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (KLANTMANAGER, ["Start", "Klanten", "Plan gesprek", "Agenda", "Dekking", "Locaties"]),
        (TEAMLEIDER, ["Start", "Klanten", "Plan gesprek", "Agenda", "Dekking", "Locaties"]),
        (BEHEERDER, ["Start", "Locaties", "Beheer"]),
    ],
)
def test_each_role_sees_its_own_navigation(client, role, expected):
    client.force_login(UserFactory(role=role))
    response = client.get("/")
    assert response.status_code == 200
    assert nav_labels(response) == expected


def test_login_through_the_form_with_a_demo_account(client):
    create_staff()
    response = client.post(
        reverse("login"), {"username": "teamleider1", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "teamleider1"
    assert response.redirect_chain[-1][0] == reverse("home")


def test_wrong_password_gets_a_dutch_form_error_not_a_500(client, klantmanager):
    response = client.post(
        reverse("login"), {"username": klantmanager.username, "password": "fout"}
    )
    assert response.status_code == 200
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in response.content.decode()


@pytest.mark.parametrize("path", ["/beheer/", "/beheer/auth/group/", "/beheer/activering/user/"])
def test_klantmanager_gets_403_on_beheer_pages(client, klantmanager, path):
    client.force_login(klantmanager)
    response = client.get(path)
    assert response.status_code == 403
    assert "Je hebt geen toegang tot deze pagina" in response.content.decode()


def test_beheerder_reaches_beheer(client, beheerder):
    client.force_login(beheerder)
    response = client.get("/beheer/")
    assert response.status_code == 200


def test_healthz_needs_no_login_and_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_language_switch_to_english_and_back(client, klantmanager):
    client.force_login(klantmanager)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Sign out" in html

    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="nl">' in html
    assert "Uitloggen" in html


def test_language_switch_works_on_the_login_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert "Sign in" in client.get(reverse("login")).content.decode()


def test_csp_header_carries_a_nonce_and_no_unsafe_inline(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce, csp
    assert "unsafe-inline" not in csp
    assert "style-src 'self'" in csp
    # The nonce reaches htmx's script tag.
    assert f'nonce="{nonce.group(1)}"' in response.content.decode()


def test_htmx_is_configured_for_csp_and_error_swaps(client):
    html = client.get(reverse("login")).content.decode()
    assert "htmx-2.min.js" in html
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1)
    assert '"includeIndicatorStyles": false' in config
    assert '{"code": "422", "swap": true}' in config
    assert '{"code": "409", "swap": true}' in config


def test_page_has_skip_link_landmarks_and_title(client, klantmanager):
    client.force_login(klantmanager)
    html = client.get("/").content.decode()
    assert '<a class="ams-skip-link" href="#main">Direct naar de inhoud</a>' in html
    assert '<main id="main"' in html
    assert '<nav class="app-nav" aria-label="Hoofdmenu">' in html
    assert "<title>Start · Activering Oost</title>" in html


def test_roles_hold_exactly_their_permissions():
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(names)


def test_beheerder_may_not_see_clients_and_klantmanager_may_not_maintain(beheerder, klantmanager):
    assert not beheerder.has_perm("activering.view_team_clients")
    assert klantmanager.has_perm("activering.view_team_clients")
    assert not klantmanager.has_perm("activering.maintain_locations")


def test_demo_staff_is_idempotent_and_every_login_works(client):
    # The full demo load (locations, clients, meetings) is tested in
    # tests/meetings/test_demo_meetings.py; the staff part is what the logins need.
    create_staff()
    create_staff()
    assert User.objects.count() == len(demo_logins()) == 28
    for username, role in demo_logins():
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert client.login(username=username, password=DEMO_PASSWORD)


def test_demo_data_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo_data")
    assert not User.objects.exists()

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activering.models import AuditEntry
from activering.roles import KLANTMANAGER
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("clients:list")
HTMX = {"HX-Request": "true"}


def detail_url(client) -> str:
    return reverse("clients:detail", args=[client.pk])


@pytest.fixture
def signed_in(client, klantmanager):
    client.force_login(klantmanager)
    return client


def test_list_page_has_the_search_form_and_the_team_clients(signed_in, klantmanager):
    own = ClientFactory(case_manager=klantmanager, first_name="Naima", last_name="El Idrissi")
    response = signed_in.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Klanten · Activering Oost</title>" in html
    assert html.count("<h1") == 1
    # A real form with a submit button (works without JavaScript) ...
    assert f'<form method="get" action="{LIST}" role="search"' in html
    assert '<label class="ams-label" for="client-search">Zoek een klant</label>' in html
    assert '<button type="submit" class="ams-button ams-button--primary">Zoeken</button>' in html
    # ... and search-as-you-type with htmx that keeps the URL shareable.
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-target="#client-results"' in html
    assert 'hx-push-url="true"' in html
    assert (
        '<p id="client-search-status" class="ams-paragraph" role="status">1 klant gevonden.' in html
    )
    assert "<caption" in html and 'scope="col"' in html
    assert f'href="{detail_url(own)}">Naima El Idrissi</a>' in html
    assert "(jij)" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_htmx_search_gets_only_the_results_fragment(signed_in):
    ClientFactory(first_name="Naima", last_name="El Idrissi")
    ClientFactory(first_name="Jan", last_name="de Vries")
    response = signed_in.get(LIST, {"q": "vries"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<h1" not in html and "<form" not in html
    assert "Jan de Vries" in html and "Naima" not in html
    assert "Klanten met “vries”" in html  # the table caption
    # The count goes out of band into the live region that stays on the page.
    assert (
        '<template><p id="client-search-status" hx-swap-oob="innerHTML">'
        "1 klant gevonden.</p></template>"
    ) in html
    assert "HX-Request" in response["Vary"]


def test_plain_request_with_a_query_gets_the_whole_page(signed_in):
    ClientFactory(first_name="Jan", last_name="de Vries")
    html = signed_in.get(LIST, {"q": "vries"}).content.decode()
    assert "<html" in html
    assert 'value="vries"' in html
    assert "Jan de Vries" in html


def test_htmx_history_restore_gets_the_whole_page(signed_in):
    headers = HTMX | {"HX-History-Restore-Request": "true"}
    html = signed_in.get(LIST, {"q": "x"}, headers=headers).content.decode()
    assert "<html" in html


def test_no_results_says_so(signed_in):
    ClientFactory(first_name="Jan")
    html = signed_in.get(LIST, {"q": "zzzz"}, headers=HTMX).content.decode()
    assert "<table" not in html
    assert "Geen klanten gevonden voor “zzzz”." in html


@pytest.mark.parametrize("query", ["%", "_", "'; drop table x; --", "a" * 5000, "\x00"])
def test_odd_input_is_never_a_500(signed_in, query):
    ClientFactory()
    assert signed_in.get(LIST, {"q": query}, headers=HTMX).status_code == 200


def test_more_results_than_shown_are_announced(signed_in):
    ClientFactory.create_batch(27, last_name="Jansen")
    html = signed_in.get(LIST, {"q": "jansen"}).content.decode()
    assert "27 klanten gevonden; de eerste 25 staan hieronder." in html
    assert html.count('class="ams-link" href="/klanten/') == 25


def test_the_beheerder_may_not_open_the_client_list(client, beheerder):
    client.force_login(beheerder)
    assert client.get(LIST).status_code == 403
    assert client.get(LIST, headers=HTMX).status_code == 403


def test_list_views_write_no_audit_entries(signed_in):
    ClientFactory.create_batch(3)
    signed_in.get(LIST)
    signed_in.get(LIST, {"q": "a"}, headers=HTMX)
    assert not AuditEntry.objects.exists()


def count_queries(django_client, url, **kwargs) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert django_client.get(url, **kwargs).status_code == 200
    return len(queries)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_list_query_count_stays_constant_as_clients_grow(signed_in, klantmanager, headers):
    ClientFactory.create_batch(3)
    few = count_queries(signed_in, LIST, headers=headers)
    ClientFactory.create_batch(27)
    # A few new klantmanagers too: the case manager comes with the client (select_related).
    ClientFactory.create_batch(3, case_manager=klantmanager)
    many = count_queries(signed_in, LIST, headers=headers)
    assert few == many
    # session, user, the user's permissions (2), the search with its total.
    assert many == 5


def test_detail_shows_the_client_and_writes_the_audit_log(signed_in, klantmanager):
    client = ClientFactory(
        rood=True,
        first_name="Naima",
        last_name="El Idrissi",
        klantnummer="4711001",
        postcode="1094 AB",
        address="Javastraat 12",
        preferred_language="ber",
        themes=["debts", "health"],
        needs_step_free=True,
    )
    response = signed_in.get(detail_url(client))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Naima El Idrissi · Klanten · Activering Oost</title>" in html
    assert '<h1 class="ams-heading ams-heading--1">Naima El Idrissi</h1>' in html
    for text in [
        "Klantnummer 4711001",
        "Javastraat 12, 1094 AB Amsterdam",
        "1094",
        "Tamazight (Berbers)",
        "schulden, gezondheid",
        "Nodig: alleen plekken zonder drempels of trappen",
        "rood",
        "Heeft een medewerker bedreigd",
        str(client.case_manager),
        "Nog geen gesprekken.",
    ]:
        assert text in html, text
    assert "BSN" not in html
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.object_type, entry.object_id) == (
        klantmanager,
        "view_client",
        "clients.client",
        str(client.pk),
    )


def test_every_view_of_a_client_is_logged(signed_in, teamleider, client):
    record = ClientFactory()
    signed_in.get(detail_url(record))
    signed_in.get(detail_url(record))
    client.force_login(teamleider)
    client.get(detail_url(record))
    assert AuditEntry.objects.filter(action="view_client", object_id=str(record.pk)).count() == 3


def test_another_teams_client_is_404_and_not_logged(signed_in):
    elsewhere = ClientFactory(
        case_manager=UserFactory(role=KLANTMANAGER, team__name="Team Activering West")
    )
    response = signed_in.get(detail_url(elsewhere))
    assert response.status_code == 404
    assert not AuditEntry.objects.exists()


def test_an_absurd_id_is_a_404_not_a_500(signed_in):
    assert signed_in.get("/klanten/99999999999999999999999/").status_code == 404


def test_the_beheerder_gets_404_on_a_client(client, beheerder):
    record = ClientFactory()
    client.force_login(beheerder)
    assert client.get(detail_url(record)).status_code == 404
    assert client.get(reverse("clients:detail", args=[record.pk + 1000])).status_code == 404
    assert not AuditEntry.objects.exists()


def test_detail_query_count_is_fixed(signed_in, django_assert_num_queries):
    record = ClientFactory(oranje=True)
    # session, user, permissions (2), the client with its klantmanager and who set the risk,
    # the audit insert, and (+1, meetings.agenda.meetings_for_client) its conversations.
    with django_assert_num_queries(7):
        assert signed_in.get(detail_url(record)).status_code == 200


def test_navigation_offers_clients_to_klantmanagers(signed_in):
    html = signed_in.get("/").content.decode()
    assert f'href="{LIST}">Klanten</a>' in html

"""/dekking/ over HTTP: access per role, what each role sees, htmx fragment, constant queries as
the data grows, the CSV exports with their audit entries, and reviewing a safety override."""

import csv
import io
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activering.models import AuditAction, AuditEntry
from activering.roles import BEHEERDER
from meetings.models import MeetingEvent
from tests.factories import UserFactory
from tests.meetings.coverage_world import NOW, World, build_world, grow

pytestmark = pytest.mark.django_db

URL = reverse("meetings:coverage")
PERIOD_QUERY = "?van=2026-09-01&tot=2026-10-31"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world() -> World:
    return build_world()


def page(client, user, query: str = PERIOD_QUERY, **headers):
    client.force_login(user)
    response = client.get(URL + query, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# Access ----------------------------------------------------------------------------------------


def test_the_beheerder_gets_403_everywhere(client, world):
    client.force_login(UserFactory(role=BEHEERDER, team=None))
    m8 = world.meetings["M8"]
    for url in (
        URL,
        reverse("meetings:coverage-cell", args=["oud-oost", "kennismaking"]),
        reverse("meetings:coverage-matrix-csv"),
        reverse("meetings:coverage-reach-csv"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("meetings:coverage-review", args=[m8.pk])).status_code == 403
    assert not AuditEntry.objects.exists()


def test_signed_out_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_teamleider_sees_the_whole_team(client, world):
    html = page(client, world.teamleider)
    text = text_of(html)
    assert "Dekking per gebied" in text
    # Oud-Oost kennismaking: 3 of target 5, short by 2, in text (with a symbol), not colour only.
    cell = re.search(
        r'<td class="[^"]*app-coverage-cell--short">\s*'
        r'<a[^>]*href="/dekking/oud-oost/kennismaking/".*?</td>',
        html,
        re.S,
    )
    assert cell, "no short Oud-Oost kennismaking cell"
    assert "3 locaties" in text_of(cell.group(0))
    assert "tekort: 2" in text_of(cell.group(0))
    assert 'class="app-coverage-status__icon" aria-hidden="true"' in cell.group(0)
    assert "n.v.t." in text
    # Both not-seen clients of the team, with a "plan gesprek" link into the booking page.
    c9, c10 = world.clients["C9"], world.clients["C10"]
    for client_ in (c9, c10):
        assert f'href="{reverse("meetings:new")}?client={client_.pk}"' in html
    assert "9000009" in text and "9000010" in text
    assert "Anna Eerst" in text and "Bert Tweede" in text
    # Review buttons for the two open overrides; the other team's override is not there.
    assert html.count("Markeer als beoordeeld") == 2
    assert "Ander team." not in html


def test_a_klantmanager_sees_only_their_own_numbers(client, world):
    html = page(client, world.km1)
    text = text_of(html)
    assert "Jouw dekking" in text
    assert "Bert Tweede" not in text  # no other klantmanager's row or list
    assert "9000010" in text  # own client never seen
    assert "9000009" not in text  # KM2's client
    assert f"?client={world.clients['C9'].pk}" not in html
    assert "Markeer als beoordeeld" not in html  # a klantmanager does not review
    assert "nog niet beoordeeld" in text  # own open override M15
    assert "Oranje, maar de klant komt alleen in de buurt." not in text  # KM2's override


def test_a_klantmanager_cannot_review(client, world):
    client.force_login(world.km2)
    m8 = world.meetings["M8"]
    response = client.post(reverse("meetings:coverage-review", args=[m8.pk]))
    assert response.status_code == 403
    m8.refresh_from_db()
    assert m8.override_reviewed_at is None


# htmx and filters ------------------------------------------------------------------------------


def test_htmx_gets_only_the_results_and_the_response_varies(client, world):
    client.force_login(world.teamleider)
    response = client.get(URL + PERIOD_QUERY, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and '<form method="get"' not in html
    assert "Geschikte locaties per gebied" in html
    assert "data-focus-after-swap" in html
    assert "HX-Request" in response["Vary"]


def test_the_filter_form_keeps_its_values_and_works_without_javascript(client, world):
    query = PERIOD_QUERY + "&gebied=watergraafsmeer&type=heronderzoek"
    html = page(client, world.teamleider, query)
    assert 'hx-get="/dekking/"' in html and 'hx-push-url="true"' in html
    assert 'action="/dekking/"' in html
    assert 'value="2026-09-01"' in html and 'value="2026-10-31"' in html
    text = text_of(html)
    assert "Periode: 1 september 2026 tot en met 31 oktober 2026." in text
    assert "Gebied: Watergraafsmeer." in text
    assert 'href="/dekking/watergraafsmeer/heronderzoek/"' in html
    assert 'href="/dekking/oud-oost/' not in html


@pytest.mark.parametrize(
    "query",
    [
        "?van=gisteren&tot=morgen",
        "?van=2026-10-31&tot=2026-09-01",
        "?gebied=nergens&type=bestaat-niet",
        "?van=1900-01-01&tot=2026-01-01",
        "?van=99999-01-01",
        "?gebied=%00",
    ],
)
def test_bad_filters_are_a_message_not_an_error(client, world, query):
    text = text_of(page(client, world.teamleider, query))
    assert "Niet alle filters zijn begrepen; deze zijn niet toegepast" in text


# Constant queries ------------------------------------------------------------------------------


def count_queries(client, headers=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL + PERIOD_QUERY, headers=headers or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("user_key", ["teamleider", "km1"])
def test_the_page_takes_the_same_number_of_queries_as_the_data_grows(client, world, user_key):
    client.force_login(getattr(world, user_key))
    small = (count_queries(client), count_queries(client, {"HX-Request": "true"}))
    # 3 → 30+ locations, 10 → 60+ clients, ~17 → 117 meetings.
    grow(world, locations=27, clients=50, meetings=100)
    large = (count_queries(client), count_queries(client, {"HX-Request": "true"}))
    assert small == large
    # Full page: session + user (2), the user's permissions (2), the team's data version and
    # the location data version (2), districts, types and matrix (3), the team's members (1,
    # for a teamleider), where (1), reach (3), no-shows (1), overrides (2), and the filter
    # form's gebied and type options (2). The fragment right after: the figures, districts and
    # matrix are kept (nothing changed), so session, user, permissions, versions and types.
    assert large == {"teamleider": (19, 7), "km1": (18, 7)}[user_key]


# Cell page -------------------------------------------------------------------------------------


def test_the_cell_page_lists_suitable_locations_and_near_misses(client, world):
    client.force_login(world.km1)
    response = client.get(reverse("meetings:coverage-cell", args=["oud-oost", "heronderzoek"]))
    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "Heronderzoek (mondeling) in Oud-Oost" in text
    assert "1 geschikte locatie van de 5: tekort van 4." in text
    assert "Stadsloket" in text
    assert "Partner alarm" in text and "geen alarmknop of mobiel alarm" in text
    assert "Partner kort" in text and "geen spreekkamer open ≥ 8 uur per week" in text
    assert "Bieb klein" not in text  # a library is not allowed for a heronderzoek


def test_the_cell_page_of_a_phone_type_explains_and_unknown_cells_are_404(client, world):
    client.force_login(world.teamleider)
    response = client.get(reverse("meetings:coverage-cell", args=["oud-oost", "telefonisch-video"]))
    assert "dekking is niet van toepassing" in response.content.decode()
    missing = client.get(reverse("meetings:coverage-cell", args=["nergens", "kennismaking"]))
    assert missing.status_code == 404


# CSV exports -----------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_the_matrix_csv_for_excel_is_audit_logged(client, world):
    client.force_login(world.teamleider)
    response = client.get(reverse("meetings:coverage-matrix-csv") + "?type=kennismaking")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="dekking-2026-11-23.csv"'
    assert read_csv(response) == [
        ["Gebied", "Streefaantal", "Kennismaking / diagnose (klantbeeld)",
         "Kennismaking / diagnose (klantbeeld): status"],
        ["Oud-Oost", "5", "3", "tekort"],
        ["Watergraafsmeer", "2", "2", "gehaald"],
    ]  # fmt: skip
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.object_type, entry.object_id) == (
        world.teamleider,
        AuditAction.EXPORT_CSV,
        "meetings.coverage",
        "dekking",
    )
    assert "type=kennismaking" in entry.detail


def test_the_full_matrix_csv_marks_home_and_phone_types_not_applicable(client, world):
    client.force_login(world.teamleider)
    rows = read_csv(client.get(reverse("meetings:coverage-matrix-csv")))
    header, oud_oost = rows[0], rows[1]
    phone = header.index("Telefonisch / video")
    assert oud_oost[phone] == "n.v.t."
    assert len(rows) == 3


def test_the_reach_csv_per_role_is_audit_logged(client, world):
    client.force_login(world.teamleider)
    rows = read_csv(client.get(reverse("meetings:coverage-reach-csv")))
    assert rows == [
        ["Indeling", "Naam", "Actieve klanten", "Gezien in de afgelopen 12 maanden",
         "Niet gezien", "Bereik (%)"],
        ["Gebied", "Oud-Oost", "5", "4", "1", "80,0"],
        ["Gebied", "Watergraafsmeer", "3", "2", "1", "66,7"],
        ["Gebied", "Buiten de gebieden", "1", "1", "0", "100,0"],
        ["Klantmanager", "Anna Eerst", "6", "5", "1", "83,3"],
        ["Klantmanager", "Bert Tweede", "3", "2", "1", "66,7"],
        ["Totaal", "Totaal", "9", "7", "2", "77,8"],
    ]  # fmt: skip
    client.force_login(world.km2)
    own = read_csv(client.get(reverse("meetings:coverage-reach-csv") + "?gebied=oud-oost"))
    assert own[1:] == [
        ["Gebied", "Oud-Oost", "2", "1", "1", "50,0"],  # C5 seen, C9 not
        ["Klantmanager", "Bert Tweede", "2", "1", "1", "50,0"],
        ["Totaal", "Totaal", "2", "1", "1", "50,0"],
    ]
    entries = list(AuditEntry.objects.order_by("at", "pk").values_list("user", "object_id"))
    assert entries == [(world.teamleider.pk, "bereik"), (world.km2.pk, "bereik")]


# Reviewing an override -------------------------------------------------------------------------


def test_the_teamleider_reviews_an_override_with_htmx(client, world):
    client.force_login(world.teamleider)
    m8 = world.meetings["M8"]
    response = client.post(
        reverse("meetings:coverage-review", args=[m8.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr id="override-{m8.pk}">')
    assert "Beoordeeld door" in html and "data-focus-after-swap" in html
    assert "Markeer als beoordeeld" not in html
    m8.refresh_from_db()
    assert m8.override_reviewed_by == world.teamleider
    assert m8.override_reviewed_at == NOW
    assert MeetingEvent.objects.filter(
        meeting=m8, kind=MeetingEvent.Kind.OVERRIDE_REVIEWED, by=world.teamleider
    ).exists()


def test_reviewing_works_without_javascript_and_stays_on_the_site(client, world):
    client.force_login(world.teamleider)
    m15 = world.meetings["M15"]
    url = reverse("meetings:coverage-review", args=[m15.pk])
    response = client.post(url, {"next": URL + PERIOD_QUERY}, follow=True)
    assert response.redirect_chain[-1][0] == URL + PERIOD_QUERY
    assert "De afwijking bij 9000001 is gemarkeerd als beoordeeld." in text_of(
        response.content.decode()
    )
    response = client.post(url, {"next": "https://example.org/"})
    assert response["Location"] == URL
    assert client.get(url).status_code == 405


def test_reviewing_another_teams_meeting_or_one_without_override_is_404(client, world):
    client.force_login(world.teamleider)
    for key in ("M13", "M14"):  # team B's override; a meeting without override
        url = reverse("meetings:coverage-review", args=[world.meetings[key].pk])
        assert client.post(url).status_code == 404, key

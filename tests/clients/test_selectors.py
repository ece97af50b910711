import pytest
from django.db import connection
from django.http import Http404

from activering.roles import BEHEERDER, KLANTMANAGER, TEAMLEIDER
from clients.models import Client
from clients.selectors import get_client_for, search_clients
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_team_client():
    colleague_elsewhere = UserFactory(role=KLANTMANAGER, team__name="Team Activering Noord")
    return ClientFactory(case_manager=colleague_elsewhere)


def test_klantmanagers_and_teamleiders_see_the_clients_of_their_own_team(
    klantmanager, teamleider, other_team_client
):
    own = ClientFactory(case_manager=klantmanager)
    colleagues = ClientFactory()  # another klantmanager in the same team
    for user in (klantmanager, teamleider):
        assert set(Client.objects.visible_to(user)) == {own, colleagues}
        assert get_client_for(user=user, pk=colleagues.pk) == colleagues


def test_another_teams_client_is_a_404(klantmanager, other_team_client):
    with pytest.raises(Http404):
        get_client_for(user=klantmanager, pk=other_team_client.pk)


def test_the_beheerder_sees_no_client_at_all(beheerder):
    client = ClientFactory()
    assert not Client.objects.visible_to(beheerder).exists()
    with pytest.raises(Http404):
        get_client_for(user=beheerder, pk=client.pk)
    # Even a beheerder who happens to be in the team: the permission decides, not the team.
    beheerder_in_team = UserFactory(role=BEHEERDER)
    assert beheerder_in_team.team_id == client.case_manager.team_id
    assert not Client.objects.visible_to(beheerder_in_team).exists()


def test_staff_without_a_team_see_nothing():
    ClientFactory()
    assert not Client.objects.visible_to(UserFactory(role=TEAMLEIDER, team=None)).exists()


def test_a_missing_client_is_the_same_404(klantmanager):
    with pytest.raises(Http404):
        get_client_for(user=klantmanager, pk=999_999)


def names(result) -> list[str]:
    return [client.full_name for client in result.clients]


@pytest.fixture
def people(klantmanager):
    return {
        "naima": ClientFactory(
            first_name="Naima", last_name="El Idrissi", klantnummer="4711001", postcode="1094 AB"
        ),
        "jan": ClientFactory(
            first_name="Jan", last_name="de Vries", klantnummer="4722002", postcode="1093 KL"
        ),
        "ayse": ClientFactory(
            first_name="Ayşe", last_name="Yılmaz", klantnummer="5811003", postcode="1094 CD"
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("naima", ["Naima El Idrissi"]),
        ("IDRIS", ["Naima El Idrissi"]),  # any part of a name, any case
        ("vries", ["Jan de Vries"]),
        ("jan de vries", ["Jan de Vries"]),  # every word must match
        ("jan idrissi", []),
        ("Ayşe", ["Ayşe Yılmaz"]),
        ("4711001", ["Naima El Idrissi"]),  # klantnummer
        ("47", ["Naima El Idrissi", "Jan de Vries"]),  # start of a klantnummer
        ("001", []),  # klantnummers match from the start only
        ("1094", ["Naima El Idrissi", "Ayşe Yılmaz"]),  # PC4
        ("1094ab", ["Naima El Idrissi"]),  # postcode, typed loosely
        ("1094 c", ["Ayşe Yılmaz"]),
        ("100%_", []),  # LIKE wildcards are plain text
    ],
)
def test_search_by_name_klantnummer_or_postcode(klantmanager, people, query, expected):
    result = search_clients(user=klantmanager, query=query)
    assert sorted(names(result)) == sorted(expected)
    assert result.total == len(expected)


def test_search_only_within_the_team_and_only_active_clients(klantmanager, other_team_client):
    ClientFactory(first_name="Sem", last_name="Actief")
    ClientFactory(first_name="Sem", last_name="Uitgestroomd", is_active=False)
    other_team_client.first_name = "Sem"
    other_team_client.save()
    assert names(search_clients(user=klantmanager, query="sem")) == ["Sem Actief"]


def test_without_a_query_own_clients_come_first_then_by_name(klantmanager):
    ClientFactory(first_name="Anna", last_name="Aalders")
    ClientFactory(first_name="Bas", last_name="Zomer", case_manager=klantmanager)
    ClientFactory(first_name="Cor", last_name="Bakker", case_manager=klantmanager)
    result = search_clients(user=klantmanager, query="   ")
    assert result.query == ""
    assert names(result) == ["Cor Bakker", "Bas Zomer", "Anna Aalders"]


def test_limit_and_total(klantmanager):
    ClientFactory.create_batch(7, last_name="Jansen")
    result = search_clients(user=klantmanager, query="jansen", limit=5)
    assert len(result.clients) == 5
    assert result.total == 7
    assert result.has_more


def test_search_is_one_query_with_the_case_manager(klantmanager, django_assert_num_queries):
    ClientFactory.create_batch(30)
    # Permissions are cached on the user object after the first check.
    klantmanager.has_perm("activering.view_team_clients")
    with django_assert_num_queries(1):
        result = search_clients(user=klantmanager, query="")
        assert {str(client.case_manager) for client in result.clients}


def test_a_beheerder_search_finds_nothing(beheerder):
    ClientFactory()
    result = search_clients(user=beheerder, query="")
    assert result.clients == [] and result.total == 0


@pytest.mark.parametrize(
    ("lookup", "index"),
    [
        ({"last_name__icontains": "vries"}, "client_last_name_trgm"),
        ({"first_name__icontains": "naim"}, "client_first_name_trgm"),
        ({"klantnummer__startswith": "471"}, "client_klantnummer_prefix"),
        ({"postcode__startswith": "1094 A"}, "client_postcode_prefix"),
    ],
)
def test_the_search_lookups_can_use_their_indexes(lookup, index):
    """The index expressions match the SQL Django writes (UPPER(col::text) LIKE …), so the
    planner can use them once the table is large; here we forbid the sequential scan to see it."""
    ClientFactory.create_batch(3)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert index in Client.objects.filter(**lookup).explain()

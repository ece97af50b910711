from collections import Counter

import pytest

from activering.demo import create_staff
from clients.choices import Risk
from clients.demo import DEMO_CLIENT_COUNT, create_clients
from clients.models import Client

pytestmark = pytest.mark.django_db

OOST_PC4 = {"1019", "1086", "1087", "1091", "1092", "1093", "1094", "1095", "1096", "1097", "1098"}


def test_demo_clients_are_realistic_spread_and_idempotent(django_assert_max_num_queries):
    create_staff()
    with django_assert_max_num_queries(10):  # bulk, not one insert per client
        assert create_clients() == DEMO_CLIENT_COUNT == 600
    first_run = set(Client.objects.values_list("klantnummer", flat=True))
    assert create_clients() == 600
    assert set(Client.objects.values_list("klantnummer", flat=True)) == first_run

    clients = list(Client.objects.select_related("case_manager"))
    assert len(clients) == 600
    assert {client.pc4 for client in clients} == OOST_PC4
    risks = Counter(client.risk for client in clients)
    assert 0.80 < risks[Risk.GROEN] / 600 < 0.90
    assert 0.08 < risks[Risk.ORANJE] / 600 < 0.16
    assert 0.01 < risks[Risk.ROOD] / 600 < 0.06
    assert all(
        client.risk_reason and client.risk_set_at for client in clients if client.risk != "groen"
    )
    ladder = Counter(client.ladder_step for client in clients)
    assert ladder[1] + ladder[2] + ladder[3] > 0.75 * 600
    assert all(client.themes for client in clients)
    per_manager = Counter(client.case_manager.username for client in clients)
    assert set(per_manager.values()) == {24}
    assert len(per_manager) == 25
    for client in clients[::15]:
        client.full_clean()


def test_no_demo_clients_without_demo_klantmanagers():
    assert create_clients() == 0
    assert not Client.objects.exists()

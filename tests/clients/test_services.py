import datetime as dt

import pytest
import time_machine

from activering.models import AuditEntry
from activering.roles import KLANTMANAGER
from clients.choices import Risk
from clients.services import ClientNotVisible, RiskReasonRequired, set_client_risk
from tests.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC)


@time_machine.travel(NOON, tick=False)
def test_setting_a_risk_records_who_when_and_an_audit_entry(klantmanager):
    client = ClientFactory()
    updated = set_client_risk(
        client=client,
        risk=Risk.ORANJE,
        reason="  Dreigend taalgebruik aan de balie. ",
        by=klantmanager,
    )
    updated.refresh_from_db()
    assert updated.risk == Risk.ORANJE
    assert updated.risk_reason == "Dreigend taalgebruik aan de balie."
    assert updated.risk_set_by == klantmanager
    assert updated.risk_set_at == NOON
    entry = AuditEntry.objects.get()
    assert (entry.user, entry.action, entry.object_type, entry.object_id) == (
        klantmanager,
        "set_client_risk",
        "clients.client",
        str(client.pk),
    )
    assert entry.detail == "groen → oranje"
    assert entry.at == NOON


def test_back_to_green_clears_the_reason_but_keeps_who_and_when(klantmanager):
    client = ClientFactory(rood=True)
    updated = set_client_risk(client=client, risk=Risk.GROEN, reason="", by=klantmanager)
    assert updated.risk == Risk.GROEN
    assert updated.risk_reason == ""
    assert updated.risk_set_by == klantmanager
    assert AuditEntry.objects.get().detail == "rood → groen"


def test_orange_or_red_without_a_reason_is_refused_with_a_dutch_message(klantmanager):
    client = ClientFactory()
    with pytest.raises(RiskReasonRequired) as error:
        set_client_risk(client=client, risk=Risk.ROOD, reason="  ", by=klantmanager)
    assert str(error.value) == "Geef een reden voor een oranje of rood risicosignaal."
    client.refresh_from_db()
    assert client.risk == Risk.GROEN
    assert not AuditEntry.objects.exists()


def test_only_the_clients_team_may_change_the_risk(beheerder):
    client = ClientFactory()
    outsider = UserFactory(role=KLANTMANAGER, team__name="Team Activering Zuid")
    for user in (outsider, beheerder):
        with pytest.raises(ClientNotVisible):
            set_client_risk(client=client, risk=Risk.ORANJE, reason="Zomaar.", by=user)
    client.refresh_from_db()
    assert client.risk == Risk.GROEN
    assert not AuditEntry.objects.exists()

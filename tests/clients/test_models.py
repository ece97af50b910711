import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, connection, transaction

from clients.choices import LadderStep, Risk, Theme
from clients.models import Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def unsaved_client(case_manager, **fields) -> Client:
    values = {
        "klantnummer": "1234567",
        "first_name": "Naima",
        "last_name": "El Idrissi",
        "postcode": "1094 AB",
        "case_manager": case_manager,
        "ladder_step": LadderStep.ISOLATED,
    }
    return Client(**values | fields)


def test_orange_without_a_reason_is_refused_by_the_database(klantmanager):
    with pytest.raises(IntegrityError, match="client_risk_reason_required"), transaction.atomic():
        ClientFactory(case_manager=klantmanager, risk=Risk.ORANJE, risk_reason="")


def test_a_reason_of_only_spaces_does_not_count(klantmanager):
    with pytest.raises(IntegrityError, match="client_risk_reason_required"), transaction.atomic():
        ClientFactory(case_manager=klantmanager, risk=Risk.ROOD, risk_reason="   \n ")


def test_clean_asks_for_a_reason_in_dutch(klantmanager):
    client = unsaved_client(klantmanager, risk=Risk.ROOD, risk_reason=" ")
    with pytest.raises(ValidationError) as error:
        client.full_clean()
    assert error.value.message_dict["risk_reason"] == [
        "Geef een reden voor een oranje of rood risicosignaal."
    ]


def test_green_needs_no_reason_and_orange_with_a_reason_is_fine(klantmanager):
    unsaved_client(klantmanager).full_clean()
    ClientFactory(oranje=True)
    ClientFactory(rood=True)
    assert Client.objects.filter(risk__in=[Risk.ORANJE, Risk.ROOD]).count() == 2


def test_postcode_is_normalised_and_pc4_derived_by_the_database(klantmanager):
    client = unsaved_client(klantmanager, postcode=" 1094ab ")
    client.full_clean()
    client.save()
    assert client.postcode == "1094 AB"
    assert client.pc4 == "1094"  # a generated column, returned on insert
    assert Client.objects.get(pc4="1094") == client


@pytest.mark.parametrize("postcode", ["1094", "0123 AB", "1094 A1", "10945AB"])
def test_bad_postcode_is_a_form_error_and_refused_by_the_database(klantmanager, postcode):
    client = unsaved_client(klantmanager, postcode=postcode)
    with pytest.raises(ValidationError) as error:
        client.full_clean()
    assert "postcode" in error.value.message_dict
    with pytest.raises(IntegrityError, match="client_postcode_format"), transaction.atomic():
        client.save()


@pytest.mark.parametrize("klantnummer", ["123456", "12345678", "12345a7"])
def test_klantnummer_has_seven_digits(klantmanager, klantnummer):
    client = unsaved_client(klantmanager, klantnummer=klantnummer)
    with pytest.raises(ValidationError) as error:
        client.full_clean()
    assert "Een klantnummer heeft precies 7 cijfers." in error.value.message_dict["klantnummer"]
    # Too short or not digits: the check constraint; too long: the column's length.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        client.save()


def test_klantnummer_is_unique(klantmanager):
    ClientFactory(klantnummer="7654321")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientFactory(klantnummer="7654321")


def test_unknown_theme_and_ladder_step_are_refused_by_the_database(klantmanager):
    with pytest.raises(IntegrityError, match="client_themes_valid"), transaction.atomic():
        ClientFactory(themes=[Theme.DEBTS, "astrology"])
    with pytest.raises(IntegrityError, match="client_ladder_step_range"), transaction.atomic():
        ClientFactory(ladder_step=7)


def test_who_and_when_of_the_risk_signal_go_together(klantmanager):
    with pytest.raises(IntegrityError, match="client_risk_set_by_and_at"), transaction.atomic():
        ClientFactory(risk_set_by=klantmanager)


def test_theme_labels_are_translated_in_a_fixed_order():
    client = ClientFactory(themes=[Theme.LANGUAGE, Theme.FINANCES])
    assert client.theme_labels == ["financiën", "taal"]


def test_no_bsn_anywhere_on_a_client():
    """Privacy rule 9: a klantnummer identifies a client; no BSN field, label or column."""
    forbidden = ("bsn", "burgerservicenummer", "citizen service number", "social security")
    texts = []
    for field in Client._meta.get_fields():
        texts.append(field.name)
        for attribute in ("verbose_name", "help_text", "db_column"):
            value = getattr(field, attribute, None)
            if value:
                texts.append(str(value))
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, Client._meta.db_table)
    texts += [column.name for column in columns]
    assert "klantnummer" in texts
    offending = [text for text in texts if any(word in text.lower() for word in forbidden)]
    assert offending == []

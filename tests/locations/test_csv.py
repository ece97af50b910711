"""CSV export and import of locations with their rooms: preview with per-row errors, then all
or nothing."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activering.models import AuditAction, AuditEntry
from locations import csv_io
from locations.demo import create_districts, create_locations
from locations.models import Location, Room
from tests.factories import DistrictFactory, LocationFactory, OfferingFactory, RoomFactory

pytestmark = pytest.mark.django_db

HEADER = ";".join(csv_io.HEADERS)


def line(**overrides: str) -> str:
    values = {
        "naam": "Buurthuis De Ketel",
        "soort": "huis_van_de_wijk",
        "partnerorganisatie": "Dynamo",
        "adres": "Wijttenbachstraat 36",
        "postcode": "1093jc",
        "breedtegraad": "52,361400",
        "lengtegraad": "4,926300",
        "wijk": "",
        "drempel": "laagdrempelig",
        "prive_ruimte": "ja",
        "alarmknop": "ja",
        "mobiel_alarm": "nee",
        "vluchtweg": "ja",
        "collega_binnen_bereik": "ja",
        "zichtlijn_collegas": "",
        "receptie_of_beveiliging": "nee",
        "cameratoezicht": "nee",
        "drempelvrij": "ja",
        "open_op_feestdagen": "nee",
        "aanbod": "",
        "contactpersoon": "Fatima",
        "contact_telefoon": "020 123 4567",
        "notities": "",
        "actief": "ja",
        "ruimte": "Spreekkamer 1",
        "ruimte_capaciteit": "4",
        "ruimte_actief": "ja",
    } | overrides
    return ";".join(values[header] for header in csv_io.HEADERS)


def csv_text(*lines: str) -> str:
    return "\n".join([HEADER, *lines]) + "\n"


@pytest.fixture
def oud_oost():
    return DistrictFactory()


@pytest.fixture
def beheer(client, beheerder):
    client.force_login(beheerder)
    return client


def upload(beheer, text: str | bytes, name: str = "locaties.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return beheer.post(
        reverse("admin:locations_location_import"),
        {"file": SimpleUploadedFile(name, data, content_type="text/csv")},
    )


def confirm(beheer, preview):
    payload = preview.context["payload"]
    assert payload
    return beheer.post(reverse("admin:locations_location_import"), {"payload": payload})


# Planning and importing (the service) ----------------------------------------------------------


def test_a_good_file_imports_all_locations_and_rooms(oud_oost, beheerder):
    taalcafe = OfferingFactory(name="Taalcafé")
    text = csv_text(
        line(aanbod="Taalcafé"),
        line(aanbod="Taalcafé", ruimte="Zaal", ruimte_capaciteit="12"),
        line(naam="PostOost", soort="partner", postcode="1093 JC", ruimte="Kamer 3"),
    )
    plan = csv_io.plan_import(text=text)
    assert plan.is_valid, plan.errors
    assert [row.action_labels for row in plan.rows] == [["nieuw", "nieuw"]] * 3

    result = csv_io.import_locations(text=text, user=beheerder)

    assert (result.created, result.updated, result.rooms_created) == (2, 0, 3)
    ketel = Location.objects.get(name="Buurthuis De Ketel")
    assert (ketel.postcode, ketel.pc4, ketel.district) == ("1093 JC", "1093", oud_oost)
    assert ketel.threshold == "low"
    assert list(ketel.offerings.all()) == [taalcafe]
    assert sorted(ketel.rooms.values_list("name", "capacity")) == [
        ("Spreekkamer 1", 4),
        ("Zaal", 12),
    ]
    assert AuditEntry.objects.get().action == AuditAction.IMPORT_CSV


def test_one_bad_row_imports_nothing_and_names_the_row_and_column(oud_oost, beheerder):
    text = csv_text(
        line(),
        line(naam="PostOost", ruimte="Kamer 3"),
        line(naam="Verkeerd", postcode="1093", ruimte="Kamer 1"),
    )
    plan = csv_io.plan_import(text=text)
    assert plan.errors == ["Rij 4, kolom postcode: Vul een postcode in als 1234 AB."]
    with pytest.raises(csv_io.CsvImportError):
        csv_io.import_locations(text=text, user=beheerder)
    assert not Location.objects.exists() and not Room.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"breedtegraad": "51,9"}, "Rij 2, kolom breedtegraad: De coördinaten liggen niet in"),
        ({"breedtegraad": "veel"}, "Rij 2, kolom breedtegraad: Vul een getal in"),
        ({"soort": "kasteel"}, "Rij 2, kolom soort: Onbekende waarde kasteel"),
        ({"actief": "misschien"}, "Rij 2, kolom actief: Vul ja of nee in."),
        ({"ruimte_capaciteit": "vier"}, "Rij 2, kolom ruimte_capaciteit: Vul een heel getal"),
        ({"ruimte_actief": "nee"}, "Rij 2, kolom ruimte: Een actieve locatie heeft minstens"),
        ({"aanbod": "Yoga"}, "Rij 2, kolom aanbod: Onbekend aanbod Yoga."),
        ({"wijk": "Jordaan"}, "Rij 2, kolom wijk: Er is geen wijk Jordaan"),
        ({"postcode": "1011 AB"}, "Rij 2, kolom postcode: Postcodegebied 1011 ligt in geen"),
    ],
)
def test_each_rule_names_row_and_column(oud_oost, overrides, error):
    plan = csv_io.plan_import(text=csv_text(line(**overrides)))
    assert len(plan.errors) == 1, plan.errors
    assert plan.errors[0].startswith(error), plan.errors


def test_rows_of_one_location_must_agree_and_rooms_must_differ(oud_oost):
    plan = csv_io.plan_import(
        text=csv_text(line(), line(adres="Andere straat 1", ruimte="Zaal"), line())
    )
    assert plan.errors == [
        "Rij 3, kolom adres: wijkt af van rij 2 van dezelfde locatie.",
        "Rij 4, kolom ruimte: Spreekkamer “Spreekkamer 1” staat al in rij 2.",
    ]


def test_a_home_visit_location_has_no_rooms_in_the_file_either():
    plan = csv_io.plan_import(
        text=csv_text(
            line(
                naam="Bij de klant thuis",
                soort="client_home",
                adres="",
                postcode="",
                breedtegraad="",
                lengtegraad="",
                prive_ruimte="nee",
                ruimte="Woonkamer",
            )
        )
    )
    assert plan.errors == [
        "Rij 2, kolom ruimte: Een huisbezoek of telefonische locatie heeft geen spreekkamers."
    ]


def test_a_known_name_updates_and_unchanged_rows_say_so(oud_oost, beheerder):
    location = LocationFactory(name="Buurthuis De Ketel")
    RoomFactory(location=location, name="Spreekkamer 1", capacity=4)
    RoomFactory(location=location, name="Niet in het bestand", capacity=2)
    text = csv_text(line(ruimte_capaciteit="6"), line(ruimte="Zaal", ruimte_capaciteit="10"))
    plan = csv_io.plan_import(text=text)
    assert [row.action_labels for row in plan.rows] == [
        ["gewijzigd", "gewijzigd"],
        ["gewijzigd", "nieuw"],
    ]
    csv_io.import_locations(text=text, user=beheerder)
    assert dict(location.rooms.values_list("name", "capacity")) == {
        "Spreekkamer 1": 6,
        "Zaal": 10,
        "Niet in het bestand": 2,  # an import never deletes
    }
    location.refresh_from_db()
    assert location.kind == "huis_van_de_wijk" and location.has_fixed_alarm


def test_the_demo_data_exports_and_imports_again_unchanged(beheerder):
    create_districts()
    create_locations()
    before = {
        location.name: (location.postcode, location.district_id, location.safety_level)
        for location in Location.objects.all()
    }
    rooms_before = set(Room.objects.values_list("location__name", "name", "capacity", "is_active"))

    text = csv_io.export_locations(user=beheerder)

    assert text.startswith("\ufeff" + HEADER)
    plan = csv_io.plan_import(text=text)
    assert plan.is_valid, plan.errors
    assert {row.location_action for row in plan.rows} == {"unchanged"}
    assert {row.room_action for row in plan.rows} <= {"unchanged", ""}

    Room.objects.all().delete()
    Location.objects.all().delete()
    csv_io.import_locations(text=text, user=beheerder)
    after = {
        location.name: (location.postcode, location.district_id, location.safety_level)
        for location in Location.objects.all()
    }
    assert after == before
    assert set(Room.objects.values_list("location__name", "name", "capacity", "is_active")) == (
        rooms_before
    )
    assert [entry.action for entry in AuditEntry.objects.order_by("pk")] == [
        AuditAction.EXPORT_CSV,
        AuditAction.IMPORT_CSV,
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Het bestand is leeg."),
        (b"PK\x03\x04\x00\x00binary", "Dit is geen CSV-tekstbestand"),
        ("naam;soort\nx;y\n".encode("cp1252"), "ontbrekende kolommen"),
        ("naam;é\n".encode("cp1252"), "niet als UTF-8 opgeslagen"),
        (b"x" * (csv_io.MAX_BYTES + 1), "Het bestand is te groot"),
    ],
)
def test_bad_files_get_a_clear_message(data, message):
    with pytest.raises(csv_io.CsvFileError) as error:
        csv_io.plan_import(text=csv_io.read_upload(data=data))
    assert message in str(error.value)


def test_a_comma_separated_file_with_a_bom_is_read_too(oud_oost):
    text = "\ufeff" + csv_text(line()).replace(";", ",").replace("52,361400", "52.361400")
    text = text.replace("4,926300", "4.926300")
    plan = csv_io.plan_import(text=csv_io.read_upload(data=text.encode()))
    assert plan.is_valid, plan.errors


# The beheer pages ----------------------------------------------------------------------------


def test_upload_preview_confirm_imports_everything(beheer, oud_oost):
    text = csv_text(line(), line(naam="PostOost", ruimte="Kamer 3"))
    preview = upload(beheer, text)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Buurthuis De Ketel" in html and "PostOost" in html
    assert not Location.objects.exists()  # a preview writes nothing

    response = confirm(beheer, preview)

    assert response.status_code == 302
    assert set(Location.objects.values_list("name", flat=True)) == {
        "Buurthuis De Ketel",
        "PostOost",
    }
    assert Room.objects.count() == 2


def test_the_preview_shows_each_rows_errors_and_offers_no_import(beheer, oud_oost):
    preview = upload(beheer, csv_text(line(), line(naam="Fout", postcode="1093")))
    html = preview.content.decode()
    assert "Rij 3, kolom postcode: Vul een postcode in als 1234 AB." in html
    assert not preview.context["payload"]
    assert 'name="payload"' not in html


def test_a_tampered_confirmation_imports_nothing(beheer, oud_oost):
    preview = upload(beheer, csv_text(line()))
    payload = preview.context["payload"]
    tampered = re.sub(r":[^:]+$", ":xxxxxxxx", payload)
    response = beheer.post(reverse("admin:locations_location_import"), {"payload": tampered})
    assert response.status_code == 200
    assert "Upload het bestand opnieuw" in response.content.decode()
    assert not Location.objects.exists()


def test_confirming_revalidates_against_the_database(beheer, oud_oost):
    preview = upload(beheer, csv_text(line()))
    oud_oost.pc4_codes = ["1091"]
    oud_oost.save()  # PC4 1093 is no longer in any gebied
    response = confirm(beheer, preview)
    assert response.status_code == 200
    assert "Postcodegebied 1093 ligt in geen enkel gebied" in response.content.decode()
    assert not Location.objects.exists()


@pytest.mark.parametrize(
    "data", [b"\x00\x01\x02", b"naam\n", b'a;b\n"unclosed\n', "é".encode("latin-1")]
)
def test_a_bad_upload_is_a_message_never_a_500(beheer, data):
    response = upload(beheer, data)
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


def test_export_all_and_selected_write_the_audit_log(beheer, beheerder, oud_oost):
    one = LocationFactory(name="Eén")
    RoomFactory(location=one, name="Kamer")
    LocationFactory(name="Twee")
    response = beheer.get(reverse("admin:locations_location_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffnaam;soort;")
    assert "Eén;partner;" in text and "Twee;partner;" in text

    response = beheer.post(
        reverse("admin:locations_location_changelist"),
        {"action": "export_selected", "_selected_action": [one.pk]},
    )
    text = response.content.decode("utf-8")
    assert "Eén;" in text and "Twee;" not in text
    assert ";Kamer;4;ja" in text
    entries = AuditEntry.objects.filter(action=AuditAction.EXPORT_CSV, user=beheerder)
    assert entries.count() == 2

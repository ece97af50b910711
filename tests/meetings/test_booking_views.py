"""The booking page, the confirmation, the .ics download and the invitation letter.

Time is frozen on Monday 23 November 2026 at 07:00 in Amsterdam.
"""

import re
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from icalendar import Calendar

from activering.models import Team
from activering.roles import BEHEERDER, KLANTMANAGER
from clients.choices import Theme
from locations.choices import LocationKind
from locations.geo import AMSTERDAM_TZ
from meetings.choices import (
    AFSTEMMINGSGESPREK,
    KENNISMAKING,
    TELEFONISCH_VIDEO,
    VOORTGANGSGESPREK,
    WARME_OVERDRACHT,
)
from meetings.models import Meeting
from meetings.services import schedule_meeting
from tests.factories import (
    ClientFactory,
    LocationFactory,
    OpeningHoursFactory,
    RoomFactory,
    UserFactory,
    meeting_type,
)

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 23)
TUESDAY = MONDAY + timedelta(days=1)
URL = reverse("meetings:new")
HTMX = {"HTTP_HX_REQUEST": "true"}


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM_TZ)


def htmx(target: str) -> dict[str, str]:
    return {**HTMX, "HTTP_HX_TARGET": target}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(local(MONDAY, 7), tick=False):
        yield


@pytest.fixture
def user(client):
    user = UserFactory(role=KLANTMANAGER)
    client.force_login(user)
    return user


@pytest.fixture
def klant(user):
    return ClientFactory(
        case_manager=user, first_name="Naima", last_name="Haddou", postcode="1093 KL",
        address="Wijttenbachstraat 12", themes=[Theme.DEBTS],
    )  # fmt: skip


def place(level="basis", kind=LocationKind.PARTNER, name=None, capacity=4):
    extra = {"name": name} if name else {}
    location = LocationFactory(kind=kind, **{level: True}, **extra)
    for weekday in range(5):
        OpeningHoursFactory(location=location, weekday=weekday, opens=time(9), closes=time(17))
    RoomFactory(location=location, capacity=capacity)
    return location


def confirm_data(klant, location, *, slug=KENNISMAKING, at="2026-11-24T10:00", **extra):
    room = location.rooms.first()
    return {
        "client": klant.pk,
        "type": slug,
        "location": location.pk,
        "room": room.pk if room else "",
        "starts_at": at,
        "co_host": "",
        "group_size": "",
        "override_reason": "",
        **extra,
    }


def book(klant, location, *, host, start, slug=KENNISMAKING, **extra):
    return schedule_meeting(
        client=klant,
        meeting_type=meeting_type(slug),
        location=location,
        room=location.rooms.first(),
        starts_at=start,
        host=host,
        by=host,
        **extra,
    )


# Choosing a client ------------------------------------------------------------------------------


def test_without_a_client_the_page_searches_clients(client, user, klant):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'id="client-search"' in html
    assert f'href="{URL}?client={klant.pk}"' in html  # a plain link: works without JavaScript


def test_search_as_you_type_returns_only_the_results(client, user, klant):
    ClientFactory(case_manager=user, first_name="Jan", last_name="de Vries")
    response = client.get(URL, {"q": "haddou"}, **htmx("client-results"))
    html = response.content.decode()
    assert "<html" not in html
    assert "Naima Haddou" in html
    assert "Jan de Vries" not in html
    assert "HX-Request" in response["Vary"]


def test_another_teams_client_is_not_found(client, user):
    stranger = ClientFactory(case_manager=UserFactory(role=KLANTMANAGER, team=Team.objects.create(
        name="Team West")))  # fmt: skip
    assert client.get(URL, {"client": stranger.pk}).status_code == 404
    location = place()
    response = client.post(URL, confirm_data(stranger, location))
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_the_beheerder_may_not_plan(client):
    client.force_login(UserFactory(role=BEHEERDER, team=None))
    assert client.get(URL).status_code == 403


# Suggestions ------------------------------------------------------------------------------------


def test_choosing_a_type_shows_suggestions_in_the_whole_page(client, user, klant):
    place(name="PostOost")
    response = client.get(URL, {"client": klant.pk, "type": KENNISMAKING})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "PostOost" in html
    assert "Eerste vrije tijd: ma 23 nov 09:00" in html
    assert "at=2026-11-23T09:00" in html  # the slot link


def test_htmx_gets_only_the_suggestions_fragment(client, user, klant):
    place(name="PostOost")
    response = client.get(URL, {"client": klant.pk, "type": KENNISMAKING}, **htmx("suggestions"))
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="step-choice-heading"' not in html  # the form is not swapped
    assert "PostOost" in html
    assert "1 plek gevonden." in html
    assert "HX-Request" in response["Vary"]


def test_an_unknown_type_is_a_form_error(client, user, klant):
    response = client.get(URL, {"client": klant.pk, "type": "bestaat-niet"})
    assert response.status_code == 422
    assert "Kies een van de gesprekstypen." in response.content.decode()


def test_a_red_client_needs_a_duo_said_up_front(client, user):
    rood = ClientFactory(case_manager=user, rood=True)
    place(level="beveiligd", kind=LocationKind.STADSLOKET)
    html = client.get(URL, {"client": rood.pk}).content.decode()
    assert "er moet een tweede collega mee (duo-gesprek)" in html
    html = client.get(URL, {"client": rood.pk, "type": KENNISMAKING}).content.decode()
    assert "Kies eerst de tweede collega" in html
    colleague = UserFactory(role=KLANTMANAGER)
    html = client.get(
        URL, {"client": rood.pk, "type": KENNISMAKING, "co_host": colleague.pk}
    ).content.decode()
    assert "Eerste vrije tijd" in html


def test_the_suggestions_fragment_takes_a_constant_number_of_queries(client, user, klant):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(
                URL, {"client": klant.pk, "type": KENNISMAKING}, **htmx("suggestions")
            )
        assert response.status_code == 200
        return len(queries)

    for _ in range(3):
        place()
    few = count()
    for _ in range(27):
        place()
    other = ClientFactory(case_manager=user)
    for day in range(5):
        book(other, place(), host=user, start=local(MONDAY + timedelta(days=day), 13))
    assert count() == few


# Confirming -------------------------------------------------------------------------------------


def test_a_slot_link_opens_the_confirm_step(client, user, klant):
    location = place(name="PostOost")
    room = location.rooms.get()
    response = client.get(
        URL,
        {"client": klant.pk, "type": KENNISMAKING, "location": location.pk, "room": room.pk,
         "at": "2026-11-24T10:00"},
        **htmx("suggestions"),
    )  # fmt: skip
    html = response.content.decode()
    assert "Controleer en bevestig" in html
    assert "dinsdag 24 november 2026, 10:00–11:00" in html
    assert 'name="starts_at" value="2026-11-24T10:00"' in html
    assert "Waarom kies je toch deze locatie?" not in html  # as safe as advised


def test_confirming_books_and_redirects(client, user, klant):
    location = place()
    response = client.post(URL, confirm_data(klant, location))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:confirmation", args=[meeting.pk])
    assert meeting.starts_at == local(TUESDAY, 10)
    assert meeting.host == user
    assert meeting.created_by == user


def test_confirming_with_htmx_redirects_the_client(client, user, klant):
    location = place()
    response = client.post(URL, confirm_data(klant, location), **htmx("suggestions"))
    meeting = Meeting.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("meetings:confirmation", args=[meeting.pk])


def test_below_the_advice_the_reason_is_required(client, user):
    oranje = ClientFactory(case_manager=user, oranje=True)
    below = place(level="basis")
    html = client.get(
        URL,
        {"client": oranje.pk, "type": KENNISMAKING, "location": below.pk,
         "room": below.rooms.get().pk, "at": "2026-11-24T10:00"},
    ).content.decode()  # fmt: skip
    assert "Waarom kies je toch deze locatie?" in html
    assert "Onder het veiligheidsadvies" in html

    response = client.post(URL, confirm_data(oranje, below), **htmx("suggestions"))
    assert response.status_code == 422
    assert "Schrijf op waarom deze locatie toch de juiste keuze is." in (response.content.decode())
    assert not Meeting.objects.exists()

    response = client.post(
        URL,
        confirm_data(oranje, below, override_reason="Klant komt alleen hier, buurthuis kent hem."),
    )
    assert response.status_code == 302
    assert Meeting.objects.get().override_reason.startswith("Klant komt alleen hier")


def test_a_conflict_shows_fresh_slots_and_saves_nothing(client, user, klant):
    location = place(name="PostOost")
    rival = UserFactory(role=KLANTMANAGER)
    book(ClientFactory(case_manager=rival), location, host=rival, start=local(TUESDAY, 10))
    response = client.post(URL, confirm_data(klant, location), **htmx("suggestions"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "Dit tijdslot is zojuist geboekt" in html
    assert "PostOost" in html
    assert "at=2026-11-24T11:00" in html  # the first free time after the rival's meeting
    assert "at=2026-11-24T10:00" not in html
    assert Meeting.objects.count() == 1


def test_a_conflict_without_javascript_is_a_full_page(client, user, klant):
    location = place()
    book(klant, location, host=user, start=local(TUESDAY, 10))
    response = client.post(URL, confirm_data(klant, location))
    assert response.status_code == 409
    assert "<html" in response.content.decode()


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ("afstemming_at_library", "Een afstemmingsgesprek mag alleen op het stadsloket."),
        ("room_of_another_location", "Deze spreekkamer is niet op de gekozen locatie."),
        ("off_grid", "Kies een begintijd op een heel kwartier."),
    ],
)
def test_tampered_posts_are_refused_by_the_service(client, user, klant, tamper, message):
    library = place(level="beveiligd", kind=LocationKind.BIBLIOTHEEK)
    other = place()
    data = confirm_data(klant, library)
    if tamper == "afstemming_at_library":
        data["type"] = AFSTEMMINGSGESPREK
    elif tamper == "room_of_another_location":
        data["room"] = other.rooms.get().pk
    else:
        data["starts_at"] = "2026-11-24T10:07"
    response = client.post(URL, data, **htmx("suggestions"))
    assert response.status_code == 422
    if tamper != "off_grid":
        assert message in response.content.decode()
    assert not Meeting.objects.exists()


def test_bad_input_is_a_form_error_never_a_500(client, user, klant):
    location = place()
    for broken in (
        {"location": "999999"},
        {"room": "abc"},
        {"starts_at": "gisteren"},
        {"type": "bestaat-niet"},
        {"starts_at": "2026-03-29T02:30"},  # does not exist in Amsterdam
    ):
        response = client.post(URL, {**confirm_data(klant, location), **broken})
        assert response.status_code == 422, broken
    assert not Meeting.objects.exists()


def test_a_red_client_without_a_second_colleague_is_refused(client, user):
    rood = ClientFactory(case_manager=user, rood=True)
    stadsloket = place(level="beveiligd", kind=LocationKind.STADSLOKET)
    response = client.post(URL, confirm_data(rood, stadsloket))
    assert response.status_code == 422
    assert "Deze klant heeft een duo-gesprek nodig: kies een tweede collega." in (
        response.content.decode()
    )
    assert not Meeting.objects.exists()
    colleague = UserFactory(role=KLANTMANAGER)
    response = client.post(URL, confirm_data(rood, stadsloket, co_host=colleague.pk))
    assert response.status_code == 302
    assert Meeting.objects.get().co_host == colleague


def test_an_orange_client_at_home_needs_a_duo_said_at_the_confirm_step(client, user):
    """Oranje needs a second colleague on a home visit only: the confirm step for the client's
    home says so and refuses without one, as the service would."""
    oranje = ClientFactory(case_manager=user, oranje=True)
    home = LocationFactory(client_home=True)
    at_home = {
        "client": oranje.pk, "type": VOORTGANGSGESPREK, "location": home.pk,
        "at": "2026-11-24T10:00",
    }  # fmt: skip
    html = client.get(URL, at_home, **htmx("suggestions")).content.decode()
    assert "Verplicht: deze klant heeft bij dit gesprek een tweede collega nodig" in html
    assert re.search(r'<select name="co_host"[^>]* required', html)

    response = client.post(URL, confirm_data(oranje, home, slug=VOORTGANGSGESPREK))
    assert response.status_code == 422
    html = response.content.decode()
    assert "Deze klant heeft een duo-gesprek nodig: kies een tweede collega." in html
    assert 'aria-invalid="true"' in html  # on the colleague field, not only at the top
    assert not Meeting.objects.exists()

    colleague = UserFactory(role=KLANTMANAGER)
    response = client.post(
        URL, confirm_data(oranje, home, slug=VOORTGANGSGESPREK, co_host=colleague.pk)
    )
    assert response.status_code == 302
    assert Meeting.objects.get().co_host == colleague


def test_an_orange_client_elsewhere_may_come_without_a_duo(client, user):
    oranje = ClientFactory(case_manager=user, oranje=True)
    location = place(level="verhoogd")
    html = client.get(
        URL,
        {"client": oranje.pk, "type": VOORTGANGSGESPREK, "location": location.pk,
         "room": location.rooms.first().pk, "at": "2026-11-24T10:00"},
        **htmx("suggestions"),
    ).content.decode()  # fmt: skip
    assert not re.search(r'<select name="co_host"[^>]* required', html)
    response = client.post(URL, confirm_data(oranje, location, slug=VOORTGANGSGESPREK))
    assert response.status_code == 302


# After booking ----------------------------------------------------------------------------------


def test_the_confirmation_links_the_ics_and_the_letter(client, user, klant):
    meeting = book(klant, place(name="PostOost"), host=user, start=local(TUESDAY, 10))
    html = client.get(reverse("meetings:confirmation", args=[meeting.pk])).content.decode()
    assert "Het gesprek is gepland" in html
    assert reverse("meetings:ics", args=[meeting.pk]) in html
    assert reverse("meetings:letter", args=[meeting.pk]) in html
    assert "dinsdag 24 november 2026, 10:00–11:00" in html


@pytest.mark.parametrize("name", ["meetings:confirmation", "meetings:ics", "meetings:letter"])
def test_another_teams_meeting_is_not_found(client, user, name):
    west = Team.objects.create(name="Team West")
    stranger = UserFactory(role=KLANTMANAGER, team=west)
    meeting = book(
        ClientFactory(case_manager=stranger), place(), host=stranger, start=local(TUESDAY, 10)
    )
    assert client.get(reverse(name, args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize(
    ("moment", "utc_offset_hours"),
    [
        (local(TUESDAY, 10), 1),
        (local(date(2026, 3, 30), 10), 2),  # the Monday after the spring switch
        (local(date(2026, 10, 26), 10), 1),  # the Monday after the autumn switch
    ],
)
def test_the_ics_round_trips_the_amsterdam_time(client, user, klant, moment, utc_offset_hours):
    location = place(name="PostOost")
    with time_machine.travel(moment - timedelta(days=7), tick=False):
        meeting = book(klant, location, host=user, start=moment)
    response = client.get(reverse("meetings:ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="gesprek-{meeting.pk}.ics"'
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Amsterdam"
    start = event.decoded("DTSTART")
    assert start.astimezone(AMSTERDAM_TZ).time() == time(10)
    assert start.utcoffset() == timedelta(hours=utc_offset_hours)
    assert start == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    assert str(event["UID"]) == f"meeting-{meeting.pk}@activering"
    text = response.content.decode()
    assert klant.klantnummer in text
    assert "Haddou" not in text  # no client name or risk reason in a calendar
    assert "PostOost" in str(event["LOCATION"])


def test_the_letter_in_plain_dutch(client, user, klant):
    meeting = book(klant, place(name="PostOost"), host=user, start=local(TUESDAY, 10))
    html = client.get(reverse("meetings:letter", args=[meeting.pk])).content.decode()
    assert "Beste Naima Haddou," in html
    assert "Wijttenbachstraat 12" in html
    assert "dinsdag 24 november 2026" in html
    assert "10:00 uur. Het gesprek duurt ongeveer 60 minuten." in html
    assert "PostOost" in html
    assert escape(f"U praat met {user}, klantmanager.") in html  # a name may hold an apostrophe
    assert "Een geldig identiteitsbewijs" in html
    assert "Brieven over geld of schulden" in html  # the client works on debts
    assert "U bent verplicht om te komen. Kunt u niet? Bel dan zo snel mogelijk 14 020." in html
    assert "Het gebouw heeft geen drempels of trappen bij de ingang." in html


def test_the_letter_says_when_a_conversation_is_voluntary(client, user, klant):
    meeting = book(
        klant, place(name="Buurtwerk"), host=user, start=local(TUESDAY, 10), slug=WARME_OVERDRACHT
    )
    html = client.get(reverse("meetings:letter", args=[meeting.pk])).content.decode()
    assert "Dit gesprek is vrijwillig." in html
    assert "verplicht" not in html


def test_the_letter_for_a_phone_call(client, user, klant):
    phone = LocationFactory(remote=True)
    meeting = schedule_meeting(
        client=klant, meeting_type=meeting_type(TELEFONISCH_VIDEO), location=phone, room=None,
        starts_at=local(TUESDAY, 10), host=user, by=user,
    )  # fmt: skip
    html = client.get(reverse("meetings:letter", args=[meeting.pk])).content.decode()
    assert "Wij bellen u op 020 123 4567." in html
    assert "drempels" not in html

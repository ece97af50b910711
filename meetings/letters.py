"""The invitation letter to the client: what it says follows from the meeting, here, so the
template only lays it out. Plain Dutch (taalniveau B1), addressing the client as "u"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import formats
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext

from clients.choices import Language, Theme
from locations.choices import LocationKind
from locations.geo import AMSTERDAM_TZ
from meetings.choices import AFSTEMMINGSGESPREK, HERONDERZOEK
from meetings.models import Meeting

#: The municipality's general phone number, for clients who cannot come or need help.
CONTACT_PHONE = "14 020"

_MONEY_THEMES = {Theme.FINANCES.value, Theme.DEBTS.value}


@dataclass(frozen=True)
class InvitationLetter:
    meeting: Meeting
    language: str  # the language the letter is written in ("nl", or "en" when preferred)
    today: date
    date_text: str  # "dinsdag 25 november 2026"
    time_text: str  # "10:15"
    duration_minutes: int
    where_heading: str
    where_lines: list[str]
    who: list[str]
    bring: list[str]
    obligation: str
    access: str
    contact_phone: str = CONTACT_PHONE


def letter_language(meeting: Meeting) -> str:
    """Dutch, unless the client prefers English (other languages: Dutch, with an interpreter
    arranged by the klantmanager)."""
    return "en" if meeting.client.preferred_language == Language.ENGLISH else "nl"


def _where(meeting: Meeting) -> tuple[str, list[str]]:
    location = meeting.location
    client = meeting.client
    if location.kind == LocationKind.CLIENT_HOME:
        home = [line for line in (client.address, f"{client.postcode} Amsterdam") if line]
        return gettext("We visit you at home"), home
    if location.kind == LocationKind.REMOTE:
        if client.phone:
            return gettext("We call you"), [
                gettext("We call you on %(phone)s.") % {"phone": client.phone}
            ]
        return gettext("We call you"), [
            gettext("We do not have your phone number. Please call us on %(phone)s.")
            % {"phone": CONTACT_PHONE}
        ]
    lines = [location.name]
    if meeting.room is not None:
        lines.append(gettext("Room: %(room)s") % {"room": meeting.room.name})
    lines += [location.street_address, f"{location.postcode} Amsterdam"]
    return gettext("Where"), lines


def _who(meeting: Meeting) -> list[str]:
    who = [gettext("You talk with %(name)s, klantmanager.") % {"name": meeting.host}]
    if meeting.co_host is not None:
        who.append(gettext("Our colleague %(name)s is also there.") % {"name": meeting.co_host})
    return who


def _bring(meeting: Meeting) -> list[str]:
    bring = [gettext("A valid proof of identity (passport, ID card or residence document).")]
    if meeting.location.kind == LocationKind.REMOTE:
        bring = [gettext("Have your proof of identity ready.")]
    if _MONEY_THEMES & set(meeting.client.themes):
        bring.append(gettext("Letters about money or debts that you received recently."))
    if meeting.meeting_type.slug in (HERONDERZOEK, AFSTEMMINGSGESPREK):
        bring.append(gettext("Your bank statements of the last three months."))
    bring.append(gettext("Your questions. You may also bring someone you trust."))
    return bring


def _obligation(meeting: Meeting) -> str:
    if meeting.meeting_type.is_voluntary:
        return gettext(
            "This conversation is voluntary. Can you not come? Please let us know by calling "
            "%(phone)s."
        ) % {"phone": CONTACT_PHONE}
    return gettext(
        "You are obliged to come. Can you not come? Then call %(phone)s as soon as possible."
    ) % {"phone": CONTACT_PHONE}


def _access(meeting: Meeting) -> str:
    location = meeting.location
    if location.is_virtual:
        return ""
    if location.is_step_free:
        return gettext("The building has no steps or stairs at the entrance.")
    return gettext(
        "The building has steps or stairs. Do you need help to get in? Please call us first."
    )


def invitation_letter_for(meeting: Meeting, *, today: date) -> InvitationLetter:
    """The letter's content in the active language (activate `letter_language(meeting)` first).
    Reads only what `get_meeting_for` selected."""
    starts: datetime = meeting.starts_at.astimezone(AMSTERDAM_TZ)
    where_heading, where_lines = _where(meeting)
    return InvitationLetter(
        meeting=meeting,
        language=letter_language(meeting),
        today=today,
        date_text=format_date(starts, "l j F Y"),
        time_text=formats.time_format(starts.time(), "H:i"),
        duration_minutes=int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
        where_heading=where_heading,
        where_lines=where_lines,
        who=_who(meeting),
        bring=_bring(meeting),
        obligation=_obligation(meeting),
        access=_access(meeting),
    )

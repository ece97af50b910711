"""The one iCalendar renderer: the single-meeting download and the personal feed both use it.

What goes in an event is deliberately little. Calendars end up on phones, in synced Outlook
profiles and on shared screens, outside the municipality's systems: an event therefore names the
client only by klantnummer (enough for the klantmanager to look the client up in Activering),
never by name, address or risk signal. For a home visit the location is "at the client's home",
without the address. The type, the place and the colleagues are work information.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from locations.geo import AMSTERDAM_TZ
from meetings.models import Meeting, MeetingStatus

PRODID = "-//Gemeente Amsterdam//Activering Oost//NL"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the life of a meeting, so a moved meeting moves in the calendar too."""
    return f"meeting-{meeting.pk}@activering"


def _where(meeting: Meeting) -> str:
    location = meeting.location
    if location.is_virtual:
        return location.name  # "Bij de klant thuis" / "Telefonisch / video": no client address
    parts = [location.name]
    if meeting.room is not None:
        parts.append(meeting.room.name)
    if location.street_address:
        parts.append(f"{location.street_address}, {location.postcode} Amsterdam")
    return ", ".join(parts)


def _description(meeting: Meeting, url: str | None) -> str:
    lines = [
        _("Client: klantnummer %(number)s") % {"number": meeting.client.klantnummer},
        _("Klantmanager: %(name)s") % {"name": meeting.host},
    ]
    if meeting.co_host is not None:
        lines.append(_("Duo conversation with %(name)s") % {"name": meeting.co_host})
    lines.append(_("Status: %(status)s") % {"status": meeting.get_status_display()})
    if url:
        lines.append(_("Details: %(url)s") % {"url": url})
    return "\n".join(lines)


def _event(meeting: Meeting, url: str | None) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.changed_at)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.changed_at)
    # A revision number that only grows: seconds between booking and the last change.
    event.add("sequence", max(0, int((meeting.changed_at - meeting.created_at).total_seconds())))
    # Local wall-clock times with TZID=Europe/Amsterdam, so a meeting at 10:00 stays at 10:00
    # on both sides of a daylight-saving switch.
    event.add("dtstart", meeting.starts_at.astimezone(AMSTERDAM_TZ))
    event.add("dtend", meeting.ends_at.astimezone(AMSTERDAM_TZ))
    event.add(
        "summary",
        _("%(type)s · client %(number)s")
        % {"type": meeting.meeting_type.name, "number": meeting.client.klantnummer},
    )
    event.add("location", _where(meeting))
    event.add("description", _description(meeting, url))
    if url:
        event.add("url", url)
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    event.add("class", "PRIVATE")
    return event


def calendar_for(
    meetings: Iterable[Meeting],
    *,
    name: str,
    url_for: Callable[[Meeting], str] | None = None,
) -> bytes:
    """An iCalendar (RFC 5545) file with one event per meeting and the Europe/Amsterdam
    VTIMEZONE. Select the meetings with client, meeting_type, location, room, host and co_host
    (`meetings.agenda.meetings_of` does): nothing is queried here. `url_for` gives each event a
    link back to the meeting in Activering (an absolute URL)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    for meeting in meetings:
        calendar.add_component(_event(meeting, url_for(meeting) if url_for else None))
    calendar.add_missing_timezones()
    return calendar.to_ical()

"""Template tags of the meetings pages: slot links on the booking page, status badges."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from locations.models import Location
from meetings.models import Meeting
from meetings.suggestions import Slot

register = template.Library()


@register.simple_tag(takes_context=True)
def slot_link(context: dict[str, Any], slot: Slot, location: Location) -> str:
    """The link that picks `slot` at `location`: the page's choices (`choice_query`) with
    location=…&room=…&at=…. One tag per slot: spelling it out in the template cost more than
    the rest of the suggestion card."""
    params: dict[str, Any] = {"location": location.pk}
    if slot.room is not None:
        params["room"] = slot.room.pk
    params["at"] = slot.value
    query = urlencode(params, safe=":")  # at=2026-11-25T10:15, readable in the address bar
    return f"{reverse('meetings:new')}?{context.get('choice_query', '')}&{query}"


@register.simple_tag
def status_badge(meeting: Meeting) -> SafeString:
    """A meeting's status as a badge: the text says it, colour and a symbol only support it
    (meetings/agenda.css). A tag: the agenda shows one per meeting."""
    return format_html(
        '<span class="ams-badge app-status app-status--{}"><span class="app-status__icon" '
        'aria-hidden="true"></span>{}</span>',
        meeting.status,
        meeting.get_status_display(),
    )

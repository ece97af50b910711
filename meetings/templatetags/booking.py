"""Template tags of the booking page."""

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from locations.models import Location
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

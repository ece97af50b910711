"""The booking page (/gesprekken/nieuw/): choose a client, a type and a period, see suggestions
with free slots update in place, pick a slot, confirm. Then the confirmation with an .ics
download and the printable invitation letter.

One view, one template (`meetings/booking.html`); htmx requests get the partial their target
names. Without JavaScript every step is a plain GET or POST with a full page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from activering.http import AuthenticatedHttpRequest
from clients.models import Client
from clients.selectors import get_client_for, search_clients
from locations.geo import AMSTERDAM_TZ
from meetings.forms import ChooseForm, ConfirmForm, parse_slot_time
from meetings.ics import calendar_for
from meetings.letters import invitation_letter_for, letter_language
from meetings.models import MeetingType
from meetings.selectors import get_meeting_for
from meetings.services import BookingError, OverrideReasonRequired, SlotTaken, schedule_meeting
from meetings.suggestions import (
    Suggestion,
    booking_period,
    duo_needed_for,
    slot_choice,
    suggest_locations,
)

PLAN_MEETINGS = "activering.plan_meetings"
TEMPLATE = "meetings/booking.html"
#: htmx targets on the booking page and the partial each one receives.
_PARTIALS = {"client-results", "booking-area", "suggestions"}
#: Parameters of a picked slot; the rest of the query string is the choice of step 2.
_SLOT_PARAMS = ("location", "room", "at")


def _render(
    request: AuthenticatedHttpRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    template = TEMPLATE
    target = request.htmx.target if request.htmx else None
    if target in _PARTIALS and not request.htmx.history_restore_request:
        template = f"{TEMPLATE}#{target}"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None


@require_http_methods(["GET", "POST"])
@permission_required(PLAN_MEETINGS, raise_exception=True)
def new_meeting(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1 without ?client=: find the client. With it: choose, see suggestions, confirm."""
    client_pk = _int(request.POST.get("client") or request.GET.get("client"))
    if client_pk is None:
        query = request.GET.get("q", "")
        result = search_clients(user=request.user, query=query, limit=10)
        return _render(request, {"result": result, "type_slug": request.GET.get("type", "")})
    client = get_client_for(user=request.user, pk=client_pk)
    if request.method == "POST":
        return _confirm(request, client)
    return _choose(request, client)


def _choice_query(request: AuthenticatedHttpRequest) -> QueryDict:
    query = request.GET.copy()
    for name in _SLOT_PARAMS:
        query.pop(name, None)
    return query


def _split(suggestions: list[Suggestion]) -> dict[str, list[Suggestion]]:
    return {
        "suggestions": [s for s in suggestions if s.is_bookable],
        "unsuitable": [s for s in suggestions if not s.is_bookable],
    }


def _choose(request: AuthenticatedHttpRequest, client: Client) -> HttpResponse:
    """Steps 2 and 3 (GET): the choices, the suggestions and, for a picked slot, the confirm
    form."""
    bound = "type" in request.GET
    form = ChooseForm(
        request.GET if bound else None,
        user=request.user,
        duo_needed=duo_needed_for(client=client, meeting_type=None),
        initial={"type": request.GET.get("type")},
    )
    context: dict[str, Any] = {
        "client": client,
        "form": form,
        "choice_query": _choice_query(request).urlencode(),
        "duo_needed": duo_needed_for(client=client, meeting_type=None),
    }
    if not bound or not form.is_valid():
        return _render(request, context, status=200 if not bound else 422)
    meeting_type: MeetingType = form.cleaned_data["type"]
    co_host = form.cleaned_data["co_host"]
    duo_needed = duo_needed_for(client=client, meeting_type=meeting_type)
    context.update(meeting_type=meeting_type, duo_needed=duo_needed)
    period = booking_period(start=form.start_value)
    later = _choice_query(request)
    later["start"] = period.end.isoformat()
    context.update(period=period, later_query=later.urlencode())
    if "at" in request.GET:
        confirm = _confirm_form_from_slot(request, client, form)
        if confirm is not None:
            context.update(confirm)
            return _render(request, context)
    if duo_needed and co_host is None:
        context["co_host_first"] = True
        return _render(request, context)
    suggestions = suggest_locations(
        client=client,
        meeting_type=meeting_type,
        host=request.user,
        co_host=co_host,
        start=period.start,
        group_size=form.group_size_value,
    )
    context.update(_split(suggestions))
    return _render(request, context)


def _confirm_form_from_slot(
    request: AuthenticatedHttpRequest, client: Client, form: ChooseForm
) -> dict[str, Any] | None:
    """The confirm step for ?location=&room=&at= (None for a broken link: show suggestions)."""
    location_pk = _int(request.GET.get("location"))
    starts_at = parse_slot_time(request.GET.get("at"))
    if location_pk is None or starts_at is None:
        return None
    choice = slot_choice(
        client=client,
        meeting_type=form.cleaned_data["type"],
        location_pk=location_pk,
        room_pk=_int(request.GET.get("room")),
        starts_at=starts_at,
        group_size=form.group_size_value,
    )
    if choice is None:
        return None
    confirm = ConfirmForm(
        user=request.user,
        # Judged for this place: oranje needs a duo on a home visit only.
        duo_needed=choice.assessment.duo_required,
        needs_override=choice.needs_override,
        initial={
            "type": form.cleaned_data["type"].slug,
            "co_host": form.cleaned_data["co_host"],
            "group_size": form.group_size_value,
            "location": choice.location.pk,
            "room": choice.room.pk if choice.room else None,
            "starts_at": choice.starts_at.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    return {"confirm": confirm, "choice": choice}


def _confirm(request: AuthenticatedHttpRequest, client: Client) -> HttpResponse:
    """Step 3 (POST): book through `schedule_meeting`; rule violations become form errors
    (422), a conflict shows fresh slots for the same location (409)."""
    form = ConfirmForm(request.POST, user=request.user)
    choices = QueryDict(mutable=True)
    for name in ("type", "co_host", "group_size"):
        choices[name] = request.POST.get(name, "")
    context: dict[str, Any] = {
        "client": client,
        "confirm": form,
        # The choices of step 2, for the whole page (without JavaScript).
        "form": ChooseForm(choices, user=request.user),
        "duo_needed": duo_needed_for(client=client, meeting_type=None),
        "choice_query": "",
    }
    if not form.is_valid():
        return _render(request, context, status=422)
    data = form.cleaned_data
    meeting_type: MeetingType = data["type"]
    group_size = form.group_size_value
    choice = slot_choice(
        client=client,
        meeting_type=meeting_type,
        location_pk=data["location"].pk,
        room_pk=data["room"].pk if data["room"] else None,
        starts_at=data["starts_at"],
        group_size=group_size,
    )
    duo_needed = duo_needed_for(client=client, meeting_type=meeting_type)
    query = QueryDict(mutable=True)
    query.update({"client": str(client.pk), "type": meeting_type.slug})
    if data["co_host"] is not None:
        query["co_host"] = str(data["co_host"].pk)
    if group_size > 1:
        query["group_size"] = str(group_size)
    context.update(
        meeting_type=meeting_type,
        choice=choice,
        duo_needed=duo_needed,
        choice_query=query.urlencode(),
    )
    if choice is not None and choice.needs_override:
        form.require_override_reason()
    if choice is not None and choice.assessment.duo_required:
        form.require_co_host()
        if data["co_host"] is None:
            form.add_error("co_host", form.fields["co_host"].error_messages["required"])
            return _render(request, context, status=422)
    try:
        meeting = schedule_meeting(
            client=client,
            meeting_type=meeting_type,
            location=data["location"],
            room=data["room"],
            starts_at=data["starts_at"],
            host=request.user,
            co_host=data["co_host"],
            group_size=group_size,
            override_reason=data["override_reason"],
            by=request.user,
        )
    except SlotTaken as error:
        context["conflict"] = error.messages
        context.update(
            _split(
                suggest_locations(
                    client=client,
                    meeting_type=meeting_type,
                    host=request.user,
                    co_host=data["co_host"],
                    start=data["starts_at"].astimezone(AMSTERDAM_TZ).date(),
                    group_size=group_size,
                    include_unsuitable=False,
                    location_ids=[data["location"].pk],
                )
            )
        )
        context["confirm"] = None
        return _render(request, context, status=409)
    except OverrideReasonRequired as error:
        form.require_override_reason()
        form.add_error("override_reason", error.messages[-1])
        return _render(request, context, status=422)
    except BookingError as error:
        for message in error.messages:
            form.add_error(None, message)
        return _render(request, context, status=422)
    url = reverse("meetings:confirmation", args=[meeting.pk])
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


# After booking --------------------------------------------------------------------------------


@require_GET
def confirmation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What was booked, with the .ics download and the invitation letter."""
    meeting = get_meeting_for(user=request.user, pk=pk)
    return render(request, "meetings/confirmation.html", {"meeting": meeting})


@require_GET
def meeting_ics(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One meeting as an iCalendar file for the klantmanager's own calendar."""
    meeting = get_meeting_for(user=request.user, pk=pk)
    body = calendar_for(
        [meeting],
        name=_("Conversation %(type)s") % {"type": meeting.meeting_type.name},
        url_for=lambda m: request.build_absolute_uri(reverse("meetings:detail", args=[m.pk])),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gesprek-{meeting.pk}.ics"'
    return response


@require_GET
def invitation_letter(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The printable letter to the client, in plain Dutch (or English when preferred)."""
    meeting = get_meeting_for(user=request.user, pk=pk)
    with translation.override(letter_language(meeting)):
        letter = invitation_letter_for(meeting, today=timezone.localdate())
        return render(request, "meetings/letter.html", {"letter": letter, "meeting": meeting})

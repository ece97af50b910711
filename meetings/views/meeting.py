"""One booked conversation: its details and history, and moving, cancelling it or recording
what happened. Each action works as a plain form POST (redirect back with a message) and with
htmx (the `meeting` partial is swapped in place and the result is focused)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from activering.http import AuthenticatedHttpRequest
from locations.geo import AMSTERDAM_TZ
from meetings.action_forms import CancelForm, OutcomeForm, RescheduleForm
from meetings.agenda import PLAN_MEETINGS, AllowedActions, allowed_actions, iso_week
from meetings.models import Meeting
from meetings.selectors import get_meeting_for
from meetings.services import (
    BookingError,
    SlotTaken,
    cancel_meeting,
    record_outcome,
    reschedule_meeting,
)

_TEMPLATE = "meetings/meeting_detail.html"


def _render(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    *,
    open_form: str = "",
    form: forms.Form | None = None,
    done: str = "",
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    """The detail page, or for htmx only its `meeting` partial. `form` (bound, with errors)
    replaces the blank form named `open_form`; `done` (success) or `problem` is the text to
    focus."""
    actions = allowed_actions(meeting=meeting, user=request.user, now=timezone.now())
    forms_by_name: dict[str, forms.Form | None] = {
        "reschedule": RescheduleForm(meeting=meeting) if actions.reschedule else None,
        "cancel": CancelForm() if actions.cancel else None,
        "outcome": OutcomeForm(outcomes=actions.outcomes) if actions.record_outcome else None,
    }
    if form is not None:
        forms_by_name[open_form] = form
    template = _TEMPLATE
    if request.htmx and not request.htmx.history_restore_request:
        template += "#meeting"
    response = render(
        request,
        template,
        {
            "meeting": meeting,
            "meeting_week": iso_week(meeting.starts_at.astimezone(AMSTERDAM_TZ).date()),
            "actions": actions,
            "reschedule_form": forms_by_name["reschedule"],
            "cancel_form": forms_by_name["cancel"],
            "outcome_form": forms_by_name["outcome"],
            "open_form": open_form,
            "done": done,
            "problem": problem,
        },
        status=status,
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


def _succeeded(request: AuthenticatedHttpRequest, meeting: Meeting, text: str) -> HttpResponse:
    if request.htmx:
        fresh = get_meeting_for(user=request.user, pk=meeting.pk)
        return _render(request, fresh, done=text)
    messages.success(request, text)
    return redirect("meetings:detail", pk=meeting.pk)


def _not_allowed(request: AuthenticatedHttpRequest, meeting: Meeting) -> HttpResponse:
    """The page was stale: the conversation changed since it was shown (409, fresh state)."""
    problem = _("This is no longer possible: the conversation has changed in the meantime.")
    return _render(request, meeting, problem=problem, status=409)


def _failed(
    request: AuthenticatedHttpRequest,
    meeting: Meeting,
    name: str,
    form: forms.Form,
    error: BookingError,
) -> HttpResponse:
    for message in error.messages:
        form.add_error(None, message)
    status = 409 if isinstance(error, SlotTaken) else 422
    return _render(request, meeting, open_form=name, form=form, status=status)


@require_GET
def meeting_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """404 unless the meeting's client is in the user's team."""
    return _render(request, get_meeting_for(user=request.user, pk=pk))


def _actions(request: AuthenticatedHttpRequest, meeting: Meeting) -> AllowedActions:
    return allowed_actions(meeting=meeting, user=request.user, now=timezone.now())


@require_POST
@permission_required(PLAN_MEETINGS, raise_exception=True)
def reschedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(user=request.user, pk=pk)
    form = RescheduleForm(request.POST, meeting=meeting)
    if not _actions(request, meeting).reschedule:
        return _not_allowed(request, meeting)
    if not form.is_valid():
        return _render(request, meeting, open_form="reschedule", form=form, status=422)
    try:
        reschedule_meeting(
            meeting=meeting,
            starts_at=form.starts_at,
            room=form.cleaned_data.get("room"),
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except BookingError as error:
        return _failed(request, meeting, "reschedule", form, error)
    return _succeeded(request, meeting, _("The conversation has been moved."))


@require_POST
@permission_required(PLAN_MEETINGS, raise_exception=True)
def cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(user=request.user, pk=pk)
    form = CancelForm(request.POST)
    if not _actions(request, meeting).cancel:
        return _not_allowed(request, meeting)
    if not form.is_valid():
        return _render(request, meeting, open_form="cancel", form=form, status=422)
    try:
        cancel_meeting(meeting=meeting, reason=form.cleaned_data["reason"], by=request.user)
    except BookingError as error:
        return _failed(request, meeting, "cancel", form, error)
    return _succeeded(request, meeting, _("The conversation has been cancelled."))


@require_POST
@permission_required(PLAN_MEETINGS, raise_exception=True)
def outcome(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(user=request.user, pk=pk)
    actions = _actions(request, meeting)
    form = OutcomeForm(request.POST, outcomes=actions.outcomes)
    if not actions.record_outcome:
        return _not_allowed(request, meeting)
    if not form.is_valid():
        return _render(request, meeting, open_form="outcome", form=form, status=422)
    try:
        record_outcome(
            meeting=meeting,
            status=form.cleaned_data["status"],
            by=request.user,
            ladder_step=form.cleaned_data["ladder_step"],
            next_step=form.cleaned_data["next_step"],
        )
    except BookingError as error:
        return _failed(request, meeting, "outcome", form, error)
    return _succeeded(request, meeting, _("The outcome has been recorded."))

"""The klantmanager's week and the personal calendar feed (for Outlook)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from activering.http import AuthenticatedHttpRequest
from meetings.agenda import (
    PLAN_MEETINGS,
    agenda_week,
    feed_meetings,
    get_feed_owner,
    get_feed_token,
    parse_week,
)
from meetings.ics import calendar_for
from meetings.models import Meeting
from meetings.services import renew_feed_token

#: Session key for a just-made feed token: shown once, then forgotten (only its hash is kept).
_JUST_MADE_SESSION_KEY = "meetings:new-feed-token"


@require_GET
@permission_required(PLAN_MEETINGS, raise_exception=True)
def week(request: AuthenticatedHttpRequest) -> HttpResponse:
    """`?week=2026-W48` (ISO week); a bad value shows this week with a message, never a 500.
    htmx requests (previous/next week) get only the `week` partial."""
    today = timezone.localdate()
    monday, valid = parse_week(request.GET.get("week"), today=today)
    agenda = agenda_week(user=request.user, monday=monday, today=today)
    template = "meetings/agenda.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#week"
    response = render(request, template, {"agenda": agenda, "invalid_week": not valid})
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "POST"])
@permission_required(PLAN_MEETINGS, raise_exception=True)
def feed_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Make or renew the feed link (POST), and show it once right after (GET)."""
    if request.method == "POST":
        request.session[_JUST_MADE_SESSION_KEY] = renew_feed_token(user=request.user)
        messages.success(
            request, _("Your new calendar link is ready. Any previous link no longer works.")
        )
        return redirect("meetings:feed-settings")
    new_token = request.session.pop(_JUST_MADE_SESSION_KEY, None)
    feed_url = (
        request.build_absolute_uri(reverse("meetings:feed", kwargs={"token": new_token}))
        if new_token
        else ""
    )
    response = render(
        request,
        "meetings/feed_settings.html",
        {"feed_token": get_feed_token(user=request.user), "feed_url": feed_url},
    )
    patch_cache_control(response, no_store=True, private=True)  # the URL is a secret
    return response


@require_GET
@login_not_required
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The calendar feed: no login, the secret token is the key; 404 for an unknown or renewed
    token. Calendar apps fetch it every few hours."""
    user = get_feed_owner(token=token)

    def url_for(meeting: Meeting) -> str:
        return request.build_absolute_uri(reverse("meetings:detail", kwargs={"pk": meeting.pk}))

    body = calendar_for(
        feed_meetings(user=user, now=timezone.now()),
        name=_("Activering · %(name)s") % {"name": user},
        url_for=url_for,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="activering.ics"'
    response["X-Robots-Tag"] = "noindex"
    patch_cache_control(response, private=True, no_store=True)
    return response

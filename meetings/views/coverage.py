"""/dekking/: coverage per gebied for teamleiders (klantmanagers see their own numbers).

Access is decided by `meetings.coverage.coverage_scope` (403 for the beheerder); what each role
sees is a selector concern, the views only parse, call and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from activering.http import AuthenticatedHttpRequest
from activering.models import AuditAction
from activering.services import record_audit
from locations.models import District
from meetings.coverage import (
    coverage_cell,
    coverage_dashboard,
    coverage_matrix,
    coverage_scope,
    coverage_types,
    get_override_for,
    reach,
)
from meetings.coverage_chart import month_chart
from meetings.coverage_csv import csv_response, describe_filters, matrix_rows, reach_rows
from meetings.coverage_forms import CoverageFilterForm
from meetings.services import review_override

#: `object_type` of the audit entries written by the exports.
AUDIT_OBJECT_TYPE = "meetings.coverage"


@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The whole page; htmx requests (the filter form) get only the results."""
    scope = coverage_scope(user=request.user)
    today = timezone.localdate()
    form = CoverageFilterForm(request.GET, today=today)
    data = coverage_dashboard(scope=scope, filters=form.filters(), today=today, now=timezone.now())
    template = "meetings/coverage.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    context = {"form": form, "dashboard": data, "chart": month_chart(data.where.months)}
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def cell(request: AuthenticatedHttpRequest, district: str, meeting_type: str) -> HttpResponse:
    """One cell of the matrix: the suitable locations and the near-misses with what they lack."""
    coverage_scope(user=request.user)
    detail = coverage_cell(district_slug=district, type_slug=meeting_type)
    return render(request, "meetings/coverage_cell.html", {"detail": detail})


@require_GET
def matrix_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The coverage matrix as CSV (with the page's gebied and type filters); audit-logged."""
    coverage_scope(user=request.user)
    filters = CoverageFilterForm(request.GET, today=timezone.localdate()).filters()
    matrix = coverage_matrix(
        types=coverage_types(meeting_type=filters.meeting_type), district=filters.district
    )
    filename = f"dekking-{timezone.localdate():%Y-%m-%d}.csv"
    record_audit(
        user=request.user,
        action=AuditAction.EXPORT_CSV,
        object_type=AUDIT_OBJECT_TYPE,
        object_id="dekking",
        detail=f"{filename} {describe_filters(filters)}",
    )
    return csv_response(filename=filename, rows=matrix_rows(matrix))


@require_GET
def reach_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Bereik per gebied and per klantmanager as CSV (the user's own scope); audit-logged."""
    scope = coverage_scope(user=request.user)
    today = timezone.localdate()
    filters = CoverageFilterForm(request.GET, today=today).filters()
    result = reach(
        scope=scope,
        districts=list(District.objects.order_by("name")),
        district=filters.district,
        today=today,
        now=timezone.now(),
        limit=0,
    )
    filename = f"bereik-{today:%Y-%m-%d}.csv"
    record_audit(
        user=request.user,
        action=AuditAction.EXPORT_CSV,
        object_type=AUDIT_OBJECT_TYPE,
        object_id="bereik",
        detail=f"{filename} {describe_filters(filters)}",
    )
    return csv_response(filename=filename, rows=reach_rows(result))


@require_POST
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A teamleider marks a safety override as reviewed. htmx swaps the table row; without
    JavaScript the page reloads with a message. 403 for a klantmanager."""
    meeting = get_override_for(user=request.user, pk=pk)
    review_override(meeting=meeting, by=request.user)
    meeting = get_override_for(user=request.user, pk=pk)
    if request.htmx:
        return render(
            request,
            "meetings/coverage.html#override-row",
            {"meeting": meeting, "can_review": True, "just_reviewed": True},
        )
    messages.success(
        request,
        gettext("The safety override for %(klantnummer)s is marked as reviewed.")
        % {"klantnummer": meeting.client.klantnummer},
    )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("meetings:coverage")
    return redirect(next_url)

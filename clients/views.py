from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from activering.http import AuthenticatedHttpRequest
from activering.models import AuditAction
from activering.services import record_audit
from clients.models import VIEW_TEAM_CLIENTS, Client
from clients.selectors import get_client_for, search_clients
from meetings.agenda import meetings_for_client


@require_GET
@permission_required(VIEW_TEAM_CLIENTS, raise_exception=True)
def client_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Search the team's clients; htmx requests (search-as-you-type) get only the results."""
    result = search_clients(user=request.user, query=request.GET.get("q", ""))
    template = "clients/client_list.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#results"
    response = render(request, template, {"result": result})
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def client_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One client record. 404 for anyone outside the client's team (the beheerder too), and
    every view is written to the audit log."""
    client = get_client_for(user=request.user, pk=pk)
    record_audit(
        user=request.user,
        action=AuditAction.VIEW_CLIENT,
        object_type=Client._meta.label_lower,
        object_id=client.pk,
    )
    meetings = meetings_for_client(client=client)
    return render(request, "clients/client_detail.html", {"client": client, "meetings": meetings})

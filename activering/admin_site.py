"""The beheerder's pages at /beheer/: Django's admin, behind the `maintain_locations` permission."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class BeheerSite(admin.AdminSite):
    site_header = _("Activering · beheer")
    site_title = _("Activering beheer")
    index_title = _("Partner locations and conversation types")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if user.is_active and user.has_perm("activering.maintain_locations"):
            return True
        if user.is_authenticated:
            # Signed in but not a beheerder: a plain 403, not the admin's login form (a loop).
            raise PermissionDenied
        return False

    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # One login page for the whole product.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


beheer_site = BeheerSite(name="admin")

"""The main navigation: one list, each item shown only to users holding its permission."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from activering.models import User


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None  # None: every signed-in member of staff


NAV_ITEMS: tuple[NavItem, ...] = (
    NavItem(_("Start"), "home", None),
    NavItem(_("Clients"), "clients:list", "activering.view_team_clients"),
    NavItem(_("Plan a conversation"), "meetings:new", "activering.plan_meetings"),
    NavItem(_("Agenda"), "meetings:agenda", "activering.plan_meetings"),
    NavItem(_("Coverage"), "meetings:coverage", "activering.plan_meetings"),
    NavItem(_("Locations"), "locations:list", "locations.view_location"),
    NavItem(_("Beheer"), "admin:index", "activering.maintain_locations"),
)


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    current: bool


def navigation_for(user: User, path: str) -> list[NavLink]:
    """The links `user` may follow, the one for the current page marked."""
    links = []
    for item in NAV_ITEMS:
        if item.permission and not user.has_perm(item.permission):
            continue
        url = reverse(item.url_name)
        current = path == url if url == "/" else path.startswith(url)
        links.append(NavLink(item.label, url, current))
    return links

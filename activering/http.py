"""The request type our views see, for type checking (django-htmx's example app pattern)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from activering.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind LoginRequiredMiddleware (so a signed-in `User`) with HtmxMiddleware's
    `request.htmx`."""

    user: User
    htmx: HtmxDetails

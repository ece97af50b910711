"""Reads about clients, always scoped to what the user may see (ClientQuerySet.visible_to)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, IntegerField, Q, Value, When, Window
from django.http import Http404
from django.utils.translation import gettext as _

from activering.models import User
from clients.models import Client

MAX_QUERY_LENGTH = 100

# "1094", "1094 a", "1094AB": the start of a postcode.
_POSTCODE_PREFIX = re.compile(r"^([1-9][0-9]{3})\s*([a-zA-Z]{0,2})$")


@dataclass(frozen=True)
class ClientSearchResult:
    clients: Sequence[Client]
    total: int  # all matches, of which `clients` holds the first `limit`
    query: str  # the query as searched (whitespace collapsed, cut to MAX_QUERY_LENGTH)

    @property
    def has_more(self) -> bool:
        return self.total > len(self.clients)


def get_client_for(*, user: User | AnonymousUser, pk: int) -> Client:
    """The client with this pk if `user` may see it; otherwise 404, never a hint that it exists."""
    client = (
        Client.objects.visible_to(user)
        .select_related("case_manager", "risk_set_by")
        .filter(pk=pk)
        .first()
    )
    if client is None:
        raise Http404(_("No client found."))
    return client


def clean_query(query: str) -> str:
    """Whitespace collapsed, control characters (PostgreSQL refuses NUL) dropped, length capped."""
    printable = "".join(char if char.isprintable() else " " for char in query)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def _matches(query: str) -> Q:
    """Every word must match a first name, a last name (any part) or the start of a klantnummer;
    a query that looks like (the start of) a postcode matches postcodes."""
    postcode = _POSTCODE_PREFIX.match(query)
    if postcode:
        digits, letters = postcode.groups()
        if letters:
            return Q(postcode__startswith=f"{digits} {letters.upper()}")
        return Q(postcode__startswith=digits) | Q(klantnummer__startswith=digits)
    condition = Q()
    for word in query.split():
        word_matches = Q(first_name__icontains=word) | Q(last_name__icontains=word)
        if word.isdigit():
            word_matches |= Q(klantnummer__startswith=word)
        condition &= word_matches
    return condition


def search_clients(
    *, user: User | AnonymousUser, query: str, limit: int = 25
) -> ClientSearchResult:
    """Active clients `user` may see that match `query` (name, klantnummer or postcode), the
    user's own clients first, then by name. One database query whatever the number of matches."""
    query = clean_query(query)
    own_first = Case(
        When(case_manager_id=user.pk, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    matches = (
        Client.objects.visible_to(user)
        .filter(_matches(query), is_active=True)
        .select_related("case_manager")
        # The total comes with the rows (COUNT(*) OVER ()), so no second query is needed.
        .annotate(search_total=Window(Count("pk")), own_first=own_first)
        .order_by("own_first", "last_name", "first_name", "klantnummer")
    )
    clients = list(matches[:limit])
    total = clients[0].search_total if clients else 0
    return ClientSearchResult(clients=clients, total=total, query=query)

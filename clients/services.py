"""Writes about clients. Each use case is one function and one transaction with an audit entry."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activering.models import AuditAction, User
from activering.services import record_audit
from clients.choices import Risk
from clients.models import Client


class ClientError(Exception):
    """A rule about clients was broken; `str(error)` is a translated message for the user."""


class ClientNotVisible(ClientError):
    def __init__(self) -> None:
        super().__init__(_("You can only change clients of your own team."))


class RiskReasonRequired(ClientError):
    def __init__(self) -> None:
        super().__init__(_("Give a reason for an orange or red risk signal."))


@transaction.atomic(durable=True)
def set_client_risk(*, client: Client, risk: Risk, reason: str, by: User) -> Client:
    """Set a client's risk signal (groen/oranje/rood) with its reason, recording who and when.

    Orange and red need a reason (also enforced by a check constraint); groen clears it. Only
    someone who may see the client may change it. Returns the updated client.
    """
    reason = reason.strip()
    if risk != Risk.GROEN and not reason:
        raise RiskReasonRequired
    # Lock the row: two colleagues changing the signal at once are applied one after the other.
    locked = (
        Client.objects.visible_to(by).select_for_update(of=("self",)).filter(pk=client.pk).first()
    )
    if locked is None:
        raise ClientNotVisible
    previous = Risk(locked.risk)
    locked.risk = risk
    locked.risk_reason = reason if risk != Risk.GROEN else ""
    locked.risk_set_by = by
    locked.risk_set_at = timezone.now()
    locked.save(update_fields=["risk", "risk_reason", "risk_set_by", "risk_set_at"])
    record_audit(
        user=by,
        action=AuditAction.SET_CLIENT_RISK,
        object_type=Client._meta.label_lower,
        object_id=locked.pk,
        detail=f"{previous.value} → {Risk(risk).value}",
    )
    return locked

"""Writes shared by every app: the audit log."""

from activering.models import AuditAction, AuditEntry, User


def record_audit(
    *,
    user: User,
    action: AuditAction,
    object_type: str,
    object_id: str | int,
    detail: str = "",
) -> AuditEntry:
    """Append one entry to the audit log (never changed or removed afterwards).

    `object_type` is the record's `app_label.model` (`client._meta.label_lower`). Call it after
    access was checked, inside the transaction of the write it records, if any. One INSERT,
    atomic by itself: no transaction of its own.
    """
    return AuditEntry.objects.create(
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )

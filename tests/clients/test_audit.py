import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from activering.admin_site import beheer_site
from activering.models import AuditAction, AuditEntry
from activering.services import record_audit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_record_audit_appends_an_entry(klantmanager):
    entry = record_audit(
        user=klantmanager, action=AuditAction.EXPORT_CSV, object_type="clients.client", object_id=7
    )
    entry.refresh_from_db()
    assert entry.user == klantmanager
    assert entry.action == "export_csv"
    assert entry.object_id == "7"
    assert entry.at is not None


def test_the_audit_log_cannot_be_changed_or_emptied_row_by_row(klantmanager):
    entry = record_audit(
        user=klantmanager, action=AuditAction.VIEW_CLIENT, object_type="clients.client", object_id=1
    )
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_id="2")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        entry.detail = "edited"
        entry.save()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().object_id == "1"


def test_a_user_with_audit_entries_cannot_be_deleted(klantmanager):
    record_audit(
        user=klantmanager, action=AuditAction.VIEW_CLIENT, object_type="clients.client", object_id=1
    )
    with pytest.raises(ProtectedError):
        klantmanager.delete()


def test_unknown_actions_are_refused_by_the_database():
    with pytest.raises(IntegrityError, match="audit_action_valid"), transaction.atomic():
        AuditEntry.objects.create(
            user=UserFactory(), action="edit_history", object_type="x", object_id="1"
        )


def test_the_audit_log_is_not_offered_in_beheer():
    assert AuditEntry not in beheer_site._registry

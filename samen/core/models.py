"""The append-only access and audit log (NEN 7513 style), hash-chained.

Entries are written only by :func:`samen.core.audit.record`. Each entry stores the SHA-256 hash
of its own content and of the previous entry, so a changed, inserted or deleted entry breaks the
chain; ``manage.py verify_audit_log`` walks it. The database refuses UPDATE and DELETE on the
table (triggers, see migration 0002), so tampering needs someone who can drop those triggers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("change")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    PRINT = "print", _("print")
    SEARCH = "search", _("search")
    BREAK_THE_GLASS = "break_the_glass", _("break the glass")
    LOGIN = "login", _("log in")
    LOGOUT = "logout", _("log out")
    LOGIN_FAILED = "login_failed", _("failed login")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("success")
    DENIED = "denied", _("denied")
    FAILURE = "failure", _("failure")


class AuditPurpose(models.TextChoices):
    # FHIR v3-ActReason codes: COC coordination of care, BTG break the glass, HOPERAT operations.
    CARE_COORDINATION = "COC", _("coordination of care")
    BREAK_THE_GLASS = "BTG", _("break the glass")
    OPERATIONS = "HOPERAT", _("operations")
    CITIZEN = "PATRQT", _("requested by the citizen")


class AuditChainHead(models.Model):
    """A single row holding the newest entry's sequence number and hash; locked while appending."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_chain_head_singleton")]

    def __str__(self) -> str:
        return f"audit chain head #{self.last_sequence}"


class AuditEntry(models.Model):
    """One access or change. Identifiers are copied (not foreign keys) so the log outlives the data."""

    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    outcome = models.CharField(max_length=16, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS)
    purpose = models.CharField(max_length=16, choices=AuditPurpose.choices, blank=True)
    # who
    user_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    user_display = models.CharField(max_length=300, blank=True)
    on_behalf_of_id = models.BigIntegerField(null=True, blank=True)
    organisation_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    organisation_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=40, blank=True)
    # about what
    household_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    # One category, or for a page that shows several, their values joined by commas (``audit.categories_value``).
    data_category = models.CharField(max_length=200, blank=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    description = models.CharField(max_length=500, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    # where
    source_system = models.CharField(max_length=64)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # the chain
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["household_id", "occurred_at"], name="audit_household_time")]
        constraints = [
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_sequence_positive"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit entries are append-only.")

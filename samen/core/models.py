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
    """The newest entry (sequence number and hash) of one stream of the audit log.

    One row per stream (``household:<id>``, ``user:<id>``, ``system``, ``anchor``, and ``legacy`` for the
    single chain written before chain version 2). ``audit.record`` locks only its own stream's row, so
    writers for different households never wait on each other; see the lock order in ``audit.record``.
    """

    stream = models.CharField(max_length=64, primary_key=True)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit stream {self.stream} #{self.last_sequence}"


class AuditEntry(models.Model):
    """One access or change. Identifiers are copied (not foreign keys) so the log outlives the data."""

    # The installation-wide order, for reading. Version 1: the gapless position in the one chain. Version 2: taken
    # without a lock (equal to the primary key), so it increases but has gaps; the chain is per stream.
    sequence = models.PositiveBigIntegerField(unique=True)
    occurred_at = models.DateTimeField(db_index=True)
    # The calendar day in the Netherlands (Europe/Amsterdam) of ``occurred_at``: "Wie keek" counts per day
    # (``AuditDaySummary``), and ``verify_audit_log`` checks those counts against the entries by this day.
    occurred_on = models.DateField()
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
    # the chain: version 1 is the single chain written before streams (``stream="legacy"``, no stream sequence);
    # version 2 chains each stream on its own (``stream_sequence`` 1, 2, 3, ... and ``previous_hash`` inside it).
    chain_version = models.PositiveSmallIntegerField()
    stream = models.CharField(max_length=64)
    stream_sequence = models.PositiveBigIntegerField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["household_id", "occurred_at"], name="audit_household_time")]
        constraints = [
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_sequence_positive"),
            models.UniqueConstraint(fields=["stream", "stream_sequence"], name="audit_stream_sequence_unique"),
            models.CheckConstraint(
                condition=models.Q(chain_version=1, stream="legacy", stream_sequence__isnull=True)
                | models.Q(chain_version=2, stream_sequence__gte=1),
                name="audit_chain_version_fields",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        # Not ``self.pk``: ``audit.record`` chooses the primary key itself (equal to ``sequence``).
        if not self._state.adding:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit entries are append-only.")


class AuditDaySummary(models.Model):
    """How often, and last when, one user of one organisation in one role did one action on one category for one
    purpose in one household on one Dutch calendar day: what "Wie keek" shows, counted by ``audit.record`` in the
    same transaction as the entry.

    A derived summary of the log, not evidence: it is updated in place (the entries themselves are append-only and
    hash-chained), and ``verify_audit_log`` checks that it matches the entries. Its size grows with the number of
    different visitors and actions per day, not with the number of entries, so the page does not grow with the log.
    """

    household_id = models.BigIntegerField()
    day = models.DateField()
    # 0 for entries without a user (the system), so that the unique key matches them too (NULLs never match).
    user_id = models.BigIntegerField()
    organisation_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=40, blank=True)
    action = models.CharField(max_length=32, choices=AuditAction.choices)
    data_category = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=16, choices=AuditPurpose.choices, blank=True)
    times = models.PositiveIntegerField()
    last_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "household_id",
                    "day",
                    "user_id",
                    "organisation_name",
                    "role",
                    "action",
                    "data_category",
                    "purpose",
                ],
                name="audit_day_summary_key",
            )
        ]

    def __str__(self) -> str:
        return f"household {self.household_id} {self.day}: {self.action} x{self.times}"

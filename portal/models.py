from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """The audit log is append-only: entries are never changed or deleted by the application."""


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj: models.Model) -> "AuditEntryQuerySet":
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )

    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries are removed only by the retention job")


def purge_audit_entries_before(cutoff) -> int:
    """Delete the audit entries created before ``cutoff``; the retention job's only path.

    ``QuerySet.delete()`` is disabled on the audit log so nothing else can remove entries, so
    this issues one plain SQL DELETE (no rows are loaded, no signals: nothing refers to
    entries). The database trigger still refuses entries younger than six months."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(AuditEntry._meta.db_table)}"
            " WHERE created_at < %s",
            [cutoff],
        )
        return cursor.rowcount


class AuditResult(models.TextChoices):
    OK = "ok", _("Done")
    FAILED = "failed", _("Failed")
    REFUSED = "refused", _("Refused")


class AuditEntry(models.Model):
    """One step of a workflow, a login, a refused access, a data change or an export.

    Append-only: the model refuses updates and deletes, and on the database a trigger refuses
    them too (except deleting entries older than the retention floor of six months). The user
    and content type are kept without foreign-key constraints so deleting a user never has
    to touch the log; the user name is kept as text for the same reason.
    """

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    result = models.CharField(
        _("result"), max_length=10, choices=AuditResult.choices, default=AuditResult.OK
    )
    content_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries are removed only by the retention job")


class StoredFile(models.Model):
    """What every uploaded-file row keeps beside its file (which each model declares with its
    own folder): the name it had on the user's computer, its size and when it came."""

    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class OutboxMessage(models.Model):
    """A job queued by a request, written in the request's own transaction.

    A request never talks to the broker: a rolled-back step leaves no message, a committed
    one leaves a row that the publisher job (``portal.publish_outbox``, run by the beat every
    few seconds) sends to the broker once it answers. Publishing is at least once, so every
    job queued this way must tolerate running twice.
    """

    task = models.CharField(_("job"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("queued job")
        verbose_name_plural = _("queued jobs")
        indexes = [
            # The publisher reads only the unpublished rows, oldest first.
            models.Index(
                fields=["id"],
                condition=models.Q(published_at__isnull=True),
                name="outbox_unpublished",
            ),
            models.Index(fields=["published_at"], name="outbox_published_at"),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)!r}"

"""Housekeeping jobs of the portal itself (thin: one call each)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.models import purge_audit_entries_before
from portal.outbox import delete_published, publish_pending


@shared_task(name="portal.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Delete expired sessions; idle sessions expire after 30 minutes so the table grows fast."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


#: Whatever the setting says, entries younger than this are kept (the database enforces it too).
AUDIT_RETENTION_FLOOR = timedelta(days=183)


@shared_task(name="portal.purge_old_audit_entries")
def purge_old_audit_entries() -> int:
    """Delete audit entries past the retention period, never any younger than six months."""
    keep = max(timedelta(days=settings.AUDIT_RETENTION_DAYS), AUDIT_RETENTION_FLOOR)
    cutoff = timezone.now() - keep
    return purge_audit_entries_before(cutoff)


@shared_task(name="portal.publish_outbox", ignore_result=True)
def publish_outbox() -> int:
    """Beat, every few seconds: send the jobs that requests queued in the outbox."""
    return publish_pending()


@shared_task(name="portal.delete_published_outbox")
def delete_published_outbox() -> int:
    """Beat, hourly: forget outbox rows published more than a day ago."""
    return delete_published()

"""Housekeeping jobs of the portal itself (thin: one call each)."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="portal.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Delete expired sessions; idle sessions expire after 30 minutes so the table grows fast."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted

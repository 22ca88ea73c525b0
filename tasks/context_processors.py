"""Template context of the tasks app: the unread-notification count of the navigation bar."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from tasks.models import Notification


def notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that never renders the navigation bar (htmx fragments) pays no query.
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: Notification.objects.for_user(user).unread().count()
        )
    }

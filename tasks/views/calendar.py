"""The personal deadline calendar: a secret feed address and the button that replaces it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from branches.access import scope_for
from tasks.ical import calendar, events_for
from tasks.models import NotificationPreference
from tasks.preferences import regenerate_calendar_token


@require_GET
def calendar_feed(request, token: str):
    """No login: calendar apps cannot log in. The token is the key; a wrong one is a 404."""
    preference = get_object_or_404(
        NotificationPreference.objects.select_related("person"), calendar_token=token
    )
    text = calendar(events_for(preference.person), name=_("Party branch deadlines"))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


@login_required
@require_POST
def calendar_regenerate(request):
    person = scope_for(request.user).person
    if person is None:
        raise Http404
    regenerate_calendar_token(person, request.user)
    messages.success(request, _("A new calendar address was made; the old one no longer works."))
    return redirect("tasks:notification_settings")

"""The notification centre: a user's own notifications, paged, marked read one by one or all."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from branches.access import scope_for
from tasks.models import ChangeKind, Notification, NotificationPreference
from tasks.preferences import set_digests_enabled, set_muted_change_emails

PER_PAGE = 20


@login_required
def notification_list(request):
    rows = Notification.objects.for_user(request.user).order_by("-created_at", "-id")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tasks/notifications/list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int):
    # Another user's notification is a 404 like anything else outside one's scope.
    notification = get_object_or_404(Notification.objects.for_user(request.user), pk=pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at=None).update(read_at=timezone.now())
    target = notification.link if request.POST.get("open") else ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("tasks:notification_list")


@login_required
@require_POST
def notification_read_all(request):
    Notification.objects.for_user(request.user).unread().update(read_at=timezone.now())
    return redirect("tasks:notification_list")


class NotificationSettingsForm(forms.Form):
    digests_enabled = forms.BooleanField(
        label=gettext_lazy("Send me a daily digest of overdue tasks"),
        required=False,
        help_text=gettext_lazy(
            "Liaison members and the party office get it at 08:30 while tasks are overdue. "
            "Deadline reminders of your own branch cannot be switched off."
        ),
    )
    change_emails = forms.MultipleChoiceField(
        label=gettext_lazy("Also send me an email when"),
        choices=ChangeKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "These changes always reach you in the notification centre; untick those you do "
            "not want by email as well."
        ),
    )


@login_required
def notification_settings(request):
    """Digests on or off, which changes also come by email, and the address of the personal
    deadline calendar."""
    person = scope_for(request.user).person
    preference = NotificationPreference.objects.filter(person=person).first() if person else None
    enabled = preference.digests_enabled if preference else True
    muted = set(preference.muted_change_emails or []) if preference else set()
    # Not "request.POST or None": an unticked box posts nothing, which is still a submit.
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "digests_enabled": enabled,
            "change_emails": [kind for kind in ChangeKind.values if kind not in muted],
        },
    )
    if request.method == "POST" and person is not None and form.is_valid():
        set_digests_enabled(person, form.cleaned_data["digests_enabled"], request.user)
        wanted = set(form.cleaned_data["change_emails"])
        set_muted_change_emails(
            person, [kind for kind in ChangeKind.values if kind not in wanted], request.user
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("tasks:notification_settings")
    feed_url = ""
    if preference and preference.calendar_token:
        feed_url = request.build_absolute_uri(
            reverse("tasks:calendar_feed", args=[preference.calendar_token])
        )
    return render(
        request,
        "tasks/notifications/settings.html",
        {"form": form, "person": person, "feed_url": feed_url},
    )

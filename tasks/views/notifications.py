"""The notification centre: a user's own notifications, paged, marked read one by one or all."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tasks.models import Notification

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

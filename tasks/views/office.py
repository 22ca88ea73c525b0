"""Office pages: compose a notice (header, areas, items), publish it, move deadlines, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.access import get_in_scope_or_404
from portal.uploads import display_name
from tasks import publishing
from tasks.access import get_item_for_office, get_notice_for_office, office_notices
from tasks.errors import WorkflowError
from tasks.forms import AreaForm, NoticeForm, TaskItemForm
from tasks.kinds import get_kind
from tasks.models import AssignmentStatus, TaskArea, TaskItem, TaskItemFile, local_today
from tasks.outline import next_area_number, notice_outline

NOTICES_PER_PAGE = 20
#: The name of the second submit button of the area and item forms: "save and add another".
ANOTHER = "save_and_add"


@login_required
def notice_list(request):
    notices = (
        office_notices(request.user)
        .select_related("committee")
        .annotate(item_count=Count("areas__items", distinct=True))
        .order_by("-year", "-issue_number")
    )
    page = Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "tasks/office/notice_list.html", {"page": page})


@login_required
def notice_create(request):
    office_notices(request.user)  # 404 for everyone but the office
    form = NoticeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        notice = form.save(commit=False)
        notice.created_by = request.user
        notice.save()
        messages.success(request, _("Notice created. Now add its areas and task items."))
        return redirect("tasks:notice_detail", notice.pk)
    return render(request, "tasks/office/notice_form.html", {"form": form})


@login_required
def notice_edit(request, pk: int):
    notice = get_notice_for_office(request.user, pk)
    form = NoticeForm(request.POST or None, instance=notice, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Notice saved."))
        return redirect("tasks:notice_detail", notice.pk)
    return render(request, "tasks/office/notice_form.html", {"form": form, "notice": notice})


@login_required
def notice_detail(request, pk: int):
    notice = get_notice_for_office(request.user, pk)
    # Progress per item in the same query as the items: counts by status.
    items = TaskItem.objects.annotate(
        total=Count("assignments"),
        done=Count("assignments", filter=Q(assignments__status=AssignmentStatus.APPROVED)),
        waiting=Count("assignments", filter=Q(assignments__status=AssignmentStatus.SUBMITTED)),
    )
    context = {
        "notice": notice,
        "areas": notice_outline(notice, items),
        "attachments": notice.attachments.select_related("item"),
        "today": local_today(),
    }
    return render(request, "tasks/office/notice_detail.html", context)


@login_required
@require_POST
def notice_publish(request, pk: int):
    notice = get_notice_for_office(request.user, pk)
    try:
        created = publishing.publish_notice(notice.pk, request.user)
    except WorkflowError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request,
            _("Notice published: %(count)s assignments were created for the branches.")
            % {"count": created},
        )
    return redirect("tasks:notice_detail", notice.pk)


@login_required
def area_create(request, pk: int):
    notice = get_notice_for_office(request.user, pk)
    initial = {"number": next_area_number(notice)}
    form = AreaForm(request.POST or None, notice=notice, initial=initial)
    if request.method == "POST" and form.is_valid():
        area = form.save(commit=False)
        area.notice = notice
        area.save()
        messages.success(request, _("Area added."))
        if ANOTHER in request.POST:
            return redirect("tasks:area_create", notice.pk)
        return redirect("tasks:notice_detail", notice.pk)
    return render(request, "tasks/office/area_form.html", {"form": form, "notice": notice})


@login_required
def area_edit(request, pk: int):
    area = get_in_scope_or_404(
        TaskArea.objects.filter(notice__in=office_notices(request.user)).select_related("notice"),
        pk=pk,
    )
    form = AreaForm(request.POST or None, instance=area, notice=area.notice)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Area saved."))
        return redirect("tasks:notice_detail", area.notice_id)
    return render(
        request, "tasks/office/area_form.html", {"form": form, "notice": area.notice, "area": area}
    )


def _save_item(request, form: TaskItemForm, item: TaskItem | None) -> TaskItem:
    """Save the item form; a deadline change of a published notice goes through the service."""
    with transaction.atomic():
        new_deadline = form.cleaned_data["deadline"]
        if item is not None and item.area.notice.is_published and new_deadline != item.deadline:
            publishing.change_deadline(item.pk, request.user, new_deadline)
            form.instance.deadline = new_deadline
        saved = form.save()
        upload = form.cleaned_data.get("template_file")
        if upload:
            TaskItemFile.objects.create(
                item=saved, file=upload, original_name=display_name(upload.name), size=upload.size
            )
    if new_deadline is not None and new_deadline < local_today():
        # Allowed (notices are sometimes entered late), but the office should know.
        messages.warning(
            request,
            _("The deadline %(date)s is already in the past.") % {"date": new_deadline.isoformat()},
        )
    return saved


@login_required
def item_create(request, pk: int):
    notice = get_notice_for_office(request.user, pk)
    if notice.is_published:
        messages.warning(request, _("Items cannot be added to a published notice."))
        return redirect("tasks:notice_detail", notice.pk)
    initial = {"area": request.GET.get("area"), "kind": "report"}
    form = TaskItemForm(request.POST or None, request.FILES or None, notice=notice, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save_item(request, form, None)
        messages.success(request, _("Task item added."))
        if ANOTHER in request.POST:
            # An empty form for the same area: items are usually entered one area at a time.
            form_url = reverse("tasks:item_create", args=[notice.pk])
            return redirect(f"{form_url}?area={saved.area_id}")
        return redirect("tasks:notice_detail", notice.pk)
    return render(request, "tasks/office/item_form.html", {"form": form, "notice": notice})


@login_required
def item_edit(request, pk: int):
    item = get_item_for_office(request.user, pk)
    notice = item.area.notice
    if item.is_withdrawn:
        messages.warning(request, _("A withdrawn item cannot be edited."))
        return redirect("tasks:notice_detail", notice.pk)
    form = TaskItemForm(request.POST or None, request.FILES or None, instance=item, notice=notice)
    if request.method == "POST" and form.is_valid():
        _save_item(request, form, TaskItem.objects.select_related("area__notice").get(pk=item.pk))
        messages.success(request, _("Task item saved."))
        return redirect("tasks:notice_detail", notice.pk)
    return render(
        request,
        "tasks/office/item_form.html",
        {"form": form, "notice": notice, "item": item, "kind": get_kind(item.kind)},
    )


@login_required
@require_POST
def item_withdraw(request, pk: int):
    item = get_item_for_office(request.user, pk)
    try:
        publishing.withdraw_item(item.pk, request.user, request.POST.get("reason", "")[:500])
    except WorkflowError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, _("Task item withdrawn; it left the branches' to-do lists."))
    return redirect("tasks:notice_detail", item.area.notice_id)


@login_required
@require_POST
def notice_copy(request, pk: int):
    """Start a new draft from an earlier notice (see ``publishing.copy_notice``)."""
    source = get_notice_for_office(request.user, pk)
    notice = publishing.copy_notice(source.pk, request.user)
    messages.success(
        request,
        _(
            "A new draft was made from the notice; fixed deadlines moved forward by "
            "%(days)s days. Check its number, date and deadlines before publishing."
        )
        % {"days": (notice.date - source.date).days},
    )
    return redirect("tasks:notice_detail", notice.pk)


@login_required
@require_POST
def area_delete(request, pk: int):
    area = get_in_scope_or_404(
        TaskArea.objects.filter(notice__in=office_notices(request.user)), pk=pk
    )
    try:
        publishing.delete_area(area.pk, request.user)
    except WorkflowError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, _("Area deleted with its sub-areas and task items."))
    return redirect("tasks:notice_detail", area.notice_id)


@login_required
@require_POST
def item_delete(request, pk: int):
    item = get_item_for_office(request.user, pk)
    try:
        publishing.delete_item(item.pk, request.user)
    except WorkflowError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, _("Task item deleted."))
    return redirect("tasks:notice_detail", item.area.notice_id)

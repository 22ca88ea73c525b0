from django.urls import path

from tasks.views import (
    branch,
    comments,
    dashboard,
    exports,
    files,
    liaison,
    notice_import,
    notifications,
    office,
    reminders_office,
    review,
)
from tasks.views import calendar as calendar_views

app_name = "tasks"

urlpatterns = [
    # office: compose and publish
    path("notices/", office.notice_list, name="notice_list"),
    path("notices/new/", office.notice_create, name="notice_create"),
    path("notices/import/", notice_import.notice_import, name="notice_import"),
    path(
        "notices/import/<slug:token>/",
        notice_import.notice_import_preview,
        name="notice_import_preview",
    ),
    path("notices/<int:pk>/source/", files.notice_source, name="notice_source"),
    path("notices/<int:pk>/", office.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", office.notice_edit, name="notice_edit"),
    path("notices/<int:pk>/publish/", office.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/areas/new/", office.area_create, name="area_create"),
    path("areas/<int:pk>/edit/", office.area_edit, name="area_edit"),
    path("notices/<int:pk>/items/new/", office.item_create, name="item_create"),
    path("items/<int:pk>/edit/", office.item_edit, name="item_edit"),
    path("items/<int:pk>/withdraw/", office.item_withdraw, name="item_withdraw"),
    path("notices/<int:pk>/copy/", office.notice_copy, name="notice_copy"),
    path("areas/<int:pk>/delete/", office.area_delete, name="area_delete"),
    path("items/<int:pk>/delete/", office.item_delete, name="item_delete"),
    path("item-files/<int:pk>/", files.item_file, name="item_file"),
    path("notice-attachments/<int:pk>/", files.notice_attachment, name="notice_attachment"),
    path(
        "notice-attachments/<int:pk>/blank-form/",
        files.notice_attachment_template,
        name="notice_attachment_template",
    ),
    path(
        "notice-attachments/<int:pk>/upload/",
        notice_import.attachment_upload,
        name="notice_attachment_upload",
    ),
    path(
        "assignments/<int:pk>/acknowledge/",
        liaison.acknowledge_assignment,
        name="assignment_acknowledge",
    ),
    # branch: to-do list and filling in
    path("branch/<int:pk>/", branch.todo_list, name="todo_list"),
    path("assignments/<int:pk>/", branch.assignment_detail, name="assignment_detail"),
    path("files/<int:pk>/", files.assignment_file, name="assignment_file"),
    # both sides: the conversation on an assignment
    path("assignments/<int:pk>/comments/", comments.assignment_comment, name="assignment_comment"),
    # office: review
    path("review/", review.review_list, name="review_list"),
    path("review/approve/", review.review_bulk_approve, name="review_bulk_approve"),
    path("assignments/<int:pk>/review/", review.assignment_review, name="assignment_review"),
    path("assignments/<int:pk>/extend/", review.assignment_extend, name="assignment_extend"),
    path("assignments/<int:pk>/urge/", review.assignment_urge, name="assignment_urge"),
    # everyone: the notification centre
    path("notifications/", notifications.notification_list, name="notification_list"),
    path(
        "notifications/<int:pk>/read/",
        notifications.notification_read,
        name="notification_read",
    ),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notification_read_all",
    ),
    # reminders: settings, the deadline calendar, the office's failed list and urge-all
    path(
        "notifications/settings/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path("calendar/regenerate/", calendar_views.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed, name="calendar_feed"),
    path("reminders/failed/", reminders_office.failed_reminders, name="failed_reminders"),
    path("items/<int:pk>/urge-all/", reminders_office.item_urge_all, name="item_urge_all"),
    # progress: dashboards, the committee member's view, workbook exports
    path("dashboards/", dashboard.dashboard_list, name="dashboard_list"),
    path("notices/<int:pk>/dashboard/", dashboard.notice_dashboard, name="notice_dashboard"),
    path("notices/<int:pk>/liaison/", dashboard.liaison_dashboard, name="liaison_dashboard"),
    path("notices/<int:pk>/export/", exports.export_request, name="export_request"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
]

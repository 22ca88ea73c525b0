from django.urls import path

from branches import views, views_meetings, views_security

urlpatterns = [
    path("", views.home, name="home"),
    path("office/", views.office_overview, name="office_overview"),
    path("office/audit/", views_security.audit_log, name="office_audit_log"),
    path("office/lockouts/", views_security.lockouts, name="office_lockouts"),
    path("office/lockouts/<int:pk>/unlock/", views_security.unlock, name="office_unlock"),
    path("liaison/", views.liaison_branch_list, name="liaison_branches"),
    path("region/", views.region_tree, name="region_tree"),
    path("org/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("me/", views.my_profile, name="my_profile"),
    # meeting records
    path("org/<int:pk>/meetings/", views_meetings.meeting_list, name="branch_meetings"),
    path("org/<int:pk>/meetings/new/", views_meetings.meeting_create, name="branch_meeting_create"),
    path("meetings/<int:pk>/edit/", views_meetings.meeting_edit, name="branch_meeting_edit"),
    path("meeting-files/<int:pk>/", views_meetings.meeting_file, name="branch_meeting_file"),
]

from django.urls import path

from branches import (
    views,
    views_compliance,
    views_development,
    views_meetings,
    views_relations,
    views_roster,
    views_security,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("office/", views.office_overview, name="office_overview"),
    path("office/audit/", views_security.audit_log, name="office_audit_log"),
    path("office/lockouts/", views_security.lockouts, name="office_lockouts"),
    path("office/lockouts/<int:pk>/unlock/", views_security.unlock, name="office_unlock"),
    path(
        "office/lockouts/address/<str:ip>/unlock/",
        views_security.unlock_address,
        name="office_unlock_address",
    ),
    path("liaison/", views.liaison_branch_list, name="liaison_branches"),
    path("region/", views.region_tree, name="region_tree"),
    path("org/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("me/", views.my_profile, name="my_profile"),
    # meeting records
    path("org/<int:pk>/meetings/", views_meetings.meeting_list, name="branch_meetings"),
    path("org/<int:pk>/meetings/new/", views_meetings.meeting_create, name="branch_meeting_create"),
    path("meetings/<int:pk>/edit/", views_meetings.meeting_edit, name="branch_meeting_edit"),
    path("meeting-files/<int:pk>/", views_meetings.meeting_file, name="branch_meeting_file"),
    # branch life: meetings in detail, compliance, development, relation cases, roster
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="branch_meeting_detail"),
    path(
        "meetings/<int:pk>/resolutions/",
        views_meetings.meeting_resolution_add,
        name="branch_meeting_resolution_add",
    ),
    path(
        "meetings/<int:pk>/follow-ups/",
        views_meetings.meeting_follow_up_add,
        name="branch_meeting_follow_up_add",
    ),
    path(
        "org/<int:pk>/meetings/calendar/",
        views_meetings.meeting_calendar,
        name="branch_meeting_calendar",
    ),
    path(
        "org/<int:pk>/meetings/export/", views_meetings.meeting_export, name="branch_meeting_export"
    ),
    path("org/<int:pk>/compliance/", views_compliance.compliance, name="branch_compliance"),
    path("org/<int:pk>/development/", views_development.branch_pipeline, name="branch_development"),
    path(
        "org/<int:pk>/development/new/",
        views_development.case_create,
        name="branch_development_case_create",
    ),
    path("development/<int:pk>/", views_development.case_detail, name="branch_development_case"),
    path(
        "development/<int:pk>/extend/",
        views_development.case_extend_probation,
        name="branch_development_case_extend",
    ),
    path(
        "development/<int:pk>/stop/",
        views_development.case_stop,
        name="branch_development_case_stop",
    ),
    path("office/development/", views_development.office_pipeline, name="office_development"),
    path("org/<int:pk>/relations/", views_relations.branch_cases, name="branch_relations"),
    path(
        "org/<int:pk>/relations/new/",
        views_relations.case_create,
        name="branch_relation_case_create",
    ),
    path("relations/<int:pk>/", views_relations.case_detail, name="branch_relation_case"),
    path("relations/<int:pk>/edit/", views_relations.case_edit, name="branch_relation_case_edit"),
    path(
        "relations/<int:pk>/attempts/",
        views_relations.attempt_add,
        name="branch_relation_attempt_add",
    ),
    path("office/relations/", views_relations.office_cases, name="office_relations"),
    path("org/<int:pk>/roster/", views_roster.roster, name="branch_roster"),
    path("org/<int:pk>/roster/add/", views_roster.person_add, name="branch_person_add"),
    path(
        "org/<int:pk>/roster/template/", views_roster.roster_template, name="branch_roster_template"
    ),
    path("org/<int:pk>/roster/import/", views_roster.roster_import, name="branch_roster_import"),
    path(
        "org/<int:pk>/roster/import/confirm/",
        views_roster.roster_import_confirm,
        name="branch_roster_import_confirm",
    ),
    path("people/<int:pk>/edit/", views_roster.person_edit, name="branch_person_edit"),
    path("people/<int:pk>/move/", views_roster.person_move, name="branch_person_move"),
    path("people/<int:pk>/status/", views_roster.person_status, name="branch_person_status"),
]

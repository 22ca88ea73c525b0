from django.urls import path

from branches.views import compliance, development, home, meetings, relations, roster, security

app_name = "branches"

urlpatterns = [
    path("", home.home, name="home"),
    path("office/", home.office_overview, name="office_overview"),
    path("office/audit/", security.audit_log, name="office_audit_log"),
    path("office/lockouts/", security.lockouts, name="office_lockouts"),
    path("office/lockouts/<int:pk>/unlock/", security.unlock, name="office_unlock"),
    path(
        "office/lockouts/address/<str:ip>/unlock/",
        security.unlock_address,
        name="office_unlock_address",
    ),
    path("liaison/", home.liaison_branch_list, name="liaison_branches"),
    path("region/", home.region_tree, name="region_tree"),
    path("region/<int:pk>/", home.region_subtree, name="region_subtree"),
    path("org/<int:pk>/", home.organisation_detail, name="organisation_detail"),
    path("me/", home.my_profile, name="my_profile"),
    # meeting records
    path("org/<int:pk>/meetings/", meetings.meeting_list, name="branch_meetings"),
    path("org/<int:pk>/meetings/new/", meetings.meeting_create, name="branch_meeting_create"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="branch_meeting_edit"),
    path("meeting-files/<int:pk>/", meetings.meeting_file, name="branch_meeting_file"),
    # branch life: meetings in detail, compliance, development, relation cases, roster
    path("meetings/<int:pk>/", meetings.meeting_detail, name="branch_meeting_detail"),
    path(
        "meetings/<int:pk>/resolutions/",
        meetings.meeting_resolution_add,
        name="branch_meeting_resolution_add",
    ),
    path(
        "meetings/<int:pk>/follow-ups/",
        meetings.meeting_follow_up_add,
        name="branch_meeting_follow_up_add",
    ),
    path(
        "org/<int:pk>/meetings/calendar/",
        meetings.meeting_calendar,
        name="branch_meeting_calendar",
    ),
    path("org/<int:pk>/meetings/export/", meetings.meeting_export, name="branch_meeting_export"),
    path("org/<int:pk>/compliance/", compliance.compliance, name="branch_compliance"),
    path("org/<int:pk>/development/", development.branch_pipeline, name="branch_development"),
    path(
        "org/<int:pk>/development/new/",
        development.case_create,
        name="branch_development_case_create",
    ),
    path("development/<int:pk>/", development.case_detail, name="branch_development_case"),
    path(
        "development/<int:pk>/extend/",
        development.case_extend_probation,
        name="branch_development_case_extend",
    ),
    path(
        "development/<int:pk>/stop/",
        development.case_stop,
        name="branch_development_case_stop",
    ),
    path("office/development/", development.office_pipeline, name="office_development"),
    path("org/<int:pk>/relations/", relations.branch_cases, name="branch_relations"),
    path(
        "org/<int:pk>/relations/new/",
        relations.case_create,
        name="branch_relation_case_create",
    ),
    path("relations/<int:pk>/", relations.case_detail, name="branch_relation_case"),
    path("relations/<int:pk>/edit/", relations.case_edit, name="branch_relation_case_edit"),
    path(
        "relations/<int:pk>/attempts/",
        relations.attempt_add,
        name="branch_relation_attempt_add",
    ),
    path("office/relations/", relations.office_cases, name="office_relations"),
    path("org/<int:pk>/roster/", roster.roster, name="branch_roster"),
    path("org/<int:pk>/roster/add/", roster.person_add, name="branch_person_add"),
    path("org/<int:pk>/roster/template/", roster.roster_template, name="branch_roster_template"),
    path("org/<int:pk>/roster/import/", roster.roster_import, name="branch_roster_import"),
    path(
        "org/<int:pk>/roster/import/confirm/",
        roster.roster_import_confirm,
        name="branch_roster_import_confirm",
    ),
    path("people/<int:pk>/edit/", roster.person_edit, name="branch_person_edit"),
    path("people/<int:pk>/move/", roster.person_move, name="branch_person_move"),
    path("people/<int:pk>/status/", roster.person_status, name="branch_person_status"),
]

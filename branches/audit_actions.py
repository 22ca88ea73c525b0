"""Names of the audit actions of branch life (see ``portal.audit_actions``)."""

from __future__ import annotations

ACTION_PERSON_ADDED = "branches.person.added"
ACTION_PERSON_CHANGED = "branches.person.changed"
ACTION_PERSON_MOVED = "branches.person.moved"
ACTION_PERSON_STATUS_CHANGED = "branches.person.status_changed"
ACTION_ROSTER_IMPORTED = "branches.roster.imported"

ACTION_MEETING_CREATED = "branches.meeting.created"
ACTION_MEETING_CHANGED = "branches.meeting.changed"
ACTION_MEETING_RESOLUTION_ADDED = "branches.meeting.resolution_added"
ACTION_MEETING_FOLLOW_UP_ADDED = "branches.meeting.follow_up_added"
ACTION_APPRAISAL_GRADED = "branches.meeting.appraisal_graded"

ACTION_DEVELOPMENT_OPENED = "branches.development.opened"
ACTION_DEVELOPMENT_STEP_RECORDED = "branches.development.step_recorded"
ACTION_DEVELOPMENT_PROBATION_EXTENDED = "branches.development.probation_extended"
ACTION_DEVELOPMENT_STOPPED = "branches.development.stopped"

ACTION_RELATION_OPENED = "branches.relation.opened"
ACTION_RELATION_CHANGED = "branches.relation.changed"
ACTION_RELATION_ATTEMPT_ADDED = "branches.relation.attempt_added"

"""Models of the branches app, one module per subject."""

from branches.models.meetings import MeetingFile, MeetingRecord, MeetingRecordQuerySet, MeetingType
from branches.models.organisations import (
    BRANCH_EDITOR_ROLES,
    Gender,
    MemberType,
    Organisation,
    OrganisationQuerySet,
    OrgKind,
    Person,
    PersonQuerySet,
    PersonStatus,
    Role,
    RoleKind,
    Service,
)

__all__ = [
    "BRANCH_EDITOR_ROLES",
    "Gender",
    "MeetingFile",
    "MeetingRecord",
    "MeetingRecordQuerySet",
    "MeetingType",
    "MemberType",
    "OrgKind",
    "Organisation",
    "OrganisationQuerySet",
    "Person",
    "PersonQuerySet",
    "PersonStatus",
    "Role",
    "RoleKind",
    "Service",
]

"""Rules of branch life that are numbers kept as ``LifeRule`` rows (DOMAIN.md §3): committee
size and term, the secretary's yearly Party lesson, the share of 优秀 at a member appraisal,
and Party standing (党龄) counted from the end of the probation.

Each check returns warnings (plain messages) for ``today``; nothing here refuses a write except
``save_appraisal``, whose grades break a rule of the regulations when 优秀 exceeds its share.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from branches.audit_actions import ACTION_APPRAISAL_GRADED
from branches.models import (
    BRANCH_EDITOR_ROLES,
    AppraisalGrade,
    AppraisalResult,
    LifeRule,
    MeetingRecord,
    MeetingType,
    MemberType,
    Person,
    Role,
    RoleKind,
)
from branches.services import Refused, add_months
from portal.audit import log_action

#: Used when a row is missing (the office deleted it): the regulations' own numbers.
DEFAULTS = {
    "self_departure_months": 6,
    "secretary_lessons_per_year": 1,
    "excellent_parts": 1,
    "excellent_whole": 3,
    "committee_from_members": 7,
    "committee_min": 3,
    "committee_max": 5,
    "committee_hard_max": 7,
    "branch_min_members": 3,
    "branch_max_members": 50,
    "term_years": 3,
}


def rule_values() -> dict[str, int]:
    values = dict(DEFAULTS)
    values.update(dict(LifeRule.objects.values_list("code", "value")))
    return values


def committee_size(branch) -> int:
    """People holding a branch-committee role (secretary, deputy, organisation member)."""
    return (
        Role.objects.filter(organisation=branch, kind__in=BRANCH_EDITOR_ROLES)
        .values("person")
        .distinct()
        .count()
    )


def committee_warnings(branch, today: date, rules: dict[str, int] | None = None) -> list[str]:
    """Branch size, committee size for the number of full members, and the committee's term."""
    rules = rules or rule_values()
    people = Person.objects.active().filter(branch=branch)
    full = people.filter(member_type=MemberType.FULL).count()
    members = people.members().count()
    size = committee_size(branch)
    warnings = []
    if full < rules["branch_min_members"]:
        warnings.append(
            _("The branch has %(count)s full member(s); a branch needs at least %(min)s.")
            % {"count": full, "min": rules["branch_min_members"]}
        )
    if members > rules["branch_max_members"]:
        warnings.append(
            _("The branch has %(count)s members; a branch normally has at most %(max)s.")
            % {"count": members, "max": rules["branch_max_members"]}
        )
    if full >= rules["committee_from_members"]:
        if size < rules["committee_min"] or size > rules["committee_hard_max"]:
            warnings.append(
                _(
                    "With %(full)s full members the branch elects a committee of %(min)s to "
                    "%(max)s; it has %(size)s."
                )
                % {
                    "full": full,
                    "min": rules["committee_min"],
                    "max": rules["committee_max"],
                    "size": size,
                }
            )
        elif size > rules["committee_max"]:
            warnings.append(
                _("The committee has %(size)s members; it is normally at most %(max)s.")
                % {"size": size, "max": rules["committee_max"]}
            )
    if branch.last_election_on is None:
        warnings.append(_("Enter the date of the last election of the branch committee."))
    else:
        term_end = add_months(branch.last_election_on, 12 * rules["term_years"])
        if term_end <= today:
            warnings.append(
                _("The committee's %(years)s-year term ended on %(date)s: hold the election.")
                % {"years": rules["term_years"], "date": term_end}
            )
    return warnings


def secretary_lesson_warnings(
    branch, year: int, today: date, rules: dict[str, int] | None = None
) -> list[str]:
    """The secretary gives at least the rule's number of Party lessons a year (chair of the
    record). Warned once the year has ended, or while it runs when none has been given yet
    and the last quarter has begun."""
    rules = rules or rule_values()
    minimum = rules["secretary_lessons_per_year"]
    names = set(
        Role.objects.filter(organisation=branch, kind=RoleKind.SECRETARY).values_list(
            "person__name", flat=True
        )
    )
    if not names or minimum == 0 or today < date(year, 10, 1):
        return []
    lessons = [
        record
        for record in MeetingRecord.objects.for_branch(branch).in_year(year)
        if MeetingType.PARTY_LESSON in record.counted_types and record.chair.strip() in names
    ]
    if len(lessons) >= minimum:
        return []
    return [
        _("The secretary has given %(count)s Party lesson(s) in %(year)s; at least %(min)s a year.")
        % {"count": len(lessons), "year": year, "min": minimum}
    ]


def excellent_limit(count: int, rules: dict[str, int] | None = None) -> int:
    """The most 优秀 grades among ``count`` appraised members (at most one third)."""
    rules = rules or rule_values()
    return count * rules["excellent_parts"] // rules["excellent_whole"]


@transaction.atomic
def save_appraisal(meeting: MeetingRecord, grades: dict[int, str], *, user) -> int:
    """Store the grades of a member appraisal ({person id: grade}); refused when 优秀 exceeds
    its share of the members graded."""
    if MeetingType.APPRAISAL not in meeting.counted_types:
        raise Refused(_("Grades belong to a member appraisal record."))
    unknown = set(grades.values()) - set(AppraisalGrade.values)
    if unknown:
        raise Refused(_("Unknown grade."))
    excellent = sum(1 for g in grades.values() if g == AppraisalGrade.EXCELLENT)
    limit = excellent_limit(len(grades))
    if excellent > limit:
        raise Refused(
            _("At most %(limit)s of %(count)s members may be graded excellent (优秀); %(n)s were.")
            % {"limit": limit, "count": len(grades), "n": excellent}
        )
    people = set(
        Person.objects.filter(pk__in=grades, branch=meeting.branch).values_list("pk", flat=True)
    )
    if people != set(grades):
        raise Refused(_("Grade only members of this branch."))
    AppraisalResult.objects.filter(meeting=meeting).delete()
    AppraisalResult.objects.bulk_create(
        AppraisalResult(meeting=meeting, person_id=pk, grade=grade) for pk, grade in grades.items()
    )
    log_action(meeting, ACTION_APPRAISAL_GRADED, user=user, data={"excellent": excellent})
    return len(grades)


def party_standing_years(person: Person, today: date) -> int | None:
    """Whole years of Party standing (党龄): from the end of the probation, not from joining."""
    if person.full_member_on is None or person.full_member_on > today:
        return None
    years = today.year - person.full_member_on.year
    if (today.month, today.day) < (person.full_member_on.month, person.full_member_on.day):
        years -= 1
    return years

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from branches.models import (
    AppraisalGrade,
    AppraisalResult,
    MeetingFile,
    MeetingRecord,
    Organisation,
    Person,
    Role,
)
from branches.services.life_rules import excellent_limit


@admin.register(Organisation)
class OrganisationAdmin(TreeAdmin):
    form = movenodeform_factory(Organisation)
    list_display = ("name", "kind", "service", "founded_on", "is_active")
    list_filter = ("kind", "service", "is_active")
    search_fields = ("name", "short_name")
    filter_horizontal = ("liaison_members",)


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ("organisation",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "branch", "member_type", "status", "user")
    list_filter = ("member_type", "status", "gender")
    search_fields = ("name", "email", "phone")
    list_select_related = ("branch", "user")
    autocomplete_fields = ("branch", "user")
    inlines = [RoleInline]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("person", "kind", "organisation")
    list_filter = ("kind",)
    search_fields = ("person__name", "organisation__name")
    list_select_related = ("person", "organisation")
    autocomplete_fields = ("person", "organisation")


class MeetingFileInline(admin.TabularInline):
    model = MeetingFile
    extra = 0


class AppraisalFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        grades = [
            form.cleaned_data.get("grade")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        excellent = grades.count(AppraisalGrade.EXCELLENT)
        limit = excellent_limit(len(grades))
        if excellent > limit:
            raise ValidationError(
                _(
                    "At most %(limit)s of %(count)s members may be graded excellent (优秀); "
                    "%(n)s were."
                )
                % {"limit": limit, "count": len(grades), "n": excellent}
            )


class AppraisalResultInline(admin.TabularInline):
    """Grades of a member appraisal; 优秀 is kept within its share (``LifeRule``)."""

    model = AppraisalResult
    formset = AppraisalFormSet
    autocomplete_fields = ("person",)
    extra = 0


@admin.register(MeetingRecord)
class MeetingRecordAdmin(admin.ModelAdmin):
    list_display = ("date", "meeting_type", "theme", "branch")
    list_filter = ("meeting_type",)
    search_fields = ("theme", "branch__name")
    list_select_related = ("branch",)
    autocomplete_fields = ("branch",)
    inlines = [MeetingFileInline, AppraisalResultInline]


from branches.models import (  # noqa: E402  (branch-life admin, kept apart from the above)
    CalendarDay,
    CalendarSource,
    DevelopmentCase,
    DevelopmentStep,
    FrequencyRule,
    LifeRule,
    PartyDiscipline,
    RelationRule,
    VotingRule,
)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("day", "is_workday", "name", "source")
    list_filter = ("is_workday", "source")
    date_hierarchy = "day"
    readonly_fields = ("source",)

    def save_model(self, request, obj, form, change):
        # A day the office entered or corrected is theirs: reloading the package keeps it.
        obj.source = CalendarSource.OFFICE
        super().save_model(request, obj, form, change)


@admin.register(LifeRule)
class LifeRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "value", "note")
    list_editable = ("value",)


@admin.register(DevelopmentCase)
class DevelopmentCaseAdmin(admin.ModelAdmin):
    """Only the expected leaving date is kept here; steps are recorded on the case page."""

    list_display = ("person", "branch", "status", "expected_leave_on")
    fields = ("expected_leave_on",)
    list_select_related = ("person", "branch")

    def has_add_permission(self, request):
        return False


@admin.register(FrequencyRule)
class FrequencyRuleAdmin(admin.ModelAdmin):
    list_display = ("meeting_type", "period", "minimum", "service", "is_active")
    list_editable = ("minimum", "is_active")


@admin.register(VotingRule)
class VotingRuleAdmin(admin.ModelAdmin):
    list_display = ("meeting_type", "quorum_share", "majority_share")


@admin.register(DevelopmentStep)
class DevelopmentStepAdmin(admin.ModelAdmin):
    list_display = ("order", "name", "stage", "rule", "severity", "params", "due_after_days")
    list_filter = ("stage",)


@admin.register(RelationRule)
class RelationRuleAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "months")
    list_editable = ("months",)


@admin.register(PartyDiscipline)
class PartyDisciplineAdmin(admin.ModelAdmin):
    list_display = ("person", "kind", "start", "end")
    autocomplete_fields = ("person",)

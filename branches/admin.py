from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from branches.models import MeetingFile, MeetingRecord, Organisation, Person, Role


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


@admin.register(MeetingRecord)
class MeetingRecordAdmin(admin.ModelAdmin):
    list_display = ("date", "meeting_type", "theme", "branch")
    list_filter = ("meeting_type",)
    search_fields = ("theme", "branch__name")
    list_select_related = ("branch",)
    autocomplete_fields = ("branch",)
    inlines = [MeetingFileInline]


from branches.models import (  # noqa: E402  (branch-life admin, kept apart from the above)
    CalendarDay,
    DevelopmentStep,
    FrequencyRule,
    PartyDiscipline,
    RelationRule,
    VotingRule,
)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("day", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "day"


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

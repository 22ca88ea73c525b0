from django.contrib import admin

from dues.models import RateBracket, RateSchedule


class RateBracketInline(admin.TabularInline):
    model = RateBracket
    extra = 0


@admin.register(RateSchedule)
class RateScheduleAdmin(admin.ModelAdmin):
    list_display = ("valid_from", "review_month", "note")
    inlines = [RateBracketInline]

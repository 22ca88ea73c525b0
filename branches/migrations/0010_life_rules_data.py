"""Numbers of the branch-life rules (DOMAIN.md §3–§5), the checks of three development steps
and the published public holidays, loaded as editable data."""

from django.db import migrations

LIFE_RULES = [
    # (code, label, value, note)
    ("self_departure_months", "Months without organisational life before 自行脱党 is flagged", 6, "党章 art. 9"),
    ("secretary_lessons_per_year", "Party lessons the secretary gives each year", 1, "支部书记每年至少讲1次党课"),
    ("excellent_parts", "Share of 优秀 at most: numerator", 1, "优秀 ≤ 1/3"),
    ("excellent_whole", "Share of 优秀 at most: denominator", 3, "优秀 ≤ 1/3"),
    ("committee_from_members", "Full members from which a branch elects a committee", 7, "支部工作条例"),
    ("committee_min", "Smallest branch committee", 3, ""),
    ("committee_max", "Largest usual branch committee", 5, ""),
    ("committee_hard_max", "Largest branch committee allowed", 7, ""),
    ("branch_min_members", "Fewest full members of a branch", 3, ""),
    ("branch_max_members", "Most members of a branch, normally", 50, ""),
    ("term_years", "Term of a branch committee (years)", 3, ""),
]

# step code → (check, params), set only where the office has not given the step a check.
STEP_CHECKS = {
    "contacts": ("contacts", {"min": 1, "max": 2}),
    "pre_review": ("not_leaving", {"months": 3}),
    "branch_meeting": ("meeting_vote", {}),
}


def load(apps, schema_editor):
    LifeRule = apps.get_model("branches", "LifeRule")
    DevelopmentStep = apps.get_model("branches", "DevelopmentStep")
    for code, label, value, note in LIFE_RULES:
        LifeRule.objects.get_or_create(
            code=code, defaults={"label": label, "value": value, "note": note}
        )
    for code, (check, params) in STEP_CHECKS.items():
        step = DevelopmentStep.objects.filter(code=code, rule="").first()
        if step is not None:
            step.rule, step.params = check, {**params, **step.params}
            step.save(update_fields=["rule", "params"])


def load_holidays(apps, schema_editor):
    # The service takes the historical model so that this migration keeps working.
    from branches.services.holidays import load_published_calendar

    load_published_calendar(apps.get_model("branches", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("branches", "0009_life_rules")]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
        migrations.RunPython(load_holidays, migrations.RunPython.noop),
    ]

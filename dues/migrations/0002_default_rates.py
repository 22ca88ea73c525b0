"""The default dues schedule (DOMAIN.md §7), a frozen copy of ``dues.rules_data``."""

from datetime import date
from decimal import Decimal

from django.db import migrations

VALID_FROM = date(2008, 4, 1)
REVIEW_MONTH = 1
BRACKETS = [
    ("in_service", "3000", "0.5", None),
    ("in_service", "5000", "1", None),
    ("in_service", "10000", "1.5", None),
    ("in_service", None, "2", None),
    ("retired", "5000", "0.5", None),
    ("retired", None, "1", None),
    ("student", None, None, "0.20"),
    ("no_income", None, None, "0.20"),
    ("exempt", None, None, "0"),
]


def _decimal(value):
    return None if value is None else Decimal(value)


def load(apps, schema_editor):
    RateSchedule = apps.get_model("dues", "RateSchedule")
    RateBracket = apps.get_model("dues", "RateBracket")
    schedule, created = RateSchedule.objects.get_or_create(
        valid_from=VALID_FROM, defaults={"review_month": REVIEW_MONTH, "note": "中组部 2008"}
    )
    if not created:
        return
    RateBracket.objects.bulk_create(
        RateBracket(
            schedule=schedule,
            category=category,
            upper=_decimal(upper),
            rate=_decimal(rate),
            fixed_amount=_decimal(fixed),
        )
        for category, upper, rate, fixed in BRACKETS
    )


class Migration(migrations.Migration):
    dependencies = [("dues", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

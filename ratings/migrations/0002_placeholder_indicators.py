"""Load the placeholder indicator set (data in ratings/default_indicators.py)."""

from django.db import migrations

from ratings.default_indicators import INDICATORS, TITLE, YEAR


def load(apps, schema_editor):
    # Written out here rather than calling ratings.indicator_sets.load_default_indicators: that
    # helper knows the committee field of later migrations, which this historical model lacks.
    indicator_set_model = apps.get_model("ratings", "IndicatorSet")
    indicator_model = apps.get_model("ratings", "Indicator")
    if indicator_set_model.objects.filter(year=YEAR).exists():
        return
    indicator_set = indicator_set_model.objects.create(year=YEAR, title=TITLE, is_placeholder=True)
    indicator_model.objects.bulk_create(
        indicator_model(indicator_set=indicator_set, dimension=d, number=n, text=t)
        for n, (d, t) in enumerate(INDICATORS, 1)
    )


def unload(apps, schema_editor):
    apps.get_model("ratings", "IndicatorSet").objects.filter(
        year=YEAR, is_placeholder=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

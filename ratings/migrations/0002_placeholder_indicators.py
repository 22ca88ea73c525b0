"""Load the placeholder indicator set (see ratings/placeholder.py)."""

from django.db import migrations

from ratings.placeholder import YEAR, load_placeholder


def load(apps, schema_editor):
    load_placeholder(apps.get_model("ratings", "IndicatorSet"), apps.get_model("ratings", "Indicator"))


def unload(apps, schema_editor):
    apps.get_model("ratings", "IndicatorSet").objects.filter(
        year=YEAR, is_placeholder=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]

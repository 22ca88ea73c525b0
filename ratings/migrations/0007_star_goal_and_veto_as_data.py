"""The veto rule and the star goal become data.

Until now a veto indicator capped the star only when the setting RATINGS_VETO_CAPS_AT_TWO was
on, and was merely marked otherwise. Now the flag itself caps the star. So that no star is
capped that was not capped before, the flags are kept where the setting is on when migrating
and cleared where it is off (the setting is read here one last time and then no longer).

Each committee gets its star goal: the seed's goal (every in-service branch at least 3 stars by
the end of 2023), which its office may then edit.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

from portal.env import env_bool
from ratings.default_indicators import GOAL_STAR, GOAL_YEAR


def veto_flags_from_the_setting(apps, schema_editor):
    if not env_bool("RATINGS_VETO_CAPS_AT_TWO", False):
        apps.get_model("ratings", "Indicator").objects.filter(is_veto=True).update(is_veto=False)


def seed_goals(apps, schema_editor):
    organisation_model = apps.get_model("branches", "Organisation")
    goal_model = apps.get_model("ratings", "StarGoal")
    goal_model.objects.bulk_create(
        goal_model(committee=committee, star=GOAL_STAR, year=GOAL_YEAR)
        for committee in organisation_model.objects.filter(kind="committee")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('branches', '0010_life_rules_data'),
        ('ratings', '0006_sane_dates'),
    ]

    operations = [
        migrations.AlterField(
            model_name='indicator',
            name='is_veto',
            field=models.BooleanField(default=False, help_text='One vote veto: a “no” caps the star at 2.', verbose_name='veto indicator'),
        ),
        migrations.CreateModel(
            name='StarGoal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('star', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(5)], verbose_name='at least (stars)')),
                ('year', models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(2000), django.core.validators.MaxValueValidator(2100)], verbose_name='by the end of (year)')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('committee', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='star_goal', to='branches.organisation', verbose_name='Party committee')),
            ],
            options={
                'verbose_name': 'star goal',
                'verbose_name_plural': 'star goals',
                'constraints': [models.CheckConstraint(condition=models.Q(('star__gte', 2), ('star__lte', 5)), name='goal_star_2_to_5')],
            },
        ),
        migrations.RunPython(veto_flags_from_the_setting, migrations.RunPython.noop),
        migrations.RunPython(seed_goals, migrations.RunPython.noop),
    ]

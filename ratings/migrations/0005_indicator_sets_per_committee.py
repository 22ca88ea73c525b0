"""Give every existing committee its own copy of every existing indicator set.

Sets used to be shared by all committees. Each committee now owns a copy of each; the
self-assessments already filled point at their committee's copy (answers matched by the
indicator's number), so nothing a branch answered changes. The shared sets are then removed and
the template (the placeholder of DOMAIN §2, owned by no committee) is written afresh, so a
committee added later starts from the labelled placeholder, not from another office's edits.
"""

from django.db import migrations

from ratings.default_indicators import INDICATORS, TITLE, YEAR


def _copy(Indicator, IndicatorSet, source, committee_id):
    copy = IndicatorSet.objects.create(
        committee_id=committee_id,
        year=source.year,
        title=source.title,
        is_placeholder=source.is_placeholder,
    )
    by_number = {}
    for indicator in source.indicators.all():
        by_number[indicator.number] = Indicator.objects.create(
            indicator_set=copy,
            dimension=indicator.dimension,
            number=indicator.number,
            text=indicator.text,
            is_veto=indicator.is_veto,
        )
    return copy, by_number


def forwards(apps, schema_editor):
    IndicatorSet = apps.get_model("ratings", "IndicatorSet")
    Indicator = apps.get_model("ratings", "Indicator")
    Organisation = apps.get_model("branches", "Organisation")
    Sheet = apps.get_model("ratings", "StarSelfAssessment")
    Answer = apps.get_model("ratings", "StarAnswer")
    shared = list(IndicatorSet.objects.filter(committee=None))
    committees = set(Organisation.objects.filter(kind="committee").values_list("id", flat=True))
    # A notice's committee is a committee; taken from the sheets too so that none is missed.
    committees |= set(
        Sheet.objects.filter(indicator_set__committee=None).values_list(
            "assignment__item__area__notice__committee_id", flat=True
        )
    )
    for source in shared:
        for committee_id in sorted(committees):
            copy, by_number = _copy(Indicator, IndicatorSet, source, committee_id)
            sheets = Sheet.objects.filter(
                indicator_set=source, assignment__item__area__notice__committee_id=committee_id
            )
            answers = Answer.objects.filter(assessment__in=sheets).select_related("indicator")
            for answer in answers:
                answer.indicator = by_number[answer.indicator.number]
                answer.save(update_fields=["indicator"])
            sheets.update(indicator_set=copy)
    IndicatorSet.objects.filter(committee=None).delete()
    template = IndicatorSet.objects.create(year=YEAR, title=TITLE, is_placeholder=True)
    Indicator.objects.bulk_create(
        Indicator(indicator_set=template, dimension=d, number=n, text=t)
        for n, (d, t) in enumerate(INDICATORS, 1)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0004_indicator_set_committee"),
        ("tasks", "0006_reminder_claim_indexes"),
    ]

    # Going back would have to merge the committees' diverging sets into one: not attempted.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]

"""Each committee's star-indicator sets: which set a form uses, and copying a set.

A committee owns its sets (one per year). A committee that has none yet gets a copy of the
template — the placeholder set without a committee — the first time a page or form needs one,
so a new institute starts from the same 20 indicators and edits only its own copy.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from branches.models import Organisation
from portal.audit import log_action
from ratings import default_indicators
from ratings.audit_actions import ACTION_INDICATOR_SET_COPIED
from ratings.models import Indicator, IndicatorSet


def copy_set(source: IndicatorSet, *, committee: Organisation, year: int, user=None):
    """A copy of ``source`` (title, flags and the 20 indicators) owned by ``committee``."""
    with transaction.atomic():
        copy = IndicatorSet.objects.create(
            committee=committee,
            year=year,
            title=source.title,
            is_placeholder=source.is_placeholder,
        )
        Indicator.objects.bulk_create(
            Indicator(
                indicator_set=copy,
                dimension=i.dimension,
                number=i.number,
                text=i.text,
                is_veto=i.is_veto,
            )
            for i in source.indicators.all()
        )
        log_action(
            copy,
            ACTION_INDICATOR_SET_COPIED,
            user=user,
            data={"from": source.year, "from_set": source.pk},
        )
    return copy


def _template(year: int) -> IndicatorSet | None:
    templates = IndicatorSet.objects.filter(committee=None)
    return templates.filter(year__lte=year).order_by("-year").first() or templates.first()


def ensure_committee_set(committee: Organisation, year: int) -> None:
    """Give ``committee`` its copy of the template unless it already owns a set."""
    if committee.indicator_sets.exists():
        return
    template = _template(year)
    if template is None:
        return
    try:
        copy_set(template, committee=committee, year=template.year)
    except IntegrityError:
        pass  # a concurrent request made the copy first; the unique constraint kept one


def current_set(committee: Organisation, year: int) -> IndicatorSet | None:
    """The committee's set of ``year``, else its latest earlier one (the list rarely changes);
    None when neither the committee nor the template has a set that early."""
    ensure_committee_set(committee, year)
    return committee.indicator_sets.filter(year__lte=year).order_by("-year").first()


def load_default_indicators() -> IndicatorSet:
    """The template set (no committee) of the default indicators, created unless the year has
    one; committees copy it when they first need a set (``current_set``)."""
    found = IndicatorSet.objects.filter(year=default_indicators.YEAR, committee=None).first()
    if found is not None:
        return found
    indicator_set = IndicatorSet.objects.create(
        year=default_indicators.YEAR, title=default_indicators.TITLE, is_placeholder=True
    )
    Indicator.objects.bulk_create(
        Indicator(indicator_set=indicator_set, dimension=d, number=n, text=t)
        for n, (d, t) in enumerate(default_indicators.INDICATORS, 1)
    )
    return indicator_set

"""Days that break the Monday-to-Friday rule: public holidays on weekdays and the weekend days
worked in exchange (调休). The office enters them each year from the State Council's notice;
working-day rules (a public notice of at least five working days) count with them."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.validation import SaneDateField


class CalendarSource(models.TextChoices):
    OFFICE = "office", _("Entered by the office")
    PACKAGE = "package", _("From the published holiday calendar")


class CalendarDayQuerySet(models.QuerySet):
    def overrides(self, start: date, end: date) -> dict[date, bool]:
        """{day: is a working day} for the exceptional days from ``start`` to ``end``."""
        return dict(self.filter(day__range=(start, end)).values_list("day", "is_workday"))

    def years_without_data(self, start: date, end: date) -> list[int]:
        """The years from ``start`` to ``end`` with no exceptional day at all: their holidays
        are unknown, so counting Monday to Friday there may be wrong."""
        years = set(range(start.year, end.year + 1))
        known = set(self.filter(day__year__in=years).values_list("day__year", flat=True))
        return sorted(years - known)


class CalendarDay(models.Model):
    day = SaneDateField(_("day"), unique=True)
    is_workday = models.BooleanField(
        _("working day"),
        default=False,
        help_text=_("Off: a public holiday. On: a weekend day worked in exchange for one."),
    )
    name = models.CharField(_("occasion"), max_length=60, blank=True)
    # The office's own rows always win: reloading the published calendar only replaces the
    # rows it loaded itself.
    source = models.CharField(
        _("source"), max_length=10, choices=CalendarSource.choices, default=CalendarSource.OFFICE
    )

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("holiday or exchanged working day")
        verbose_name_plural = _("holidays and exchanged working days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}".strip()

"""The shared shape of an attachment form: one sheet per assignment plus ordered rows.

Each form of a branch belongs to its Assignment (one-to-one), so the workflow — draft,
submit, review, return, approve — and its audit log come from ``tasks.services`` unchanged.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentSheet(models.Model):
    """The header of one branch's form for one assignment."""

    assignment = models.OneToOneField(
        "tasks.Assignment",
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="%(class)s",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} · {self.assignment.branch}"


class SheetRow(models.Model):
    """One repeatable row; subclasses add ``sheet = ForeignKey(<header>, related_name="rows")``."""

    position = models.PositiveIntegerField(_("no."), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

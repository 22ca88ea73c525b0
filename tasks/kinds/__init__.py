"""The deliverable-kind registry (DESIGN §4).

A kind says how a branch fills one assignment: its edit form, how the form's data is saved,
the check that must pass before submitting, a one-line summary for lists and a read-only
template. Adding a kind is adding one module: the modules of this package are loaded by
``load_builtin_kinds()`` (from ``TasksConfig.ready``); other apps call ``register`` from their
own ``ready``.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from typing import TYPE_CHECKING

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.xlsx_import import template_workbook
from tasks.models.assignments import AssignmentStatus
from tasks.models.notices import DEADLINE_TZ

if TYPE_CHECKING:
    from tasks.models import Assignment, TaskItem

_registry: dict[str, DeliverableKind] = {}
#: A form in these states is handed in: its export is dated by the submission.
HANDED_IN = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)


class DeliverableKind:
    """Base class: override what differs. ``key`` is stored on TaskItem.kind."""

    key: str = ""
    label = ""
    #: Read-only rendering of a submission (office review, submitted state).
    view_template = "tasks/kinds/report_view.html"
    #: The fields of the edit form inside the task page's <form> (``form``, ``kind`` and
    #: ``assignment`` are in its context).
    form_template = "tasks/kinds/form.html"
    #: Whether the item form should show the required meeting type / theme fields.
    uses_meeting_requirements = False
    #: Shown above the form and the read-only view (figures the portal computed), or "".
    intro_template = ""
    #: Acknowledged by the branch's liaison committee member instead of reviewed by the office.
    acknowledged_by_liaison = False

    def context(self, assignment: Assignment) -> dict:
        """What ``intro_template`` shows (as ``kind_context``)."""
        return {}

    def form(self, assignment: Assignment, *, data=None, files=None) -> forms.Form:
        raise NotImplementedError

    def apply(self, form: forms.Form, assignment: Assignment, user) -> list[str]:
        """Save the cleaned form onto ``assignment`` (locked row); return changed field names."""
        raise NotImplementedError

    def submit_errors(self, assignment: Assignment) -> list[str]:
        """Why the assignment cannot be submitted yet; empty when it can."""
        return []

    def summary(self, assignment: Assignment) -> str:
        return ""

    def describe_requirement(self, item: TaskItem) -> str:
        return ""

    def blank_template(
        self, item: TaskItem | None, *, unit_name: str = ""
    ) -> tuple[str, bytes] | None:
        """(file name, xlsx) of the blank form a notice's attachment offers; None when the kind
        is filled in the browser only. Kinds with an Excel import (``import_spec``) offer the
        import template, so what is filled in Excel imports back."""
        spec = getattr(self, "import_spec", None)
        exporter_class = getattr(self, "exporter_class", None)
        if spec is None or exporter_class is None:
            return None
        name = _("%(title)s_template.xlsx") % {"title": exporter_class.title}
        return str(name), template_workbook(spec(), unit_name=unit_name) or b""

    def filled_on(self, assignment: Assignment) -> datetime.date | None:
        """The 填报日期 of the form's export: the day of its submission (Beijing time) while
        it stands handed in; ``None`` (left blank) for a draft or a returned form."""
        if assignment.status not in HANDED_IN or assignment.submitted_at is None:
            return None
        return timezone.localtime(assignment.submitted_at, DEADLINE_TZ).date()


def register(kind: DeliverableKind) -> DeliverableKind:
    if not kind.key:
        raise ValueError("A deliverable kind needs a key")
    _registry[kind.key] = kind
    return kind


def get_kind(key: str) -> DeliverableKind:
    try:
        return _registry[key]
    except KeyError:
        return _MissingKind(key)


def all_kinds() -> list[DeliverableKind]:
    return sorted(_registry.values(), key=lambda k: k.key)


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in all_kinds()]


def load_builtin_kinds() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


class _MissingKind(DeliverableKind):
    """A stored key whose module is gone: show the data, refuse to edit or submit."""

    label = _("Unknown kind")

    def __init__(self, key: str):
        self.key = key

    def form(self, assignment, *, data=None, files=None) -> forms.Form:
        return forms.Form(data=data, files=files)

    def apply(self, form, assignment, user) -> list[str]:
        return []

    def submit_errors(self, assignment) -> list[str]:
        return [str(_("This task uses a form that is not installed; please contact the office."))]

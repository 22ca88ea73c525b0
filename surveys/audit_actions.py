"""Names of the audit actions of the sheets (see ``portal.audit_actions``)."""

from __future__ import annotations

ACTION_CONCERN_ANSWERED = "surveys.service_survey.concern_answered"


def sheet_imported(audit_name: str) -> str:
    """A sheet's rows replaced from an Excel file: ``<kind's audit_name>.imported``, e.g.
    ``surveys.rectification.imported`` or ``ratings.star_self_assessment.imported``."""
    return f"{audit_name}.imported"

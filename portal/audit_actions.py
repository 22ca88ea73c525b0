"""Names of the portal's own audit actions (``log_action(obj, ACTION_…)``).

Every app keeps its names in its ``audit_actions`` module, so a name is written once and
tests compare against the same constant. The first part of a name is its group in the audit
browser (``auth.``, ``access.``, ``data.``, ``export.``, ``security.``, ``tasks.`` …).
The log is append-only: a renamed action keeps its old name on old entries, listed in
``RENAMED`` so readers know both names mean one event.
"""

from __future__ import annotations

ACTION_LOGIN = "auth.login"
ACTION_LOGOUT = "auth.logout"
ACTION_LOCKED_OUT = "auth.locked_out"
ACTION_TWO_FACTOR_ENROLLED = "auth.two_factor.enrolled"
ACTION_TWO_FACTOR_VERIFIED = "auth.two_factor.verified"
ACTION_RECOVERY_CODES_GENERATED = "auth.two_factor.recovery_codes_generated"
ACTION_RECOVERY_CODE_USED = "auth.two_factor.recovery_code_used"

ACTION_ACCESS_REFUSED = "access.refused"
ACTION_CSRF_REFUSED = "access.csrf_refused"

ACTION_LOGIN_UNLOCKED = "security.login_unlocked"
ACTION_ADDRESS_UNLOCKED = "security.address_unlocked"

#: Any workbook taken out of the portal, whichever page or job built it.
ACTION_EXPORT_DOWNLOADED = "export.downloaded"

#: Old name → current name of the same event (entries written before the rename keep theirs).
RENAMED = {"tasks.export.downloaded": ACTION_EXPORT_DOWNLOADED}


def data_action(model_label: str, step: str) -> str:
    """A generic data change: ``data.<app>.<model>.created|changed|deleted``."""
    return f"data.{model_label}.{step}"

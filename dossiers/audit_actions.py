"""Names of the audit actions of the yearly dossier (see ``portal.audit_actions``)."""

from __future__ import annotations

ACTION_DOSSIER_REQUESTED = "dossiers.dossier.requested"
ACTION_DOSSIER_BUILT = "dossiers.dossier.built"

"""Names of the audit actions of the Party dues (see ``portal.audit_actions``)."""

from __future__ import annotations

ACTION_BASE_SET = "dues.base.set"
ACTION_BASES_IMPORTED = "dues.base.imported"
ACTION_PAYMENT_RECORDED = "dues.payment.recorded"
ACTION_PAYMENT_CANCELLED = "dues.payment.cancelled"

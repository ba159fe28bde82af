"""The application engine: every change of an application, with its permission check, history
and notice in one transaction. Views and the API call these and nothing else: the applicant's in
``applicant``, the officers' in ``office``, the steps they share in ``_engine``."""

from ._engine import FEE_PURPOSE
from .applicant import (
    application_confirm_counterparty,
    application_start,
    application_submit,
    application_update,
    application_withdraw,
    fee_order,
    fee_paid,
    material_upload,
)
from .lapse import applications_lapse_unpaid
from .office import (
    application_approve,
    application_claim,
    application_complete,
    application_pass_check,
    application_refuse,
    application_release,
    application_request_correction,
    application_to_counter,
    delivery_update,
)

__all__ = [
    "FEE_PURPOSE",
    "applications_lapse_unpaid",
    "application_start",
    "application_update",
    "application_confirm_counterparty",
    "material_upload",
    "application_submit",
    "fee_order",
    "fee_paid",
    "application_withdraw",
    "application_claim",
    "application_release",
    "application_pass_check",
    "application_request_correction",
    "application_approve",
    "application_complete",
    "application_refuse",
    "application_to_counter",
    "delivery_update",
]

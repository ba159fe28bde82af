"""The payment receipt (缴款凭证) as an official letter, in the reader's language."""

from __future__ import annotations

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from vmo.core import clock
from vmo.core.money import format_fen
from vmo.core.pdf import render_letter

from .models import PaymentOrder
from .selectors import receipt_office_name, refunds_of

GATEWAY_LABELS = {
    "sandbox": gettext_lazy("Sandbox payment service"),
    "wechat": gettext_lazy("WeChat Pay"),
    "alipay": gettext_lazy("Alipay"),
}


def receipt_pdf(order: PaymentOrder) -> bytes:
    assert order.paid_at is not None  # only settled orders have receipts
    payment = [
        _("Order number: %(ref)s") % {"ref": order.reference},
        _("Paid for: %(what)s") % {"what": order.shown_description},
        _("Amount paid: %(amount)s") % {"amount": format_fen(order.paid_amount_fen)},
        _("Paid at: %(time)s") % {"time": f"{clock.local(order.paid_at):%Y-%m-%d %H:%M:%S}"},
        _("Payment service: %(name)s") % {"name": GATEWAY_LABELS.get(order.gateway, order.gateway)},
        _("Transaction number: %(txn)s") % {"txn": order.gateway_txn_id},
    ]
    sections = [(_("Payment"), payment)]
    refunds = [
        _("%(amount)s on %(day)s (%(ref)s): %(status)s")
        % {
            "amount": format_fen(refund.amount_fen),
            "day": f"{clock.local(refund.created_at):%Y-%m-%d}",
            "ref": refund.reference,
            "status": refund.get_status_display(),
        }
        for refund in refunds_of(order).filter(kind="requested")
    ]
    if refunds:
        sections.append((_("Refunds"), refunds))
    return render_letter(
        title=_("Payment receipt"),
        office_name=receipt_office_name(get_language() or ""),
        reference=_("No. %(ref)s") % {"ref": order.reference},
        sections=sections,
        footer=_(
            "This receipt was issued by the online service platform and is valid without a "
            "seal. Printed %(time)s."
        )
        % {"time": f"{clock.now():%Y-%m-%d %H:%M}"},
    )

"""Pages of payments: the payer's order, the gateway's return and callback, the officers'
reconciliation, and the sandbox's hosted payment page. Thin: parse, call one service, render."""

from __future__ import annotations

from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from vmo.accounts.http import SignedInRequest
from vmo.accounts.permissions import officer_required

from . import conf, selectors, services
from .devices import device_of, payer_of
from .forms import DiscrepancyResolveForm, ReconcileRunForm
from .gateways import UnknownGateway, default_gateway_name, get_gateway
from .gateways import sandbox as sandbox_gateway
from .gateways import wechat as wechat_gateway
from .gateways.base import GatewayError
from .gateways.sandbox_models import SandboxCheckout
from .models import Discrepancy, PaymentOrder
from .receipts import receipt_pdf

ACCEPTED_PREFIXES = ("rejected:", "failed:")


def _payer_order(request: HttpRequest, reference: str) -> PaymentOrder:
    try:
        return selectors.order_for_payer(user=request.user, reference=reference)
    except PaymentOrder.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    order = _payer_order(request, reference)
    return render(
        request,
        "payments/order_detail.html",
        {
            "order": order,
            "refunds": selectors.refunds_of(order),
            "device": device_of(request),
            "phone_flow": selectors.gateway_has_phone_flow(),
        },
    )


@login_required
@require_POST
def order_pay(request: HttpRequest, reference: str) -> HttpResponse:
    order = _payer_order(request, reference)
    return_url = request.build_absolute_uri(reverse("payments:order_return", args=[reference]))
    try:
        url = services.order_start(order=order, return_url=return_url, payer=payer_of(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("payments:order_detail", reference=reference)
    except GatewayError:
        messages.error(request, _("The payment service is not answering. Try again shortly."))
        return redirect("payments:order_detail", reference=reference)
    return HttpResponseRedirect(url)


@login_required
@require_GET
def order_return(request: HttpRequest, reference: str) -> HttpResponse:
    order = _payer_order(request, reference)
    # A slow provider: the order shows as it stands; its notification will come.
    with suppress(GatewayError):
        order = services.order_refresh(order=order)
    if order.is_settled:
        messages.success(request, _("Payment received. Thank you."))
    target = order.return_to
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect("payments:order_detail", reference=reference)


@login_required
@require_GET
def order_receipt(request: HttpRequest, reference: str) -> HttpResponse:
    order = _payer_order(request, reference)
    if not order.is_settled:
        raise Http404
    response = HttpResponse(receipt_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{order.reference}.pdf"'
    return response


@csrf_exempt  # gateways cannot send our CSRF token; the signature authenticates instead
@require_POST
def callback(request: HttpRequest, gateway: str) -> HttpResponse:
    try:
        adapter = get_gateway(gateway)
    except UnknownGateway:
        raise Http404 from None
    record = services.notification_process(
        gateway=gateway, body=request.body, headers=dict(request.headers)
    )
    ok = not record.outcome.startswith(ACCEPTED_PREFIXES)
    answer = adapter.acknowledgement(ok)
    return HttpResponse(answer.body, status=answer.status, content_type=answer.content_type)


@officer_required("payments.reconcile")
def reconciliation(request: HttpRequest) -> HttpResponse:
    run_form = ReconcileRunForm(request.POST if request.method == "POST" else None)
    if run_form.is_bound and run_form.is_valid():
        run = services.reconcile(gateway=default_gateway_name(), day=run_form.cleaned_data["day"])
        messages.success(
            request,
            _("Reconciled %(day)s: %(count)d discrepancies.")
            % {"day": run.statement_date, "count": run.discrepancy_count},
        )
        return redirect("payments:reconciliation")
    open_items = [
        (item, DiscrepancyResolveForm(prefix=f"d{item.pk}"))
        for item in selectors.discrepancies_open()
    ]
    return render(
        request,
        "payments/reconciliation.html",
        {
            "runs": selectors.reconciliations_recent(),
            "open_items": open_items,
            "run_form": run_form,
        },
    )


@officer_required("payments.reconcile")
@require_POST
def discrepancy_resolve(request: SignedInRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Discrepancy, pk=pk)
    form = DiscrepancyResolveForm(request.POST, prefix=f"d{pk}")
    if form.is_valid():
        try:
            services.discrepancy_resolve(
                discrepancy=item, actor=request.user, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Discrepancy marked resolved."))
            return redirect("payments:reconciliation")
    else:
        for error in form.errors.get("resolution", []):
            messages.error(request, str(error))
    return redirect("payments:reconciliation")


@login_required
@require_GET
def wechat_native(request: HttpRequest, token: str) -> HttpResponse:
    """Our page with WeChat Pay's native QR code (desktop): the payer scans it with the app."""
    try:
        payload = wechat_gateway.native_page_payload(token)
    except signing.BadSignature:
        raise Http404 from None
    order = _payer_order(request, payload["order"])
    return render(
        request,
        "payments/wechat_native.html",
        {
            "order": order,
            "code_url": payload["code_url"],
            "qr_data_uri": wechat_gateway.qr_png_data_uri(payload["code_url"]),
            "return_url": payload["return_url"],
        },
    )


# --- The sandbox gateway's hosted page (it stands for another company's site). ---


def _checkout(token: str) -> SandboxCheckout:
    if not conf.sandbox_enabled():
        raise Http404
    return get_object_or_404(SandboxCheckout, token=token)


def sandbox_pay(request: HttpRequest, token: str) -> HttpResponse:
    checkout = _checkout(token)
    if request.method == "POST":
        if request.POST.get("action") == "pay":
            try:
                sandbox_gateway.checkout_pay(token=token)
            except sandbox_gateway.CheckoutUnavailable:
                return render(
                    request,
                    "payments/sandbox_pay.html",
                    {"checkout": checkout, "unavailable": True},
                )
        return HttpResponseRedirect(checkout.return_url)
    return render(request, "payments/sandbox_pay.html", {"checkout": checkout})

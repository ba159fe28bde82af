"""Proving who you are after sign-up: the status page, the online check, the provider's callback,
the sandbox provider's own page (the officer's counter action is in office_views). Thin: one service each."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors
from .models import IdentityCheck
from .services import identity as identity_services
from .verification import FAILURE_REASONS, get_verifier
from .verification import sandbox as sandbox_verifier


@login_required
@require_http_methods(["GET", "POST"])
def identity(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "person_id", None) is not None or not getattr(user, "is_citizen", False):
        return redirect("portal:my_status")
    claim = selectors.pending_claim(user)
    if request.method == "POST" and claim is not None:
        try:
            url = identity_services.identity_check_start(
                user=user,  # type: ignore[arg-type]
                return_url=request.build_absolute_uri(reverse("accounts:identity")),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            return HttpResponseRedirect(url)
    check = IdentityCheck.objects.filter(claim=claim).first() if claim else None
    if check is not None:
        # Back from a provider that answers queries (FaceID): ask it now, not the browser.
        check = identity_services.identity_check_refresh(check=check)
        if check.status == "passed":
            return redirect("accounts:identity")
    context = {
        "claim": claim,
        "check": check,
        "reason": FAILURE_REASONS.get(check.reason, "") if check else "",
        "online": get_verifier() is not None,
    }
    return render(request, "accounts/identity.html", context)


@csrf_exempt  # the provider cannot send our CSRF token; the signature authenticates instead
@require_POST
def identity_callback(request: HttpRequest, provider: str) -> HttpResponse:
    check = identity_services.identity_callback_process(
        provider=provider, body=request.body, headers=dict(request.headers)
    )
    if check is None:
        return HttpResponse("fail", status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse("success", content_type="text/plain; charset=utf-8")


@require_http_methods(["GET", "POST"])
def identity_sandbox(request: HttpRequest, reference: str) -> HttpResponse:
    """The sandbox provider's own page (it stands for another company's site)."""
    verifier = get_verifier()
    state = sandbox_verifier.session(reference)
    if verifier is None or verifier.name != sandbox_verifier.NAME or state is None:
        raise Http404
    if request.method == "POST":
        sandbox_verifier.submit(reference=reference, outcome=request.POST.get("outcome", ""))
        return HttpResponseRedirect(state["return_url"])
    return render(
        request,
        "accounts/identity_sandbox.html",
        {"state": state, "outcomes": sandbox_verifier.OUTCOMES},
    )

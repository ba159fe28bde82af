"""The officers' pages of accounts, under /office/identity/: confirming a citizen's identity at
the counter. Every view checks the capability on the server; one service each."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from vmo.accounts.http import SignedInRequest
from vmo.core.masking import mask_name, mask_phone

from . import selectors
from .forms import IdentitySearchForm
from .permissions import officer_required
from .services import identity as identity_services
from .verification import FAILURE_REASONS


@officer_required("identity.verify")
@require_http_methods(["GET", "POST"])
def office_identity(request: SignedInRequest) -> HttpResponse:
    """At the counter: the officer has the person's ID card in hand and confirms their account."""
    form = IdentitySearchForm(request.POST or request.GET or None)
    claims = []
    if form.is_bound and form.is_valid():
        if request.method == "POST" and request.POST.get("claim"):
            try:
                identity_services.identity_verify_at_hall(
                    actor=request.user, claim_id=int(request.POST["claim"])
                )
            except (ValidationError, ValueError) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    messages.error(request, message)
            else:
                messages.success(request, _("The account is verified and linked to the records."))
                return redirect("accounts_office:identity")
        for claim in selectors.claims_pending_for(form.cleaned_data["id_number"]):
            data = selectors.claim_data(claim)
            # The latest online check (newest first) and why it failed: the officer sees what
            # the person was told, and the provider's own code.
            check = next(iter(claim.checks.all()), None)
            claims.append(
                {
                    "pk": claim.pk,
                    "name": mask_name(data["name"]),
                    "phone": mask_phone(data["phone"]),
                    "created_at": claim.created_at,
                    "check": check,
                    "check_reason": FAILURE_REASONS.get(check.reason, "") if check else "",
                }
            )
    return render(request, "accounts/office_identity.html", {"form": form, "claims": claims})

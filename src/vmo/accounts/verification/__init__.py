"""Online identity verification (face and ID card), behind one interface.

A provider (the national platforms use the Ministry of Public Security's citizen-identity
service or a licensed reseller of it) takes the person's name and ID number, shows its own page
where the person holds up their ID card and looks at the camera, and reports the result later
by a signed callback. The office only ever trusts the callback, never the person's browser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Failure codes a provider (or the office, when linking) reports; each is shown to the person.
FAILURE_REASONS = {
    "face_mismatch": _(
        "The face did not match the photo on the ID card's record. Try again in good light, without glasses or a mask."
    ),
    "photo_unclear": _(
        "The photo was not clear enough. Try again in good light, holding the phone still."
    ),
    "id_card_invalid": _(
        "The ID card could not be read or is not valid. Use your current resident ID card."
    ),
    "name_mismatch": _(
        "The name does not match the ID number on the records. Check your name as on your ID card, or verify at a service hall."
    ),
    "already_registered": _(
        "Another account is already linked to this ID number. Sign in to it, or reset its password; if it is not yours, verify at a service hall."
    ),
    "expired": _("The verification was not finished in time. Please start again."),
    "unavailable": _(
        "The verification service did not answer. Please try again in a few minutes, or verify at a service hall."
    ),
    "id_changed": _(
        "The ID number checked was not the one you signed up with. Please start again with your own ID card."
    ),
}


class CallbackError(Exception):
    """A callback that fails its signature or its shape; it changes nothing."""


class ProviderUnavailable(Exception):
    """The provider did not answer (a timeout, a 5xx, its own fault): try again later."""


@dataclass(frozen=True)
class CallbackResult:
    reference: str
    passed: bool
    reason: str = ""
    # The provider's own code and words for a failure (kept for the officers, not shown).
    detail: str = ""
    # The ID number the provider checked, where it says: it must be the one signed up with.
    id_number: str = ""


@dataclass(frozen=True)
class Started:
    """A verification opened with the provider: where to send the person, and the provider's
    id for it (FaceID's BizToken), if it gives one."""

    url: str
    provider_ref: str = ""


class IdentityVerifier:
    """What the office needs from a provider."""

    name: str = ""

    def start(self, *, reference: str, name: str, id_number: str, return_url: str) -> Started:
        """Open a verification; where to send the person. ProviderUnavailable if no answer."""
        raise NotImplementedError

    def verify_callback(self, body: bytes, headers: Mapping[str, str]) -> CallbackResult:
        """Check the callback's signature and read it, or raise CallbackError (providers
        that push their result)."""
        raise CallbackError("this provider sends no callback")

    def fetch_result(self, *, reference: str, provider_ref: str) -> CallbackResult | None:
        """Ask the provider for the result (providers that answer queries); None while the
        person has not finished. ProviderUnavailable if it does not answer."""
        return None


def get_verifier() -> IdentityVerifier | None:
    """The configured provider, or None where online verification is not offered."""
    name = getattr(settings, "VMO_IDENTITY_VERIFIER", "sandbox")
    if name == "sandbox":
        from .sandbox import SandboxVerifier

        return SandboxVerifier()
    if name == "faceid":
        from .faceid import FaceIdVerifier

        return FaceIdVerifier()
    return None

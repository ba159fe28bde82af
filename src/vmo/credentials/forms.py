from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .qr import MAX_PHOTO_BYTES, PhotoRefused, qr_text_from_photo
from .verify import MAX_LENGTH


class VerifyForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the QR code"),
        required=False,
        max_length=MAX_LENGTH,  # a QR of this office is far shorter
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("Paste what a QR scanner read from the e-licence."),
    )
    photo = forms.FileField(
        label=_("Or a photo of the QR code"),
        required=False,
        help_text=_("JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def clean_photo(self) -> Any:
        photo = self.files.get("photo")
        if photo is None:
            return None
        if photo.size is not None and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB."))
        return photo

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text = (data.get("text") or "").strip()
        photo = self.files.get("photo")
        if not text and photo is None and not self.errors:
            raise forms.ValidationError(_("Paste the text of the QR code or choose a photo of it."))
        if not text and photo is not None and "photo" not in self.errors:
            photo.seek(0)
            try:
                text = qr_text_from_photo(photo)
            except PhotoRefused as error:
                self.add_error("photo", str(error))
        data["credential"] = text
        return data

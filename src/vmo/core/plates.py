"""How a plate number is written, the one rule every page, notice and document follows: the
province character and the issuing-office letter, a middle dot, the serial (新B·A7K21); an
embassy plate after its four-character prefix (使014·001). A VIN (no Han character) is left as
it is. Plate.display, registry.selectors.plate_display and the ``plate`` filter all call it."""

from __future__ import annotations

EMBASSY = "使"


def plate_text(value: str | None) -> str:
    text = (value or "").strip()
    if not text or not ("\u4e00" <= text[0] <= "\u9fff") or "·" in text:
        return text
    split = 4 if text.startswith(EMBASSY) else 2
    return f"{text[:split]}·{text[split:]}" if len(text) > split else text

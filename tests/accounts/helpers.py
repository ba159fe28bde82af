from __future__ import annotations

import re

from vmo.notices.selectors import latest_sms_to

PASSWORD = "Snow-Lotus-2024"


def code_sent_to(phone: str) -> str:
    """The 6-digit code in the newest text message to a phone, read from the outbox."""
    message = latest_sms_to(phone)
    assert message is not None, f"no SMS to {phone}"
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", message.body)
    assert found, message.body
    return found.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1000000:06d}"

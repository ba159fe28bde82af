"""Every registered kind renders with its example in both languages, and its SMS fits."""

from __future__ import annotations

import pytest

from vmo.notices import kinds
from vmo.notices.kinds import SMS_MAX_SEGMENTS, sms_segments
from vmo.notices.services import sms_signed

pytestmark = pytest.mark.django_db

ALL = kinds.all_kinds()
MINE = {
    "accounts.new_signin",
    "accounts.password_changed",
    "accounts.phone_changed",
    "licence.validity_ending",
    "licence.validity_ended",
    "licence.cancel_overdue_renewal",
    "licence.cancel_no_physical",
    "licence.verification_due",
    "licence.verification_overdue",
    "licence.physical_due",
    "licence.physical_overdue",
    "licence.probation_ending",
    "licence.suspended",
    "licence.revoked",
    "licence.cancelled",
    "licence.points_recorded",
    "licence.full_score",
    "vehicle.inspection_due",
    "vehicle.inspection_overdue",
    "vehicle.forced_cancellation_near",
    "vehicle.scrap_age",
    "vehicle.insurance_ending",
    "violation.new",
    "violations.new_digest",
    "violations.unhandled_15_days",
    "violations.fine_due",
    "violations.fine_overdue",
    "violation.decision",
    "violation.nominated",
    "violation.nomination_confirmed",
    "violation.nomination_declined",
    "violation.bound",
    "violation.fine_paid",
}


def test_this_engineers_kinds_are_all_registered():
    assert {k.code for k in ALL} >= MINE
    assert len(MINE) >= 26


@pytest.mark.parametrize("kind", ALL, ids=[k.code for k in ALL])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_kind_renders_its_example_and_its_sms_fits_two_segments(kind, language):
    texts = kind.render(kind.example, language)
    assert texts["subject"] and texts["body"]
    assert "%(" not in texts["body"] and "%(" not in texts["subject"]
    if kind.sms:
        sent = sms_signed(text=texts["sms"])
        assert sms_segments(sent) <= SMS_MAX_SEGMENTS, (len(sent), sent)


def test_a_missing_variable_fails_here_not_on_a_phone():
    kind = kinds.get("licence.validity_ending")
    with pytest.raises(KeyError):
        kind.render({"file": "****0042"}, "en")


def test_segments_are_counted_in_the_right_alphabet():
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 161) == 2  # 153 per part once split
    assert sms_segments("a" * 306) == 2 and sms_segments("a" * 307) == 3
    assert sms_segments("{" * 80) == 1 and sms_segments("{" * 81) == 2  # extension: 2 septets
    assert sms_segments("车" * 70) == 1
    assert sms_segments("车" * 71) == 2  # 67 per part once split
    assert sms_segments("车" * 134) == 2 and sms_segments("车" * 135) == 3
    assert sms_segments("【昌吉车管所】" + "a" * 127) == 2  # one CJK character makes it UCS-2
    assert sms_segments("𠀀" * 35) == 1 and sms_segments("𠀀" * 36) == 2  # outside the BMP: 2 units


def test_two_kinds_with_one_code_are_refused():
    kind = kinds.get("licence.validity_ending")
    with pytest.raises(ValueError, match="defined twice"):
        kinds.register(
            kinds.NoticeKind(
                code=kind.code,
                name=kind.name,
                group=kind.group,
                trigger=kind.trigger,
                trigger_text=kind.trigger_text,
                subject=kind.subject,
                body="other",
            )
        )

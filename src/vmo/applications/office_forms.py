"""Forms of the officers' application pages. They collect what an officer decides and hand it
to one service; the services keep the rules (the forms only place each error beside its row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vmo.catalog.businesses import ALL
from vmo.core import clock

from .checks import Problem
from .choices import DeliveryMethod, DeliveryStatus
from .models import Application

OTHER_ROWS = 3
REASON_ROWS = 3
TEXT = {"rows": 2}


class QueueFilterForm(forms.Form):
    business = forms.ChoiceField(label=_("Business"), required=False)
    due = forms.ChoiceField(
        label=_("Time limit"),
        required=False,
        choices=[
            ("", _("Any")),
            ("near", _("Due within 1 working day")),
            ("overdue", _("Overdue")),
        ],
    )
    claimed = forms.ChoiceField(
        label=_("Claimed"),
        required=False,
        choices=[("", _("Anyone or no one")), ("me", _("By me")), ("none", _("Unclaimed"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["business"]).choices = [("", _("All businesses"))] + [
            (b.code, f"{b.code} {b.name}") for b in ALL if b.via_engine
        ]

    def query(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if v}


@dataclass(frozen=True)
class CorrectionRow:
    """One thing the officer may ask about: its fields are ``c<n>_pick``, ``_message``,
    ``_basis`` and, for an item asked before and unchanged since, ``_repeat``."""

    n: int
    item: str
    label: str
    failing: bool
    asked_in_round: int | None

    def bound(self, form: forms.Form) -> dict[str, Any]:
        names = {"pick": "pick", "message": "message", "basis": "basis", "repeat": "repeat"}
        return {
            key: form[f"c{self.n}_{name}"]
            for key, name in names.items()
            if f"c{self.n}_{name}" in form.fields
        }


class CorrectionForm(forms.Form):
    """Every item at once (一次性告知): a row per condition, field and material of the business,
    and free rows for anything else."""

    def __init__(
        self,
        *args: Any,
        application: Application,
        problems: list[Problem],
        versions: dict[str, int],
        asked: dict[tuple[str, int], int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        business = application.business
        default_basis = business.legal_basis[0].zh if business.legal_basis else ""
        failing: dict[str, Problem] = {}
        for found in problems:
            failing.setdefault(found.item, found)
        candidates: list[tuple[str, str, str]] = [
            (f"condition:{c.code}", str(c.text), c.basis.zh) for c in business.conditions
        ]
        candidates += [(f"field:{f.name}", str(f.label), default_basis) for f in business.fields]
        candidates += [
            (f"material:{m.code}", str(m.name), default_basis) for m in business.materials
        ]
        self.rows: list[CorrectionRow] = []
        for n, (item, label, basis) in enumerate(candidates, start=1):
            problem = failing.get(item)
            round_ = asked.get((item, versions.get(item, 0)))
            self.rows.append(CorrectionRow(n, item, label, problem is not None, round_))
            self.fields[f"c{n}_pick"] = forms.BooleanField(
                label=_("Ask about: %(item)s") % {"item": label},
                required=False,
                initial=problem is not None,
            )
            self.fields[f"c{n}_message"] = forms.CharField(
                label=_("What to correct"),
                required=False,
                max_length=500,
                initial=problem.message if problem else "",
                widget=forms.Textarea(attrs=TEXT),
            )
            self.fields[f"c{n}_basis"] = forms.CharField(
                label=_("Legal basis"),
                required=False,
                max_length=200,
                initial=(problem.basis if problem and problem.basis else basis),
            )
            if round_ is not None:
                self.fields[f"c{n}_repeat"] = forms.CharField(
                    label=_("Reason for asking again"),
                    help_text=_(
                        "Already asked in round %(round)s and not changed since: say why it is"
                        " asked again."
                    )
                    % {"round": round_},
                    required=False,
                    max_length=300,
                )
        self.other_rows = []
        for n in range(1, OTHER_ROWS + 1):
            self.fields[f"o{n}_message"] = forms.CharField(
                label=_("Other item %(n)s: what to correct") % {"n": n},
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs=TEXT),
            )
            self.fields[f"o{n}_basis"] = forms.CharField(
                label=_("Other item %(n)s: legal basis") % {"n": n},
                required=False,
                max_length=200,
                initial=default_basis,
            )
            self.other_rows.append(n)

    def bound_rows(self) -> list[tuple[CorrectionRow, dict[str, Any]]]:
        return [(row, row.bound(self)) for row in self.rows]

    def bound_others(self) -> list[tuple[Any, Any]]:
        return [(self[f"o{n}_message"], self[f"o{n}_basis"]) for n in self.other_rows]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in self.rows:
            if data.get(f"c{row.n}_pick") and not data.get(f"c{row.n}_message", "").strip():
                self.add_error(
                    f"c{row.n}_message",
                    _("Say what is wrong with %(item)s and what to do.") % {"item": row.label},
                )
            if (
                data.get(f"c{row.n}_pick")
                and f"c{row.n}_repeat" in self.fields
                and not data.get(f"c{row.n}_repeat", "").strip()
            ):
                self.add_error(
                    f"c{row.n}_repeat",
                    _(
                        "%(item)s was already asked for and has not changed since: give the"
                        " reason for asking again."
                    )
                    % {"item": row.label},
                )
        if not self.items_from(data):
            raise forms.ValidationError(_("Choose or write at least one thing to correct."))
        return data

    def items_from(self, data: dict[str, Any]) -> list[dict[str, str]]:
        items = []
        for row in self.rows:
            if data.get(f"c{row.n}_pick"):
                items.append(
                    {
                        "item": row.item,
                        "message": data.get(f"c{row.n}_message", ""),
                        "basis": data.get(f"c{row.n}_basis", ""),
                        "repeat_reason": data.get(f"c{row.n}_repeat", ""),
                    }
                )
        # A free item is new by definition: its code names the round, so it never matches an
        # item of an earlier round.
        next_round = self.application.correction_round + 1
        for n in self.other_rows:
            message = (data.get(f"o{n}_message") or "").strip()
            if message:
                items.append(
                    {
                        "item": f"other:r{next_round}n{n}",
                        "message": message,
                        "basis": data.get(f"o{n}_basis", ""),
                    }
                )
        return items

    def items(self) -> list[dict[str, str]]:
        return self.items_from(self.cleaned_data)


class RefusalForm(forms.Form):
    """Reasons, each with its legal basis: one of the business's own, or typed."""

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        business = application.business
        # The letter cites the Chinese title (the value); an English-reading officer chooses
        # by the English one, and a Chinese title shown is marked as such (NamesSelect).
        english = (get_language() or "").startswith("en")
        refs = {ref.zh: ref for ref in business.legal_basis}
        for condition in business.conditions:
            refs.setdefault(condition.basis.zh, condition.basis)
        choices = [
            ("", _("Choose, or type one below")),
            *((zh, ref.en if english else zh) for zh, ref in refs.items()),
        ]
        self.rows = list(range(1, REASON_ROWS + 1))
        for n in self.rows:
            self.fields[f"r{n}_reason"] = forms.CharField(
                label=_("Reason %(n)s") % {"n": n},
                required=n == 1,
                max_length=1000,
                widget=forms.Textarea(attrs=TEXT),
                error_messages={"required": _("Give at least one reason.")},
            )
            self.fields[f"r{n}_basis"] = forms.ChoiceField(
                label=_("Legal basis of reason %(n)s") % {"n": n},
                required=False,
                choices=choices,
            )
            self.fields[f"r{n}_basis_typed"] = forms.CharField(
                label=_("Or another legal basis for reason %(n)s") % {"n": n},
                required=False,
                max_length=200,
            )

    def bound_rows(self) -> list[tuple[Any, Any, Any]]:
        return [
            (self[f"r{n}_reason"], self[f"r{n}_basis"], self[f"r{n}_basis_typed"])
            for n in self.rows
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in self.rows:
            reason = (data.get(f"r{n}_reason") or "").strip()
            basis = (data.get(f"r{n}_basis_typed") or "").strip() or data.get(f"r{n}_basis", "")
            if reason and not basis:
                self.add_error(f"r{n}_basis", _("Reason %(n)s needs its legal basis.") % {"n": n})
            if basis and not reason and (data.get(f"r{n}_basis_typed") or "").strip():
                self.add_error(
                    f"r{n}_reason", _("Reason %(n)s: say what the reason is.") % {"n": n}
                )
        return data

    def reasons(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        out = []
        for n in self.rows:
            reason = (data.get(f"r{n}_reason") or "").strip()
            if reason:
                basis = (data.get(f"r{n}_basis_typed") or "").strip() or data[f"r{n}_basis"]
                out.append({"reason": reason, "basis": basis})
        return out


class CounterForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it must be handled at the counter"),
        help_text=_(
            "R164 Art 74: a suspicious online application is completed in person. The applicant"
            " is told this reason."
        ),
        max_length=300,
        widget=forms.Textarea(attrs=TEXT),
        error_messages={"required": _("Give the reason for counter handling.")},
    )


class DeliveryForm(forms.Form):
    status = forms.ChoiceField(label=_("New state"))
    tracking_number = forms.CharField(
        label=_("Tracking number"),
        required=False,
        max_length=40,
        help_text=_("Required when the documents are posted."),
    )

    def __init__(self, *args: Any, method: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = {
            DeliveryMethod.PICKUP: (DeliveryStatus.READY, DeliveryStatus.COLLECTED),
            DeliveryMethod.MAIL: (DeliveryStatus.MAILED, DeliveryStatus.DELIVERED),
        }[DeliveryMethod(method)]
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (s.value, s.label) for s in allowed
        ]
        if method != DeliveryMethod.MAIL:
            del self.fields["tracking_number"]


def _month_start() -> date:
    return clock.today().replace(day=1)


class ComplianceForm(forms.Form):
    date_from = forms.DateField(
        label=_("Finished from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Finished until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    MAX_DAYS = 366

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("date_from") or _month_start()
        end = data.get("date_to") or clock.today()
        if end < start:
            self.add_error("date_to", _("The end of the range is before its start."))
        elif end - start > timedelta(days=self.MAX_DAYS):
            self.add_error("date_to", _("Choose a range of at most one year."))
        data["date_from"], data["date_to"] = start, end
        return data

"""The search and filter form of "Mijn huishoudens" (GET)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samen.caseload.selectors import (
    FILTER_ATTENTION,
    FILTER_CONSENT,
    FILTER_COORDINATOR,
    FILTER_EMERGENCY,
    FILTER_EVALUATION,
    FILTER_HANDOVER,
    FILTER_OVERDUE,
)

MAX_QUERY_LENGTH = 100


class CaseloadForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        help_text=_("Type (part of) the name of the household."),
        error_messages={"max_length": _("Type at most %(limit_value)d characters.")},
    )
    filter = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            ("", _("All my households")),
            (FILTER_COORDINATOR, _("Where I coordinate")),
            (FILTER_ATTENTION, _("Needing my attention")),
            (FILTER_OVERDUE, _("With actions past their date")),
            (FILTER_EVALUATION, _("With an evaluation to do")),
            (FILTER_CONSENT, _("With a consent request, open or just answered")),
            (FILTER_EMERGENCY, _("Emergency access")),
            (FILTER_HANDOVER, _("Handed over to me")),
        ],
        error_messages={"invalid_choice": _("Choose one of the options in the list.")},
    )

    def search(self) -> tuple[str, str]:
        """The search text and filter to use: what is valid, "" for what is not (the form shows why)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned.get("q") or "", cleaned.get("filter") or ""

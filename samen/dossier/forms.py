"""The dossier's forms: a note, a conversation summary, a document, hiding an entry, the timeline filters. They
only parse the input; what an actor may write is decided by the policy (``writable_categories``), passed in as
``categories``."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samen.assessments.domains import domain_label
from samen.consent.models import DataCategory
from samen.dossier.models import INTAKE_TEXT_MAX_LENGTH
from samen.timeline.models import (
    HIDDEN_EXPLANATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    PARTICIPANTS_MAX_LENGTH,
    EntryKind,
    HiddenReason,
)


class NoteForm(forms.Form):
    category = forms.CharField(
        label=_("What is your note about?"),
        widget=forms.Select,
        error_messages={"required": _("Choose what your note is about.")},
    )
    text = forms.CharField(
        label=_("Your note"),
        help_text=_("Write in your own words. At most %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NOTE_MAX_LENGTH,
        error_messages={
            "required": _("Write something in your note."),
            "max_length": _("Your note is too long: at most %(limit_value)d characters, it has %(show_value)d."),
            "null_characters_not_allowed": _("Your note contains a character we cannot store."),
        },
    )

    def __init__(self, *args, categories: frozenset[DataCategory], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        choices = [
            (category.value, capfirst(str(category.label))) for category in DataCategory if category in categories
        ]
        self.fields["category"].widget.choices = [("", _("Choose ...")), *choices]

    def clean_category(self) -> DataCategory:
        value = self.cleaned_data["category"]
        try:
            category = DataCategory(value)
        except ValueError:
            raise forms.ValidationError(_("Choose what your note is about from the list."), code="unknown") from None
        if category not in self.categories:
            raise forms.ValidationError(_("You cannot write notes about this kind of information."), code="not_allowed")
        return category


def _category_choices(categories) -> list[tuple[str, str]]:
    return [(category.value, capfirst(str(category.label))) for category in DataCategory if category in categories]


class _CategoryForm(forms.Form):
    """A form whose ``category`` must be one of ``categories`` (the ones the actor may write in)."""

    not_allowed_message = _("You cannot write about this kind of information.")
    id_prefix = "entry"  # several forms share a page: their ids must differ

    def __init__(self, *args, categories: frozenset[DataCategory], **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.fields["category"].widget.choices = [("", _("Choose ...")), *_category_choices(categories)]

    def clean_category(self) -> DataCategory:
        value = self.cleaned_data["category"]
        try:
            category = DataCategory(value)
        except ValueError:
            raise forms.ValidationError(_("Choose what this is about from the list."), code="unknown") from None
        if category not in self.categories:
            raise forms.ValidationError(self.not_allowed_message, code="not_allowed")
        return category


class ConversationForm(_CategoryForm):
    id_prefix = "conversation"
    category = forms.CharField(
        label=_("What was the conversation about?"),
        widget=forms.Select,
        error_messages={"required": _("Choose what the conversation was about.")},
    )
    participants = forms.CharField(
        label=_("Who took part"),
        help_text=_("For example: Fatima, her son Noor and the debt counsellor."),
        max_length=PARTICIPANTS_MAX_LENGTH,
        error_messages={
            "required": _("Write who took part in the conversation."),
            "max_length": _("This is too long: at most %(limit_value)d characters, it has %(show_value)d."),
            "null_characters_not_allowed": _("This contains a character we cannot store."),
        },
    )
    text = forms.CharField(
        label=_("What was said and agreed"),
        help_text=_("Write in plain words. At most %(max)d characters.") % {"max": NOTE_MAX_LENGTH},
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=NOTE_MAX_LENGTH,
        error_messages={
            "required": _("Write what was said in the conversation."),
            "max_length": _("This is too long: at most %(limit_value)d characters, it has %(show_value)d."),
            "null_characters_not_allowed": _("This contains a character we cannot store."),
        },
    )


class DocumentForm(_CategoryForm):
    id_prefix = "document"
    category = forms.CharField(
        label=_("What is the document about?"),
        widget=forms.Select,
        error_messages={"required": _("Choose what the document is about.")},
    )
    upload = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, PNG, JPEG, DOCX or plain text, at most 10 MB."),
        allow_empty_file=True,  # the service says why an empty file is refused
        error_messages={
            "required": _("Choose a file to upload."),
            "invalid": _("Choose a file to upload."),
            "missing": _("Choose a file to upload."),
        },
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        error_messages={
            "max_length": _("This is too long: at most %(limit_value)d characters, it has %(show_value)d."),
            "null_characters_not_allowed": _("This contains a character we cannot store."),
        },
    )


class HideForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why may the household not see this?"),
        choices=[("", _("Choose ...")), *HiddenReason.choices],
        error_messages={
            "required": _("Choose a reason from the list."),
            "invalid_choice": _("Choose a reason from the list."),
        },
    )
    explanation = forms.CharField(
        label=_("Explain"),
        help_text=_("The household does not see this. Colleagues with permission do."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=HIDDEN_EXPLANATION_MAX_LENGTH,
        error_messages={
            "required": _("Explain why the household may not see this."),
            "max_length": _("This is too long: at most %(limit_value)d characters, it has %(show_value)d."),
            "null_characters_not_allowed": _("This contains a character we cannot store."),
        },
    )


PERIODS = {
    "month": 31,
    "quarter": 92,
    "year": 366,
}


class TimelineFilterForm(forms.Form):
    """The filters of the timeline (GET). What cannot be used is ignored and explained (``filters``)."""

    category = forms.ChoiceField(
        label=_("About"), required=False, error_messages={"invalid_choice": _("Choose one of the options.")}
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Everything")), *EntryKind.choices],
        error_messages={"invalid_choice": _("Choose one of the options.")},
    )
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("", _("All time")),
            ("month", _("The last month")),
            ("quarter", _("The last three months")),
            ("year", _("The last year")),
        ],
        error_messages={"invalid_choice": _("Choose one of the options.")},
    )

    def __init__(self, *args, categories: frozenset[DataCategory], **kwargs) -> None:
        kwargs.setdefault("auto_id", "filter_%s")
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All I may see")), *_category_choices(categories)]

    def filters(self) -> tuple[str, str, str]:
        """The category, kind and period to use: what is valid, "" for what is not (the form shows why)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return cleaned.get("category") or "", cleaned.get("kind") or "", cleaned.get("period") or ""


def _intake_text(label, help_text="", *, required=False, rows=4):
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=INTAKE_TEXT_MAX_LENGTH,
        error_messages={
            "required": _("Write the question in your own words."),
            "max_length": _("This is too long: at most %(limit_value)d characters, it has %(show_value)d."),
            "null_characters_not_allowed": _("This contains a character we cannot store."),
        },
    )


class IntakeForm(forms.Form):
    """The intake: the question, who is involved, what the household wants, and a field per life domain the
    person filling it in may write about (``domains``). ``version`` is the version the form was opened with."""

    version = forms.IntegerField(
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Something in the form was changed. Open the intake again."),
            "min_value": _("Something in the form was changed. Open the intake again."),
        },
    )
    question = _intake_text(
        _("What is your question?"), _("In your own words: what do you want help with?"), required=True
    )
    involved = _intake_text(
        _("Who is already involved?"), _("For example: the GP, a debt counsellor, a neighbour who helps.")
    )
    wants = _intake_text(_("What do you want to change?"), _("What would be better in a year?"))

    def __init__(self, *args, domains, plain: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        for domain in self.domains:  # a resident reads the life domains in plain words (``plain``)
            self.fields[f"domain_{domain.value}"] = _intake_text(domain_label(domain, plain=plain), rows=3)

    def situations(self) -> dict[str, str]:
        """The situation per domain that was sent (a domain missing from the form data is left as it is)."""
        return {
            domain.value: self.cleaned_data.get(f"domain_{domain.value}", "")
            for domain in self.domains
            if f"domain_{domain.value}" in self.data
        }

    def domain_fields(self):
        return [self[f"domain_{domain.value}"] for domain in self.domains]

    def filled_domain_fields(self):
        """The life domains something is written about: shown open on the page."""
        return [field for field in self.domain_fields() if (field.value() or "").strip()]

    def empty_domain_fields(self):
        """The others: behind "tell about more parts of your life", so the page stays short."""
        return [field for field in self.domain_fields() if not (field.value() or "").strip()]

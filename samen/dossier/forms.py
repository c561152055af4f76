"""The form for a new note. It only parses the input; what an actor may write is decided by the policy
(``writable_categories``), passed in as ``categories``."""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samen.consent.models import DataCategory
from samen.dossier.models import NOTE_MAX_LENGTH


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

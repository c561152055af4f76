"""The conversation's forms: a message, a signal, a thread between professionals, resolving a signal, searching.

They only parse the input; what an actor may do is decided by ``samen.conversations.policies``, and the allowed
categories and organisations are passed in. No ``max_length`` on the text fields: a browser would cut a long paste
silently; the length is checked here or in the service, with a message, keeping what was typed.
"""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from samen.conversations.models import (
    MESSAGE_MAX_LENGTH,
    SIGNAL_TEXT_MAX_LENGTH,
    SignalKind,
)
from samen.core.vocabulary import DataCategory


class _Radios(forms.RadioSelect):
    """Radios whose field label (and the error summary's link) points at the first one."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class _Checkboxes(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


def _category_choices(categories) -> list[tuple[str, str]]:
    return [(category.value, capfirst(str(category.label))) for category in DataCategory if category in categories]


class _CategoryMixin:
    def _set_categories(self, categories) -> None:
        self.categories = categories
        self.fields["category"].choices = _category_choices(categories)
        self.fields["category"].initial = DataCategory.GENERAL.value

    def clean_category(self) -> DataCategory:
        value = self.cleaned_data.get("category")
        try:
            category = DataCategory(value)
        except ValueError:
            raise forms.ValidationError(_("Choose what your message is about from the list."), code="unknown") from None
        if category not in self.categories:
            raise forms.ValidationError(_("You cannot write about this kind of information."), code="not_allowed")
        return category


class MessageForm(_CategoryMixin, forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        help_text=_('Plain text. Type @ and a first name to let someone know, for example "@Fatima".'),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write something in your message.")},
    )
    category = forms.ChoiceField(
        label=_("What is it about?"),
        help_text=_("Only people who may see this kind of information read your message."),
        error_messages={
            "required": _("Choose what your message is about."),
            "invalid_choice": _("Choose what your message is about from the list."),
        },
    )
    upload = forms.FileField(label=_("Add a file (optional)"), required=False)

    def __init__(self, *args, categories: frozenset[DataCategory], **kwargs) -> None:
        kwargs.setdefault("auto_id", "message_%s")
        super().__init__(*args, **kwargs)
        self._set_categories(categories)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if len(text) > MESSAGE_MAX_LENGTH:
            raise forms.ValidationError(
                _("Your message is too long: at most %(max)d characters, it has %(length)d.")
                % {"max": MESSAGE_MAX_LENGTH, "length": len(text)},
                code="max_length",
            )
        return text


class SignalForm(_CategoryMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What is not going well?"),
        choices=SignalKind.choices,
        widget=_Radios,
        error_messages={"required": _("Choose what is wrong."), "invalid_choice": _("Choose what is wrong.")},
    )
    text = forms.CharField(
        label=_("Tell what happens"),
        help_text=_("Write it in your own words. The coordinator reads it and responds."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write what is not going well.")},
    )
    organisations = forms.MultipleChoiceField(
        label=_("Which organisations is it about? (optional)"),
        widget=_Checkboxes,
        required=False,
        error_messages={"invalid_choice": _("Choose organisations from the household's team.")},
    )
    category = forms.ChoiceField(
        label=_("What kind of information is it?"),
        help_text=_("Only people who may see this kind of information read it."),
        error_messages={"required": _("Choose what it is about.")},
    )

    def __init__(self, *args, categories, organisations: list[tuple[int, str]], **kwargs) -> None:
        kwargs.setdefault("auto_id", "signal_%s")
        super().__init__(*args, **kwargs)
        self._set_categories(categories)
        self.fields["organisations"].choices = [(str(pk), name) for pk, name in organisations]
        if not organisations:
            del self.fields["organisations"]

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if len(text) > SIGNAL_TEXT_MAX_LENGTH:
            raise forms.ValidationError(
                _("This is too long: at most %(max)d characters, it has %(length)d.")
                % {"max": SIGNAL_TEXT_MAX_LENGTH, "length": len(text)},
                code="max_length",
            )
        return text


class ThreadForm(_CategoryMixin, forms.Form):
    topic = forms.CharField(
        label=_("Topic"),
        help_text=_("The household reads the topic."),
        error_messages={"required": _("Write what the conversation is about.")},
    )
    reason = forms.CharField(
        label=_("Why without the household?"),
        help_text=_("The household reads this reason, and which organisations take part. Not the messages."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write why the household is not in this conversation.")},
    )
    organisations = forms.MultipleChoiceField(
        label=_("Which organisations take part?"),
        help_text=_("Your own organisation always takes part."),
        widget=_Checkboxes,
        required=False,
        error_messages={"invalid_choice": _("Choose organisations from the household's team.")},
    )
    category = forms.ChoiceField(label=_("What kind of information is it?"))
    text = forms.CharField(
        label=_("First message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write something in your message.")},
    )

    def __init__(self, *args, categories, organisations: list[tuple[int, str]], **kwargs) -> None:
        kwargs.setdefault("auto_id", "thread_%s")
        super().__init__(*args, **kwargs)
        self._set_categories(categories)
        self.fields["organisations"].choices = [(str(pk), name) for pk, name in organisations]


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was agreed?"),
        help_text=_("Everyone who reads the signal sees this."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write what was agreed, so everyone knows why it is solved."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "resolve_%s")
        super().__init__(*args, **kwargs)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search in the messages"), max_length=100, required=False)

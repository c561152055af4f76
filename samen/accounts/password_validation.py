"""Password rules in plain words: Django's validators, with Samen's own messages and help texts.

Django's messages address people formally ("Uw wachtwoord ...") and one of them has no Dutch
translation in Django 5.2; citizens read ours, at language level B1.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as django_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. Use at least %(min_length)d character.",
            "This password is too short. Use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self) -> str:
        return ngettext(
            "Use at least %(min_length)d character.",
            "Use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError as error:
            raise ValidationError(
                _("This password looks too much like your name or e-mail address."),
                code="password_too_similar",
            ) from error

    def get_help_text(self) -> str:
        return _("Do not use your name or e-mail address.")


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("Many people use this password. Choose one that is harder to guess.")

    def get_help_text(self) -> str:
        return _("Do not use a password that many people use.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("This password has only numbers. Add letters too.")

    def get_help_text(self) -> str:
        return _("Do not use only numbers.")

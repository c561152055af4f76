"""The one cleaner for text a person typed: the same rules and codes in every service."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from samen.core.text import clean_text


def _code_and_message(value, **kwargs):
    with pytest.raises(ValidationError) as caught:
        clean_text(value, field="text", max_length=10, **kwargs)
    [error] = caught.value.error_dict["text"]
    return error.code, error.messages[0]


def test_text_is_stored_with_uniform_line_endings_and_without_surrounding_space():
    assert clean_text("  a\r\nb\rc  ", field="text", max_length=10) == "a\nb\nc"
    assert clean_text("  a \n\t b  ", field="text", max_length=10, one_line=True) == "a b"
    assert clean_text(None, field="text", max_length=10, required=False) == ""
    assert clean_text("<script>", field="text", max_length=10) == "<script>"  # stored as text; templates escape


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "required", "Please write something here."),
        ("  \n ", "required", "Please write something here."),
        (None, "required", "Please write something here."),
        (12, "invalid", "Enter text."),
        (["a"], "invalid", "Enter text."),
        ("a\x00b", "null_characters_not_allowed", "This contains a character we cannot store."),
        ("x" * 11, "max_length", "This is too long: at most 10 characters, it has 11."),
    ],
)
def test_bad_text_gets_a_clear_message_with_djangos_code(value, code, message):
    with translation.override("en"):
        assert _code_and_message(value) == (code, message)


def test_a_service_can_say_it_in_its_own_words_and_in_dutch():
    with translation.override("nl"):
        assert _code_and_message("", messages={"required": "Schrijf iets in je notitie."}) == (
            "required",
            "Schrijf iets in je notitie.",
        )
        assert _code_and_message("x" * 12) == ("max_length", "Dit is te lang: maximaal 10 tekens, het zijn er 12.")

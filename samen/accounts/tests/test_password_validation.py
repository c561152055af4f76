import pytest
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from samen.accounts.tests.factories import UserFactory


@pytest.mark.parametrize(
    ("password", "dutch"),
    [
        ("kort", "Dit wachtwoord is te kort. Gebruik minstens 12 tekens."),
        ("123456789012345", "Dit wachtwoord heeft alleen cijfers. Gebruik ook letters."),
        ("password1234", "Veel mensen gebruiken dit wachtwoord."),
    ],
)
def test_weak_passwords_get_a_plain_dutch_message(password, dutch):
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(dutch in message for message in error.value.messages)


@pytest.mark.django_db
def test_a_password_like_the_name_is_refused_in_plain_dutch():
    user = UserFactory(email="annadevries@example.test", full_name="Anna de Vries")
    with translation.override("nl"), pytest.raises(ValidationError) as error:
        validate_password("annadevries12", user=user)
    assert "lijkt te veel op je naam of je e-mailadres" in " ".join(error.value.messages)


def test_a_good_password_passes():
    validate_password("lange zin met spaties erin")


def test_the_help_texts_speak_to_the_citizen_informally():
    with translation.override("nl"):
        texts = " ".join(password_validators_help_texts())
    assert "Gebruik minstens 12 tekens." in texts
    assert "Uw" not in texts

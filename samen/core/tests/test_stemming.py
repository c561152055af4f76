"""The Dutch stems Samen keeps for search on SQLite are the stems PostgreSQL's ``dutch`` configuration makes, so a
search finds the same on both engines."""

import pytest
from django.conf import settings
from django.db import connection

from samen.core.stemming import query_stems, stems_of

# Read off PostgreSQL 15's to_tsvector('dutch', word): the words of the social map's and the lessons' tests.
POSTGRESQL_STEMS = {
    "schulden": "schuld",
    "schuld": "schuld",
    "eenzaam": "eenzam",
    "eenzaamheid": "eenzam",
    "huurachterstanden": "huurachterstand",
    "opvoeding": "opvoed",
    "verwijzingen": "verwijz",
    "verwijzing": "verwijz",
    "verwijzen": "verwijz",
    "afspraken": "afsprak",
    "afspraak": "afsprak",
    "vrijwilligers": "vrijwilliger",
    "budgetcoaching": "budgetcoach",
    "mantelzorgers": "mantelzorger",
    "kinderen": "kinder",
    "woningen": "woning",
}


def test_the_stems_are_postgresqls():
    assert query_stems(" ".join(POSTGRESQL_STEMS), limit=len(POSTGRESQL_STEMS)) == list(POSTGRESQL_STEMS.values())


def test_a_word_and_its_plural_share_a_stem():
    assert stems_of("Schulden") == stems_of("schuld") == " schuld "
    assert stems_of("De verwijzing, verwijzingen") == " de verwijz "


ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's dutch configuration (CI's PostgreSQL pass)")
@pytest.mark.django_db
def test_the_stems_are_the_databases_own_on_postgresql():
    with connection.cursor() as cursor:
        for word, stem in POSTGRESQL_STEMS.items():
            cursor.execute("SELECT array_agg(lexeme) FROM unnest(to_tsvector('dutch'::regconfig, %s))", [word])
            assert cursor.fetchone()[0] == [stem] == query_stems(word)

"""The full-text index of the services, one per database engine (``samen/socialmap/search.py`` reads it).

SQLite: an FTS5 table over the Dutch stems and the words of each service's name and of the rest of its text
(``name_stems``, ``body_stems``, written by ``indexing.py``), keyed by ``SearchEntry``'s integer id; triggers keep it in step with
every insert, change and delete, bulk writes included.

PostgreSQL: a stored generated ``tsvector`` column ``search_vector`` on the service (the name weighted A, the rest B)
with a GIN index: the Dutch stems (``dutch`` configuration) and the words as written (``simple``), so the start of a
compound is found even where the stemmer changes it ("eenzaam", stem "eenzam", in "eenzaamheidsaanpak").
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE socialmap_service_fts USING fts5(name, body, prefix='2 3 4', tokenize='unicode61')",
    """CREATE TRIGGER socialmap_service_fts_insert AFTER INSERT ON socialmap_service BEGIN
        INSERT INTO socialmap_searchentry (service_id) VALUES (new.id);
        INSERT INTO socialmap_service_fts (rowid, name, body) VALUES (last_insert_rowid(), new.name_stems, new.body_stems);
    END""",
    """CREATE TRIGGER socialmap_service_fts_update AFTER UPDATE OF name_stems, body_stems ON socialmap_service BEGIN
        UPDATE socialmap_service_fts SET name = new.name_stems, body = new.body_stems
        WHERE rowid = (SELECT id FROM socialmap_searchentry WHERE service_id = new.id);
    END""",
    """CREATE TRIGGER socialmap_service_fts_delete AFTER DELETE ON socialmap_searchentry BEGIN
        DELETE FROM socialmap_service_fts WHERE rowid = old.id;
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS socialmap_service_fts_delete",
    "DROP TRIGGER IF EXISTS socialmap_service_fts_update",
    "DROP TRIGGER IF EXISTS socialmap_service_fts_insert",
    "DROP TABLE IF EXISTS socialmap_service_fts",
]
POSTGRESQL = [
    """ALTER TABLE socialmap_service ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch'::regconfig, coalesce(name, '')), 'A')
        || setweight(to_tsvector('simple'::regconfig, coalesce(name, '')), 'A')
        || setweight(to_tsvector('dutch'::regconfig, coalesce(search_text, '')), 'B')
        || setweight(to_tsvector('simple'::regconfig, coalesce(search_text, '')), 'B')
    ) STORED""",
    "CREATE INDEX socialmap_service_search ON socialmap_service USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS socialmap_service_search",
    "ALTER TABLE socialmap_service DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("socialmap", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]

"""Database triggers that raise ``principal_version`` on a user's sessions when what their Actor is built from
changes: the user row, one of their memberships, or an organisation they are a member of.

In the database rather than in the services, so that every writer counts (a service, the admin, a data
migration, ``queryset.update()``, a shell): ``samen.accounts.principal`` then loads the user again on the next
request. Installed by migration ``accounts.0002``.
"""

from __future__ import annotations

SESSIONS = "accounts_usersession"
BUMP = f"UPDATE {SESSIONS} SET principal_version = principal_version + 1 WHERE user_id"  # noqa: S608 (constants)
OF_ORGANISATION = "IN (SELECT user_id FROM organisations_membership WHERE organisation_id = {row}.id)"

SQLITE_TRIGGERS = {
    "accounts_user_principal_update": f"AFTER UPDATE ON accounts_user BEGIN {BUMP} = NEW.id; END",
    "organisations_membership_principal_insert": (
        f"AFTER INSERT ON organisations_membership BEGIN {BUMP} = NEW.user_id; END"
    ),
    "organisations_membership_principal_update": (
        f"AFTER UPDATE ON organisations_membership BEGIN {BUMP} IN (OLD.user_id, NEW.user_id); END"
    ),
    "organisations_membership_principal_delete": (
        f"AFTER DELETE ON organisations_membership BEGIN {BUMP} = OLD.user_id; END"
    ),
    "organisations_organisation_principal_update": (
        f"AFTER UPDATE ON organisations_organisation BEGIN {BUMP} {OF_ORGANISATION.format(row='NEW')}; END"
    ),
}

POSTGRES_FUNCTION_NAME = "accounts_principal_changed"
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {POSTGRES_FUNCTION_NAME}() RETURNS trigger AS $$
BEGIN
  IF TG_TABLE_NAME = 'accounts_user' THEN
    {BUMP} = NEW.id;
  ELSIF TG_TABLE_NAME = 'organisations_organisation' THEN
    {BUMP} {OF_ORGANISATION.format(row="NEW")};
  ELSE
    IF TG_OP IN ('UPDATE', 'DELETE') THEN {BUMP} = OLD.user_id; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN {BUMP} = NEW.user_id; END IF;
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql;
"""
POSTGRES_TRIGGERS = {
    "accounts_user_principal": "AFTER UPDATE ON accounts_user",
    "organisations_membership_principal": "AFTER INSERT OR UPDATE OR DELETE ON organisations_membership",
    "organisations_organisation_principal": "AFTER UPDATE ON organisations_organisation",
}


def _table(trigger_on: str) -> str:
    return trigger_on.split(" ON ")[1]


def install_principal_triggers(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name, body in SQLITE_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name};")
                cursor.execute(f"CREATE TRIGGER {name} {body};")
        elif connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
            for name, when in POSTGRES_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {_table(when)};")
                cursor.execute(
                    f"CREATE TRIGGER {name} {when} FOR EACH ROW EXECUTE FUNCTION accounts_principal_changed();"
                )
        else:
            raise NotImplementedError(f"No principal triggers for {connection.vendor}.")


def remove_principal_triggers(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name};")
        elif connection.vendor == "postgresql":
            for name, when in POSTGRES_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {_table(when)};")
            cursor.execute(f"DROP FUNCTION IF EXISTS {POSTGRES_FUNCTION_NAME}();")

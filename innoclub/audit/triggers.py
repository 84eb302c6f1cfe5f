"""The database's half of "append-only": triggers that refuse UPDATE and DELETE
on the audit log, whoever sends them (the ORM, the admin, raw SQL).

Both refusals surface in Django as ``IntegrityError``. Migration 0002 installs
them; ``remove`` exists for that migration's reverse and for the test suite,
which empties SQLite's tables with ``DELETE`` between transactional tests
(PostgreSQL's flush uses ``TRUNCATE``, which row triggers do not see).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
MESSAGE = "The audit log is append-only: entries cannot be changed or deleted."

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_{operation.lower()}
    BEFORE {operation} ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    for operation in ("UPDATE", "DELETE")
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
]

_POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END
    $$""",
    f"""CREATE OR REPLACE TRIGGER audit_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
]
_POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_refuse_change()",
]

_STATEMENTS = {
    "sqlite": (_SQLITE_INSTALL, _SQLITE_REMOVE),
    "postgresql": (_POSTGRES_INSTALL, _POSTGRES_REMOVE),
}


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers (again); a no-op where they exist."""
    install_sql, _ = _STATEMENTS[connection.vendor]
    _run(connection, install_sql)


def remove(connection: BaseDatabaseWrapper) -> None:
    """Drop the triggers; a no-op where they do not exist."""
    _, remove_sql = _STATEMENTS[connection.vendor]
    _run(connection, remove_sql)

"""The database's half of "append-only": triggers that refuse UPDATE and DELETE
on the audit log, whoever sends them (the ORM, the admin, raw SQL).

One exception: entries older than ``KEPT_AT_LEAST_DAYS`` may be deleted, so
that the retention period (``INNOCLUB_AUDIT_RETENTION_DAYS``, at least as
long) can be kept by ``audit_purge_expired``; nothing younger can go, and no
entry can ever be changed.

Both refusals surface in Django as ``IntegrityError``. Migration 0002 installs
them; ``remove`` exists for that migration's reverse and for the test suite,
which empties SQLite's tables with ``DELETE`` between transactional tests
(PostgreSQL's flush uses ``TRUNCATE``, which row triggers do not see).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
MESSAGE = "The audit log is append-only: entries cannot be changed or deleted."
# The shortest retention period; settings.INNOCLUB_AUDIT_RETENTION_DAYS has it as its minimum.
KEPT_AT_LEAST_DAYS = 90

_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update
    BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    # Django stores SQLite datetimes as UTC text "YYYY-MM-DD HH:MM:SS.ffffff".
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete
    BEFORE DELETE ON {TABLE}
    WHEN OLD.created_at >= strftime('%Y-%m-%d %H:%M:%f', 'now', '-{KEPT_AT_LEAST_DAYS} days')
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_no_update",
    "DROP TRIGGER IF EXISTS audit_no_delete",
]

_POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE'
           AND OLD.created_at < now() - interval '{KEPT_AT_LEAST_DAYS} days' THEN
            RETURN OLD;
        END IF;
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

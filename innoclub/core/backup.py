"""Backups of the whole installation: the database and the uploaded files in one archive.

An archive is a ``tar.gz`` with the database under ``database/`` (SQLite: a copy
made with the online backup API; PostgreSQL: ``pg_dump --format=custom``), every
file under ``MEDIA_ROOT`` under ``media/``, and last a ``manifest.json`` that
names the format, the time, the app's version and migrations, the database
vendor and every member with its size and SHA-256.

A restore first extracts the archive into a staging folder beside
``MEDIA_ROOT`` and checks it against its manifest; only an archive that passes
every check touches the database and the media folder.

Messages are plain German strings rather than gettext, like the other
operator commands: they are read on the command line, not in the web interface.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from innoclub.core.selectors import pending_migrations

FORMAT = "innoclub-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_DATABASE_FILES = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.dump"}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int
    files: int


@dataclass(frozen=True)
class RestoreResult:
    files: int
    pending_migrations: list[str]


# --- Backup ------------------------------------------------------------------


def backup_create(*, output: Path | None = None) -> BackupResult:
    """Write a backup archive of the database and ``MEDIA_ROOT``.

    Side effects: writes ``output`` (default ``VAR_DIR/backups/innoclub-<time>.tar.gz``)
    through a temporary file beside it, renamed into place when complete, so a
    failed backup leaves no half archive under the final name. Reads the
    database without locking out writers (SQLite's online backup; ``pg_dump``
    reads one snapshot).
    """
    created = datetime.now(UTC)
    if output is None:
        output = Path(settings.VAR_DIR) / "backups" / f"innoclub-{created:%Y%m%d-%H%M%S}.tar.gz"
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in _DATABASE_FILES:
        raise BackupError(f"Die Datenbank „{vendor}“ wird von der Sicherung nicht unterstützt.")
    try:
        return _write_archive(output, vendor, created)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"Die Sicherung ließ sich nicht schreiben ({exc}).") from None


def _write_archive(output: Path, vendor: str, created: datetime) -> BackupResult:
    members: dict[str, dict[str, Any]] = {}
    # Beside the archive, not in /tmp: the dump is as large as the database.
    with tempfile.TemporaryDirectory(prefix=".innoclub-backup-", dir=output.parent) as scratch:
        dump = Path(scratch) / "database"
        _dump_database(vendor, dump)
        handle, partial = tempfile.mkstemp(
            dir=output.parent, prefix=f".{output.name}.", suffix=".part"
        )
        os.close(handle)
        try:
            with tarfile.open(partial, "w:gz") as archive:
                members[_DATABASE_FILES[vendor]] = _add_file(archive, dump, _DATABASE_FILES[vendor])
                for path, name in _media_files():
                    members[name] = _add_file(archive, path, name)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": created.isoformat(),
                    "app_version": _app_version(),
                    "database": {"vendor": vendor, "file": _DATABASE_FILES[vendor]},
                    "migrations": _applied_migrations(),
                    "files": members,
                }
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
            os.replace(partial, output)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return BackupResult(path=output, size=output.stat().st_size, files=len(members) - 1)


def _dump_database(vendor: str, target: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if vendor == "sqlite":
        # Through Django's own connection: the online backup API copies a
        # consistent state while other processes go on writing.
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        return
    _run_postgres(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(target)],
        "pg_dump",
    )


def _media_files() -> Iterator[tuple[Path, str]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for directory, _dirs, names in os.walk(root):
        for name in sorted(names):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path, "media/" + path.relative_to(root).as_posix()


class _HashingReader:
    """Reads a file for tarfile and hashes what it hands over."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _add_file(archive: tarfile.TarFile, path: Path, name: str) -> dict[str, Any]:
    with path.open("rb") as stream:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(stream.fileno()).st_size
        info.mtime = int(os.fstat(stream.fileno()).st_mtime)
        info.mode = 0o600
        reader = _HashingReader(stream)
        archive.addfile(info, reader)
    return {"size": info.size, "sha256": reader.digest.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _app_version() -> str:
    try:
        return version("innoclub")
    except PackageNotFoundError:
        return "unknown"


def _applied_migrations() -> dict[str, str]:
    """The latest applied migration per app (names are numbered)."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections[DEFAULT_DB_ALIAS]).applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def _run_postgres(arguments: list[str], program: str, *, database: bool = True) -> None:
    """Run a PostgreSQL client with the connection from ``DATABASES``; the
    password travels in the environment, never on the command line.
    ``database=False``: the program works on files only."""
    params = connections[DEFAULT_DB_ALIAS].settings_dict
    command = [*arguments]
    if database:
        command += ["--dbname", str(params["NAME"])]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if params.get(key):
                command += [option, str(params[key])]
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    sslmode = (params.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    try:
        finished = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            command, env=env, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"Das Programm {program} fehlt. Installieren Sie den PostgreSQL-Client "
            "(Debian: postgresql-client)."
        ) from None
    if finished.returncode != 0:
        raise BackupError(f"{program} ist fehlgeschlagen:\n{finished.stderr.strip()}")


# --- Restore -----------------------------------------------------------------


@dataclass(frozen=True)
class CheckedArchive:
    """An archive extracted into ``staging`` and found to match its manifest."""

    staging: Path
    manifest: dict[str, Any]

    @property
    def database_file(self) -> Path:
        return self.staging / self.manifest["database"]["file"]

    @property
    def media(self) -> Path:
        return self.staging / "media"


@contextmanager
def backup_checked(path: Path) -> Iterator[CheckedArchive]:
    """Extract and check an archive; yields it while the staging folder exists.

    Side effects: a staging folder beside ``MEDIA_ROOT`` (same file system, so
    the media swap is a rename), removed on leaving. Nothing else is touched.
    Raises ``BackupError`` for a missing, corrupt, truncated or foreign archive,
    a checksum that does not match, a backup of the other database vendor or
    of a newer version of the code.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Die Datei {path} gibt es nicht.")
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".restore-"))
    try:
        found = _extract(path, staging)
        manifest = _read_manifest(staging, path)
        _check_members(manifest, found)
        _check_compatible(manifest)
        checked = CheckedArchive(staging=staging, manifest=manifest)
        _check_database(checked.database_file, manifest["database"]["vendor"])
        (staging / "media").mkdir(exist_ok=True)
        yield checked
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def backup_restore(checked: CheckedArchive) -> RestoreResult:
    """Replace the database and ``MEDIA_ROOT`` with a checked archive's content.

    Side effects: the database is replaced in one transaction (SQLite's backup
    API into the live database; PostgreSQL: ``pg_restore --clean --if-exists
    --no-owner --single-transaction``, after Django's connection is closed);
    then ``MEDIA_ROOT`` is swapped for the extracted folder by two renames and
    the old folder removed; the cache is cleared (cached sections are keyed
    by a data version that the restored database may repeat).
    """
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir() and os.path.ismount(media_root):
        raise BackupError(
            f"{media_root} ist ein Einhängepunkt und lässt sich nicht austauschen. "
            "Hängen Sie stattdessen den übergeordneten Ordner ein."
        )
    _restore_database(checked.database_file, checked.manifest["database"]["vendor"])
    _swap_media(checked.media, media_root)
    cache.clear()
    return RestoreResult(
        files=len(checked.manifest["files"]) - 1, pending_migrations=pending_migrations()
    )


def _extract(path: Path, staging: Path) -> dict[str, dict[str, Any]]:
    """Unpack regular files only, hashing them; refuses anything else."""
    found: dict[str, dict[str, Any]] = {}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                name = member.name
                if not _safe_name(name) or not member.isfile():
                    raise BackupError(
                        f"Das Archiv enthält einen unzulässigen Eintrag „{name}“; "
                        "es ist keine Sicherung von innoclub."
                    )
                if name in found:
                    raise BackupError(f"Das Archiv enthält „{name}“ zweimal.")
                source = archive.extractfile(member)
                assert source is not None  # a regular file always has content
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with target.open("wb") as out:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                found[name] = {"size": size, "sha256": digest.hexdigest()}
    except OSError as exc:
        if not isinstance(exc, gzip.BadGzipFile):
            raise BackupError(
                f"Die Sicherung ließ sich nicht entpacken ({exc}). Es wurde nichts verändert."
            ) from None
        raise BackupError(
            f"Das Archiv {path} ist beschädigt oder unvollständig ({exc}). "
            "Es wurde nichts verändert."
        ) from None
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(
            f"Das Archiv {path} ist beschädigt oder unvollständig ({exc}). "
            "Es wurde nichts verändert."
        ) from None
    return found


def _safe_name(name: str) -> bool:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name:
        return False
    return name == MANIFEST or (pure.parts[0] in ("database", "media") and len(pure.parts) > 1)


def _read_manifest(staging: Path, path: Path) -> dict[str, Any]:
    foreign = f"Die Datei {path} ist keine Sicherung von innoclub (kein gültiges manifest.json)."
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(foreign) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(foreign)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"Die Sicherung hat das Format {manifest.get('format_version')!r}; "
            f"diese Version liest nur Format {FORMAT_VERSION}."
        )
    files = manifest.get("files")
    database = manifest.get("database")
    if (
        not isinstance(files, dict)
        or not isinstance(database, dict)
        or database.get("vendor") not in _DATABASE_FILES
        or database.get("file") != _DATABASE_FILES[database["vendor"]]
        or not isinstance(manifest.get("migrations"), dict)
    ):
        raise BackupError(foreign)
    return manifest


def _check_members(manifest: dict[str, Any], found: dict[str, dict[str, Any]]) -> None:
    listed = manifest["files"]
    present = {name: facts for name, facts in found.items() if name != MANIFEST}
    missing = sorted(set(listed) - set(present))
    if missing:
        raise BackupError(
            f"Im Archiv fehlen {len(missing)} Dateien, die das Manifest nennt, "
            f"z. B. „{missing[0]}“. Es wurde nichts verändert."
        )
    unlisted = sorted(set(present) - set(listed))
    if unlisted:
        raise BackupError(
            f"Das Archiv enthält Dateien, die das Manifest nicht nennt, z. B. „{unlisted[0]}“. "
            "Es wurde nichts verändert."
        )
    for name, facts in sorted(present.items()):
        expected = listed[name]
        if not isinstance(expected, dict) or expected.get("sha256") != facts["sha256"]:
            raise BackupError(
                f"Die Prüfsumme von „{name}“ stimmt nicht mit dem Manifest überein; "
                "das Archiv ist beschädigt oder wurde verändert. Es wurde nichts verändert."
            )
        if expected.get("size") != facts["size"]:
            raise BackupError(
                f"Die Größe von „{name}“ stimmt nicht mit dem Manifest überein. "
                "Es wurde nichts verändert."
            )
    if manifest["database"]["file"] not in present:
        raise BackupError("Im Archiv fehlt die Datenbank. Es wurde nichts verändert.")


def _check_compatible(manifest: dict[str, Any]) -> None:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    theirs = manifest["database"]["vendor"]
    if theirs != vendor:
        raise BackupError(
            f"Die Sicherung stammt aus einer {_VENDOR_NAMES.get(theirs, theirs)}-Datenbank, "
            f"diese Installation nutzt {_VENDOR_NAMES.get(vendor, vendor)}. "
            "Eine Sicherung lässt sich nur in dieselbe Datenbankart zurückspielen. "
            "Es wurde nichts verändert."
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(
        f"{app}.{name}"
        for app, name in manifest["migrations"].items()
        if app in {key[0] for key in known} and (app, name) not in known
    )
    if unknown:
        raise BackupError(
            "Die Sicherung stammt von einer neueren Version von innoclub "
            f"(Migration {unknown[0]} ist diesem Code unbekannt). Spielen Sie sie mit "
            "der Version ein, die sie erstellt hat. Es wurde nichts verändert."
        )


_VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _check_database(dump: Path, vendor: str) -> None:
    """Read the database file through once, so that a damaged one is found
    before anything is replaced."""
    unreadable = "Die Datenbank in der Sicherung ist nicht lesbar"
    if vendor == "postgresql":
        try:
            _run_postgres(["pg_restore", "--list", str(dump)], "pg_restore", database=False)
        except BackupError as exc:
            raise BackupError(f"{unreadable}: {exc} Es wurde nichts verändert.") from None
        return
    try:
        database = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            (result,) = database.execute("PRAGMA quick_check").fetchone()
        finally:
            database.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{unreadable} ({exc}). Es wurde nichts verändert.") from None
    if result != "ok":
        raise BackupError(f"{unreadable} ({result}). Es wurde nichts verändert.")


def _restore_database(dump: Path, vendor: str) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if vendor == "sqlite":
        connection.ensure_connection()
        try:
            source = sqlite3.connect(dump)
            try:
                # Copies every page in one step: readers see the old or the new database.
                source.backup(connection.connection)
            finally:
                source.close()
        except sqlite3.Error as exc:
            raise BackupError(f"Die Datenbank ließ sich nicht ersetzen ({exc}).") from None
        return
    # pg_restore --clean drops only what the dump contains: a table a newer
    # migration created would stay and break the next migrate. So every table
    # goes first, and psql runs both scripts in one transaction: if anything
    # fails, the database is as it was.
    tables = connection.introspection.table_names(include_views=False)
    quote = connection.ops.quote_name
    prelude = dump.with_suffix(".drop.sql")
    prelude.write_text(
        "".join(f"DROP TABLE IF EXISTS {quote(table)} CASCADE;\n" for table in tables),
        encoding="utf-8",
    )
    script = dump.with_suffix(".sql")
    _run_postgres(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(script),
            str(dump),
        ],
        "pg_restore",
        database=False,
    )
    # An open connection of ours could hold a lock the drops would wait for.
    connection.close()
    _run_postgres(
        [
            "psql",
            "--no-psqlrc",
            "--quiet",
            "--single-transaction",
            "--set",
            "ON_ERROR_STOP=1",
            "--file",
            str(prelude),
            "--file",
            str(script),
        ],
        "psql",
    )


def _swap_media(extracted: Path, media_root: Path) -> None:
    old = media_root.with_name(f".{media_root.name}-old-{os.getpid()}")
    if media_root.exists():
        os.replace(media_root, old)
    os.replace(extracted, media_root)
    shutil.rmtree(old, ignore_errors=True)

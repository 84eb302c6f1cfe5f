"""The restore drill: back up, wipe, restore, and find every row and file as it was.

The tests commit (``transaction=True``): on PostgreSQL ``pg_dump`` and
``pg_restore`` are other processes and see only committed data.
``serialized_rollback`` puts the content types back afterwards for the tests
that follow in the same process.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from innoclub.accounts.models import User
from innoclub.audit import triggers
from innoclub.audit.models import Action
from innoclub.audit.services import audit_record
from tests.factories import MemberFactory
from tests.ideas_factories import CommentFactory, IdeaFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def put_files(root: Path) -> None:
    (root / "profiles").mkdir(parents=True, exist_ok=True)
    (root / "profiles" / "7.jpg").write_bytes(bytes(range(256)) * 40)
    (root / "pilots" / "3" / "12").mkdir(parents=True, exist_ok=True)
    (root / "pilots" / "3" / "12" / "Bürgerbüro Präsentation.pdf").write_bytes(b"%PDF-1.7\n" * 99)
    (root / "leer.txt").write_bytes(b"")


def table_snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a hash over all columns of every table (ordered by primary key)."""
    snapshot: dict[str, tuple[int, str]] = {}
    primary_keys = {
        model._meta.db_table: str(model._meta.pk.column)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.pk is not None
    }
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            order = f" ORDER BY {quote(primary_keys[table])}" if table in primary_keys else ""
            cursor.execute(f"SELECT * FROM {quote(table)}{order}")  # noqa: S608 - our tables
            rows = [repr(row) for row in cursor.fetchall()]
            if not order:
                rows.sort()
            snapshot[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return snapshot


def file_snapshot(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def back_up(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "sicherung.tar.gz"), stdout=out)
    path = Path(out.getvalue().splitlines()[0])
    assert path == tmp_path / "sicherung.tar.gz"
    return path


def test_restore_drill_brings_back_every_table_and_every_file(settings, media, tmp_path):
    settings.DEMO_MODE = True
    call_command("seed_demo", verbosity=0)
    audit_record(action=Action.LOGIN, actor=User.objects.get(email="mitglied@demo.innoclub.de"))
    put_files(media)
    tables_before = table_snapshot()
    files_before = file_snapshot(media)
    # The drill means something only with data in many tables and files.
    assert sum(1 for count, _hash in tables_before.values() if count) > 40
    assert len(files_before) > 3

    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "sicherung.tar.gz"), stdout=out)
    assert out.getvalue().splitlines()[0] == str(tmp_path / "sicherung.tar.gz")
    assert "Sicherung erstellt" in out.getvalue()

    # Disaster: every row gone (the audit log's triggers do not stop it),
    # files gone, and a stray newer file and account.
    triggers.remove(connection)
    call_command("flush", interactive=False, verbosity=0)
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    (media / "neu.txt").write_text("nach der Sicherung hochgeladen")
    MemberFactory(email="nach-der-sicherung@example.org")
    assert table_snapshot() != tables_before

    out = io.StringIO()
    call_command("restore", str(tmp_path / "sicherung.tar.gz"), "--yes", stdout=out)

    assert "Eingespielt" in out.getvalue()
    assert table_snapshot() == tables_before
    assert file_snapshot(media) == files_before
    assert not User.objects.filter(email="nach-der-sicherung@example.org").exists()
    # No staging or old media folder stays behind.
    assert sorted(p.name for p in media.parent.iterdir()) == ["media", "sicherung.tar.gz"]


def test_the_manifest_lists_version_migrations_vendor_and_every_file(media, tmp_path):
    put_files(media)
    path = back_up(tmp_path)

    with tarfile.open(path) as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        members = {m.name: m for m in archive.getmembers()}

    assert manifest["format"] == "innoclub-backup"
    assert manifest["format_version"] == 1
    assert manifest["app_version"] == "0.1.0"
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["migrations"]["accounts"].startswith("00")
    assert manifest["created_at"].endswith("+00:00")
    assert set(manifest["files"]) == set(members) - {"manifest.json"}
    pdf = media / "pilots" / "3" / "12" / "Bürgerbüro Präsentation.pdf"
    assert manifest["files"]["media/pilots/3/12/Bürgerbüro Präsentation.pdf"] == {
        "size": pdf.stat().st_size,
        "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
    }


def test_backup_goes_to_the_var_folder_by_default(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    out = io.StringIO()

    call_command("backup", stdout=out)

    path = Path(out.getvalue().splitlines()[0])
    assert path.parent == tmp_path / "var" / "backups"
    assert path.name.startswith("innoclub-") and path.name.endswith(".tar.gz")
    assert path.is_file()


# --- Refusals: a bad archive changes nothing ----------------------------------------


@pytest.fixture
def state(media) -> Callable[[], tuple[dict[str, tuple[int, str]], dict[str, str]]]:
    """Some data and files; returns a function that takes their snapshot."""
    CommentFactory(idea=IdeaFactory())
    put_files(media)
    return lambda: (table_snapshot(), file_snapshot(media))


def rewrite(
    source: Path,
    target: Path,
    *,
    manifest: Callable[[dict], None] = lambda m: None,
    members: Callable[[dict[str, bytes]], None] = lambda m: None,
) -> Path:
    """A copy of the archive with its manifest or members changed."""
    with tarfile.open(source) as archive:
        content = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}  # type: ignore[union-attr]
    parsed = json.loads(content.pop("manifest.json"))
    manifest(parsed)
    members(content)
    content["manifest.json"] = json.dumps(parsed).encode()
    with tarfile.open(target, "w:gz") as archive:
        for name, data in content.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return target


def refused(path: Path, *, match: str, yes: bool = True) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(path), *(["--yes"] if yes else []), stdout=io.StringIO())


def changed_after_backup(media: Path) -> None:
    """What the restore would undo, so that 'nothing changed' means something."""
    MemberFactory(email="nach-der-sicherung@example.org")
    (media / "neu.txt").write_text("nach der Sicherung hochgeladen")


def test_a_truncated_archive_is_refused_and_nothing_changes(state, media, tmp_path):
    path = back_up(tmp_path)
    changed_after_backup(media)
    before = state()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])

    refused(path, match="beschädigt oder unvollständig")

    assert state() == before
    assert sorted(p.name for p in media.parent.iterdir()) == ["media", "sicherung.tar.gz"]


def test_a_file_that_is_no_archive_is_refused(state, tmp_path):
    before = state()
    path = tmp_path / "sicherung.tar.gz"
    path.write_bytes(b"<html>Not found</html>")

    refused(path, match="beschädigt oder unvollständig")

    assert state() == before


def test_a_foreign_archive_without_manifest_is_refused(state, tmp_path):
    before = state()
    path = tmp_path / "fremd.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        archive.add(tmp_path / "media" / "leer.txt", arcname="media/leer.txt")

    refused(path, match="keine Sicherung von innoclub")

    assert state() == before


def test_an_archive_reaching_outside_its_folder_is_refused(state, tmp_path):
    path = back_up(tmp_path)
    before = state()

    bad = rewrite(
        path, tmp_path / "boese.tar.gz", members=lambda m: m.update({"media/../../x": b"x"})
    )

    refused(bad, match="unzulässigen Eintrag")
    assert state() == before
    assert not (tmp_path / "x").exists()


def test_a_checksum_mismatch_is_refused_and_nothing_changes(state, media, tmp_path):
    path = back_up(tmp_path)
    changed_after_backup(media)
    before = state()

    def tamper(content: dict[str, bytes]) -> None:
        content["media/profiles/7.jpg"] = b"ein anderes Bild"

    bad = rewrite(path, tmp_path / "veraendert.tar.gz", members=tamper)

    refused(bad, match="Prüfsumme von „media/profiles/7.jpg“ stimmt nicht")
    assert state() == before


def test_a_file_missing_from_the_archive_is_refused(state, tmp_path):
    path = back_up(tmp_path)
    before = state()

    bad = rewrite(path, tmp_path / "luecke.tar.gz", members=lambda m: m.pop("media/profiles/7.jpg"))

    refused(bad, match="fehlen 1 Dateien")
    assert state() == before


def test_a_backup_of_the_other_database_vendor_is_refused(state, tmp_path):
    path = back_up(tmp_path)
    before = state()
    other, file = (
        ("postgresql", "database/db.dump")
        if connection.vendor == "sqlite"
        else ("sqlite", "database/db.sqlite3")
    )

    def move_database(content: dict[str, bytes]) -> None:
        (own,) = [name for name in content if name.startswith("database/")]
        content[file] = content.pop(own)

    def claim_other_vendor(manifest: dict) -> None:
        (own,) = [name for name in manifest["files"] if name.startswith("database/")]
        manifest["files"][file] = manifest["files"].pop(own)
        manifest["database"] = {"vendor": other, "file": file}

    bad = rewrite(
        path, tmp_path / "andere.tar.gz", manifest=claim_other_vendor, members=move_database
    )

    refused(bad, match="nur in dieselbe Datenbankart")
    assert state() == before


def test_a_backup_from_newer_code_is_refused(state, tmp_path):
    path = back_up(tmp_path)
    before = state()

    def newer(manifest: dict) -> None:
        manifest["migrations"]["accounts"] = "9999_from_the_future"

    refused(rewrite(path, tmp_path / "neuer.tar.gz", manifest=newer), match="neueren Version")
    assert state() == before


def test_without_yes_and_without_a_terminal_nothing_is_restored(state, media, tmp_path):
    path = back_up(tmp_path)
    changed_after_backup(media)
    before = state()

    refused(path, match="mit --yes", yes=False)

    assert state() == before


def test_a_missing_file_is_named(tmp_path):
    refused(tmp_path / "gibt-es-nicht.tar.gz", match="gibt es nicht")


def test_an_older_backup_is_restored_and_the_missing_migrations_are_named(tmp_path):
    from django.db.migrations.loader import MigrationLoader

    core = sorted(name for app, name in MigrationLoader(None).disk_migrations if app == "core")
    call_command("migrate", "core", core[-2], verbosity=0)  # the latest one undone
    try:
        path = back_up(tmp_path)
        call_command("migrate", "core", verbosity=0)
        out = io.StringIO()
        call_command("restore", str(path), "--yes", stdout=out)
    finally:
        call_command("migrate", "core", verbosity=0)

    assert f"core.{core[-1]}" in out.getvalue()
    assert "manage.py migrate" in out.getvalue()


def test_a_database_file_that_is_no_database_is_refused(state, tmp_path):
    path = back_up(tmp_path)
    before = state()
    garbage = b"kein Datenbankabzug, " * 500

    def replace_database(content: dict[str, bytes]) -> None:
        (name,) = [name for name in content if name.startswith("database/")]
        content[name] = garbage

    def matching_checksum(manifest: dict) -> None:
        (name,) = [name for name in manifest["files"] if name.startswith("database/")]
        manifest["files"][name] = {
            "size": len(garbage),
            "sha256": hashlib.sha256(garbage).hexdigest(),
        }

    bad = rewrite(
        path, tmp_path / "kaputt.tar.gz", manifest=matching_checksum, members=replace_database
    )

    refused(bad, match="Datenbank in der Sicherung ist nicht lesbar")
    assert state() == before

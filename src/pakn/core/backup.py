"""``pakn backup`` and ``pakn restore``: the database, the encrypted files and the key files, in two archives
that are kept apart.

- The **data archive** (``pakn-data-<UTC time>.tar.gz``): the database (PostgreSQL: ``pg_dump`` custom
  format; SQLite: a copy made with SQLite's online backup API, safe while PAKN runs), then the folders of
  ``PAKN_DATA_DIR`` the packages register (the vault's ``vault/`` and ``files/``), and ``manifest.json``: when,
  which PAKN version, which database vendor and migrations, the fingerprints of the keys the database was
  used with, and the SHA-256 of every member. The database is dumped first: every file a row of the dump
  refers to was on disk before the dump began (files are written before their row and never changed).
- The **key archive** (``pakn-keys-<UTC time>.tar.gz``, mode 0600): the key files the packages register and
  its own manifest with their fingerprints. Without it the data archive opens nothing; store it apart.

``restore`` checks before writing anything: both manifests, every member's SHA-256, that the key files
are the ones whose fingerprints the data manifest *and the dumped database* hold, the vendor, that this
PAKN knows every migration of the dump, and that the database, the registered folders and the key files
are empty (``--force`` to overwrite). Core knows no package: the vault registers its folders and its keys
(``register``) at start-up.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump/pg_restore with fixed argument lists, no shell
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection

FORMAT = "pakn-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1 << 20


class BackupError(Exception):
    """Refused or failed; the message says why and what to do (shown by the commands)."""


@dataclass(frozen=True)
class KeySource:
    """Key files a package keeps outside the database (registered by the package, so core imports none).

    ``paths``: name → configured location; ``fingerprint``: (name, file bytes) → fingerprint, never the
    secret; ``stored``: name → fingerprint the current database holds; ``table``: the table (columns
    ``name``, ``fingerprint``) where the dumped database holds them; ``optional``: names whose file may be
    absent (the escrow private key, kept offline in production); ``prepare``: run before the dump (records
    fingerprints not yet recorded, refuses key files that are not the database's)."""

    paths: Callable[[], dict[str, Path]]
    fingerprint: Callable[[str, bytes], str]
    stored: Callable[[], dict[str, str]]
    table: str
    optional: frozenset[str] = frozenset()
    prepare: Callable[[], None] = lambda: None


FOLDERS: list[str] = []
KEY_SOURCES: list[KeySource] = []


def register(*, folders: Iterable[str] = (), keys: KeySource | None = None) -> None:
    for name in folders:
        if name not in FOLDERS:
            FOLDERS.append(name)
    if keys is not None and keys not in KEY_SOURCES:
        KEY_SOURCES.append(keys)


# ---------------------------------------------------------------- small helpers


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pakn")
    except PackageNotFoundError:
        return "unknown"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _data_dir() -> Path:
    return Path(settings.DATA_DIR)


def _key_sources() -> list[KeySource]:
    if not KEY_SOURCES:
        raise BackupError("no key files are registered (is pakn.protection installed?)")
    return KEY_SOURCES


def _paths() -> dict[str, Path]:
    return {name: path for source in _key_sources() for name, path in source.paths().items()}


def _fingerprint(name: str, content: bytes) -> str:
    for source in _key_sources():
        if name in source.paths():
            return source.fingerprint(name, content)
    raise BackupError(f"unknown key {name!r}")


def _optional() -> frozenset[str]:
    return frozenset().union(*(source.optional for source in _key_sources()))


def _files_of(folder: str) -> list[tuple[str, Path]]:
    root = _data_dir() / folder
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.name.endswith(".part"):
            found.append((f"data/{folder}/{path.relative_to(root).as_posix()}", path))
    return found


# ---------------------------------------------------------------- database


def vendor() -> str:
    return str(connection.vendor)


def _sqlite_path() -> Path:
    return Path(str(settings.DATABASES["default"]["NAME"]))


def _pg_env() -> dict[str, str]:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client (e.g. apt install postgresql-client)")
    return found


def _run(arguments: list[str]) -> str:
    result = subprocess.run(arguments, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()[-2000:]}")
    return result.stdout


def dump_database(target: Path) -> str:
    """Write the database to ``target``; returns the member name it gets in the archive."""
    if vendor() == "sqlite":
        source = sqlite3.connect(_sqlite_path())
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # online backup API: a consistent copy while PAKN writes
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
        return "database/pakn.sqlite3"
    if vendor() == "postgresql":
        connection.close()
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"])
        return "database/pakn.pgdump"
    raise BackupError(f"backups of {vendor()} databases are not supported")


def applied_migrations() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def known_migrations() -> set[str]:
    from django.db.migrations.loader import MigrationLoader

    return {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}


def database_is_empty() -> bool:
    """No table at all. SQLite is looked at without creating the file."""
    if vendor() == "sqlite":
        path = _sqlite_path()
        if not path.exists() or path.stat().st_size == 0:
            return True
        check = sqlite3.connect(path)
        try:
            return not check.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            check.close()
    try:
        return not connection.introspection.table_names()
    finally:
        connection.close()


def fingerprints_in_dump(dump: Path, member: str, table: str) -> dict[str, str]:
    """The fingerprints a dumped database holds, read from the dump itself (nothing restored)."""
    if not re.fullmatch(r"[a-z_]+", table):
        raise BackupError(f"bad table name {table!r}")
    if member.endswith(".sqlite3"):
        copy = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            rows = copy.execute(f"SELECT name, fingerprint FROM {table}").fetchall()  # noqa: S608 - checked above
        except sqlite3.OperationalError:  # a database from before fingerprints
            return {}
        finally:
            copy.close()
        return {str(name): str(fingerprint) for name, fingerprint in rows}
    text = _run([_tool("pg_restore"), "--data-only", f"--table={table}", "--file=-", str(dump)])
    found: dict[str, str] = {}
    columns: list[str] | None = None
    for line in text.splitlines():
        if columns is None:
            match = re.match(rf"COPY (?:\w+\.)?{table} \(([^)]*)\) FROM stdin;", line)
            if match:
                columns = [c.strip().strip('"') for c in match.group(1).split(",")]
            continue
        if line == "\\.":
            break
        values = dict(zip(columns, line.split("\t"), strict=False))
        found[values["name"]] = values["fingerprint"]
    return found


def restore_database(dump: Path, member: str, *, force: bool) -> None:
    if member.endswith(".sqlite3"):
        target = _sqlite_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=WAL")
        finally:
            copy.close()
            source.close()
        return
    connection.close()
    arguments = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if force:
        arguments += ["--clean", "--if-exists"]
    _run([*arguments, f"--dbname={_pg_env().get('PGDATABASE', '')}", str(dump)])


# ---------------------------------------------------------------- archives


class _Hashing(io.RawIOBase):
    def __init__(self, source: IO[bytes]) -> None:
        self.source, self.digest = source, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self.source.read(-1 if size is None else size)
        self.digest.update(data)
        return data


@dataclass
class _Writer:
    path: Path
    created: datetime
    members: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.partial = self.path.with_name(self.path.name + ".part")
        descriptor = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.handle = os.fdopen(descriptor, "wb")
        self.tar = tarfile.open(fileobj=self.handle, mode="w:gz", compresslevel=6)  # noqa: SIM115

    def _info(self, name: str, size: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(self.created.timestamp())
        return info

    def add_file(self, name: str, path: Path) -> None:
        with path.open("rb") as source:
            size = os.fstat(source.fileno()).st_size
            hashing = _Hashing(source)
            self.tar.addfile(self._info(name, size), hashing)
        self.members[name] = {"sha256": hashing.digest.hexdigest(), "size": size}

    def add_bytes(self, name: str, data: bytes) -> None:
        self.tar.addfile(self._info(name, len(data)), io.BytesIO(data))
        self.members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}

    def finish(self, manifest: dict[str, Any]) -> None:
        data = json.dumps({**manifest, "members": self.members}, indent=2, sort_keys=True).encode()
        self.tar.addfile(self._info(MANIFEST, len(data)), io.BytesIO(data))
        self.tar.close()
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.replace(self.partial, self.path)

    def abandon(self) -> None:
        try:
            self.tar.close()
            self.handle.close()
        finally:
            self.partial.unlink(missing_ok=True)


@dataclass(frozen=True)
class BackupResult:
    data: Path
    keys: Path
    fingerprints: dict[str, str]
    members: int
    keys_included: list[str]
    skipped_keys: list[str]


def backup(*, out: Path, keys_out: Path | None = None, now: datetime | None = None) -> BackupResult:
    """Write the two archives (see the module's docstring); nothing is left half-written."""
    created = now or datetime.now(tz=UTC)
    stamp = created.strftime("%Y%m%dT%H%M%SZ")
    keys_out = keys_out or out
    for destination in (out, keys_out):
        destination.mkdir(parents=True, exist_ok=True, mode=0o700)
    sources = _key_sources()
    for source in sources:
        source.prepare()
    stored = {name: value for source in sources for name, value in source.stored().items()}
    key_members: dict[str, bytes] = {}
    skipped = []
    for name, path in _paths().items():
        if not path.is_file():
            if name in stored and name not in _optional():
                raise BackupError(f"the key file {path.name} is missing: the database holds its fingerprint")
            continue
        content = path.read_bytes()
        if _fingerprint(name, content) != stored.get(name):
            if name in _optional():
                skipped.append(name)  # e.g. an old escrow key left on the server
                continue
            raise BackupError(f"the key file {path.name} is not the one this database was used with")
        key_members[name] = content
    fingerprints = {name: stored[name] for name in sorted(stored)}
    base = {"format": FORMAT, "created_at": created.isoformat(), "app_version": app_version()}
    data_path = out / f"pakn-data-{stamp}.tar.gz"
    keys_path = keys_out / f"pakn-keys-{stamp}.tar.gz"
    data = _Writer(data_path, created)
    try:
        with tempfile.TemporaryDirectory(prefix="pakn-backup-") as temporary:
            dump = Path(temporary) / "database"
            member = dump_database(dump)
            data.add_file(member, dump)
        migrations = applied_migrations()
        for folder in FOLDERS:
            for name, path in _files_of(folder):
                data.add_file(name, path)
        data.finish(
            {
                **base,
                "kind": "data",
                "database": {"vendor": vendor(), "member": member, "migrations": migrations},
                "folders": list(FOLDERS),
                "fingerprints": fingerprints,
                "keys_archive": keys_path.name,
            }
        )
    except BaseException:
        data.abandon()
        raise
    keys = _Writer(keys_path, created)
    try:
        for name, content in sorted(key_members.items()):
            keys.add_bytes(f"keys/{name}.key", content)
        keys.finish(
            {
                **base,
                "kind": "keys",
                "fingerprints": {name: stored[name] for name in sorted(key_members)},
                "data_archive": data_path.name,
            }
        )
    except BaseException:
        keys.abandon()
        data_path.unlink(missing_ok=True)
        raise
    return BackupResult(
        data=data_path,
        keys=keys_path,
        fingerprints=fingerprints,
        members=len(data.members),
        keys_included=sorted(key_members),
        skipped_keys=skipped,
    )


# ---------------------------------------------------------------- restore

_MEMBER = re.compile(r"(?:database/pakn\.(?:sqlite3|pgdump)|data/[a-z_]+/[A-Za-z0-9._\-/]+|keys/[a-z_]+\.key)")


def _members(path: Path) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    """The regular files of an archive, in order; anything else (links, devices, odd names) is refused."""
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            for info in tar:
                if not info.isfile():
                    raise BackupError(f"{path.name}: {info.name!r} is not a regular file")
                if info.name != MANIFEST and (not _MEMBER.fullmatch(info.name) or ".." in info.name.split("/")):
                    raise BackupError(f"{path.name}: unexpected member {info.name!r}")
                handle = tar.extractfile(info)
                assert handle is not None
                yield info, handle
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path.name}: not a readable backup archive ({exc})") from None


@dataclass
class _Read:
    manifest: dict[str, Any]
    small: dict[str, bytes]  # members kept in memory (the key files)


def read_archive(path: Path, kind: str, *, keep: Callable[[str], bool] = lambda name: False) -> _Read:
    """Read the whole archive once: its manifest, and the SHA-256 and size of every member against it."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    seen: dict[str, dict[str, Any]] = {}
    manifest_bytes = b""
    small: dict[str, bytes] = {}
    for info, handle in _members(path):
        if info.name in seen or (info.name == MANIFEST and manifest_bytes):
            raise BackupError(f"{path.name}: {info.name!r} appears twice")
        if info.name == MANIFEST:
            manifest_bytes = handle.read(10 * CHUNK)
            continue
        digest, size, kept = hashlib.sha256(), 0, io.BytesIO()
        for chunk in iter(lambda: handle.read(CHUNK), b""):  # noqa: B023 - consumed within the iteration
            digest.update(chunk)
            size += len(chunk)
            if keep(info.name):
                kept.write(chunk)
        seen[info.name] = {"sha256": digest.hexdigest(), "size": size}
        if keep(info.name):
            small[info.name] = kept.getvalue()
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError:
        raise BackupError(f"{path.name}: no readable {MANIFEST}") from None
    if manifest.get("format") != FORMAT or manifest.get("kind") != kind:
        raise BackupError(f"{path.name}: not a PAKN {kind} archive ({manifest.get('format')}, {manifest.get('kind')})")
    expected = manifest.get("members") or {}
    for name in sorted(set(expected) | set(seen)):
        if name not in seen:
            raise BackupError(f"{path.name}: {name} is listed in the manifest but missing")
        if name not in expected:
            raise BackupError(f"{path.name}: {name} is not listed in the manifest")
        if seen[name] != {"sha256": expected[name].get("sha256"), "size": expected[name].get("size")}:
            raise BackupError(f"{path.name}: {name} is damaged (SHA-256 differs from the manifest)")
    return _Read(manifest=manifest, small=small)


def _write_exclusive(target: Path, data: bytes, *, force: bool) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    descriptor = os.open(target, flags, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(target, 0o600)


@dataclass(frozen=True)
class RestoreResult:
    files: int
    keys: list[str]
    pending_migrations: int
    fingerprints: dict[str, str]


def check_pair(data: _Read, keys: _Read) -> dict[str, bytes]:
    """The two archives belong together: each key file has the fingerprint its manifest says, which is the
    one the data manifest holds; every key the database was used with is there. Returns name → file bytes."""
    optional = _optional()
    files = {name.removeprefix("keys/").removesuffix(".key"): content for name, content in keys.small.items()}
    in_keys = keys.manifest.get("fingerprints") or {}
    in_data = data.manifest.get("fingerprints") or {}
    if set(files) != set(in_keys):
        raise BackupError("the key archive's manifest does not list the key files it holds")
    for name, content in files.items():
        try:
            actual = _fingerprint(name, content)
        except (ValueError, StopIteration, UnicodeDecodeError):
            raise BackupError(f"the key archive's {name}.key is not a key file") from None
        if actual != in_keys[name]:
            raise BackupError(f"the key archive's {name}.key does not have the fingerprint of its manifest")
        if in_data.get(name) != actual:
            raise BackupError(
                f"the key archive does not belong to this data archive: {name}.key is not the key the database "
                "was used with (keys of another instance, or of another time)"
            )
    missing = sorted(set(in_data) - set(files) - optional)
    if missing:
        raise BackupError(f"the key archive lacks {', '.join(m + '.key' for m in missing)}, which the database needs")
    return files


def _target_problems(files: dict[str, bytes]) -> list[str]:
    problems = []
    if not database_is_empty():
        problems.append("the database is not empty")
    for folder in FOLDERS:
        if _files_of(folder):
            problems.append(f"{_data_dir() / folder} is not empty")
    paths = _paths()
    for name in files:
        path = paths[name]
        if path.exists() and path.read_bytes() != files[name]:
            problems.append(f"{path} exists with another key")
    return problems


def restore(*, data_archive: Path, keys_archive: Path, force: bool = False) -> RestoreResult:
    """Check everything, then write: the database, the folders, the key files (see the module's docstring)."""
    data = read_archive(data_archive, "data")
    keys = read_archive(keys_archive, "keys", keep=lambda name: name.startswith("keys/"))
    files = check_pair(data, keys)
    database = data.manifest.get("database") or {}
    if database.get("vendor") != vendor():
        raise BackupError(
            f"the archive holds a {database.get('vendor')} database; this instance uses {vendor()} "
            "(restore into the same kind of database)"
        )
    unknown = sorted(set(database.get("migrations") or []) - known_migrations())
    if unknown:
        raise BackupError(f"the backup was made by a newer PAKN (unknown migrations: {', '.join(unknown[:5])})")
    folders = [f for f in data.manifest.get("folders") or [] if f not in FOLDERS]
    if folders:
        raise BackupError(f"the archive holds folders this PAKN does not know: {', '.join(folders)}")
    if not force:
        problems = _target_problems(files)
        if problems:
            raise BackupError("; ".join(problems) + " (restore into an empty data folder and database, or --force)")
    member = str(database.get("member"))
    with tempfile.TemporaryDirectory(prefix="pakn-restore-") as temporary:
        dump = Path(temporary) / "database"
        _extract(data_archive, {member: dump}, data.manifest["members"])
        in_dump = {}
        for source in _key_sources():
            in_dump.update(fingerprints_in_dump(dump, member, source.table))
        in_data = data.manifest.get("fingerprints") or {}
        for name, value in in_dump.items():
            if in_data.get(name) != value:
                raise BackupError(f"the dumped database holds another fingerprint of {name}.key than its manifest")
        for name in in_data:
            if name not in in_dump and name not in _optional():
                raise BackupError(f"the dumped database holds no fingerprint of {name}.key")
        # Everything checked: from here on, write.
        restore_database(dump, member, force=force)
    root = _data_dir()
    targets = {name: root / name.removeprefix("data/") for name in data.manifest["members"] if name.startswith("data/")}
    _extract(data_archive, targets, data.manifest["members"], force=force)
    paths = _paths()
    for name, content in files.items():
        _write_exclusive(paths[name], content, force=True)
    stored = {name: value for source in _key_sources() for name, value in source.stored().items()}
    for name, content in files.items():
        if stored.get(name) != _fingerprint(name, content):
            raise BackupError(f"after the restore, {name}.key does not match the database: check the key settings")
    pending = len(known_migrations() - set(database.get("migrations") or []))
    return RestoreResult(files=len(targets), keys=sorted(files), pending_migrations=pending, fingerprints=stored)


def _extract(path: Path, targets: dict[str, Path], members: dict[str, Any], *, force: bool = True) -> None:
    """Write the named members to their targets, checking each one's SHA-256 again as it is written."""
    for info, handle in _members(path):
        target = targets.get(info.name)
        if target is None:
            continue
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
        digest = hashlib.sha256()
        with os.fdopen(os.open(target, flags, 0o600), "wb") as out:
            for chunk in iter(lambda: handle.read(CHUNK), b""):  # noqa: B023 - consumed within the iteration
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != members[info.name]["sha256"]:
            target.unlink(missing_ok=True)
            raise BackupError(f"{path.name}: {info.name} changed while it was restored")

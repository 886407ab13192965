"""The archive reader of ``pakn restore`` refuses anything but the regular files its manifest lists, each with
its SHA-256: no link, no path outside the data folder, no extra or missing member."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

import pytest

from pakn.core.backup import FORMAT, BackupError, read_archive


def archive(path: Path, members: dict[str, bytes], *, listed: dict[str, bytes] | None = None, link: str = "") -> Path:
    listed = members if listed is None else listed
    manifest = {
        "format": FORMAT,
        "kind": "data",
        "members": {n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in listed.items()},
    }
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {**members, "manifest.json": json.dumps(manifest).encode()}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo(link)
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(info)
    return path


def test_a_sound_archive_is_read(tmp_path: Path) -> None:
    read = read_archive(archive(tmp_path / "a.tar.gz", {"data/files/ab12": b"x" * 10}), "data")
    assert set(read.manifest["members"]) == {"data/files/ab12"}


@pytest.mark.parametrize(
    ("members", "listed", "link", "error"),
    [
        ({"data/files/../../keys/x": b"x"}, None, "", "unexpected member"),
        ({"/etc/cron.d/x": b"x"}, None, "", "unexpected member"),
        ({"data/files/a": b"x"}, None, "data/files/b", "not a regular file"),
        ({"data/files/a": b"x"}, {"data/files/a": b"y"}, "", "damaged"),
        ({"data/files/a": b"x"}, {"data/files/a": b"x", "data/files/b": b"z"}, "", "missing"),
        ({"data/files/a": b"x", "data/files/b": b"z"}, {"data/files/a": b"x"}, "", "not listed"),
    ],
)
def test_anything_else_is_refused(
    tmp_path: Path, members: dict[str, bytes], listed: dict[str, bytes] | None, link: str, error: str
) -> None:
    with pytest.raises(BackupError, match=error):
        read_archive(archive(tmp_path / "a.tar.gz", members, listed=listed, link=link), "data")


def test_the_wrong_kind_or_no_archive_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="not a PAKN keys archive"):
        read_archive(archive(tmp_path / "a.tar.gz", {}), "keys")
    (tmp_path / "b.tar.gz").write_bytes(b"not a tar")
    with pytest.raises(BackupError, match="not a readable backup archive"):
        read_archive(tmp_path / "b.tar.gz", "data")

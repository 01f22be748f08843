"""Archives: members, limits, bombs, encrypted and damaged entries."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from scanner.errors import ScanError
from scanner.extract import Limits
from scanner.extract.archive import extract_tar, extract_zip

REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"
BAD = REALDATA / "bad_inputs"
MIB = 1024 * 1024


def real(path: Path) -> bytes:
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared folder is laid beside the repository)")
    return path.read_bytes()


def a_zip(entries: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as target:
        for name, content in entries.items():
            target.writestr(name, content)
    return buffer.getvalue()


def a_tar(entries: dict, mode: str = "w:gz") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as target:
        for name, content in entries.items():
            info = tarfile.TarInfo(name)
            if content is None:  # a symbolic link: no content of its own
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                target.addfile(info)
                continue
            info.size = len(content)
            target.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def members(extracted) -> dict:
    return {m.name: m.data for m in extracted.members}


def errors(extracted) -> dict:
    return {name: code for name, code, _ in extracted.extra["errors"]}


def test_zip_members_keep_clean_paths():
    data = a_zip({"2024/clients/jan.txt": "Jan Peeters", "../../etc/cron.d/x": "evil", "/abs/anne.csv": "Anne",
                  "empty-dir/": ""})
    extracted = extract_zip(data, "a.zip", Limits())
    assert members(extracted) == {"2024/clients/jan.txt": b"Jan Peeters", "etc/cron.d/x": b"evil",
                                  "abs/anne.csv": b"Anne"}
    assert extracted.pages == [] and extracted.kind == "zip"


def test_zip_bomb_entry_is_refused_and_the_rest_returned():
    data = a_zip({"bomb.bin": bytes(8 * MIB), "ok.txt": "Anne Dupont"})
    extracted = extract_zip(data, "a.zip", Limits())
    assert members(extracted) == {"ok.txt": b"Anne Dupont"}
    assert errors(extracted) == {"bomb.bin": "archive_bomb"}


def test_zip_member_count_size_and_total_limits():
    data = a_zip({f"f{i}.txt": f"file {i}" for i in range(5)}, zipfile.ZIP_STORED)
    extracted = extract_zip(data, "a.zip", Limits(max_members=3))
    assert list(members(extracted)) == ["f0.txt", "f1.txt", "f2.txt"]
    assert errors(extracted) == {"f3.txt": "container_limit"}  # one entry says the rest was not scanned
    big = extract_zip(a_zip({"big.txt": "x" * 100, "small.txt": "y"}), "a.zip", Limits(max_bytes=50))
    assert members(big) == {"small.txt": b"y"} and errors(big) == {"big.txt": "file_too_large"}
    total = extract_zip(a_zip({"a.txt": "x" * 60, "b.txt": "y" * 60}), "a.zip", Limits(max_total_member_bytes=100))
    assert members(total) == {"a.txt": b"x" * 60} and errors(total) == {"b.txt": "container_limit"}


def test_zip_entry_with_bad_checksum_is_an_error_entry():
    data = bytearray(a_zip({"a.txt": "Anne Dupont", "b.txt": "Jan Peeters"}, zipfile.ZIP_STORED))
    position = data.index(b"Anne Dupont")
    data[position] = ord("X")
    extracted = extract_zip(bytes(data), "a.zip", Limits())
    assert members(extracted) == {"b.txt": b"Jan Peeters"}
    assert errors(extracted) == {"a.txt": "unreadable_member"}


def test_not_a_zip_is_corrupt_archive():
    with pytest.raises(ScanError) as caught:
        extract_zip(b"PK\x03\x04 truncated", "a.zip", Limits())
    assert caught.value.code == "corrupt_archive"


def test_real_encrypted_zip_keeps_the_clear_entry():
    extracted = extract_zip(real(BAD / "tika_testZipEncrypted.zip"), "a.zip", Limits())
    assert members(extracted) == {"unencrypted.txt": b"hello world\r\n"}
    assert errors(extracted) == {"encrypted.txt": "encrypted_document"}


@pytest.mark.parametrize("mode", ["w", "w:gz", "w:bz2", "w:xz"])
def test_tar_members_every_compression(mode):
    data = a_tar({"dossiers/jan.txt": b"Jan Peeters", "../up.txt": b"up", "link": None}, mode)
    extracted = extract_tar(data, "a.tar", Limits())
    assert members(extracted) == {"dossiers/jan.txt": b"Jan Peeters", "up.txt": b"up"}
    assert extracted.kind == "tar" and extracted.pages == []


def test_tar_gz_bomb_is_refused():
    with pytest.raises(ScanError) as caught:
        extract_tar(a_tar({"zeros.bin": bytes(8 * MIB)}), "bomb.tgz", Limits())
    assert caught.value.code == "archive_bomb"


def test_tar_limits():
    data = a_tar({f"f{i}.txt": b"x" * 10 for i in range(5)})
    extracted = extract_tar(data, "a.tgz", Limits(max_members=2))
    assert list(members(extracted)) == ["f0.txt", "f1.txt"] and errors(extracted) == {"f2.txt": "container_limit"}
    big = extract_tar(a_tar({"big.txt": b"x" * 100, "small.txt": b"y"}), "a.tgz", Limits(max_bytes=50))
    assert members(big) == {"small.txt": b"y"} and errors(big) == {"big.txt": "file_too_large"}


def test_truncated_tar_keeps_what_came_before():
    data = a_tar({"a.txt": b"Anne Dupont", "b.txt": bytes(range(256)) * 400}, "w")
    extracted = extract_tar(data[:3000], "a.tar", Limits())
    assert members(extracted) == {"a.txt": b"Anne Dupont"}
    assert errors(extracted) == {"b.txt": "corrupt_archive"}
    with pytest.raises(ScanError) as caught:
        extract_tar(b"\x1f\x8b\x08\x00garbage", "a.tgz", Limits())
    assert caught.value.code == "corrupt_archive"


def test_real_tgz_bomb_is_stopped_one_level_down():
    """TIKA-216: nine .tgz inside a .tgz, each unpacking 275 times its size."""
    outer = extract_tar(real(BAD / "tika_TIKA-216_bomb.tgz"), "bomb.tgz", Limits())
    assert sorted(members(outer)) == ["blah.tgz"] + [f"blah{i}.tgz" for i in range(1, 9)]
    with pytest.raises(ScanError) as caught:
        extract_tar(outer.members[0].data, "blah.tgz", Limits())
    assert caught.value.code == "archive_bomb"

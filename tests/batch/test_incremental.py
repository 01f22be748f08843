"""Incremental rescans: unchanged files are not read again, changes, moves and deletions are noticed."""

from __future__ import annotations

import os
import shutil


from tests.batch.conftest import stored


def test_first_scan_stores_every_file_and_a_rescan_reads_none(share, store, batch):
    records, counts = batch([share], store)
    assert counts.files_seen == counts.files_scanned == 8
    assert counts.findings > 40 and store.counts()["findings"] == counts.findings
    first = stored(store)

    records, counts = batch([share], store)
    assert (counts.files_seen, counts.files_scanned, counts.files_unchanged) == (8, 0, 8)
    assert records == []
    assert stored(store) == first


def test_touched_file_with_same_content_is_confirmed_by_its_hash(share, store, batch):
    batch([share], store)
    victim = next((share / "a").iterdir())
    os.utime(victim, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    _, counts = batch([share], store)
    assert (counts.files_scanned, counts.files_unchanged) == (0, 8)
    # The new time is remembered: the next run does not hash the file again.
    assert store.known_in_folder(str(victim.parent))[str(victim)].mtime_ns == 1_000_000_000_000_000_000


def test_changed_file_is_rescanned_and_its_findings_replaced(share, store, batch):
    batch([share], store)
    victim = sorted((share / "a").iterdir())[0]
    before = [row for row in stored(store) if row[0] == str(victim)]
    victim.write_text("Rekening BE71 0961 2345 6769, merci.\n")
    _, counts = batch([share], store)
    assert (counts.files_scanned, counts.files_unchanged) == (1, 7)
    after = [row for row in stored(store) if row[0] == str(victim)]
    assert before and [row[3] for row in after] == ["IBAN_CODE"]


def test_moved_file_keeps_its_findings_without_a_rescan(share, store, batch):
    batch([share], store)
    source = sorted((share / "a").iterdir())[0]
    target = share / "b" / "renamed.txt"
    before = [row[1:] for row in stored(store) if row[0] == str(source)]
    shutil.move(source, target)
    _, counts = batch([share], store)
    assert (counts.files_scanned, counts.files_moved, counts.files_deleted) == (0, 1, 0)
    rows = stored(store)
    assert not [row for row in rows if row[0] == str(source)]
    assert [row[1:] for row in rows if row[0] == str(target)] == before


def test_deleted_files_and_folders_are_forgotten(share, store, batch):
    batch([share], store)
    total = store.counts()["documents"]
    os.remove(sorted((share / "a").iterdir())[0])
    shutil.rmtree(share / "b")
    _, counts = batch([share], store)
    assert (counts.files_seen, counts.files_deleted, counts.files_scanned) == (4, 4, 0)
    assert store.counts()["documents"] == total - 4
    assert {row[0] for row in stored(store)} == {str(p) for p in (share / "a").iterdir()}


def test_scanning_a_subfolder_does_not_forget_the_rest(share, store, batch):
    batch([share], store)
    _, counts = batch([share / "a"], store)
    assert (counts.files_seen, counts.files_deleted) == (5, 0)
    assert store.counts()["documents"] == 8


def test_new_rules_version_rescans_everything(share, store, batch):
    batch([share], store)
    first = stored(store)
    _, counts = batch([share], store, rules="r2")
    assert (counts.files_scanned, counts.files_unchanged) == (8, 0)
    assert stored(store) == first  # same scanner, same results: replaced, not doubled


def test_include_exclude_and_size_limit(share, store, batch):
    names = sorted(p.name for p in (share / "a").iterdir())
    _, counts = batch([share], store, include=["a/*"], exclude=[names[0]])
    assert counts.files_seen == 4
    big = share / "a" / "big.txt"
    big.write_text("x" * 5000)
    records, counts = batch([share / "a"], store, max_size=4000)
    assert [r["error"] for r in records if r["kind"] == "error"] == ["file_too_large"]


def test_links_loops_and_vanished_files_do_not_stop_a_run(share, store, batch, scanner):
    (share / "a" / "loop").symlink_to(share, target_is_directory=True)
    (share / "a" / "dangling.txt").symlink_to(share / "nowhere.txt")
    (share / "b" / "same.txt").symlink_to(sorted((share / "a").glob("*.txt"))[0])
    records, counts = batch([share], store)
    errors = [(r["file"], r["error"]) for r in records if r["kind"] == "error"]
    assert errors == [(str(share / "a" / "dangling.txt"), "read_failed")]
    assert counts.files_seen == 8  # the link to a file already seen is not scanned twice

    from scanner.batch import BatchScan
    from scanner.batch.pool import InProcess
    from scanner.batch.work import Worker

    class Vanishing(InProcess):
        def map(self, jobs):
            for job in jobs:
                os.remove(job.path)
                yield self.worker.scan(job)

    changed = sorted((share / "b").glob("*.txt"))[0]
    changed.write_text("changed, then deleted before it was read")
    scan = BatchScan([str(share / "b")], Vanishing(Worker(scanner, id_check=False)), "r1", store)
    assert [r for r in scan.records() if r["kind"] == "error"] == []
    assert scan.counts.files_deleted == 1
    assert str(changed) not in {row[0] for row in stored(store)}


def test_missing_root_is_an_error_record_and_the_run_goes_on(share, store, batch, tmp_path):
    records, counts = batch([tmp_path / "absent", share], store)
    assert [(r["error"], r["message"]) for r in records if r["kind"] == "error"] == [
        ("read_failed", "no such file or folder")]
    assert counts.files_scanned == 8

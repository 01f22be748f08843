"""--fix: a masked copy of a non-compliant upload, in the upload's format, that passes the check
and still shows what must stay readable (real Tesseract on the masked copy).

For each sample: the masked bytes have the original's format; checked again from the bytes,
the copy is compliant; OCR of the original finds the national number (so its absence later
means something) and the surname (fronts) or birthplace (backs); OCR of the masked copy still
finds the surname / birthplace and no longer the national number.
"""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata

import pytest

from scanner.idcheck import IdChecker, load_pages
from scanner.idcheck.read import ocr_lines
from tests.conftest import PIISCAN, SAMPLES

TRUTH = {row["file"]: row for row in (json.loads(line) for line in
                                      (SAMPLES / "id_cards" / "truth.jsonl").read_text(encoding="utf-8").splitlines())}
CASES = [
    "id_cards/eid2010_unmasked_scan_front.jpg",   # scan, front
    "id_cards/eid2020_unmasked_scan_back.png",    # scan, back of a card with a ghost image (PNG)
    "id_cards/eid2004_unmasked_scan_back.jpg",    # scan, back without a ghost image
    "id_cards/kids_unmasked_page_200dpi.jpg",     # A4 page with both sides
    "id_cards/eid2020_unmasked_photo_front.jpg",  # phone photo, perspective, dark header on a dark table
    "id_cards/eid2020_unmasked_photo_back.jpg",   # phone photo of a turned back: the MRZ rows kept apart
    "id_cards/eid2004_unmasked_photo_back.jpg",   # phone photo of a back whose masked MRZ no longer parses
    "id_cards/eid2004_mrz_readable_pdf.pdf",      # only the MRZ number readable, a PDF of both sides
    "id_cards/kids_mrz_readable_scan_back.jpg",   # MRZ number readable: its row covered, IDBEL above still read
]
MAGIC = {"JPEG": b"\xff\xd8\xff", "PNG": b"\x89PNG\r\n\x1a\n", "PDF": b"%PDF-"}
BIRTHPLACE_LABEL = re.compile(r"GEBOORTEPLAATS|LIEU DE NAISSANCE")


@pytest.fixture(scope="module")
def checker() -> IdChecker:
    return IdChecker()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode().upper()


def _read(checker: IdChecker, data: bytes, name: str) -> list:
    """OCR lines (folded) of the whole page as the upload shows it, and of each card found on it
    straightened both ways up (a phone photo in perspective reads only once straightened)."""
    from scanner.idcheck.locate import find_cards

    lines = []
    for page in load_pages(data, name, checker.limits)[0]:
        lines += [_fold(line.text) for line in ocr_lines(page, "--psm 3", "eng", 120).lines]
        for view in find_cards(page):
            for image in (view.image, view.turned().image):
                lines += [_fold(line.text) for line in ocr_lines(image.convert("L"), "--psm 3", "eng", 120).lines]
    return lines


def _has_number(lines: list, digits: str) -> bool:
    """The 11 digits in a row on one line, separators (. - space) ignored; letters and '<' break a run."""
    return any(digits in re.sub(r"[\s.\-,:/]", "", line) for line in lines)


def _has_word(lines: list, word: str) -> bool:
    compact = re.sub(r"[^A-Z]", "", word)[:6]
    return any(compact in re.sub(r"[^A-Z]", "", line) for line in lines)


def _towns() -> list:
    from sample_docs import pools  # the towns the sample generator draws birthplaces from

    names = {t[2] for t in pools.FLANDERS + pools.WALLONIA + pools.OSTBELGIEN} | \
            {t[i] for t in pools.BRUSSELS for i in (3, 4)}
    return sorted({re.sub(r"[^A-Z]", "", _fold(n)) for n in names}, key=len, reverse=True)


def _birthplace(lines: list) -> str:
    """The birthplace as OCR reads it on the original: the first town in reading order (the back's
    first row; the place of issue comes two rows lower)."""
    towns = _towns()
    for line in lines:
        letters = re.sub(r"[^A-Z]", "", line)
        for town in towns:
            if town in letters:
                return town
    raise AssertionError(f"no birthplace in the original's OCR: {lines}")


@pytest.mark.parametrize("name", CASES, ids=lambda n: n.split("/")[-1] if isinstance(n, str) else None)
def test_fix_masks_what_it_must_and_nothing_more(checker, name):
    truth = TRUTH[name]
    assert not truth["expected_compliant"]
    data = (SAMPLES / name).read_bytes()
    fmt = next(f for f, magic in MAGIC.items() if data.startswith(magic))

    masked, after = checker.fix_bytes(data, name)
    assert after.compliant, after.reasons
    assert masked.startswith(MAGIC[fmt]), f"the masked copy of a {fmt} is not a {fmt}: {masked[:8]!r}"
    assert masked != data

    again = checker.check_bytes(masked, name)  # from the bytes as they would be sent back
    assert again.compliant, f"the masked copy fails when checked again: {again.to_dict()}"

    number = re.sub(r"\D", "", truth["values"]["national_number"])
    before = _read(checker, data, name)
    lines = _read(checker, masked, name)
    if "back" in truth["sides"]:  # the number is printed on the back (and in its MRZ) only
        assert _has_number(before, number), f"OCR does not find the number on the original either: {before}"
    assert not _has_number(lines, number), "the national number is still readable on the masked copy"
    if "front" in truth["sides"]:
        surname = _fold(truth["values"]["surname"])
        assert _has_word(before, surname), f"OCR does not find {surname} on the original: {before}"
        assert _has_word(lines, surname), f"the surname is no longer legible on the masked copy: {lines}"
    if "back" in truth["sides"]:
        birthplace = _birthplace(before)
        assert _has_word(lines, birthplace), f"the birthplace {birthplace} is no longer legible: {lines}"


def test_fix_refuses_what_is_not_an_identity_document(checker):
    from scanner.idcheck import FixFailed

    data = (SAMPLES / "id_cards" / "neg_blank_page.jpg").read_bytes()
    with pytest.raises(FixFailed):
        checker.fix_bytes(data, "neg_blank_page.jpg")


# ---------------------------------------------------------------------------------------------
# piiscan check-id --fix -o OUT
# ---------------------------------------------------------------------------------------------
def _run(args, env):
    return subprocess.run(PIISCAN + ["check-id", *args], env=env, capture_output=True, text=True, timeout=300)


def test_cli_fix_writes_a_compliant_copy(tmp_path, env):
    source = SAMPLES / "id_cards" / "eid2004_unmasked_scan_back.jpg"
    out = tmp_path / "masked.jpg"
    run = _run(["--fix", str(source), "-o", str(out)], env)
    assert run.returncode == 1, run.stderr  # the original was not compliant
    result = json.loads(run.stdout)
    assert result["compliant"] is False
    assert result["fixed"]["compliant"] is True and result["fixed"]["output"] == str(out)
    data = out.read_bytes()
    assert data.startswith(MAGIC["JPEG"]) and data != source.read_bytes()
    check = _run([str(out)], env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["compliant"] is True


def test_cli_fix_refuses_to_overwrite_the_original(tmp_path, env):
    source = tmp_path / "copy.jpg"
    original = (SAMPLES / "id_cards" / "eid2004_unmasked_scan_back.jpg").read_bytes()
    source.write_bytes(original)
    run = _run(["--fix", str(source), "-o", str(source)], env)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "overwrite" in run.stderr
    assert source.read_bytes() == original


def test_cli_fix_takes_one_file(tmp_path, env):
    files = [str(SAMPLES / "id_cards" / n)
             for n in ("eid2004_unmasked_scan_back.jpg", "eid2010_unmasked_scan_front.jpg")]
    run = _run(["--fix", *files, "-o", str(tmp_path / "out.jpg")], env)
    assert run.returncode == 2
    assert "exactly one" in run.stderr and run.stdout == ""
    assert not (tmp_path / "out.jpg").exists()


def test_fix_of_a_page_with_both_sides_reads_both_masked_cards(checker):
    """Both sides on one A4 page are read by one Tesseract run: on the masked copy both cards
    must still read (with too narrow a gap between them, the masked front once read as nothing)."""
    name = "id_cards/kids_ghost_visible_page_200dpi.jpg"
    _masked, after = checker.fix_bytes((SAMPLES / name).read_bytes(), name)
    assert after.compliant, after.reasons
    assert sorted(card.side for card in after.cards) == ["back", "front"]

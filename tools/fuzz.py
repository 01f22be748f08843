"""``python -m tools.fuzz``: coverage-guided fuzzing of the document readers (atheris, libFuzzer).

    python -m tools.fuzz --target pdf --seconds 600           # ten minutes on the PDF reader
    python -m tools.fuzz --target all --seconds 60            # every target in turn, a minute each
    python -m tools.fuzz --target eml --runs 300 --seed 1     # 300 mutated inputs, repeatable (the tests do this)
    python -m tools.fuzz --target pdf --reproduce crash-1a2b  # one input again, in-process, with its traceback
    python -m tools.fuzz --target xml --seconds 60 -- -max_len=20000   # after --: options for libFuzzer

A target is a family of readers. Each input goes through what the pipeline calls,
``scanner.extract.dispatch.extract(data, name, limits)`` with small limits (``LIMITS``),
and everything it returns is read: every page's text, words and fields (their offsets
must lie inside the text), the page image where a page can draw one, and every member,
itself extracted the same way two levels deep. The name is a hint only (the bytes
decide the reader); each target picks it from its list by the input's length.

==========  =================================================================
text        plain text, CSV, Markdown, HTML (``extract_text``)
pdf         PDF: text layer, rendering, metadata, forms, attachments
image       PNG, JPEG, TIFF, GIF, WebP, BMP
eml         RFC 822 messages (MIME parts, encoded headers, attachments)
msg         Outlook .msg (OLE)
office      .docx, .xlsx, .odt, .ods
archive     .zip, .tar.gz (and the other tar compressions)
xml         XML, UBL and CII e-invoices (embedded files)
json        JSON and JSON lines
idcheck     ``IdChecker().check_bytes`` (the ID-copy check; OCR, slow)
==========  =================================================================

What counts: a ``ScanError`` (scanner/errors.py) is the expected answer to a bad file.
Any other exception is a crash; an input that takes more than ``--timeout`` seconds
(10 by default) is a hang; libFuzzer also stops on a process over 2 GB. Either way the
input is written to the artifacts folder (``crash-<sha1>``, ``timeout-<sha1>``; by
default ``$TMPDIR/piiscan-fuzz/<target>/``, never inside the repository), the
traceback is printed, and the exit status is 1. Run it again with ``--reproduce``,
shrink it with ``-- -minimize_crash=1 -runs=10000 FILE``, and once the reader is fixed
keep a small (preferably hand-made) copy in ``tests/fuzz/regressions/<target>/``:
``tests/fuzz/test_regressions.py`` runs every file there.

Seeds: the small files (under 200 KB) of ``sample_docs/`` and ``../shared/realdata/``
for the target's formats, and small documents made here (an image in each format,
a multipart e-mail, archives, a Word file, ...). They are copied to a corpus folder
(a temporary one, or ``--corpus DIR`` to keep what libFuzzer finds between runs);
libFuzzer runs every seed once, then mutates. ``--runs N`` counts the mutated inputs
after the seeds. ``--seed-kb 64 --no-realdata`` (what the tests use) keeps to small seeds of
the repository: the runs are quicker and the same on every machine.

OCR: Tesseract would spend seconds on every mutated picture, and it reads pixels,
not file structure; the readers' OCR calls are answered by a stand-in that returns
one word covering the picture, unless ``--ocr`` is given. The ``idcheck`` target
always runs the real OCR.

Coverage: the scanner's reader modules (and, for the target, the pure-Python
parsers they drive: pypdf, Pillow's plugins, email, extract-msg, openpyxl, zipfile,
tarfile, ...) are imported under ``atheris.instrument_imports()``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_docs"
REALDATA = ROOT.parent / "shared" / "realdata"
MAX_SEED_BYTES = 200 * 1024
MEMBER_DEPTH = 2  # members of members are extracted too, not deeper
TIMEOUT_S = 10
IDCHECK_TIMEOUT_S = 60  # a few Tesseract runs per input


def limits():
    """Small limits: a mutated file may ask for a lot; the readers must refuse, quickly."""
    from scanner.extract import Limits

    return Limits(max_bytes=4 * 1024 * 1024, max_pages=4, max_pixels=2_000_000, max_members=16,
                  max_total_member_bytes=8 * 1024 * 1024, max_ratio=200, max_depth=3, ocr_dpi=72,
                  ocr_timeout_s=10)


# ---------------------------------------------------------------------------------------------- targets
@dataclass(frozen=True)
class Target:
    names: Tuple[str, ...]  # file names handed to extract(), picked by the input's length
    samples: Tuple[str, ...]  # globs under sample_docs/
    realdata: Tuple[str, ...]  # globs under ../shared/realdata/
    libraries: Tuple[str, ...]  # pure-Python packages to instrument besides the scanner's readers
    made: Callable[[], List[Tuple[str, bytes]]]  # small seeds made here

    def name_for(self, data: bytes) -> str:
        return self.names[len(data) % len(self.names)]


def _made_text() -> List[Tuple[str, bytes]]:
    return [
        ("plain.txt", "Madame Anne Dupont\nRue de la Loi 16, 1000 Bruxelles\nNN 85.07.30-033.28\n".encode()),
        ("utf16.txt", "\ufeffDhr. Jan Peeters, BE71 0961 2345 6769".encode("utf-16-le")),
        ("cp1252.txt", "Société Générale, numéro d'entreprise 0652.750.315".encode("cp1252")),
        ("page.html", b"<html><head><title>x</title><script>var a=1;</script></head><body><p>Jan &amp; "
                      b"Marie&#233; <b>Peeters</b></p><table><tr><td>IBAN</td><td>BE71 0961 2345 6769</td>"
                      b"</tr></table>&unknown; &#x110000;</body></html>"),
        ("rows.csv", b"naam;rijksregisternummer;iban\nJan Peeters;85073003328;BE71096123456769\n"),
    ]


def _image(fmt: str, frames: int = 1, size=(40, 24), **save) -> bytes:
    from PIL import Image, ImageDraw

    pictures = []
    for index in range(frames):
        picture = Image.new("RGB", size, (255, 255, 255))
        ImageDraw.Draw(picture).rectangle((4 + index, 4, size[0] - 6, size[1] - 6), outline=(0, 0, 0))
        pictures.append(picture.convert("P") if fmt == "GIF" else picture)
    out = io.BytesIO()
    if frames > 1:
        save.update(save_all=True, append_images=pictures[1:])
    pictures[0].save(out, fmt, **save)
    return out.getvalue()


def _made_images() -> List[Tuple[str, bytes]]:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turned
    return [("a.png", _image("PNG")), ("a.jpg", _image("JPEG", quality=60)),
            ("turned.jpg", _image("JPEG", exif=exif.tobytes())), ("a.gif", _image("GIF", frames=2)),
            ("a.tif", _image("TIFF", frames=2)), ("a.tif", _image("TIFF", compression="tiff_deflate")),
            ("a.webp", _image("WEBP")), ("a.bmp", _image("BMP"))]


def _made_pdfs() -> List[Tuple[str, bytes]]:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (60, 80), 255).save(out, "PDF", resolution=72)  # a picture only: the OCR path
    made = [("scan.pdf", out.getvalue())]
    try:
        from fpdf import FPDF  # the test extra
    except ImportError:
        return made
    pdf = FPDF(unit="pt", format=(200, 200))
    pdf.set_title("Dossier Jan Peeters")
    pdf.set_author("Anne Dupont")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(10, 20, "Monsieur Jan Peeters, NN 85.07.30-033.28, BE71 0961 2345 6769")
    pdf.text_annotation(10, 40, "note: rappeler Madame Dupont")
    pdf.embed_file(basename="note.txt", bytes=b"Jan Peeters 0470 12 34 56")
    return made + [("text.pdf", bytes(pdf.output()))]


def _made_emails() -> List[Tuple[str, bytes]]:
    from email.message import EmailMessage

    inner = EmailMessage()
    inner["From"], inner["To"], inner["Subject"] = "Jan <jan@example.be>", "anne@example.be", "Re: dossier"
    inner.set_content("Bonjour, mon numéro national est 85.07.30-033.28.")
    msg = EmailMessage()
    msg["From"] = "=?utf-8?q?Ren=C3=A9_Dupont?= <rene@example.be>"
    msg["To"], msg["Cc"], msg["Subject"] = "Invordering <inv@example.be>", "b@example.be", "=?iso-8859-1?q?Factuur_=E9?="
    msg.set_content("Beste,\nIBAN BE71 0961 2345 6769\n")
    msg.add_alternative("<p>Beste, <b>Jan Peeters</b></p>", subtype="html")
    msg.add_attachment(b"Jan Peeters;85073003328\n", maintype="text", subtype="csv", filename="klanten.csv")
    msg.add_attachment(inner)
    return [("multipart.eml", msg.as_bytes()),
            ("plain.eml", b"From: a@example.be\nTo: b@example.be\nSubject: test\n\nHallo Jan\n")]


def _zip(entries: Dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _tar(entries: Dict[str, bytes], mode: str) -> bytes:
    import tarfile

    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as archive:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _made_archives() -> List[Tuple[str, bytes]]:
    entries = {"../clients/jan.txt": b"Jan Peeters 85073003328", "mail.eml": _made_emails()[1][1]}
    inner = _zip({"deep/a.txt": b"Anne Dupont"})
    return [("a.zip", _zip({**entries, "inner.zip": inner})), ("a.tar.gz", _tar(entries, "w:gz")),
            ("a.tar", _tar(entries, "w")), ("a.tar.bz2", _tar(entries, "w:bz2")), ("a.tar.xz", _tar(entries, "w:xz"))]


_ODF_CONTENT = (b'<?xml version="1.0"?><office:document-content '
                b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body>%s'
                b'</office:body></office:document-content>')


def _made_office() -> List[Tuple[str, bytes]]:
    made = [
        ("a.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text",
                        "content.xml": _ODF_CONTENT % b"<office:text><text:p>Jan<text:s text:c=\"3\"/>Peeters"
                                                      b"<text:tab/>85073003328</text:p></office:text>"})),
        ("a.ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                        "content.xml": _ODF_CONTENT % b"<office:spreadsheet><table:table table:name=\"S\">"
                                                      b"<table:table-row><table:table-cell><text:p>naam</text:p>"
                                                      b"</table:table-cell><table:table-cell "
                                                      b"table:number-columns-repeated=\"3\"><text:p>Jan</text:p>"
                                                      b"</table:table-cell></table:table-row></table:table>"
                                                      b"</office:spreadsheet>"})),
    ]
    try:
        import docx
        from openpyxl import Workbook
    except ImportError:
        return made
    document = docx.Document()
    document.add_paragraph("Madame Anne Dupont, BE71 0961 2345 6769")
    document.sections[0].header.paragraphs[0].text = "Dossier Jan Peeters"
    document.core_properties.author = "Jan Peeters"
    out = io.BytesIO()
    document.save(out)
    made.append(("a.docx", out.getvalue()))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["naam", "iban", "geboortedatum"])
    sheet.append(["Jan Peeters", "BE71 0961 2345 6769", "1985-07-30"])
    out = io.BytesIO()
    workbook.save(out)
    made.append(("a.xlsx", out.getvalue()))
    return made


def _made_xml() -> List[Tuple[str, bytes]]:
    import base64

    ubl = (b'<?xml version="1.0"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
           b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
           b'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
           b'<cac:AccountingSupplierParty><cac:Party><cbc:EndpointID schemeID="0208">0652750315</cbc:EndpointID>'
           b'<cac:PostalAddress><cbc:StreetName>Rue de la Loi</cbc:StreetName><cbc:BuildingNumber>16'
           b'</cbc:BuildingNumber><cbc:PostalZone>1000</cbc:PostalZone><cbc:CityName>Bruxelles</cbc:CityName>'
           b'</cac:PostalAddress><cac:Contact><cbc:Name>Jan Peeters</cbc:Name><cbc:ElectronicMail>jan@example.be'
           b'</cbc:ElectronicMail></cac:Contact></cac:Party></cac:AccountingSupplierParty>'
           b'<cac:PayeeFinancialAccount><cbc:ID>BE71096123456769</cbc:ID></cac:PayeeFinancialAccount>'
           b'<!-- note --><cac:AdditionalDocumentReference><cac:Attachment>'
           b'<cbc:EmbeddedDocumentBinaryObject mimeCode="text/plain" filename="a.txt">'
           + base64.b64encode(b"Jan Peeters 85073003328") +
           b'</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference></Invoice>')
    doctype = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY who "Jan Peeters">]><r a="x">&who; <b>tail</b>'
               b'<?pi data?></r>')
    cii = (b'<?xml version="1.0"?><rsm:CrossIndustryInvoice '
           b'xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100" '
           b'xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100">'
           b'<ram:PostalTradeAddress><ram:LineOne>Kerkstraat 1</ram:LineOne><ram:PostcodeCode>9000'
           b'</ram:PostcodeCode><ram:CityName>Gent</ram:CityName></ram:PostalTradeAddress></rsm:CrossIndustryInvoice>')
    return [("ubl.xml", ubl), ("dtd.xml", doctype), ("cii.xml", cii)]


def _made_json() -> List[Tuple[str, bytes]]:
    return [("a.json", b'{"debtors": [{"naam": "Jan Peeters", "iban": "BE71 0961 2345 6769", "n": 1.5e3, '
                       b'"ok": true, "x": null, "nested": {"email": "jan@example.be"}}]}'),
            ("a.jsonl", b'{"name": "Anne Dupont", "nn": "85073003328"}\n{"name": "Jan"}\n[1, 2]\n"x"\n')]


def _made_id_pictures() -> List[Tuple[str, bytes]]:
    from PIL import Image, ImageDraw

    card = Image.new("RGB", (428, 270), (230, 236, 240))
    draw = ImageDraw.Draw(card)
    draw.rectangle((20, 60, 130, 200), fill=(120, 110, 100))  # the photo's place
    draw.text((150, 70), "BELGIQUE  BELGIE  DUPONT Anne", fill=(0, 0, 0))
    draw.text((20, 220), "IDBEL591191706<458<<<<<<<<<<<<", fill=(0, 0, 0))
    page = Image.new("RGB", (600, 420), (255, 255, 255))
    page.paste(card, (80, 70))
    made = []
    for name, picture, fmt in (("card.png", card, "PNG"), ("page.jpg", page, "JPEG")):
        out = io.BytesIO()
        picture.save(out, fmt)
        made.append((name, out.getvalue()))
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150)
    made.append(("page.pdf", out.getvalue()))
    return made


TARGETS: Dict[str, Target] = {
    "text": Target(("fuzz.txt", "fuzz.html", "fuzz.csv", "fuzz.md", "fuzz"),
                   ("text/*.txt", "text/*.csv", "text/*.html", "text/*.md"),
                   ("pii_text/*.txt", "pii_text/*.ann", "pii_text/*.tsv"),
                   ("charset_normalizer", "html"), _made_text),
    "pdf": Target(("fuzz.pdf",), ("pdf/*.pdf", "einvoices/*.pdf"), ("*/*.pdf",), ("pypdf",), _made_pdfs),
    "image": Target(("fuzz.png", "fuzz.jpg", "fuzz.tif", "fuzz.gif", "fuzz.webp", "fuzz.bmp"),
                    ("scans/*.tiff", "scans/*.jpg"), ("*/*.png", "*/*.jpg", "*/*.gif", "*/*.tif", "*/*.tiff"),
                    ("PIL",), _made_images),
    "eml": Target(("fuzz.eml", "fuzz"), ("email/*.eml",), ("*/*.eml",), ("email",), _made_emails),
    "msg": Target(("fuzz.msg",), (), ("*/*.msg",), ("extract_msg", "olefile", "compressed_rtf", "RTFDE"), lambda: []),
    "office": Target(("fuzz.docx", "fuzz.xlsx", "fuzz.odt", "fuzz.ods"),
                     ("office/*.docx", "einvoices/*.xlsx", "einvoices/*.ods"), ("*/*.docx", "*/*.odt"),
                     ("openpyxl", "et_xmlfile", "zipfile", "olefile"), _made_office),
    "archive": Target(("fuzz.zip", "fuzz.tar.gz"), (), ("*/*.zip", "*/*.tgz"),
                      ("zipfile", "tarfile", "gzip", "bz2", "lzma"), _made_archives),
    "xml": Target(("fuzz.xml",), ("einvoices/*.xml",), ("*/*.xml",), ("base64",), _made_xml),
    "json": Target(("fuzz.json", "fuzz.jsonl"), ("einvoices/*.json", "einvoices/*.jsonl", "text/*.json"), (),
                   ("ijson", "json"), _made_json),
    "idcheck": Target(("fuzz.jpg", "fuzz.png", "fuzz.pdf"), (), (), ("scanner.idcheck",), _made_id_pictures),
}
EXTRACT_TARGETS = tuple(name for name in TARGETS if name != "idcheck")


def seeds(target: str, max_bytes: int = MAX_SEED_BYTES, realdata: bool = True) -> List[Tuple[str, bytes]]:
    """(label, bytes) of the target's seeds: files of sample_docs/ and ../shared/realdata/, and made ones."""
    spec = TARGETS[target]
    found: List[Tuple[str, bytes]] = []
    for base, patterns in ((SAMPLES, spec.samples), (REALDATA, spec.realdata if realdata else ())):
        if not base.is_dir():
            continue  # realdata is laid beside the repository, not always
        for pattern in patterns:
            for path in sorted(base.glob(pattern)):
                if path.is_file() and path.stat().st_size <= max_bytes:
                    found.append((f"{base.name}/{path.relative_to(base)}", path.read_bytes()))
    found += [(f"made/{name}", data) for name, data in spec.made()]
    unique: Dict[str, Tuple[str, bytes]] = {}
    for label, data in found:
        unique.setdefault(hashlib.sha1(data).hexdigest(), (label, data))
    return list(unique.values())


# ---------------------------------------------------------------------------------------------- one input
class BrokenResult(AssertionError):
    """A reader returned what the pipeline cannot use: a word or field whose offsets are not inside
    its page's text, a page text that is not a str, a member without a name or bytes."""


@contextmanager
def stand_in_ocr() -> Iterator[None]:
    """The readers' OCR answered without Tesseract: one word covering the picture (restored on exit)."""
    from scanner.extract import Word, ocr

    def read(image, timeout_s: int = 120):
        width, height = image.size
        image.getbbox()  # the pixels are decoded, as Tesseract's input would be
        return ocr.OcrResult("texte", [Word(0, 5, (0, 0, width, height))], 90.0)

    original = ocr.read
    ocr.read = read
    try:
        yield
    finally:
        ocr.read = original


def _consume(extracted, limits, depth: int) -> None:
    """Read everything a reader returned, as the pipeline and the redaction writers would."""
    from scanner.errors import ScanError
    from scanner.extract.dispatch import extract

    for page in extracted.pages:
        text = page.text
        if not isinstance(text, str):
            raise BrokenResult(f"page text is {type(text).__name__}, not str")
        for item in list(page.words) + list(page.fields):
            if not 0 <= item.start <= item.end <= len(text):
                raise BrokenResult(f"{type(item).__name__} at {item.start}-{item.end} on a page of {len(text)} "
                                    "characters")
        if page.render is not None:
            try:
                page.render()
            except ScanError:
                pass
    for member in extracted.members:
        if not isinstance(member.data, bytes) or not member.name:
            raise BrokenResult(f"member {member.name!r} holds {type(member.data).__name__}")
        if depth < MEMBER_DEPTH:
            try:
                _consume(extract(member.data, member.name, limits), limits, depth + 1)
            except ScanError:
                pass  # a member that cannot be read is an error record of its own


def name_for(target: str, path: Path, data: bytes) -> str:
    """A saved input's own name when it has a suffix (``tiff_without_size.tif``), else the one the fuzzer
    gave it (a ``crash-<sha1>`` is run as it was found)."""
    return path.name if path.suffix else TARGETS[target].name_for(data)


def run_input(target: str, data: bytes, name: Optional[str] = None):
    """One input through the target: the result (an Extracted, or a Verdict), or the ScanError raised.

    Any other exception propagates: that is a crash.
    """
    from scanner.errors import ScanError

    name = name or TARGETS[target].name_for(data)
    if target == "idcheck":
        verdict = _checker().check_bytes(data, name)
        verdict.to_dict()
        return verdict
    from scanner.extract.dispatch import extract

    bounds = limits()
    try:
        extracted = extract(data, name, bounds)
        _consume(extracted, bounds, 0)
    except ScanError as exc:
        return exc
    return extracted


_CHECKER = []


def _checker():
    if not _CHECKER:
        from scanner.idcheck import IdChecker

        _CHECKER.append(IdChecker(limits()))
    return _CHECKER[0]


# ---------------------------------------------------------------------------------------------- libFuzzer side
def _instrumented_imports(target: str) -> None:
    """Import the readers (and the target's libraries) under atheris' instrumentation."""
    import atheris

    scanner_modules = ["scanner.extract"] + (["scanner.idcheck"] if target == "idcheck" else [])
    wanted = scanner_modules + [name for name in TARGETS[target].libraries if name not in sys.modules]
    with atheris.instrument_imports(include=wanted):
        import importlib

        import scanner.extract as package

        for module in sorted(p.stem for p in Path(package.__file__).parent.glob("*.py") if p.stem != "__init__"):
            importlib.import_module(f"scanner.extract.{module}")  # dispatch imports readers lazily
        for library in TARGETS[target].libraries:
            try:
                importlib.import_module(library)
            except ImportError:
                pass
        if target == "idcheck":
            _checker()


_KEPT: list = []


def work(target: str, ocr: bool, libfuzzer_args: List[str]) -> None:
    """The fuzzing process itself: libFuzzer calls ``run_input`` until it is told to stop (it exits)."""
    import atheris

    _instrumented_imports(target)
    if not ocr and target != "idcheck":
        _KEPT.append(stand_in_ocr())  # kept: a dropped context manager would be closed, and restore Tesseract
        _KEPT[-1].__enter__()  # for the life of this process

    def one_input(data: bytes) -> None:
        run_input(target, data)

    atheris.Setup([sys.argv[0]] + libfuzzer_args, one_input)
    atheris.Fuzz()


# ---------------------------------------------------------------------------------------------- driver
@dataclass
class Outcome:
    target: str
    runs: int
    seconds: float
    status: str  # ok | crash | hang | oom | error
    log: Path
    artifacts: List[str]


_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
_STAT = re.compile(r"^#(\d+)\s")
_ARTIFACT = re.compile(r"Test unit written to (\S+)")


def fuzz(target: str, runs: Optional[int], seconds: Optional[int], seed: Optional[int], corpus: Optional[Path],
         artifacts: Path, timeout: int, ocr: bool, extra: Sequence[str], quiet: bool,
         max_seed_bytes: int = MAX_SEED_BYTES, realdata: bool = True) -> Outcome:
    """Run libFuzzer on one target in a child process; its output goes to ``artifacts/fuzz.log``."""
    artifacts.mkdir(parents=True, exist_ok=True)
    own_corpus = corpus is None
    folder = Path(tempfile.mkdtemp(prefix=f"piiscan-fuzz-{target}-")) if own_corpus else corpus
    folder.mkdir(parents=True, exist_ok=True)
    try:
        planted = seeds(target, max_seed_bytes, realdata)
        for _label, data in planted:
            (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
        count = sum(1 for p in folder.iterdir() if p.is_file())
        args = [f"-timeout={timeout}", f"-artifact_prefix={artifacts}/", "-rss_limit_mb=2048",
                f"-max_len={MAX_SEED_BYTES}"]
        if runs is not None:
            args.append(f"-runs={count + 1 + runs}")  # every seed once, the empty input, then `runs` mutations
        if seconds is not None:
            args.append(f"-max_total_time={seconds}")
        if seed is not None:
            args.append(f"-seed={seed}")
        args += list(extra) + [str(folder)]
        command = [sys.executable, "-m", "tools.fuzz", "--work", target] + (["--ocr"] if ocr else []) + ["--"] + args
        log = artifacts / "fuzz.log"
        started = time.monotonic()
        done, last, found = None, 0, []
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        with open(log, "w", encoding="utf-8") as out, subprocess.Popen(
                command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, errors="replace") as child:
            for line in child.stdout:
                out.write(line)
                if not quiet:
                    sys.stderr.write(line)
                if (match := _DONE.search(line)):
                    done = int(match.group(1))
                elif (match := _STAT.match(line)):
                    last = int(match.group(1))
                elif (match := _ARTIFACT.search(line)):
                    found.append(match.group(1))
            code = child.wait()
        elapsed = time.monotonic() - started
        executed = done if done is not None else last
        found = [p for p in found if not Path(p).name.startswith("slow-unit-")]  # slow, not stuck: no failure
        kinds = {Path(p).name.split("-")[0] for p in found}
        if code == 0 and not found:
            status = "ok"
        elif "timeout" in kinds:
            status = "hang"
        elif "oom" in kinds:
            status = "oom"
        elif found:
            status = "crash"
        else:
            status = "error"  # the fuzzing process itself failed: see the log
        return Outcome(target, max(0, executed - count - 1), elapsed, status, log, found)
    finally:
        if own_corpus:
            shutil.rmtree(folder, ignore_errors=True)


def reproduce(target: str, paths: Sequence[str], ocr: bool) -> int:
    """Run saved inputs in-process and say what each gave; a crash prints its traceback (exit 1)."""
    import traceback

    from scanner.errors import ScanError

    failed = 0
    context = stand_in_ocr() if not ocr and target != "idcheck" else _nothing()
    with context:
        for path in paths:
            data = Path(path).read_bytes()
            started = time.monotonic()
            try:
                result = run_input(target, data, name_for(target, Path(path), data))
            except Exception:  # noqa: BLE001 - what we are looking for
                failed += 1
                print(f"{path}: CRASH ({time.monotonic() - started:.1f} s)")
                traceback.print_exc()
                continue
            took = time.monotonic() - started
            if isinstance(result, ScanError):
                print(f"{path}: {result.code}: {result.message} ({took:.1f} s)")
            else:
                print(f"{path}: ok, {type(result).__name__} ({took:.1f} s)")
    return 1 if failed else 0


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: List[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(prog="python -m tools.fuzz", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", choices=sorted(TARGETS) + ["all"], default="all",
                        help="a family of readers, or all of them in turn (idcheck included)")
    parser.add_argument("--runs", type=int, help="mutated inputs to run (after the seeds)")
    parser.add_argument("--seconds", type=int, help="time to fuzz each target")
    parser.add_argument("--seed", type=int, help="libFuzzer's random seed (the same seed repeats the same run)")
    parser.add_argument("--corpus", type=Path, help="keep the corpus here (default: a temporary folder)")
    parser.add_argument("--artifacts", type=Path,
                        help="crashes, hangs and the log (default: $TMPDIR/piiscan-fuzz/<target>)")
    parser.add_argument("--timeout", type=int, help=f"seconds one input may take (default {TIMEOUT_S}, "
                                                    f"idcheck {IDCHECK_TIMEOUT_S})")
    parser.add_argument("--seed-kb", type=int, default=MAX_SEED_BYTES // 1024,
                        help="leave out seed files larger than this (KB; default %(default)s): small seeds, fast runs")
    parser.add_argument("--no-realdata", action="store_true",
                        help="no seeds from ../shared/realdata/ (the bounded runs of the tests: the same seeds "
                             "everywhere, and none of its slow bombs)")
    parser.add_argument("--ocr", action="store_true", help="run Tesseract instead of the OCR stand-in")
    parser.add_argument("--quiet", action="store_true", help="only the summary, not libFuzzer's output")
    parser.add_argument("--reproduce", nargs="+", metavar="FILE", help="run these inputs in-process and report")
    parser.add_argument("--work", choices=sorted(TARGETS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.work:
        work(args.work, args.ocr, extra)
        return 0  # not reached: libFuzzer exits
    if args.reproduce:
        if args.target == "all":
            parser.error("--reproduce needs one --target")
        return reproduce(args.target, args.reproduce, args.ocr)
    if args.runs is None and args.seconds is None:
        parser.error("say how long: --runs N or --seconds S")
    targets = list(TARGETS) if args.target == "all" else [args.target]
    base = args.artifacts or Path(tempfile.gettempdir()) / "piiscan-fuzz"
    outcomes = []
    for target in targets:
        artifacts = (base / target) if (args.artifacts is None or len(targets) > 1) else base
        corpus = (args.corpus / target if len(targets) > 1 else args.corpus) if args.corpus else None
        timeout = args.timeout or (IDCHECK_TIMEOUT_S if target == "idcheck" else TIMEOUT_S)
        outcome = fuzz(target, args.runs, args.seconds, args.seed, corpus, artifacts, timeout, args.ocr, extra,
                       quiet=args.quiet or len(targets) > 1, max_seed_bytes=args.seed_kb * 1024,
                       realdata=not args.no_realdata)
        outcomes.append(outcome)
        found = f", found: {' '.join(outcome.artifacts)}" if outcome.artifacts else ""
        print(f"{target:8} {outcome.status:5} {outcome.runs:7} mutated inputs in {outcome.seconds:6.1f} s "
              f"(log {outcome.log}{found})", flush=True)
    return 0 if all(o.status == "ok" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())

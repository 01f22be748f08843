"""Hostile inputs, generated (never committed): decompression bombs, giant page counts and dimensions,
deep nesting, and texts that could make a regular expression backtrack for ever (issue 7).

Each maker returns the file's bytes; ``BOMBS`` maps a file name to its maker and the error code the
scanner must give for it (``None``: a document, scanned within the limits).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import Image

from tools.make_share import pdf_file

def png_dimensions(w=40000, h=40000):
    """A 1-bit PNG of w x h black pixels: 190 KB that would decode to 1.6 G pixels."""
    raw = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * ((w + 7) // 8)
    out = bytearray()
    for _ in range(h):
        out += raw.compress(row)
    out += raw.flush()
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)) + chunk(b"IDAT", bytes(out)) + chunk(b"IEND", b"")

pdf = pdf_file  # object bodies -> a PDF with its cross-reference table


def pdf_pages(n=100_000):
    """10 MB of PDF declaring 100,000 empty pages."""
    kids = b" ".join(b"%d 0 R" % (i + 3) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * n
    return pdf(objs)

def pdf_stream_bomb(mb=256):
    """A one-page PDF whose content stream (3 MB per GB, Flate) draws the letter A millions of times."""
    c = zlib.compressobj(9); out = bytearray()
    line = b"BT /F1 12 Tf 72 720 Td (A) Tj ET\n" * 1000
    total = 0
    while total < mb * 1024 * 1024:
        out += c.compress(line); total += len(line)
    out += c.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(out) + bytes(out) + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return pdf(objs)

def pdf_giant_page():
    """One page of 14,400 x 14,400 points times a user unit of 75,000: kilometres wide."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75000 >>"]
    return pdf(objs)

def nested_zip(depth=12):
    """A zip in a zip in a zip ..., an IBAN at the bottom."""
    data = b"IBAN BE71 0961 2345 6769\n"; name = "inner.txt"
    for i in range(depth):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z: z.writestr(name, data)
        data, name = buf.getvalue(), f"level{i}.zip"
    return data

def zip_ratio(mb=500):
    """One entry of 500 MB of zeros in half a megabyte."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        with z.open("zeros.txt", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(mb): f.write(block)
    return buf.getvalue()

def nested_eml(depth=200):
    """An e-mail forwarded as an attachment, 200 times over."""
    inner = b"From: a@example.be\r\nSubject: x\r\n\r\nIBAN BE71 0961 2345 6769\r\n"
    for i in range(depth):
        inner = (b"From: b@example.be\r\nSubject: fw\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\nContent-Type: message/rfc822\r\n\r\n" % (i, i)) + inner + b"\r\n--b%d--\r\n" % i
    return inner

def many_members(n=5000):
    """A zip of 5,000 one-byte entries."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i in range(n): z.writestr(f"f{i}.txt", b"x")
    return buf.getvalue()

def tiff_frames(n=2000):
    """A TIFF of 2,000 blank frames."""
    buf = io.BytesIO()
    frames = [Image.new("1", (64, 64)) for _ in range(n)]
    frames[0].save(buf, "TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()

BOMBS = {
    "png_40000x40000.png": (png_dimensions, "image_too_large"),
    "pdf_100000_pages.pdf": (pdf_pages, "too_many_pages"),
    "pdf_stream_256MB.pdf": (pdf_stream_bomb, "pdf_bomb"),
    "pdf_giant_page.pdf": (pdf_giant_page, None),            # drawn within the pixel limit, not at full size
    "zip_nested_12.zip": (nested_zip, "too_deeply_nested"),
    "zip_ratio_500MB.zip": (zip_ratio, "file_too_large"),    # its entry is over the size limit
    "eml_nested_200.eml": (nested_eml, "unreadable_member"),
    "zip_5000_members.zip": (many_members, "container_limit"),
    "tiff_2000_frames.tif": (tiff_frames, "too_many_pages"),
}

# Long runs of what identifiers are made of (digits, spaces, dots, plus signs, letters, "<" of an MRZ):
# every recognizer's regular expressions see them.
REDOS = {
    "digits": "1", "digits_spaced": "1 ", "digits_dotted": "1.", "dots": ".", "spaces": " ", "plus": "+32 ",
    "zeros": "0", "country_code": "BE", "at_signs": "a@", "dashes": "12-", "slashes": "1/", "names": "Jean ",
    "iban_pieces": "BE71 0961 ", "lines": "1\n", "capitals": "A", "mrz_fillers": "<", "mrz_start": "IDBEL<<",
    "email_parts": "a.b-c_", "urls": "http://", "payment_reference": "+++090/", "dates": "01/02/",
}


def redos_text(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]

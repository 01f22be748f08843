"""Text formats: plain text, CSV/TSV, JSON, Markdown, logs, HTML.

Encodings are detected: a BOM first (UTF-8, UTF-16, UTF-32), then strict
UTF-8, then Windows-1252 (what Belgian office software writes when it is not
UTF-8), then charset-normalizer. Binary data posing as text is refused with
an error record instead of being scanned as noise.
"""

from __future__ import annotations

import codecs
from html.parser import HTMLParser
from pathlib import PurePath
from typing import List, Tuple

from charset_normalizer import from_bytes

from scanner.errors import BinaryContent, UndecodableText
from scanner.extract import Extracted, Page

PLAIN_SUFFIXES = {".txt", ".text", ".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".md", ".markdown", ".log", ".xml"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v", "\x1b"}


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in _ALLOWED_CONTROLS) or ch == "\ufffd")
    return bad / len(sample) > 0.01


def decode(data: bytes) -> Tuple[str, str]:
    """(text, encoding) or BinaryContent / UndecodableText."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise UndecodableText(f"the file starts with a {encoding} byte-order mark but is not valid {encoding}") from exc
    if b"\x00" in data[:4096]:
        # UTF-16 without BOM: every other byte is zero in Latin text.
        even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
        half = min(len(data), 4096) // 2
        if half and max(even, odd) > 0.4 * half and min(even, odd) < 0.05 * half:
            encoding = "utf-16-le" if odd > even else "utf-16-be"
            try:
                return _checked(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                pass
        raise BinaryContent("the file holds binary data, not text")
    for encoding in ("utf-8", "cp1252"):
        try:
            return _checked(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None or not best.encoding:
        raise UndecodableText("the text encoding could not be recognised")
    return _checked(str(best), best.encoding)


def _checked(text: str, encoding: str) -> Tuple[str, str]:
    if _looks_binary(text):
        raise BinaryContent("the file holds binary data, not text")
    return text, encoding


class _HtmlText(HTMLParser):
    """Visible text of an HTML page, with where each piece came from in the source.

    ``pieces``: (text_start, text_end, raw_start, raw_end) for every chunk of
    visible text, so a finding can be mapped back to the source for redaction.
    """

    _SKIP = {"script", "style", "head", "title", "noscript", "template"}
    _BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
              "article", "header", "footer", "blockquote", "pre", "hr", "address", "ul", "ol", "dd", "dt"}

    def __init__(self, raw: str):
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.line_starts = [0]
        for index, ch in enumerate(raw):
            if ch == "\n":
                self.line_starts.append(index + 1)
        self.parts: List[str] = []
        self.length = 0
        self.pieces: List[Tuple[int, int, int, int]] = []
        self.skip_depth = 0

    def _raw_offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _emit(self, text: str, raw_start: int, raw_end: int) -> None:
        if self.skip_depth or not text:
            return
        self.pieces.append((self.length, self.length + len(text), raw_start, raw_end))
        self.parts.append(text)
        self.length += len(text)

    def _newline(self) -> None:
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")
            self.length += 1

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self.skip_depth += 1
        elif tag in self._BLOCK:
            self._newline()
        elif tag in {"td", "th"}:
            self.parts.append(" ")
            self.length += 1

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in self._BLOCK:
            self._newline()

    def handle_data(self, data):
        start = self._raw_offset()
        self._emit(data, start, start + len(data))

    def _ref(self, text: str) -> None:
        start = self._raw_offset()
        end = self.raw.find(";", start, start + 40)
        end = end + 1 if end != -1 else start + len(text)
        self._emit(text, start, end)

    def handle_entityref(self, name):
        import html

        self._ref(html.unescape(f"&{name};"))

    def handle_charref(self, name):
        import html

        self._ref(html.unescape(f"&#{name};"))


def html_to_text(raw: str) -> Tuple[str, List[Tuple[int, int, int, int]]]:
    parser = _HtmlText(raw)
    try:
        parser.feed(raw)
        parser.close()
    except AssertionError:
        # Python's HTML parser (before 3.13) raises AssertionError on some malformed declarations
        # ("<![solde", found by tools/fuzz.py) where a browser skips them: the source is scanned
        # as it is, markup and all, rather than not at all.
        return raw, [(0, len(raw), 0, len(raw))]
    return "".join(parser.parts), parser.pieces


def extract_text(data: bytes, name: str) -> Extracted:
    text, encoding = decode(data)
    if PurePath(name).suffix.lower() in HTML_SUFFIXES:
        visible, pieces = html_to_text(text)
        return Extracted(pages=[Page(visible, number=None)], kind="html", encoding=encoding,
                         extra={"raw": text, "pieces": pieces})
    return Extracted(pages=[Page(text, number=None)], kind="text", encoding=encoding)

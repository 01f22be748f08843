"""Redacted copy of an .eml: personal headers, bodies (plain and HTML) and attachments rewritten.

Works from what ``extract_eml`` recorded (``extra["fields"]``: which span of the
page is which header, file name or body part) and from the same parse of the
same bytes (``scanner.extract.mime.leaves`` gives the same paths again).

- Personal headers (From, To, Cc, Bcc, Reply-To, Sender, Subject, Date) are
  written back redacted; every other top-level header (Received, Return-Path,
  Delivered-To, DKIM, X-..., Message-ID) is dropped: they hold addresses and IP
  addresses the analyzer never saw, and a redacted copy does not need a trace
  of its delivery.
- The body part gets its redacted text; its other renderings (the HTML twin of
  a plain body) get every detected value replaced wherever it appears.
- Each attachment becomes ``redact_member(name, data)``; None drops it (as do
  attachments that were never scanned because of a limit) and a note in the body
  says so. Preambles and epilogues (text outside the parts) are cleared.

>>> from scanner.extract import Limits
>>> from scanner.extract.email import extract_eml
>>> from scanner.analyze.engine import Detection
>>> data = b"From: Jan <jan@example.be>\\nReceived: from x\\n\\nDag Jan"
>>> extracted = extract_eml(data, "m.eml", Limits())
>>> dets = [Detection("EMAIL_ADDRESS", 11, 25, 1.0, "r", "nl")]
>>> out = redact_eml(data, extracted, [dets], "replace", b"k", lambda name, blob: blob)
>>> print(out.decode().split("\\n")[0], b"Received" in out)
From: Jan <<EMAIL_ADDRESS>> False
"""

from __future__ import annotations

import re
from email import policy
from email.header import Header
from email.message import EmailMessage
from typing import Callable, Dict, List, Optional, Tuple

from scanner.analyze.engine import Detection
from scanner.extract import Extracted
from scanner.extract.mime import Leaf, leaves, parse, text_of
from scanner.extract.text import html_to_text
from scanner.redact.spans import clip, detected_values, find_values, merge, redact_span
from scanner.redact.text import map_to_source, redact_text

RedactMember = Callable[[str, bytes], Optional[bytes]]
# Raw header values are written as we built them; the default policy would re-parse an
# address header such as "<PERSON> <<EMAIL_ADDRESS>>" and lose the angle brackets.
OUTPUT_POLICY = policy.default.clone(refold_source="none")
_STRUCTURAL = ("mime-version", "content-")


def redact_eml(data: bytes, extracted: Extracted, detections: List[List[Detection]], operator: str, key: bytes,
               redact_member: RedactMember) -> bytes:
    """A new message: headers, bodies and attachments redacted (see the module docstring)."""
    page = extracted.pages[0]
    found = detections[0] if detections else []
    fields = extracted.extra.get("fields", [])
    msg = parse(data)
    by_path: Dict[Tuple[int, ...], Leaf] = {leaf.path: leaf for leaf in leaves(msg)}
    values = detected_values(page.text, found)

    def redacted(field: dict) -> str:
        return redact_span(page.text, found, field["start"], field["end"], operator, key)

    removed = _replace_members(msg, by_path, extracted, fields, redacted, redact_member)
    texts = []  # (part, subtype, new text) of the body and its twins, written after the note is known
    for field in fields:
        if field["kind"] == "body":
            leaf = by_path[tuple(field["path"])]
            # Each rendering is redacted with its own findings and with every value found
            # anywhere in the message (a name the HTML breaks over two lines is still found).
            own = clip(found, field["start"], field["end"])
            if field["subtype"] == "html":
                raw = text_of(leaf.part)
                visible, pieces = html_to_text(raw)
                both = merge(own, find_values(visible, values))
                texts.append((leaf.part, "html", redact_text(raw, map_to_source(pieces, both), operator, key)))
            else:
                visible = page.text[field["start"]:field["end"]]
                texts.append((leaf.part, "plain", redact_text(visible, merge(own, find_values(visible, values)),
                                                              operator, key)))
    analysed = {tuple(f["path"]) for f in fields if f["kind"] == "body"}
    for path, leaf in by_path.items():
        if leaf.role == "alternative" and path not in analysed:  # older extractions: propagate only
            texts.append((leaf.part, *_propagated(leaf.part, values, operator, key)))
    note = _note(removed)
    for part, subtype, text in texts:
        part.clear_content()
        part.set_content(_with_note(text, subtype, note), subtype=subtype, charset="utf-8")
    if note and not texts:
        _attach_note(msg, note)
    _rewrite_headers(msg, [(f["name"], redacted(f)) for f in fields if f["kind"] == "header"])
    for part in msg.walk():
        if part.is_multipart():
            part.preamble = part.epilogue = None
    return msg.as_bytes(policy=OUTPUT_POLICY)


def _replace_members(msg: EmailMessage, by_path: dict, extracted: Extracted, fields: List[dict],
                     redacted: Callable[[dict], str], redact_member: RedactMember) -> int:
    """Every member part replaced by its redacted copy, or removed; returns how many were removed."""
    stored = {m.name: m.data for m in extracted.members}
    names = {tuple(a["path"]): a for a in extracted.extra.get("attachments", [])}
    new_names = {tuple(f["path"]): redacted(f) for f in fields if f["kind"] == "filename"}
    removals = []
    for path, leaf in by_path.items():
        if leaf.role != "member":
            continue
        record = names.get(path)
        new = None
        if record and record["scanned"] and record["name"] in stored:
            new = redact_member(record["name"], stored[record["name"]])
        if new is None:
            removals.append(path)
        else:
            _set_member(leaf.part, new, new_names.get(path) or (record or {}).get("name") or leaf.name)
    for path in removals:
        if path:
            parent = msg
            for index in path[:-1]:
                parent = parent.get_payload()[index]
            parent.get_payload().remove(by_path[path].part)  # by identity: indexes shift as parts go
        else:  # the whole message was one attachment: what is left is the note
            msg.set_content("", subtype="plain", charset="utf-8")
    return len(removals)


def _set_member(part: EmailMessage, data: bytes, filename: Optional[str]) -> None:
    """The part's content replaced, its role kept: an inline picture of an HTML body stays inline
    (same Content-ID, no made-up file name), an attachment keeps its (redacted) name."""
    disposition = part.get_content_disposition()
    cid = part.get("Content-ID")
    ctype = part.get_content_type()
    maintype, subtype = ctype.split("/", 1)
    as_text = maintype in ("multipart", "message") and ctype != "message/rfc822"
    if as_text:  # a delivery report or a broken multipart was scanned as text: it stays a named text file
        maintype, subtype, disposition = "text", "plain", "attachment"
    elif not _has_filename(part):
        filename = None
    elif disposition is None:
        disposition = "attachment"
    part.clear_content()  # set_content refuses a part still typed multipart
    if ctype == "message/rfc822":
        part.set_content(parse(data), disposition=disposition, filename=filename)
    else:
        part.set_content(data, maintype, subtype, disposition=disposition, filename=filename, cid=cid)


def _has_filename(part: EmailMessage) -> bool:
    try:
        return bool(part.get_filename())
    except Exception:  # noqa: BLE001 - a broken parameter: the made-up name is used
        return False


def _propagated(part: EmailMessage, values: set, operator: str, key: bytes) -> Tuple[str, str]:
    """Another rendering of the body: each value detected in the body, replaced wherever it appears."""
    raw = text_of(part)
    if part.get_content_type() == "text/html":
        visible, pieces = html_to_text(raw)
        return "html", redact_text(raw, map_to_source(pieces, find_values(visible, values)), operator, key)
    return "plain", redact_text(raw, find_values(raw, values), operator, key)


def _note(removed: int) -> str:
    if not removed:
        return ""
    what = "an attachment was" if removed == 1 else f"{removed} attachments were"
    return f"[piiscan: {what} removed from this redacted copy]"


def _with_note(text: str, subtype: str, note: str) -> str:
    if not note:
        return text
    if subtype == "html":
        match = re.search(r"</body\s*>", text, re.IGNORECASE)
        position = match.start() if match else len(text)
        return f"{text[:position]}<p>{note}</p>{text[position:]}"
    return f"{text.rstrip()}\n\n{note}\n"


def _attach_note(msg: EmailMessage, note: str) -> None:
    """No body to append the note to: it becomes the first part (or the whole content)."""
    if msg.is_multipart():
        part = EmailMessage()
        part.set_content(note + "\n", subtype="plain", charset="utf-8")
        msg.get_payload().insert(0, part)
    else:
        msg.set_content(note + "\n", subtype="plain", charset="utf-8")


def _rewrite_headers(msg: EmailMessage, headers: List[Tuple[str, str]]) -> None:
    """Personal headers first (as a reader expects), then the MIME ones; nothing else survives."""
    structural = [(name, value) for name, value in msg.items() if name.lower().startswith(_STRUCTURAL)]
    for name in set(msg.keys()):
        del msg[name]
    for name, value in headers:
        value = " ".join(value.split())
        # Header() folds long values and encodes non-ASCII ones as RFC 2047 words, which
        # decode back to exactly this text.
        encoded = Header(value, "utf-8" if not value.isascii() else "us-ascii", header_name=name).encode()
        msg.set_raw(name, encoded)
    for name, value in structural:
        msg[name] = value

"""E-mails: RFC 822 ``.eml`` (stdlib ``email``) and Outlook ``.msg`` (extract-msg).

One page (label ``message``) holds the personal headers, one line each, the
attachment names, then the body::

    From: Jan Peeters <jan.peeters@example.be>
    To: Invorderingen <invordering@example.be>
    Subject: Factuur 2024-117
    Attachment: factuur.pdf

    Beste, ...

The body is the text/plain part, or the visible text of the text/html part when
there is no plain one. Attachments and attached e-mails are ``members``: the
pipeline scans each as a document of its own. ``extra["fields"]`` records which
span of the page came from which header, file name or part, so the redaction
writer (scanner/redact/email.py) can put the redacted text back.

>>> from scanner.extract import Limits
>>> page = extract_eml(b"From: =?utf-8?q?Ren=C3=A9?= <r@x.be>\\n\\nBonjour", "m.eml", Limits()).pages[0]
>>> print(page.text)
From: René <r@x.be>
<BLANKLINE>
Bonjour
"""

from __future__ import annotations

import email.utils
from email.message import Message
from typing import List, Optional

from scanner.errors import ScanError
from scanner.extract import Extracted, Limits, Page
from scanner.extract.errors import MalformedEmail, UnreadableMember, read_as
from scanner.extract.members import Members
from scanner.extract.mime import decode_words, header_lines, leaves, member_data, parse, text_of
from scanner.extract.text import decode, html_to_text


class PageText:
    """Text built piece by piece, remembering where each labelled piece sits."""

    def __init__(self) -> None:
        self.parts: List[str] = []
        self.length = 0
        self.fields: List[dict] = []

    def add(self, text: str, field: Optional[dict] = None) -> None:
        if field is not None:
            self.fields.append({**field, "start": self.length, "end": self.length + len(text)})
        self.parts.append(text)
        self.length += len(text)

    def line(self, label: str, value: str, field: dict) -> None:
        self.add(f"{label}: ")
        self.add(value, field)
        self.add("\n")

    @property
    def text(self) -> str:
        return "".join(self.parts)


def extract_eml(data: bytes, name: str, limits: Limits) -> Extracted:
    """An RFC 822 message; MalformedEmail when it cannot be read (never another exception)."""
    with read_as(MalformedEmail, "the e-mail is damaged and could not be read",
                 too_deep="the e-mail nests its parts too deeply to be read"):
        return _eml(data, limits)


def _eml(data: bytes, limits: Limits) -> Extracted:
    msg = parse(data)
    parts = leaves(msg)
    page = PageText()
    for header, occurrence, value in header_lines(data):
        page.line(header, value, {"kind": "header", "name": header, "occurrence": occurrence})
    bag = Members(limits)
    attachments = []
    for leaf in parts:
        if leaf.role != "member":
            continue
        try:
            blob = member_data(leaf.part)
        except RecursionError:  # an e-mail forwarded inside an e-mail, hundreds of times over
            bag.error(leaf.name, UnreadableMember.code, "this attached e-mail nests other e-mails too deeply "
                      "to be read; not scanned")
            blob = None
        except Exception:  # noqa: BLE001 - one broken attachment must not hide the others
            bag.error(leaf.name, UnreadableMember.code, "this attachment is damaged and could not be read")
            blob = None
        stored = bag.add(leaf.name, blob) if blob is not None else None
        label = stored or leaf.name
        attachments.append({"path": list(leaf.path), "name": label, "scanned": stored is not None})
        page.line("Attachment", " ".join(label.split()), {"kind": "filename", "path": list(leaf.path)})
    # The body and its other renderings (the HTML twin of a plain body): a value written
    # only in the HTML part is still in the message.
    for leaf in (leaf for leaf in parts if leaf.role in ("body", "alternative")):
        text = text_of(leaf.part)
        subtype = "html" if leaf.part.get_content_type() == "text/html" else "plain"
        if subtype == "html":
            text, _ = html_to_text(text)
        page.add("\n")
        page.add(text, {"kind": "body", "path": list(leaf.path), "subtype": subtype})
    return Extracted(pages=[Page(page.text, number=None, source="text", label="message")], kind="eml",
                     encoding="utf-8", members=bag.members,
                     extra={"fields": page.fields, "attachments": attachments, "errors": bag.errors})


def extract_msg(data: bytes, name: str, limits: Limits) -> Extracted:
    """An Outlook .msg: headers, body (plain, else HTML), attachments and embedded messages as members.

    Only messages (IPM.Note and reports) have these fields; a contact or a
    calendar item saved as .msg gives what it has of them.
    """
    import extract_msg as outlook  # imported here: it is slow to load and only .msg files need it

    try:
        msg = outlook.openMsg(data, strict=False)
    except Exception as exc:  # noqa: BLE001 - not an OLE file, or one extract-msg cannot read
        raise MalformedEmail("this is not a readable Outlook message (.msg)") from exc
    try:
        with read_as(MalformedEmail, "the Outlook message is damaged and could not be read"):
            return _msg(msg, limits)
    finally:
        msg.close()


def _msg(msg, limits: Limits) -> Extracted:
    page = PageText()
    header = _safe(lambda: msg.header)
    date = _safe(lambda: msg.date)
    values = [
        ("From", _safe(lambda: msg.sender)), ("To", _safe(lambda: msg.to)), ("Cc", _safe(lambda: msg.cc)),
        ("Bcc", _safe(lambda: msg.bcc)),
        ("Reply-To", header.get("Reply-To") if isinstance(header, Message) else None),
        ("Subject", _safe(lambda: msg.subject)),
        ("Date", email.utils.format_datetime(date) if date is not None and date.tzinfo else date),
    ]
    for header_name, value in values:
        if value:
            page.line(header_name, decode_words(str(value)), {"kind": "header", "name": header_name, "occurrence": 0})
    bag = Members(limits)
    for number, attachment in enumerate(_safe(lambda: msg.attachments) or [], 1):
        label = _attachment_name(attachment, number)
        stored = _add_attachment(bag, attachment, label)
        page.line("Attachment", " ".join((stored or label).split()), {"kind": "filename", "index": number - 1})
    body, subtype = _msg_body(msg)
    if body:
        page.add("\n")
        page.add(body, {"kind": "body", "subtype": subtype})
    return Extracted(pages=[Page(page.text, number=None, source="text", label="message")], kind="msg",
                     encoding="utf-8", members=bag.members, extra={"fields": page.fields, "errors": bag.errors})


def _safe(getter):
    """A property of the message, or None: extract-msg raises on some damaged properties, others may still be read."""
    try:
        return getter()
    except Exception:  # noqa: BLE001
        return None


def _attachment_name(attachment, number: int) -> str:
    name = (_safe(lambda: attachment.longFilename) or _safe(lambda: attachment.shortFilename)
            or _safe(lambda: attachment.displayName) or f"attachment-{number}")
    return str(name)


def _add_attachment(bag: Members, attachment, label: str) -> Optional[str]:
    data = _safe(lambda: attachment.data)
    if isinstance(data, bytes):
        return bag.add(label, data)
    if hasattr(data, "exportBytes"):  # an embedded .msg: written out as an .msg of its own
        if not label.lower().endswith(".msg"):
            label += ".msg"
        exported = _safe(lambda: data.exportBytes(allowBadEmbed=True))
        if exported is not None:
            return bag.add(label, exported)
    elif isinstance(data, Message):  # an embedded message of a signed e-mail
        return bag.add(label if label.lower().endswith(".eml") else label + ".eml", data.as_bytes())
    bag.error(label, UnreadableMember.code,
              "this attachment holds no readable data (a link, or a kind extract-msg cannot read); not scanned")
    return None


def _msg_body(msg) -> tuple:
    body = _safe(lambda: msg.body)
    if body and body.strip():
        return body.replace("\r\n", "\n").replace("\r", "\n"), "plain"
    html = _safe(lambda: msg.htmlBody)
    if html:
        try:
            text = decode(html)[0]
        except ScanError:
            text = html.decode("utf-8", "replace")
        return html_to_text(text)[0], "html"
    return "", "plain"

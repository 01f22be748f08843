"""The parts of a MIME message and what each one is for: the body, an alternative of it, or a member.

Extraction and redaction of e-mails both call ``leaves``; on the same bytes it
gives the same parts with the same paths (indexes from the root), which is how
the redaction writer finds the part behind each span of the extracted text.

>>> msg = parse(b"From: a@b.be\\nContent-Type: text/plain\\n\\nHello")
>>> [(leaf.path, leaf.role) for leaf in leaves(msg)]
[((), 'body')]
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from typing import List, Optional, Tuple

from scanner.errors import BinaryContent, UndecodableText
from scanner.extract.errors import MalformedEmail
from scanner.extract.text import decode

# Headers that name or reach people; all others are transport details (and dropped from redacted copies).
PERSONAL_HEADERS = ("From", "Sender", "To", "Cc", "Bcc", "Reply-To", "Subject", "Date")
# Deeper than this is not a real message: a hostile one could exhaust the stack.
MAX_NESTING = 60


@dataclass
class Leaf:
    path: Tuple[int, ...]
    part: EmailMessage
    role: str  # body | alternative (another rendering of the body) | member
    name: str  # the decoded file name, or one made up from the content type


def parse(data: bytes) -> EmailMessage:
    """The message, or MalformedEmail when nothing in ``data`` looks like one."""
    try:
        msg = BytesParser(policy=policy.default).parsebytes(data)
    except Exception as exc:  # noqa: BLE001 - the parser is lenient; anything it raises means garbage
        raise MalformedEmail("the e-mail could not be parsed") from exc
    if not msg.keys():
        raise MalformedEmail("no e-mail headers were found; this is not an e-mail message")
    return msg


def header_lines(data: bytes) -> List[Tuple[str, int, str]]:
    """(name, occurrence, decoded value) of every personal header, RFC 2047 words decoded, unfolded.

    Read from the raw header block (compat32 keeps values as written) rather
    than from policy.default's parsed addresses: a malformed address list loses
    words when parsed, and those words may be a name.
    """
    raw = BytesParser(policy=policy.compat32).parsebytes(data, headersonly=True)
    lines = []
    for name in PERSONAL_HEADERS:
        for occurrence, value in enumerate(raw.get_all(name) or []):
            lines.append((name, occurrence, decode_words(str(value))))
    return lines


def decode_words(value: str) -> str:
    """``=?iso-8859-1?Q?Ren=E9?= <r@x.be>`` -> ``René <r@x.be>``; 8-bit bytes as UTF-8, else Windows-1252.

    >>> decode_words("=?iso-8859-1?Q?Ren=E9_Dupont?= <r@x.be>")
    'René Dupont <r@x.be>'
    """
    if any("\udc80" <= ch <= "\udcff" for ch in value):  # raw 8-bit bytes kept by the parser as surrogates
        raw = value.encode("ascii", "surrogateescape")
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            value = raw.decode("cp1252", "replace")
    try:
        value = str(make_header(decode_header(value)))
    except Exception:  # noqa: BLE001 - an unknown charset or a broken word: keep the text as written
        pass
    return " ".join(value.split())


def text_of(part: EmailMessage) -> str:
    """A text part's content as str, whatever charset it claims (or wrongly claims)."""
    payload = part.get_payload(decode=True)
    if payload is None:  # a malformed multipart parsed as a leaf still has a raw string payload
        payload = part.get_payload()
        payload = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    charset = part.get_content_charset()
    text = None
    if charset:
        try:
            text = payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        try:
            text = decode(payload)[0]
        except (BinaryContent, UndecodableText):  # binary junk labelled text: scan what can be read
            text = payload.decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def leaves(msg: EmailMessage) -> List[Leaf]:
    """Every leaf part in order; message/* parts are leaves too (an attached e-mail is a member)."""
    found: List[Tuple[Tuple[int, ...], EmailMessage]] = []
    _walk(msg, (), found)
    body = _body(msg, [part for _, part in found])
    alternatives = _alternatives(msg, body, found)
    result = []
    for number, (path, part) in enumerate(found, 1):
        role = "body" if part is body else "alternative" if id(part) in alternatives else "member"
        result.append(Leaf(path, part, role, _name(part, number)))
    return result


def _walk(part: EmailMessage, path: Tuple[int, ...], found: list) -> None:
    if len(path) > MAX_NESTING:
        raise MalformedEmail(f"the e-mail nests parts more than {MAX_NESTING} deep")
    if part.get_content_maintype() != "message" and part.is_multipart():
        for index, sub in enumerate(part.get_payload()):
            _walk(sub, path + (index,), found)
    else:
        found.append((path, part))


def _is_text_body(part: EmailMessage) -> bool:
    if part.is_attachment() or part.get_filename():
        return False
    ctype = part.get_content_type()
    return ctype in ("text/plain", "text/html") or part.get_content_maintype() == "multipart"


def _body(msg: EmailMessage, parts: List[EmailMessage]) -> Optional[EmailMessage]:
    """Python's choice of body (plain first), else the first inline text part (broken structures)."""
    try:
        body = msg.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - get_body trips over some malformed trees
        body = None
    if body is not None and any(body is part for part in parts):
        return body
    return next((part for part in parts if _is_text_body(part)), None)


def _alternatives(msg: EmailMessage, body: Optional[EmailMessage], found: list) -> set:
    """The other renderings of the body: text leaves under the body's nearest multipart/alternative."""
    if body is None:
        return set()
    path = next(p for p, part in found if part is body)
    for depth in range(len(path) - 1, -1, -1):
        node = msg
        for index in path[:depth]:
            node = node.get_payload()[index]
        if node.get_content_type() == "multipart/alternative":
            prefix = path[:depth]
            return {id(part) for p, part in found
                    if p[:depth] == prefix and part is not body and part.get_content_type() in ("text/plain", "text/html")
                    and not part.is_attachment()}
    return set()


def _name(part: EmailMessage, number: int) -> str:
    try:
        name = part.get_filename()  # RFC 2231 and RFC 2047 names, decoded by policy.default
    except Exception:  # noqa: BLE001 - a broken parameter: fall back to a made-up name
        name = None
    if name:
        return decode_words(str(name))
    ctype = part.get_content_type()
    if ctype == "message/rfc822":
        suffix = ".eml"
    elif part.get_content_maintype() in ("message", "multipart"):
        suffix = ".txt"  # delivery reports, or a multipart whose boundary is missing: scanned as text
    else:
        suffix = mimetypes.guess_extension(ctype, strict=False) or ".bin"
    return f"part-{number}{suffix}"


def member_data(part: EmailMessage) -> bytes:
    """The bytes a member stands for: an attached e-mail as .eml, a delivery report as text, else the decoded payload."""
    if part.get_content_maintype() == "message":
        payload = part.get_payload()
        if isinstance(payload, list):
            if part.get_content_type() == "message/rfc822" and len(payload) == 1:
                return payload[0].as_bytes()
            return b"\n".join(sub.as_bytes() for sub in payload)
        return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    data = part.get_payload(decode=True)
    if data is None:
        raw = part.get_payload()
        data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""
    return data

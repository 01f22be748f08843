"""Read a multipart upload into memory, within a size limit, without any temporary file.

Starlette's form parser spools files over 1 MiB to disk; an upload here may be
an identity card, so the body is parsed here with python-multipart's streaming
parser and only the file's bytes are kept, in memory, counted as they arrive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import AsyncIterator, Dict, Optional

from python_multipart.multipart import MultipartParser, parse_options_header

MAX_FIELDS = 16
MAX_FIELD_BYTES = 4096
MULTIPART_SLACK = 64 * 1024  # headers and boundaries around the file in the body


class UploadProblem(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def too_large(limit: int) -> UploadProblem:
    return UploadProblem(413, "upload_too_large", f"the upload is over the {_size(limit)} limit")


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


@dataclass
class Upload:
    filename: str
    data: bytes
    fields: Dict[str, str] = field(default_factory=dict)
    body_bytes: int = 0


@dataclass
class _Part:
    headers: Dict[bytes, bytes] = field(default_factory=dict)
    name: Optional[str] = None
    filename: Optional[str] = None
    data: bytearray = field(default_factory=bytearray)


async def read_upload(content_type: str, chunks: AsyncIterator[bytes], max_file_bytes: int) -> Upload:
    """The ``file`` part and the small form fields of a multipart/form-data body."""
    kind, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadProblem(400, "bad_request", "send the file as multipart/form-data in a field named 'file'")
    max_body = max_file_bytes + MULTIPART_SLACK
    parts: list[_Part] = []
    current: dict = {"part": None, "field": b"", "value": b""}

    def on_part_begin():
        if len(parts) >= MAX_FIELDS:
            raise UploadProblem(400, "bad_request", f"the form has more than {MAX_FIELDS} fields")
        current["part"] = _Part()
        parts.append(current["part"])

    def on_header_field(data, start, end):
        current["field"] += data[start:end]

    def on_header_value(data, start, end):
        current["value"] += data[start:end]

    def on_header_end():
        current["part"].headers[current["field"].lower()] = current["value"]
        current["field"], current["value"] = b"", b""

    def on_headers_finished():
        part = current["part"]
        _disposition, params = parse_options_header(part.headers.get(b"content-disposition", b""))
        part.name = params.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" in params:
            part.filename = params[b"filename"].decode("utf-8", "replace")

    def on_part_data(data, start, end):
        part = current["part"]
        part.data += data[start:end]
        limit = max_file_bytes if part.filename is not None or part.name == "file" else MAX_FIELD_BYTES
        if len(part.data) > limit:
            if limit == MAX_FIELD_BYTES:
                raise UploadProblem(400, "bad_request", f"the form field '{part.name[:40]}' is too long")
            raise too_large(max_file_bytes)

    parser = MultipartParser(boundary, {
        "on_part_begin": on_part_begin, "on_header_field": on_header_field, "on_header_value": on_header_value,
        "on_header_end": on_header_end, "on_headers_finished": on_headers_finished, "on_part_data": on_part_data,
    })
    received = 0
    try:
        async for chunk in chunks:
            received += len(chunk)
            if received > max_body:
                raise too_large(max_file_bytes)
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except UploadProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - python-multipart's errors on a malformed body
        raise UploadProblem(400, "bad_request", f"the multipart body cannot be parsed ({type(exc).__name__})") from None
    files = [p for p in parts if p.name == "file"]
    if len(files) != 1:
        raise UploadProblem(400, "bad_request", "send exactly one file, in a multipart field named 'file'")
    fields = {}
    for part in parts:
        if part.name != "file":
            try:
                fields[part.name] = part.data.decode("utf-8").strip()
            except UnicodeDecodeError:
                raise UploadProblem(400, "bad_request", "form fields must be UTF-8 text") from None
    filename = PurePath((files[0].filename or "upload").replace("\\", "/")).name[:255] or "upload"
    return Upload(filename=filename, data=bytes(files[0].data), fields=fields, body_bytes=received)

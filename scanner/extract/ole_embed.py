"""The file inside an OLE embedded object (``word/embeddings/oleObject1.bin``), so it is scanned as what it is.

Word wraps a file dropped into a document in an OLE compound file: a
"Package" object keeps it in the ``\\x01Ole10Native`` stream with its original
name; Acrobat keeps a PDF in ``CONTENTS``; an Outlook message embedded as
itself is the compound file. Anything else (an Excel chart object, say) is
returned as the .bin it is, and the pipeline reports what it cannot read.

>>> import struct
>>> native = b"\\x02\\x00" + b"a.txt\\x00" + b"C:\\\\a.txt\\x00" + b"\\x00\\x00\\x03\\x00"
>>> native += struct.pack("<I", 9) + b"C:\\\\a.txt\\x00" + struct.pack("<I", 5) + b"hello"
>>> parse_ole10native(struct.pack("<I", len(native)) + native)
('a.txt', b'hello')
"""

from __future__ import annotations

import struct
from pathlib import PurePosixPath
from typing import Optional, Tuple

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def parse_ole10native(stream: bytes) -> Optional[Tuple[str, bytes]]:
    """(original file name, content) of an OLE Package stream, None when it is not laid out as one.

    Layout: total size (u32), flags (u16), label (NUL-terminated), source path
    (NUL-terminated), 4 reserved bytes, temporary path (u32 length + bytes),
    content (u32 length + bytes).
    """
    try:
        position = 6
        label_end = stream.index(b"\x00", position)
        label = stream[position:label_end].decode("cp1252", "replace")
        position = stream.index(b"\x00", label_end + 1) + 1 + 4
        (temp_length,) = struct.unpack_from("<I", stream, position)
        position += 4 + temp_length
        (size,) = struct.unpack_from("<I", stream, position)
        position += 4
    except (ValueError, struct.error):
        return None
    if size > len(stream) - position:
        return None
    return label, stream[position:position + size]


def unwrap(data: bytes, name: str) -> Tuple[str, bytes]:
    """(member name, bytes) for an embedded object: the wrapped file when there is one, else the object."""
    if not data.startswith(_OLE_MAGIC):
        return PurePosixPath(name).name, data
    import olefile  # comes with extract-msg; only documents with embedded objects need it

    try:
        with olefile.OleFileIO(data) as ole:
            if ole.exists("\x01Ole10Native"):
                parsed = parse_ole10native(ole.openstream("\x01Ole10Native").read())
                if parsed and parsed[1]:
                    return parsed[0] or PurePosixPath(name).stem, parsed[1]
            if ole.exists("CONTENTS"):
                content = ole.openstream("CONTENTS").read()
                if content.startswith(b"%PDF"):
                    return PurePosixPath(name).stem + ".pdf", content
            if ole.exists("__properties_version1.0"):  # an Outlook message stored as itself
                return PurePosixPath(name).stem + ".msg", data
    except Exception:  # noqa: BLE001 - a damaged object is still passed on as it is
        pass
    return PurePosixPath(name).name, data

"""Word 97–2003 documents (.doc): the main text of the document's piece table, read with olefile.

A .doc is an OLE compound file. Its WordDocument stream opens with the File Information Block (FIB),
which says how many characters the main document has and where, in the 0Table or 1Table stream, its
piece table (the Clx) lies. Each piece is a run of characters stored as cp1252 bytes ("compressed")
or as UTF-16LE. The main document is the first ``ccpText`` characters (footnotes, headers, comments
and text boxes follow it and are not read). In that text, ``\\r`` ends a paragraph, ``\\x07`` a table
cell, ``\\x0c`` a page; a field is ``\\x13`` code ``\\x14`` result ``\\x15`` and its result is kept;
``\\x01`` and ``\\x08`` stand for pictures and drawn objects. Title, author and creation time come
from the file's summary information. Every offset and count is checked against the streams before
it is used: a damaged or hostile file is ``unsupported_format``, never an exception or a long loop.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass, field
from typing import Any

from article_pipeline.errors import UnsupportedFormat

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_IDENT = 0xA5EC
_ENCRYPTED = 0x0100  # FibBase flags: fEncrypted
_TABLE_1 = 0x0200  # FibBase flags: fWhichTblStm (1Table, else 0Table)
_CLX_PAIR = 33  # fcClx / lcbClx: the 34th (fc, lcb) pair of FibRgFcLcb97
_CCP_TEXT = 3  # ccpText: the 4th value of FibRgLw97
_MAX_PIECES = 1_000_000
_PARAGRAPH_ENDS = re.compile(r"[\r\x07\x0c]+")
_DROPPED = dict.fromkeys(map(ord, "\x01\x02\x05\x08\x1f"), None) | {0x0B: "\n", 0x1E: "-", 0xA0: " "}


@dataclass
class WordDocument:
    text: str  # paragraphs, a blank line between them
    meta: dict[str, str] = field(default_factory=dict)


def is_word97_document(raw: bytes) -> bool:
    """An OLE compound file with a WordDocument stream (Excel files and Outlook messages have none)."""
    if not raw.startswith(OLE_MAGIC):
        return False
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(raw)) as ole:
            return bool(ole.exists("WordDocument"))
    except (OSError, ValueError, struct.error):
        return False


def read_doc(raw: bytes) -> WordDocument:
    """The main document's paragraphs and the file's title, author and creation date."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(raw)) as ole:
            word = ole.openstream("WordDocument").read()
            text_chars, table_name, clx_at, clx_size = _fib(word)
            if not ole.exists(table_name):
                raise UnsupportedFormat(f"the Word document has no {table_name} stream")
            table = ole.openstream(table_name).read()
            meta = _summary(ole)
    except (OSError, ValueError, struct.error) as exc:
        raise UnsupportedFormat(f"the Word document could not be read: {exc}") from exc
    pieces = _pieces(table, clx_at, clx_size)
    text = _main_text(word, pieces, text_chars)
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_ENDS.split(_field_results(text).translate(_DROPPED)))
    return WordDocument("\n\n".join(p for p in paragraphs if p), meta)


def _fib(word: bytes) -> tuple[int, str, int, int]:
    """(ccpText, table stream name, fcClx, lcbClx) from the File Information Block."""
    if len(word) < 34:
        raise UnsupportedFormat("the Word document's header is cut short")
    ident, flags = struct.unpack_from("<H", word, 0)[0], struct.unpack_from("<H", word, 0x0A)[0]
    if ident != _WORD_IDENT:
        raise UnsupportedFormat("the file is no Word 97-2003 document (its header is not Word's)")
    if flags & _ENCRYPTED:
        raise UnsupportedFormat("the Word document is encrypted (password-protected)")
    at = 32
    (csw,) = struct.unpack_from("<H", word, at)
    at += 2 + 2 * csw
    (cslw,) = struct.unpack_from("<H", word, at)
    if cslw <= _CCP_TEXT:
        raise UnsupportedFormat("the Word document's header has no text length")
    (text_chars,) = struct.unpack_from("<i", word, at + 2 + 4 * _CCP_TEXT)
    at += 2 + 4 * cslw
    (pairs,) = struct.unpack_from("<H", word, at)
    if pairs <= _CLX_PAIR:
        raise UnsupportedFormat("the Word document's header has no piece table")
    clx_at, clx_size = struct.unpack_from("<II", word, at + 2 + 8 * _CLX_PAIR)
    return max(text_chars, 0), "1Table" if flags & _TABLE_1 else "0Table", clx_at, clx_size


def _pieces(table: bytes, at: int, size: int) -> list[tuple[int, int, int, bool]]:
    """(first character, after last, byte offset, compressed) of each piece of the Clx."""
    end = at + size
    if size <= 0 or end > len(table):
        raise UnsupportedFormat("the Word document's piece table lies outside its table stream")
    while at < end and table[at] == 0x01:  # Prc: formatting, skipped
        (skip,) = struct.unpack_from("<h", table, at + 1)
        at += 3 + max(skip, 0)
    if at + 5 > end or table[at] != 0x02:
        raise UnsupportedFormat("the Word document has no piece table")
    (length,) = struct.unpack_from("<I", table, at + 1)
    at += 5
    count = (length - 4) // 12
    if length < 16 or count > _MAX_PIECES or at + length > end:
        raise UnsupportedFormat("the Word document's piece table is damaged")
    cps = struct.unpack_from(f"<{count + 1}I", table, at)
    pieces = []
    for k in range(count):
        (value,) = struct.unpack_from("<I", table, at + 4 * (count + 1) + 8 * k + 2)
        compressed = bool(value & 0x40000000)
        offset = value & 0x3FFFFFFF
        pieces.append((cps[k], cps[k + 1], offset // 2 if compressed else offset, compressed))
    return pieces


def _main_text(word: bytes, pieces: list[tuple[int, int, int, bool]], text_chars: int) -> str:
    parts: list[str] = []
    for first, after, offset, compressed in pieces:
        if first >= text_chars:
            break
        count = min(after, text_chars) - first
        if count <= 0:
            continue
        size = count if compressed else 2 * count
        if offset + size > len(word):
            raise UnsupportedFormat("the Word document's text lies outside its stream")
        data = word[offset : offset + size]
        parts.append(data.decode("cp1252", "replace") if compressed else data.decode("utf-16-le", "replace"))
    return "".join(parts)


def _field_results(text: str) -> str:
    """Fields as their results: ``\\x13`` code ``\\x14`` result ``\\x15`` (nested too); a field with no
    result (``\\x13`` code ``\\x15``) leaves nothing."""
    if "\x13" not in text:
        return text
    out: list[str] = []
    showing: list[bool] = []  # per open field: past its separator?
    for char in text:
        if char == "\x13":
            showing.append(False)
        elif char == "\x14" and showing:
            showing[-1] = True
        elif char == "\x15" and showing:
            showing.pop()
        elif all(showing):
            out.append(char)
    return "".join(out)


def _summary(ole: Any) -> dict[str, str]:
    """Title, author and creation date from the file's SummaryInformation, when it has them."""
    try:
        found = ole.get_metadata()
    except Exception:  # noqa: BLE001 - a damaged property set costs the metadata, not the text
        return {}

    codec = _codec(getattr(found, "codepage", None))

    def text(value: Any) -> str | None:
        if isinstance(value, bytes):
            value = value.split(b"\0", 1)[0].decode(codec, "replace")
        return " ".join(str(value).split()) or None if value else None

    meta = {"title": text(found.title), "author": text(found.author)}
    created = getattr(found, "create_time", None)
    if created is not None and hasattr(created, "isoformat") and created.year > 1980:
        meta["published"] = created.isoformat()
    return {key: value for key, value in meta.items() if value}


def _codec(code_page: Any) -> str:
    """The codec of a property set's code page (65001, stored as -535 by some writers, is UTF-8)."""
    import codecs

    if not isinstance(code_page, int):
        return "cp1252"
    code_page &= 0xFFFF
    name = "utf-8" if code_page == 65001 else "utf-16-le" if code_page == 1200 else f"cp{code_page}"
    try:
        codecs.lookup(name)
    except LookupError:
        return "cp1252"
    return name

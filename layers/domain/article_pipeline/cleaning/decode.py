"""Bytes to text: gunzip, reject binaries, pick the encoding (BOM, declared charset, charset-normalizer).

Uploads arrive as opaque bytes, so every later stage relies on this module to hand it either a clean
``str`` or one of the domain errors with a message a person can act on.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from dataclasses import dataclass

from article_pipeline.errors import BinaryInput, EmptyInput, TooLarge, UndecodableInput
from article_pipeline.settings import DEFAULT_MAX_OBJECT_BYTES

# Default cap on inflated gzip uploads: the settings' default upload limit (MAX_OBJECT_BYTES).
MAX_DECOMPRESSED_BYTES = DEFAULT_MAX_OBJECT_BYTES
_SNIFF_BYTES = 64 * 1024

# (magic prefix, human name) of formats that are binary even when they happen to decode.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/EPUB/ODT)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an XZ archive"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard archive"),
    (b"\x7fELF", "an ELF executable"),
    (b"MZ", "a Windows executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE document (DOC/XLS/MSG)"),
    (b"RIFF", "a RIFF media file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_MEDIA_BOX = re.compile(rb"^....ftyp", re.DOTALL)  # MP4 / MOV / HEIC

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{2,40})"""
    rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.:\-]{2,40})""",
    re.IGNORECASE,
)
_CONTENT_TYPE_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:\-]{2,40})", re.IGNORECASE)
# C0 controls other than TAB, LF, FF, CR (and ESC, common in terminal logs); DEL.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27)) + b"\x7f"
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


@dataclass(frozen=True)
class Decoded:
    """Text recovered from an upload and how it was found."""

    text: str
    encoding: str
    was_gzipped: bool = False


def gunzip(raw: bytes, max_bytes: int = MAX_DECOMPRESSED_BYTES) -> bytes:
    """Decompress gzip data (possibly nested once), refusing decompression bombs.

    Inflation stops one byte past ``max_bytes`` (the same cap as for the upload itself), so a
    small upload can never cost more time or memory than the largest one let in.
    """
    for _ in range(2):
        if not raw.startswith(b"\x1f\x8b"):
            break
        try:
            decomp = zlib.decompressobj(wbits=47)  # 32 + 15: gzip or zlib header, auto-detected
            out = decomp.decompress(raw, max_bytes + 1)
        except (zlib.error, EOFError, gzip.BadGzipFile) as exc:
            raise BinaryInput(f"gzip-compressed data that cannot be decompressed: {exc}") from exc
        if len(out) > max_bytes:
            raise TooLarge(f"gzip data expands beyond {max_bytes:,} bytes, the limit for an upload")
        raw = out
    return raw


def gzip_head(raw: bytes, size: int = 16) -> bytes:
    """The first ``size`` bytes gzip data inflates to (b"" when it is no gzip data): what is inside,
    without inflating the rest."""
    try:
        return zlib.decompressobj(wbits=47).decompress(raw[:4096], size)
    except zlib.error:
        return b""


def _binary_kind(head: bytes) -> str | None:
    for magic, name in _BINARY_SIGNATURES:
        if head.startswith(magic):
            return name
    if _MEDIA_BOX.match(head[:12]):
        return "an MP4/QuickTime media file"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """Guess UTF-16 without BOM from where the NUL bytes sit (every other byte for Latin scripts)."""
    if len(sample) < 8:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _normalise_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name.decode("ascii") if isinstance(name, bytes) else name).name
    except (LookupError, UnicodeDecodeError):
        return None


def _declared_encoding(raw: bytes, content_type: str | None) -> list[str]:
    found: list[str] = []
    if content_type:
        m = _CONTENT_TYPE_CHARSET.search(content_type)
        if m and (codec := _normalise_codec(m.group(1))):
            found.append(codec)
    m2 = _DECLARED_CHARSET.search(raw[:_SNIFF_BYTES])
    if m2 and (codec := _normalise_codec((m2.group(1) or m2.group(2)).decode("ascii", "ignore"))):
        found.append(codec)
    # HTML5 says a declared latin-1 means windows-1252; browsers agree.
    return ["cp1252" if c in ("latin_1", "iso8859-1", "ascii") else c for c in found]


def _strip_nuls(text: str) -> str:
    return text.replace("\x00", "")


def _check_text(text: str, encoding: str) -> None:
    sample = text[:_SNIFF_BYTES]
    if not sample:
        return
    bad = len(_CONTROL_CHARS.findall(sample)) + sample.count("\ufffd")
    if bad > max(8, 0.05 * len(sample)):
        raise UndecodableInput(f"decoding as {encoding} gives mostly control or replacement characters")


def decode_bytes(raw: bytes, *, content_type: str | None = None, max_bytes: int = MAX_DECOMPRESSED_BYTES) -> Decoded:
    """Turn an upload into text, or raise EmptyInput / BinaryInput / UndecodableInput / TooLarge."""
    if not raw or raw.isspace():
        raise EmptyInput("the object is empty or contains only whitespace")
    was_gzipped = raw.startswith(b"\x1f\x8b")
    if was_gzipped:
        raw = gunzip(raw, max_bytes)
        if not raw or raw.isspace():
            raise EmptyInput("the gzip data decompresses to nothing but whitespace")
    head = raw[:64]
    kind = _binary_kind(head)
    if kind:
        raise BinaryInput(f"the object is binary: it looks like {kind}, not an article")

    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise UndecodableInput(f"the data has a {codec} byte-order mark but is not valid {codec}") from exc
            text = _strip_nuls(text)
            _check_text(text, codec)
            return Decoded(text, codec.replace("-le", "").replace("-be", ""), was_gzipped)

    sample = raw[:_SNIFF_BYTES]
    nul_count = sample.count(0)
    if nul_count > max(4, 0.01 * len(sample)):
        utf16 = _utf16_without_bom(sample)
        if utf16:
            try:
                text = raw.decode(utf16)
                _check_text(text, utf16)
                return Decoded(_strip_nuls(text), "utf-16", was_gzipped)
            except (UnicodeDecodeError, UndecodableInput):
                pass
        raise BinaryInput(f"the object is binary: {nul_count} NUL bytes in the first {len(sample)} bytes")
    control = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    if control > max(8, 0.05 * len(sample)):
        raise BinaryInput(f"the object is binary: {control} control bytes in the first {len(sample)} bytes")
    if nul_count:
        raw = raw.replace(b"\x00", b"")

    try:
        text = raw.decode("utf-8")
        return Decoded(text, "utf-8", was_gzipped)  # ASCII is reported as its superset, UTF-8
    except UnicodeDecodeError:
        pass
    for codec in _declared_encoding(raw, content_type):
        if codec in ("utf-8", "utf_8"):
            continue
        try:
            text = raw.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        return Decoded(text, codecs.lookup(codec).name, was_gzipped)
    return _guess(raw, was_gzipped)


def _guess(raw: bytes, was_gzipped: bool) -> Decoded:
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(raw[: 2 * 1024 * 1024]).best()
    except Exception as exc:
        raise UndecodableInput(f"no text encoding could be detected: {exc}") from exc
    if best is None:
        raise UndecodableInput("no text encoding fits the data (tried UTF-8, declared charset, detection)")
    codec = best.encoding
    try:
        text = raw.decode(codec)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UndecodableInput(f"the data is not valid {codec}") from exc
    # Several single-byte code pages often fit equally well; when cp1252 (the web's most common
    # legacy encoding, and what browsers use for "latin-1") reads the bytes identically, name it.
    if codec != "cp1252" and _is_single_byte(codec):
        try:
            if raw.decode("cp1252") == text or codec in ("latin_1", "iso8859_1", "ascii"):
                codec, text = "cp1252", raw.decode("cp1252")
        except UnicodeDecodeError:
            pass
    _check_text(text, codec)
    return Decoded(text, codecs.lookup(codec).name, was_gzipped)


def _is_single_byte(codec: str) -> bool:
    name = codecs.lookup(codec).name
    return name.startswith(("cp12", "iso8859", "latin", "cp8", "mac-")) or name in ("ascii", "windows-1252")


def decode_str(text: str) -> Decoded:
    """Text already decoded by the caller: only strip stray NULs and a leading BOM."""
    if not text or text.isspace():
        raise EmptyInput("the text is empty or contains only whitespace")
    if text.count("\x00") > max(4, 0.05 * len(text)):
        raise BinaryInput("the text is mostly NUL characters: binary data passed as a string")
    return Decoded(_strip_nuls(text).lstrip("\ufeff"), "utf-8")

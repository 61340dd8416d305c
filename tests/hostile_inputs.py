"""Inputs built to be costly or to break parsers: for the tests, the soak and `make bench-hostile`."""

from __future__ import annotations

import gzip

ARTICLE_HTML = (
    "<h1>Port strike ends</h1>"
    + "<p>Dock workers in Rotterdam returned to work on Monday, the union said after nine days of talks.</p>" * 10
)
ARTICLE_TEXT = "Dock workers in Rotterdam returned to work on Monday, the union said after nine days of talks. " * 10


def deeply_nested_page(depth: int) -> bytes:
    """A real article inside ``depth`` nested <div> elements (libxml2 stops at 256)."""
    return (
        "<html><head><title>Port strike ends</title></head><body><nav>Home | World</nav>"
        + "<div>" * depth
        + ARTICLE_HTML
        + "</div>" * depth
        + "</body></html>"
    ).encode()


def markdown_with_huge_title(chars: int) -> bytes:
    return f"---\ntitle: {'T' * chars}\n---\n\n{ARTICLE_TEXT}\n".encode()


def markdown_backticks(count: int) -> bytes:
    return f"{ARTICLE_TEXT}\n\na{'`' * count}\n".encode()


def markdown_brackets(count: int) -> bytes:
    return f"{ARTICLE_TEXT}\n\n{'[' * count}\n".encode()


def gzip_bomb(inflated_bytes: int) -> bytes:
    """A small gzip upload that inflates to ``inflated_bytes`` of HTML."""
    unit = b"<div><p>" + b"The strike continued for another day. " * 20 + b"</p></div>"
    body = b"<html><body>" + unit * (inflated_bytes // len(unit) + 1)
    return gzip.compress(body[:inflated_bytes], compresslevel=9)


def nested_email(depth: int) -> bytes:
    """A message whose text part sits ``depth`` multipart/mixed levels down."""
    head = "From: desk@example.com\nSubject: Port strike\nDate: Tue, 05 Mar 2024 10:00:00 +0000\nMIME-Version: 1.0\n"
    opening = "".join(f'Content-Type: multipart/mixed; boundary="b{d}"\n\n--b{d}\n' for d in range(depth))
    closing = "".join(f"--b{d}--\n" for d in reversed(range(depth)))
    return (head + opening + f"Content-Type: text/plain\n\n{ARTICLE_TEXT}\n" + closing).encode()


def json_lines_export(articles: int) -> bytes:
    """A JSON Lines export of ``articles`` articles: one upload that is not one article."""
    line = '{"title": "Port strike ends", "body": "' + ARTICLE_TEXT + '"}\n'
    return (line * articles).encode()


def captions_without_sentences(cues: int) -> bytes:
    """Auto-generated captions: ``cues`` cues of lower-case words, never a full stop."""
    cue = "00:00:{s:02d}.000 --> 00:00:{s:02d}.900\ndock workers returned to work on monday number {n}\n\n"
    return ("WEBVTT\n\n" + "".join(cue.format(s=n % 60, n=n) for n in range(cues))).encode()


def docx_bomb(inflated_bytes: int) -> bytes:
    """A small .docx whose body inflates to ``inflated_bytes``."""
    import io
    import zipfile

    unit = "<w:p><w:r><w:t>The strike continued for another day.</w:t></w:r></w:p>"
    body = unit * (inflated_bytes // len(unit) + 1)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + body
            + "</w:body></w:document>",
        )
    return buffer.getvalue()


def rtf_with_picture(picture_bytes: int) -> bytes:
    """An RTF article after a pasted photo: ``picture_bytes`` of the picture's hex digits."""
    photo = "{\\pict\\jpegblip\\picw4000\\pich3000 " + "ffd8ffe000104a46" * (picture_bytes // 16) + "}"
    return (
        "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Calibri;}}{\\info{\\title Port strike ends}}\n"
        + photo
        + "\n\\pard "
        + ARTICLE_TEXT.replace("\n\n", "\\par\n\\pard ")
        + "\\par\n}"
    ).encode()

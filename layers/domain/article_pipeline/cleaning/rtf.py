"""RTF documents: what Word's and TextEdit's "Rich Text" and news databases' exports hold.

striprtf turns the body into text: control words, font, colour and style tables, pictures and the
other destinations dropped, ``\\'hh`` and ``\\uN`` characters decoded in the code page the document
declares. Its paragraphs are all kept, as a Word document's are; the document's title, author and
creation time come from its ``{\\info}`` group.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

RTF_START = re.compile(r"^\s*\{\\rtf")
_INFO_TEXT = {"title": "title", "author": "author"}  # {\info} destination -> our field
_CODE_PAGE = re.compile(r"\\ansicpg(\d+)")
_CREATED = re.compile(r"\\creatim((?:\\(?:yr|mo|dy|hr|min|sec)-?\d+\s?)+)")
_TIME_PART = re.compile(r"\\(yr|mo|dy|hr|min|sec)(-?\d+)")
# An {\info} field longer than this is no title or name: not read (a hostile file may make it huge);
# nor is an {\info} group that does not close within this many characters.
_MAX_FIELD_CHARS = 4000
_MAX_INFO_CHARS = 65536


@dataclass(frozen=True)
class RtfDocument:
    text: str  # paragraphs, a blank line between them
    meta: dict[str, str] = field(default_factory=dict)


def looks_like_rtf(text: str) -> bool:
    return bool(RTF_START.match(text[:64]))


def read_rtf(rtf: str) -> RtfDocument:
    """The document's text and what its {\\info} group says of it."""
    from striprtf.striprtf import rtf_to_text

    text = rtf_to_text(rtf, errors="replace")
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return RtfDocument("\n\n".join(line for line in lines if line), _info(rtf))


def _info(rtf: str) -> dict[str, str]:
    start = rtf.find("{\\info")
    if start < 0:
        return {}
    group = _group(rtf[: start + _MAX_INFO_CHARS], start)
    code_page = _CODE_PAGE.search(rtf[:start])
    header = "{\\rtf1\\ansi" + (f"\\ansicpg{code_page.group(1)} " if code_page else " ")
    meta: dict[str, str] = {}
    for destination, name in _INFO_TEXT.items():
        at = group.find("{\\" + destination)
        if at >= 0 and not group[at + len(destination) + 2 : at + len(destination) + 3].isalpha():
            value = _field_text(_group(group, at), destination, header)
            if value:
                meta[name] = value
    created = _CREATED.search(group)
    if created:
        parts = {k: int(v) for k, v in _TIME_PART.findall(created.group(1))}
        if parts.get("yr") and 1 <= parts.get("mo", 0) <= 12 and 1 <= parts.get("dy", 0) <= 31:
            meta["published"] = f"{parts['yr']:04d}-{parts['mo']:02d}-{parts['dy']:02d}"
    return meta


def _group(rtf: str, start: int) -> str:
    """The brace group opening at ``start`` (to the end of the text if it is never closed)."""
    depth = 0
    i = start
    while i < len(rtf):
        char = rtf[i]
        if char == "\\":
            i += 2  # an escaped brace or backslash is no brace
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return rtf[start : i + 1]
        i += 1
    return rtf[start:]


def _field_text(group: str, destination: str, header: str) -> str:
    """The text of ``{\\title ...}``: its escapes decoded in the document's code page, as the body's are."""
    from striprtf.striprtf import rtf_to_text

    if len(group) > _MAX_FIELD_CHARS:
        return ""
    inner = group[len(destination) + 2 : -1] if group.endswith("}") else group[len(destination) + 2 :]
    return " ".join(rtf_to_text(header + inner + "}", errors="replace").split())

"""The HTML report, opened in headless Chromium: the text, the highlights and the claims are there."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from article_pipeline import analyze_raw
from article_pipeline_tools.report import render_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# No network on our machines: keep Chromium from trying to reach Google's services.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"),
]


def _chromium(page: Path, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def test_report_renders_text_highlights_and_claims(tmp_path, sample_article):
    # Given the report page of the sample article
    document = analyze_raw(sample_article, filename="budapest-summit.txt")
    page = tmp_path / "report.html"
    page.write_text(render_report(document), encoding="utf-8")
    # When Chromium renders it
    dom = _chromium(page, "--dump-dom").stdout
    shot = tmp_path / "report.png"
    _chromium(page, f"--screenshot={shot}", "--window-size=1400,1000")
    # Then the DOM has the text, entity highlights of each label and one linked item per claim
    assert "summit could mark a turning point in the war" in dom
    labels = set(re.findall(r"data-label=\"(\w+)\"", dom))
    assert {"PERSON", "GPE"} <= labels
    claim_items = re.findall(r"class=\"claim-item\"", dom)
    assert len(claim_items) == len(document["claims"]) > 0
    for number in range(1, len(document["claims"]) + 1):
        assert f'id="claim-{number}"' in dom
    # And the screenshot is a real, non-blank picture
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    assert _distinct_colours(shot) > 20


def _distinct_colours(png: Path) -> int:
    """Distinct pixel colours in a sample of the screenshot (PNG decoded here: no imaging library)."""
    import struct
    import zlib

    data = png.read_bytes()
    pos, chunks, width, height, colour = 8, [], 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, _, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    bpp = {2: 3, 6: 4}[colour]
    stride = width * bpp
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for row in range(height):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1 : (row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, up_left = previous[i], previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        if row % 10 == 0:
            colours.update(bytes(line[x : x + 3]) for x in range(0, stride, bpp * 10))
        previous = line
    return len(colours)

"""The worst inputs the settings let in, built deterministically (no corpus needed).

Used by `make e2e-local` to check that each function finishes inside its timeout and memory at its
configured size, and by the benchmarks. Sizes follow template.yaml's MaxObjectBytes and
MaxAnalysedChars defaults.
"""

from __future__ import annotations

import gzip
import random

PEOPLE = [
    ("Maria", "Jansen", "union spokeswoman"),
    ("Ahmed", "Karimi", "finance minister"),
    ("Li", "Wei", "port authority director"),
    ("Sofia", "Moreau", "European Commission official"),
    ("James", "Okafor", "shipping analyst at Lloyd's"),
    ("Elena", "Petrova", "mayor of Varna"),
]
PLACES = ["Rotterdam", "Antwerp", "Hamburg", "Gdansk", "Piraeus", "Valencia", "Le Havre", "Genoa"]
ORGS = ["the European Union", "Maersk", "the International Transport Workers' Federation", "the World Bank"]


def _sentence(rng: random.Random) -> str:
    first, last, role = rng.choice(PEOPLE)
    place, other = rng.sample(PLACES, 2)
    org = rng.choice(ORGS)
    number = rng.randint(2, 95)
    forms = [
        f'"We will not accept a deal that cuts wages in {place}," said {first} {last}, a {role}.',
        f"{first} {last} said on Tuesday that exports through {place} fell by {number} percent last year.",
        f"According to {org}, container traffic between {place} and {other} rose {number} percent in 2025.",
        f"The talks in {place} resumed after {number} days, {last} told reporters.",
        f"Officials in {other} warned that the strike could cost {number} million euros a week.",
        f"{org.capitalize()} has pledged {number} billion dollars for new cranes and rail links.",
        f'"This is the worst disruption since 2008," {last} said, adding that ships were diverted to {other}.',
    ]
    return rng.choice(forms)


def article_text(chars: int, *, seed: int = 7) -> str:
    """News-like prose (quotes, speakers, numbers, places) of exactly ``chars`` characters."""
    rng = random.Random(seed)
    paragraphs, size = [], 0
    while size < chars:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


def transcript_text(chars: int, *, seed: int = 13) -> str:
    """A debate transcript of exactly ``chars`` characters: every sentence of its turns becomes a claim,
    so it gives the analysis the most claims (and DynamoDB items) an article of that length can."""
    rng = random.Random(seed)
    speakers = [last.upper() for _, last, _ in PEOPLE[:4]]
    paragraphs, size = [], 0
    while size < chars:
        paragraph = f"{rng.choice(speakers)}: " + " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.1:
            paragraph += "\n\n(APPLAUSE)"
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


def html_page(size_bytes: int, *, seed: int = 11) -> bytes:
    """A news page of just under ``size_bytes``: navigation, a long article, comments, related links."""
    rng = random.Random(seed)
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(60))
    head = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Port strike: live coverage</title>'
        '<meta name="author" content="Newsroom"><meta property="article:published_time" content="2026-11-30">'
        f"</head><body><header><nav><ul>{nav}</ul></nav></header><main><article><h1>Port strike: live coverage</h1>"
    )
    tail = "</article></main><footer><p>&copy; 2026 The Harbour Times. All rights reserved.</p></footer></body></html>"
    parts, size = [head], len(head) + len(tail)
    block = 0
    while True:
        block += 1
        if block % 25 == 0:
            piece = (
                '<aside class="related"><h3>Related</h3><ul>'
                + "".join(f'<li><a href="/story/{block}-{i}">More on the strike, part {i}</a></li>' for i in range(8))
                + '</ul></aside><div class="share"><a href="#">Share</a> <a href="#">Tweet</a>'
                + ' <a href="#">Email</a></div>'
            )
        elif block % 9 == 0:
            piece = (
                f'<div class="comment"><span class="user">reader{block}</span><p>{_sentence(rng)}</p>'
                '<a class="reply" href="#">Reply</a></div>'
            )
        else:
            piece = "<p>" + " ".join(_sentence(rng) for _ in range(rng.randint(2, 5))) + "</p>"
        encoded = len(piece.encode())
        if size + encoded > size_bytes:
            break
        parts.append(piece)
        size += encoded
    parts.append(tail)
    return "".join(parts).encode()


def gzip_bomb(inflated_bytes: int) -> bytes:
    """A small gzip upload that inflates to ``inflated_bytes`` of HTML (repetitive, so it packs tight)."""
    unit = b"<div><p>" + b"The strike continued for another day. " * 20 + b"</p></div>"
    body = b"<html><body>" + unit * (inflated_bytes // len(unit) + 1)
    return gzip.compress(body[:inflated_bytes], compresslevel=9)


def pdf_bytes(pages: list[list[tuple[int, int, str]]], info: str = "", font_size: int = 11) -> bytes:
    """A PDF of Helvetica lines at (x, y, text), one content stream a page, with an Info dictionary
    (``info``: its entries, "/Author (…)"). Text goes in as written: escape "(", ")" and "\\" first."""
    objects = ["<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    n = len(pages)
    pages_ref = 2 + 2 * n  # after the font, the contents and the pages
    for lines in pages:
        ops = "".join(f"BT /F1 {font_size} Tf {x} {y} Td ({text}) Tj ET\n" for x, y, text in lines)
        objects.append(f"<< /Length {len(ops.encode('latin-1', 'replace'))} >>\nstream\n{ops}endstream")
    for k in range(n):
        objects.append(
            f"<< /Type /Page /Parent {pages_ref} 0 R /MediaBox [0 0 612 792] /Contents {2 + k} 0 R "
            "/Resources << /Font << /F1 1 0 R >> >> >>"
        )
    kids = " ".join(f"{2 + n + k} 0 R" for k in range(n))
    objects += [f"<< /Type /Pages /Kids [{kids}] /Count {n} >>", f"<< /Type /Catalog /Pages {pages_ref} 0 R >>"]
    objects.append(f"<< {info} >>")
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1", "replace")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root {len(objects) - 1} 0 R /Info {len(objects)} 0 R >>"
    return bytes(out + f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode())


def pdf_document(pages: int, *, seed: int = 17) -> bytes:
    """A PDF of ``pages`` pages of news-like prose, 46 lines a page under a running head and over a
    page number: the most pages the ingest function reads is 200 (cleaning/pdf.py MAX_PAGES)."""
    import textwrap

    text = article_text(pages * 46 * 80, seed=seed).replace("\\", "").replace("(", "[").replace(")", "]")
    lines = textwrap.wrap(text, 80)
    content = [
        [
            (72, 760, "The Harbour Times - Special report"),
            *((72, 730 - 14 * k, line) for k, line in enumerate(lines[page * 46 : (page + 1) * 46])),
            (300, 40, f"Page {page + 1} of {pages}"),
        ]
        for page in range(pages)
    ]
    return pdf_bytes(content, font_size=10)

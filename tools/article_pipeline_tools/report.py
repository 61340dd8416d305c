"""A self-contained HTML page for one analysed article: the clean text with entities highlighted
by label (displaCy's colours) and every claim listed with speaker, kind and score, each linked
to its place in the text. No scripts, no external assets: it opens anywhere, offline.
"""

from __future__ import annotations

import html
import itertools
from typing import Any

# displaCy's default entity colours, so the page looks like what spaCy users know.
LABEL_COLOURS = {
    "PERSON": "#aa9cfc",
    "ORG": "#7aecec",
    "GPE": "#feca74",
    "LOC": "#ff9561",
    "NORP": "#c887fb",
    "FAC": "#9cc9cc",
    "EVENT": "#ffeb80",
    "PRODUCT": "#bfeeb7",
    "WORK_OF_ART": "#f0d0ff",
    "LAW": "#ff8197",
}
KIND_NAMES = {"direct_quote": "direct quote", "indirect_quote": "reported", "assertion": "assertion"}

STYLE = """
body{font:16px/1.6 Georgia,serif;margin:0;color:#222;background:#fafafa}
header{padding:1.2em 2em;background:#263238;color:#eceff1}
header h1{margin:0 0 .3em;font-size:1.5em} header p{margin:0;font:13px/1.4 system-ui,sans-serif}
main{display:flex;gap:2em;padding:1.5em 2em;align-items:flex-start}
#text{flex:3;background:#fff;padding:1.5em 2em;border-radius:6px;box-shadow:0 1px 3px #0002;white-space:pre-wrap}
aside{flex:2;font:14px/1.45 system-ui,sans-serif;position:sticky;top:1em;max-height:95vh;overflow:auto}
.ent{padding:.1em .3em;border-radius:.3em;line-height:1}
.ent sub{font:bold 9px system-ui,sans-serif;text-transform:uppercase;margin-left:.3em;vertical-align:middle;opacity:.75}
.claim{border-bottom:2px solid #e5393588} .claim.assertion{border-bottom-color:#1e88e588}
.claim:target,.claim.hl{background:#fff59d}
ol.claims{padding-left:2.6em}  /* room for three-digit numbers */
ol.claims li{margin:0 0 .9em}
.kind{display:inline-block;font-size:11px;padding:0 .4em;border-radius:3px;background:#eceff1;margin-right:.4em}
.score{color:#666;font-size:12px} .flag{font-size:11px;padding:0 4px;border-radius:3px}
.flag.check{background:#fde2b6} .flag.nested{background:#e6e6e6} .who{font-weight:600}
table.ents{border-collapse:collapse;width:100%;margin-bottom:1.2em}
table.ents td{padding:.15em .4em;border-bottom:1px solid #eee}
"""


def render_report(document: dict[str, Any]) -> str:
    """The whole page as one string."""
    text: str = document.get("text") or ""
    title = document.get("title") or (document.get("source") or {}).get("key") or "Article"
    meta = " · ".join(
        str(x)
        for x in (
            document.get("author"),
            document.get("published"),
            document.get("language"),
            f"{document.get('word_count') or len(text.split())} words",
            f"{len(document.get('entities', []))} entities",
            f"{len(document.get('claims', []))} claims",
        )
        if x
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(str(title))}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{html.escape(str(title))}</h1><p>{html.escape(meta)}</p></header>"
        f"<main><article id='text'>{_highlighted(text, document)}</article>"
        f"<aside>{_entity_table(document)}{_claim_list(document)}</aside></main></body></html>"
    )


def _highlighted(text: str, document: dict[str, Any]) -> str:
    """Text cut at every entity and claim boundary; each piece wrapped in what covers it."""
    entity_at: list[tuple[int, int, str]] = []
    for entity in document.get("entities", []):
        for mention in entity["mentions"]:
            entity_at.append((mention["start"], mention["end"], entity["label"]))
    claim_spans: list[tuple[int, int, int, str]] = []
    for number, claim in enumerate(document.get("claims", []), start=1):
        for start, end in claim["content"]["spans"]:
            claim_spans.append((start, end, number, claim["kind"]))
    cuts = {0, len(text)}
    for start, end, _ in entity_at:
        cuts.update((start, end))
    for start, end, _, _ in claim_spans:
        cuts.update((start, end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    anchored: set[int] = set()
    pieces: list[str] = []
    entity_sorted = sorted(entity_at)
    for left, right in itertools.pairwise(bounds):
        if left >= right:
            continue
        piece = html.escape(text[left:right])
        entity = next((lab for s, e, lab in entity_sorted if s <= left and right <= e), None)
        if entity:
            ends_here = any(e == right for s, e, lab in entity_sorted if s <= left and lab == entity)
            tag = f"<sub>{entity}</sub>" if ends_here else ""
            piece = (
                f"<span class='ent' data-label='{entity}' "
                f"style='background:{LABEL_COLOURS.get(entity, '#ddd')}'>{piece}{tag}</span>"
            )
        covering = [(n, kind) for s, e, n, kind in claim_spans if s <= left and right <= e]
        for number, kind in covering:
            anchor = f" id='claim-{number}'" if number not in anchored else ""
            anchored.add(number)
            piece = f"<span class='claim {kind}' data-claim='{number}'{anchor}>{piece}</span>"
        pieces.append(piece)
    return "".join(pieces)


def _entity_table(document: dict[str, Any]) -> str:
    rows = []
    for entity in document.get("entities", [])[:30]:
        colour = LABEL_COLOURS.get(entity["label"], "#ddd")
        aliases = html.escape(", ".join(entity.get("aliases", [])))
        rows.append(
            f"<tr><td><span class='ent' style='background:{colour}'>{html.escape(entity['name'])}"
            f"<sub>{entity['label']}</sub></span></td><td>{entity['count']}×</td>"
            f"<td>{entity['salience']:.2f}</td><td>{aliases}</td></tr>"
        )
    return f"<h2>Entities</h2><table class='ents'>{''.join(rows)}</table>"


def _claim_list(document: dict[str, Any]) -> str:
    items = []
    for number, claim in enumerate(document.get("claims", []), start=1):
        speaker = claim.get("speaker") or {}
        who = speaker.get("entity") or speaker.get("text") or "—"
        if speaker.get("entity") and speaker.get("text") and speaker["text"] != speaker["entity"]:
            who = f"{speaker['entity']} ({speaker['text']})"
        cue = (claim.get("cue") or {}).get("text") or ""
        content = claim["content"]["text"]
        short = content if len(content) <= 280 else content[:279] + "…"
        flags = "".join(
            (
                " <span class='flag check'>check-worthy</span>" if claim.get("check_worthy") else "",
                " <span class='flag nested'>reported inside another claim</span>" if claim.get("nested") else "",
            )
        )
        items.append(
            f"<li class='claim-item' data-kind='{claim['kind']}'><span class='kind'>"
            f"{KIND_NAMES.get(claim['kind'], claim['kind'])}</span><span class='who'>{html.escape(who)}</span> "
            f"<em>{html.escape(cue)}</em> <span class='score'>score {claim['score']:.2f}</span>{flags}<br>"
            f"<a href='#claim-{number}'>{html.escape(short)}</a></li>"
        )
    return f"<h2>Claims</h2><ol class='claims'>{''.join(items)}</ol>"

"""Predictor for the shared quote scorer: article text -> attributions in the scorer's format.

Goes through the project's ``article_pipeline.analyze_raw``, so the benchmark measures what users
get; ``CLAIMS_PREDICTOR=direct`` calls the extractor on the spaCy doc instead (faster to iterate on).
"""

from __future__ import annotations

import os
from typing import Any

KIND = {("direct_quote", "full"): "direct", ("indirect_quote", "partial"): "mixed"}


def _from_claims(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for claim in claims:
        kind = claim.get("kind")
        if kind not in ("direct_quote", "indirect_quote") or claim.get("nested"):
            continue  # PolNeAR annotates the outer statement only, not one reported inside it
        content = claim.get("content") or {}
        spans = content.get("spans") or [[content.get("start"), content.get("end")]]
        speaker = claim.get("speaker") or {}
        cue = claim.get("cue") or {}
        out.append(
            {
                "speaker": _who(speaker.get("text"), speaker.get("entity")),
                "cue": cue.get("text") or "",
                "content": content.get("text") or "",
                "kind": KIND.get((kind, claim.get("quoted")), "direct" if kind == "direct_quote" else "indirect"),
                "content_spans": [list(s) for s in spans],
            }
        )
    return out


def _who(written: str | None, resolved: str | None) -> str:
    """The speaker a reader is told: the person a pronoun was resolved to ("he" -> "Donald Trump"),
    else the speaker as written (descriptions stay as written: the gold names them so)."""
    from article_pipeline.claims.speakers import GROUP_PRONOUNS, PERSON_PRONOUNS

    if resolved and (written or "").strip().lower() in PERSON_PRONOUNS | GROUP_PRONOUNS:
        return resolved
    return written or ""


def from_doc(doc: Any, *, resolve_pronouns: bool = True) -> list[dict[str, Any]]:
    """The scorer's records for the outer statements ``extract_attributions`` finds in a parsed doc."""
    from article_pipeline.claims.quotes import extract_attributions

    return from_attributions(doc, extract_attributions(doc), resolve_pronouns=resolve_pronouns)


def from_attributions(doc: Any, attributions: list[Any], *, resolve_pronouns: bool = True) -> list[dict[str, Any]]:
    """The scorer's records for the outer ones of ``attributions`` (found in ``doc``)."""
    text = doc.text
    out = []
    for a in attributions:
        if a.nested:
            continue
        resolved = text[a.speaker_ref[0] : a.speaker_ref[1]] if a.speaker_ref and resolve_pronouns else None
        out.append(
            {
                "speaker": _who(a.speaker, resolved),
                "cue": a.cue or "",
                "content": " ".join(text[s:e] for s, e in a.content_spans),
                "kind": KIND.get((a.kind, a.quoted), "direct" if a.kind == "direct_quote" else "indirect"),
                "content_spans": [list(s) for s in a.content_spans],
            }
        )
    return out


def _direct(text: str) -> list[dict[str, Any]]:
    from article_pipeline.nlp import load_pipeline

    return from_doc(load_pipeline()(text))


def _via_analyze(text: str) -> list[dict[str, Any]]:
    import article_pipeline

    document = article_pipeline.analyze_raw(text, filename="article.txt")
    claims = _from_claims(document.get("claims", []))
    if document.get("text") != text:
        # cleaning changed the text: offsets no longer fit, let the scorer locate the contents
        for claim in claims:
            claim.pop("content_spans", None)
    return claims


def predict(text: str) -> list[dict[str, Any]]:
    """The scorer's predictor contract: one dict per attributed statement.

    ``CLAIMS_PREDICTOR=direct`` skips the full analysis (faster when iterating on the extractor).
    """
    if os.environ.get("CLAIMS_PREDICTOR", "auto") == "direct":
        return _direct(text)
    return _via_analyze(text)

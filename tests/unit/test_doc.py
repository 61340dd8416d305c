"""Word 97-2003 uploads (cleaning/doc.py): the main text a word processor shows, and its title and author."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest

from article_pipeline.cleaning import clean_raw
from article_pipeline.errors import BinaryInput, NoArticleText, UnsupportedFormat

STATEMENT = Path(__file__).resolve().parents[1] / "fixtures" / "statement.doc"  # see fixtures/README.md


def test_a_word_97_document_is_its_main_text_and_summary() -> None:
    for name in ("statement.doc", "upload", None):
        result = clean_raw(STATEMENT.read_bytes(), filename=name)
        assert result["format"] == "doc"
        assert result["text"].split("\n\n") == [
            "Łódź logistics hub reopens after strike",
            "The inland port of Łódź reopened on Friday, the operator said, after a strike that halted rail "
            "freight for nine days.",
            "“Trains are running again,” said Agnieszka Nowak, a spokeswoman. Read the full report online.",
            "Trains a day",  # a table's cells, one a paragraph
            "140",
            "Κύριος Παπαδόπουλος, a Greek shipper, said deliveries would resume on Monday.",
        ]
        # the footnote and the page header are not the main text; the hyperlink's text is
        assert "weekly report" not in result["text"] and "EMBARGOED" not in result["text"]
        assert (result["title"], result["author"]) == ("Łódź port statement", "Agnieszka Nowak")
        assert result["published"].startswith("2026-11-28")
        assert result["language"] == "en"


def test_a_compressed_word_97_document_is_read_too() -> None:
    assert clean_raw(gzip.compress(STATEMENT.read_bytes()), filename="statement.doc.gz")["format"] == "doc"


def test_an_encrypted_word_97_document_says_so(tmp_path: Path) -> None:
    import olefile

    copy = tmp_path / "locked.doc"
    copy.write_bytes(STATEMENT.read_bytes())
    with olefile.OleFileIO(str(copy), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        word[0x0B] |= 0x01  # FibBase fEncrypted (bit 8 of the flags at 0x0A)
        ole.write_stream("WordDocument", bytes(word))
    with pytest.raises(UnsupportedFormat, match="encrypted"):
        clean_raw(copy.read_bytes(), filename="locked.doc")


def test_a_damaged_word_97_document_fails_with_a_reason_never_a_crash() -> None:
    original = STATEMENT.read_bytes()
    rng = random.Random(20261206)
    for _ in range(60):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 30)):
            damaged[rng.randrange(512, len(damaged))] = rng.randrange(256)
        try:
            result = clean_raw(bytes(damaged), filename="damaged.doc")
        except (UnsupportedFormat, BinaryInput, NoArticleText) as exc:
            assert str(exc)
        else:
            assert result["format"] == "doc"

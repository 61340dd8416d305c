"""The layers install exactly the files that were locked: every requirement pinned, with its hashes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LAYERS = Path(__file__).resolve().parents[2] / "layers"
LOCKS = sorted(LAYERS.glob("*/requirements*.txt"))


def _pins(text: str) -> dict[str, str]:
    return {
        re.sub(r"[-_.]+", "-", name).lower(): version
        for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", text, flags=re.MULTILINE)
    }


@pytest.mark.parametrize("lock", LOCKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_locked_requirement_carries_hashes_and_matches_its_input(lock: Path):
    # Given a layer's lock file and the hand-edited list it was made from
    text = lock.read_text(encoding="utf-8")
    source = lock.with_suffix(".in").read_text(encoding="utf-8")
    # Then every requirement in it is pinned and hashed (pip then installs in hash-checking mode)
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2] if text.startswith("#") else text)
    for block in (b for b in blocks if b.strip() and not b.startswith("#")):
        assert "==" in block.splitlines()[0] and "--hash=sha256:" in block, block.splitlines()[0]
    # and it pins exactly the versions of its input (re-run `make lock-layers` after editing the .in)
    assert _pins(text) == _pins(source)


def test_the_layer_builds_install_with_hash_checking():
    recipe = (LAYERS.parent / "mk" / "layer.mk").read_text(encoding="utf-8")
    assert recipe.count("--require-hashes") == 2

"""Scale mode: synthetic articles recombined from the corpus (filled in below)."""
from __future__ import annotations

from .model import MirrorArticle


def synthetic(outlet: str, n: int, corpus: list[MirrorArticle]) -> list[MirrorArticle]:
    return []

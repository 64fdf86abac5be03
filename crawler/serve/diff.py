"""A readable diff between two versions of an article: paragraphs that stayed the same are
collapsed, changed paragraphs show the words removed (<del>) and added (<ins>)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from markupsafe import Markup, escape

_WORDS = re.compile(r"\S+|\s+")


@dataclass
class Block:
    kind: str  # "same" (collapsed paragraphs), "changed", "added", "removed"
    html: Markup
    count: int = 1  # paragraphs in a "same" block


def _paragraphs(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("\n") if p.strip()]


def _words(old: str, new: str) -> Markup:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(str(escape("".join(a[i1:i2]))))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return Markup("".join(out))


def diff_blocks(old: str | None, new: str | None) -> list[Block]:
    """Paragraph-level alignment first (so a moved or added paragraph is one block), then words
    inside paragraphs that were edited."""
    a, b = _paragraphs(old), _paragraphs(new)
    blocks: list[Block] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            blocks.append(Block("same", Markup(""), i2 - i1))
        elif tag == "replace":
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                blocks.append(Block("changed", _words(a[i1 + k], b[j1 + k])))
            for p in a[i1 + pairs:i2]:
                blocks.append(Block("removed", Markup(f"<del>{escape(p)}</del>")))
            for p in b[j1 + pairs:j2]:
                blocks.append(Block("added", Markup(f"<ins>{escape(p)}</ins>")))
        elif tag == "delete":
            blocks += [Block("removed", Markup(f"<del>{escape(p)}</del>")) for p in a[i1:i2]]
        else:
            blocks += [Block("added", Markup(f"<ins>{escape(p)}</ins>")) for p in b[j1:j2]]
    return blocks

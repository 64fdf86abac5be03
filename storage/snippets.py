"""Snippets: the passage of an article that best shows why it matched, cut from the ORIGINAL text
(harakat, tatweel and spelling as the outlet wrote them), matched words marked.

A written word matches a query term exactly as the index does (storage/search_query.py): its
normalised form is the term, or one of its keys is the term's key. Tokenising a whole article for
every result would cost more than the search itself, so a regular expression per term first finds
the paragraphs that can hold it, on the raw text: the term's key without long vowels, each letter
standing for every character that normalises to it, with long vowels, harakat, tatweel and
invisible marks allowed in between (a key differs from its word only by such letters). Only the
most promising paragraphs are tokenised.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from storage.arabic import clitic_stems, iter_tokens, normalize, skeleton
from storage.search_query import (
    VARIANT_MIN,
    ParsedQuery,
    parse,
    prefix_stem,
    query_key,
    query_stem,
    skeleton_prefix,
    token_keys,
)

_LONG = "اويء"
_SPACE = re.compile(r"\s+")
_PARAGRAPH = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def _char_classes() -> tuple[dict[str, str], str, str]:
    """normalised character → every raw character normalising to it; the raw characters that
    vanish (harakat, tatweel, invisible marks); those plus the long vowels."""
    ranges = [(0x20, 0x250), (0x600, 0x780), (0x8A0, 0x900), (0x200B, 0x2070), (0xFEFF, 0xFF00),
              (0x6F0, 0x6FA)]
    variants: dict[str, set[str]] = {}
    vanish: set[str] = set()
    vowels: set[str] = set()
    for lo, hi in ranges:
        for code in range(lo, hi):
            ch = chr(code)
            norm = normalize(ch) if not ch.isspace() else " "
            if norm == "":
                vanish.add(ch)
            elif norm in _LONG:
                vowels.add(ch)
            if len(norm) == 1:
                variants.setdefault(norm, {norm}).add(ch)
    classes = {k: "[" + "".join(re.escape(c) for c in sorted(v)) + "]"
               for k, v in variants.items()}

    def klass(chars: set[str]) -> str:
        return "[" + "".join(re.escape(c) for c in sorted(chars)) + "]*"

    return classes, klass(vanish), klass(vanish | vowels)


def _needle_regex(key: str) -> re.Pattern[str]:
    """Raw text that can hold a word with this key: the key's letters other than long vowels,
    with long vowels and vanishing marks allowed in between."""
    classes, _, between = _char_classes()
    letters = [c for c in key if c not in _LONG] or list(key[:1])
    if not letters:
        return re.compile("")
    return re.compile(between.join(classes.get(c, re.escape(c)) for c in letters))


def _spelling_regex(word: str) -> re.Pattern[str]:
    """Raw text holding `word` (normalised) as typed, up to harakat, tatweel and letter folds."""
    classes, vanish, _ = _char_classes()
    return re.compile(vanish.join(classes.get(c, re.escape(c)) for c in word))


def exact_counter(parsed: ParsedQuery) -> Callable[[str], int]:
    """A function scoring how literally a text holds the query: one point per plain word spelled
    as typed (not only as a name variant), one more when those words stand next to each other
    in the query's order ("الحرس الوطني" rather than "حرس الحدود … الأمن الوطني")."""
    stems = [query_stem(t.words[0]) for t in parsed.positive_terms()
             if not t.exact and not t.prefix and len(t.words) == 1]
    regexes = [_spelling_regex(stem) for stem in stems]
    if len(regexes) > 1:
        # Word one's suffix (ة, ات, …), a space, word two's proclitics (و, بال, …).
        regexes.append(re.compile(r"\S{0,3}\s+\S{0,4}".join(r.pattern for r in regexes)))
    return lambda text: sum(1 for rx in regexes if rx.search(text))


class Matcher:
    """Which query terms (positive ones) each normalised word matches."""

    def __init__(self, parsed: ParsedQuery) -> None:
        # One test per term: (exact words, key, prefix stem, prefix skeleton).
        self.terms: list[tuple[frozenset[str], str | None, str | None, str | None]] = []
        keys: list[str] = []
        for term in parsed.positive_terms():
            if term.exact or len(term.words) > 1:
                for word in term.words:
                    self.terms.append((frozenset([word]), None, None, None))
                    keys.append(word)
            elif term.prefix:
                word = term.words[0]
                stem = prefix_stem(word)
                self.terms.append((frozenset(), None, stem, skeleton_prefix(stem)))
                keys.append(stem)
            else:
                key = query_key(term.words[0])
                self.terms.append((frozenset([term.words[0]]), key, None, None))
                keys.append(key)
        self.regexes = [_needle_regex(k) for k in keys]
        self._seen: dict[str, frozenset[int]] = {}

    def candidates(self, text: str) -> int:
        """How many terms `text` may contain (an upper bound on those it contains)."""
        return sum(1 for rx in self.regexes if rx.search(text))

    def __call__(self, norm: str) -> frozenset[int]:
        found = self._seen.get(norm)
        if found is None:
            found = self._seen[norm] = frozenset(
                i for i, term in enumerate(self.terms) if self._match(norm, *term))
        return found

    @staticmethod
    def _match(norm: str, exact: frozenset[str], key: str | None, stem: str | None,
               skel: str | None) -> bool:
        if norm in exact or (key is not None and key in token_keys(norm)):
            return True
        if stem is not None and skel is not None:
            return any(r.startswith(stem) or (len(r) >= VARIANT_MIN and
                                              skeleton(r).startswith(skel))
                       for r in clitic_stems(norm))
        return False


def snippet(text: str, query: str | ParsedQuery, words: int = 30,
            mark: tuple[str, str] = ("**", "**")) -> str:
    """About `words` words of the paragraph of `text` with the most distinct query terms, the
    matched words wrapped in `mark`; the text's start, unmarked, if nothing matches."""
    matcher = Matcher(parse(query) if isinstance(query, str) else query)
    text = text or ""
    paragraphs = [(m.start(), m.group()) for m in _PARAGRAPH.finditer(text)]
    ranked = sorted(((matcher.candidates(p), n) for n, (_, p) in enumerate(paragraphs)),
                    key=lambda c: (-c[0], c[1]))
    best: tuple[int, int, list, int] | None = None  # (terms, paragraph, spans, start)
    for bound, n in ranked:
        if bound == 0 or (best is not None and best[0] >= bound):
            break  # no later paragraph can beat the best one
        spans = _spans(*paragraphs[n])
        hits = [(i, t) for i, (_, _, norms) in enumerate(spans) for norm in norms
                for t in matcher(norm)]
        for i, _ in hits:
            lo = max(0, i - words // 4)  # a little context before the first match
            found = len({t for j, t in hits if lo <= j < lo + words})
            if best is None or found > best[0]:
                best = (found, n, spans, lo)
    if best is None:
        for n, para in enumerate(paragraphs):
            spans = _spans(*para)
            if spans:
                best = (0, n, spans, 0)
                break
        else:
            return ""
    found, n, spans, start = best
    end = min(len(spans), start + words)
    out = ["… " if start > 0 or n > 0 else ""]
    pos = spans[start][0]
    for s0, s1, norms in spans[start:end]:
        out.append(text[pos:s0])
        hit = found > 0 and any(matcher(norm) for norm in norms)
        out.append(f"{mark[0]}{text[s0:s1]}{mark[1]}" if hit else text[s0:s1])
        pos = s1
    if end == len(spans):
        out.append(text[pos:paragraphs[n][0] + len(paragraphs[n][1])])  # closing punctuation
    if end < len(spans) or n < len(paragraphs) - 1:
        out.append(" …")
    return _SPACE.sub(" ", "".join(out)).strip()


def _spans(offset: int, para: str) -> list[tuple[int, int, list[str]]]:
    """(start, end, normalised tokens) per written word; one word can hold several tokens."""
    spans: list[tuple[int, int, list[str]]] = []
    for tok in iter_tokens(para):
        start, end = tok.start + offset, tok.end + offset
        if spans and spans[-1][0] == start:
            spans[-1][2].append(tok.norm)
        else:
            spans.append((start, end, [tok.norm]))
    return spans

"""Search text on both sides of the FTS index: what is indexed for an article, how a user's query
becomes an FTS5 expression, and how the matches are shown in the ORIGINAL text.

The FTS5 table holds, per article, four columns (storage/migrations/0004_search.sql):
- `title`, `body`: the `crawler.arabic.tokens()` of the text, one space apart (exact words);
- `title_k`, `body_k`: every token's *match keys* — the token and each reading of it without
  proclitics (و ف ب ل ك ال: "وقيرغيزستان" → "قيرغيزستان"), each folded by `variant_key()`, which
  replaces words of 5+ letters by their `skeleton()` (medial ا و ي ء dropped) so spellings of a
  name that add or drop long vowels meet (فرجينيا/فيرجينيا, أميركي/أمريكي).

A query word matches an article when it is one of its exact words or when its own key (with a
leading ال dropped) is one of the article's keys. Exact matches score in both column pairs, so
they rank above key-only matches. A word in double quotes matches exactly (no keys).

Query syntax: words (all must match), "exact phrase", word* (prefix), a OR b, -word (exclude).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from crawler.arabic import clitic_stems, iter_tokens, skeleton, tokens

VARIANT_MIN = 5  # letters; the topic gazetteers use the same threshold for name variants
_QUERY_ARTICLE_MIN = 3  # "الله" keeps its ال (its stem "له" is a common word)
_LONG = "اويء"
_ARABIC = re.compile(r"^[\u0621-\u064a]+$")
_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')

EXACT_COLUMNS = "{title body}"
KEY_COLUMNS = "{title_k body_k}"
# bm25 weights in column order: title, body, title_k, body_k.
RANK = "bm25(articles_fts, 4.0, 1.0, 2.0, 0.5)"


class QueryError(ValueError):
    """The query cannot be searched (empty, only exclusions, nothing searchable)."""


@lru_cache(maxsize=131072)
def variant_key(stem: str) -> str:
    """The key one proclitic-free reading is indexed under: its skeleton for Arabic words of
    VARIANT_MIN+ letters (where transliterated names vary), the word itself otherwise."""
    if len(stem) >= VARIANT_MIN and _ARABIC.match(stem):
        return skeleton(stem)
    return stem


@lru_cache(maxsize=131072)
def token_keys(token: str) -> tuple[str, ...]:
    """Every key an indexed (normalised) token is reachable by."""
    keys: list[str] = []
    for stem in clitic_stems(token) if _ARABIC.match(token) else (token,):
        key = variant_key(stem)
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def query_key(token: str) -> str:
    """The key a query word is looked up by: ال is optional in the text, so it is dropped."""
    if token.startswith("ال") and len(token) - 2 >= _QUERY_ARTICLE_MIN and _ARABIC.match(token):
        token = token[2:]
    return variant_key(token)


def index_columns(title: str, body: str) -> tuple[str, str, str, str]:
    """(title, body, title_k, body_k) as stored in articles_fts for an article."""
    title_tokens, body_tokens = tokens(title or ""), tokens(body or "")
    return (
        " ".join(title_tokens),
        " ".join(body_tokens),
        " ".join(k for t in title_tokens for k in token_keys(t)),
        " ".join(k for t in body_tokens for k in token_keys(t)),
    )


# The index holds words computed by the code above from crawler.arabic; if that computation
# changes, the stored words no longer match new queries (and cannot be deleted one by one), so
# the store records this fingerprint and a mismatch rebuilds the index. Bump INDEX_VERSION for
# a change the probe below does not exercise.
INDEX_VERSION = "1"
_PROBE = ("مُتَعَدِّدَةٌ الحـــرس العالمیة أإآٱ ىی ةۃہ ؤئ کڪ ٠١٢٣٤٥٦٧٨٩ ۰۱۲ ﻻ ‌ ٫ وبالحرس للحرس "
          "والأميركيين فيرجينيا ميسيسيبي وقيرغيزستان Ünïcode ABC_def 3.7")


@lru_cache(maxsize=1)
def normaliser_fingerprint() -> str:
    probe = repr(index_columns(_PROBE, _PROBE[::-1]))
    return INDEX_VERSION + ":" + hashlib.sha1(probe.encode()).hexdigest()[:12]


# --- queries ------------------------------------------------------------------------------------
@dataclass
class Term:
    words: list[str]  # normalised tokens
    exact: bool = False  # quoted: no keys
    prefix: bool = False


@dataclass
class ParsedQuery:
    groups: list[list[Term]] = field(default_factory=list)  # AND of ORs
    excluded: list[Term] = field(default_factory=list)

    def positive_terms(self) -> list[Term]:
        return [t for g in self.groups for t in g]


def parse(query: str) -> ParsedQuery:
    parsed = ParsedQuery()
    join_next = False
    for m in _QUERY_PART.finditer(query or ""):
        negate, quoted, bare = m.group(1), m.group(2), m.group(3)
        if bare == "OR":
            join_next = bool(parsed.groups)
            continue
        if quoted is not None:
            term = Term(tokens(quoted), exact=True)
        else:
            negate = "-" if bare.startswith("-") and len(bare) > 1 else ""
            raw = bare[1:] if negate else bare
            term = Term(tokens(raw), prefix=raw.endswith("*"))
        if not term.words:
            continue
        if negate:
            parsed.excluded.append(term)
        elif join_next:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        join_next = False
    if not parsed.groups:
        raise QueryError(
            "nothing to search for: give at least one word (exclusions like -word need one too)"
        )
    return parsed


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _skeleton_prefix(stem: str) -> str:
    # A prefix ends mid-word, so its last letter is medial in the full word: drop it like
    # skeleton() drops medial long vowels, then skeleton the rest.
    trimmed = stem.rstrip(_LONG) or stem
    return skeleton(trimmed) if len(trimmed) > 2 else trimmed


def _term_expr(term: Term) -> str:
    exact = f"{EXACT_COLUMNS}: {_quote(' '.join(term.words))}"
    if term.exact or len(term.words) > 1:
        return exact
    word = term.words[0]
    if term.prefix:
        stem = word[2:] if word.startswith("ال") and len(word) > 3 else word
        keys = {_quote(stem) + " *"}
        if _ARABIC.match(stem) and len(stem) >= 3:
            keys.add(_quote(_skeleton_prefix(stem)) + " *")
        return f"({exact} * OR {KEY_COLUMNS}: ({' OR '.join(sorted(keys))}))"
    return f"({exact} OR {KEY_COLUMNS}: {_quote(query_key(word))})"


def fts_expression(query: str | ParsedQuery) -> str:
    """The FTS5 MATCH expression for a user query (raises QueryError)."""
    parsed = parse(query) if isinstance(query, str) else query
    parts = []
    for group in parsed.groups:
        exprs = [_term_expr(t) for t in group]
        parts.append(exprs[0] if len(exprs) == 1 else "(" + " OR ".join(exprs) + ")")
    expr = " AND ".join(parts)
    for term in parsed.excluded:
        expr = f"({expr}) NOT {_term_expr(term)}"
    return expr


# --- snippets -----------------------------------------------------------------------------------
class _Matcher:
    """Decides which words of the original text a query's positive terms match."""

    def __init__(self, parsed: ParsedQuery) -> None:
        self.exact: set[str] = set()
        self.keys: set[str] = set()
        self.prefixes: list[tuple[str, str]] = []
        for term in parsed.positive_terms():
            if term.exact or len(term.words) > 1:
                self.exact.update(term.words)
            elif term.prefix:
                word = term.words[0]
                stem = word[2:] if word.startswith("ال") and len(word) > 3 else word
                self.prefixes.append((stem, _skeleton_prefix(stem)))
            else:
                self.exact.add(term.words[0])
                self.keys.add(query_key(term.words[0]))

    def __call__(self, norm: str) -> int:
        """0: no match, 2: exact word, 1: matched by a key or prefix."""
        if norm in self.exact:
            return 2
        if self.keys and not self.keys.isdisjoint(token_keys(norm)):
            return 1
        for stem, skel in self.prefixes:
            for reading in clitic_stems(norm):
                if reading.startswith(stem) or (
                    len(reading) >= VARIANT_MIN and skeleton(reading).startswith(skel)
                ):
                    return 1
        return 0


def snippet(text: str, query: str | ParsedQuery, words: int = 30,
            mark: tuple[str, str] = ("**", "**")) -> str:
    """The passage of `text` (original spelling) with the most distinct query matches, about
    `words` words long, matched words wrapped in `mark`; the text's start if nothing matches."""
    parsed = parse(query) if isinstance(query, str) else query
    matcher = _Matcher(parsed)
    # One entry per word as written; a written word can hold several tokens ("3٫7" → 3, 7).
    spans: list[tuple[int, int, set[str]]] = []
    for tok in iter_tokens(text or ""):
        if spans and spans[-1][0] == tok.start:
            spans[-1][2].add(tok.norm)
        else:
            spans.append((tok.start, tok.end, {tok.norm}))
    if not spans:
        return ""
    hits = [(i, n) for i, (_, _, norms) in enumerate(spans) for n in norms if matcher(n)]
    start = 0
    if hits:
        best = -1
        for i, _ in hits:
            lo = max(0, i - words // 4)  # a little context before the first match
            distinct = len({n for j, n in hits if lo <= j < lo + words})
            if distinct > best:
                best, start = distinct, lo
    end = min(len(spans), start + words)
    hit_idx = {i for i, _ in hits}
    out = ["… " if start > 0 else ""]
    pos = spans[start][0]
    for i in range(start, end):
        s0, s1, _ = spans[i]
        out.append(text[pos:s0])
        out.append(f"{mark[0]}{text[s0:s1]}{mark[1]}" if i in hit_idx else text[s0:s1])
        pos = s1
    if end < len(spans):
        out.append(" …")
    else:
        out.append(text[pos:])  # the closing punctuation
    return _SPACE.sub(" ", "".join(out)).strip()


_SPACE = re.compile(r"\s+")

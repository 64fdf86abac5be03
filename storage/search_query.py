"""Search text on both sides of the FTS index: what is indexed for an article and how a user's
query becomes an FTS5 expression (storage/snippets.py shows the matches in the original text).

The FTS5 table (storage/migrations/0004_search_contentless.sql) indexes four columns:
- `title`, `body`: the `storage.arabic.tokens()` of the text, one space apart (exact words);
- `title_k`, `body_k`: every token's *match keys* — the token and each reading of it without
  proclitics (و ف ب ل ك ال: "وقيرغيزستان" → "قيرغيزستان"), each folded by `variant_key()`, which
  replaces words of 5+ letters by their `skeleton()` (medial ا و ي ء dropped) so spellings of a
  name that add or drop long vowels meet (فرجينيا/فيرجينيا, أميركي/أمريكي).

A query word matches an article when its key (the word without a leading ال, folded the same
way) is one of the article's keys; the exact columns serve "quoted" words and phrases, which
match exactly. Ranking (storage/search.py) puts articles with the exact spelling first.

Query syntax: words (all must match), "exact phrase", word* (prefix), a OR b, -word (exclude).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from storage.arabic import clitic_stems, skeleton, tokens

VARIANT_MIN = 5  # letters; the topic gazetteers use the same threshold for name variants
_QUERY_ARTICLE_MIN = 3  # "الله" keeps its ال (its stem "له" is a common word)
_LONG = "اويء"
_ARABIC = re.compile(r"^[\u0621-\u064a]+$")
_QUERY_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')

EXACT_COLUMNS = "{title body}"
KEY_COLUMNS = "{title_k body_k}"
# bm25 weights in column order: title, body, title_k, body_k.
RANK = "bm25(articles_fts, 4.0, 1.0, 4.0, 1.0)"


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


def query_stem(token: str) -> str:
    """A query word without its ال (optional in the text)."""
    if token.startswith("ال") and len(token) - 2 >= _QUERY_ARTICLE_MIN and _ARABIC.match(token):
        return token[2:]
    return token


def query_key(token: str) -> str:
    """The key a query word is looked up by."""
    return variant_key(query_stem(token))


def index_columns(title: str, body: str) -> tuple[str, str, str, str]:
    """(title, body, title_k, body_k) as stored in articles_fts for an article."""
    title_tokens, body_tokens = tokens(title or ""), tokens(body or "")
    return (
        " ".join(title_tokens),
        " ".join(body_tokens),
        " ".join(k for t in title_tokens for k in token_keys(t)),
        " ".join(k for t in body_tokens for k in token_keys(t)),
    )


# The index holds words computed by the code above from storage.arabic; if that computation
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


def skeleton_prefix(stem: str) -> str:
    # A prefix ends mid-word, so its last letter is medial in the full word: drop it like
    # skeleton() drops medial long vowels, then skeleton the rest.
    trimmed = stem.rstrip(_LONG) or stem
    return skeleton(trimmed) if len(trimmed) > 2 else trimmed


def _term_expr(term: Term) -> str:
    if term.exact or len(term.words) > 1:
        return f"{EXACT_COLUMNS}: {_quote(' '.join(term.words))}"
    # A word's keys include the word itself, so matching the keys alone finds every exact
    # occurrence too: one posting list per word (search.py ranks exact spellings first).
    word = term.words[0]
    if term.prefix:
        stem = prefix_stem(word)
        keys = {_quote(stem) + " *"}
        if _ARABIC.match(stem) and len(stem) >= 3:
            keys.add(_quote(skeleton_prefix(stem)) + " *")
        return f"{KEY_COLUMNS}: ({' OR '.join(sorted(keys))})"
    return f"{KEY_COLUMNS}: {_quote(query_key(word))}"


def prefix_stem(word: str) -> str:
    return word[2:] if word.startswith("ال") and len(word) > 3 else word


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

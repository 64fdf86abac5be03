"""Compiled term vocabulary: finds configured phrases in a token list.

Terms are compiled once per topic; an article is scanned once for all groups, exclusions,
proximity targets and gazetteer names. A text token matches a term word when one of its clitic
readings (`storage.arabic.clitic_stems`) equals the word (or starts with it, for `word*`); for
gazetteer names of five letters or more, the vowel-less `skeleton()` of a reading may match too.
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import NamedTuple

from storage.arabic import Token, clitic_stems, normalize, skeleton

ANY = -1  # the `?` word
_FUZZY_MIN = 5  # names shorter than this are matched exactly: قطر must not match قطار
_SKELETON_MIN = 4  # …and a skeleton this short would collide with common words
_LONG_VOWELS = frozenset("اويء")
_CACHE_MAX = 50_000


class Hit(NamedTuple):
    phrase: int
    start: int  # token index, inclusive
    end: int  # token index, exclusive


def _bare(raw_word: str, word: str) -> str:
    """Drop the definite article of a term word, so الحرس also matches حرس (and وحرس, بحرس).

    Only a bare-alef ال is an article: إلينوي and ألاسكا start with part of the name (hamzat
    qat'), and stripping it would make إلينوي match the verb ينوي."""
    if raw_word.startswith("ال") and word.startswith("ال") and len(word) - 2 >= 3:
        return word[2:]
    return word


def _skeleton_prefix(prefix: str) -> str:
    # In a prefix every letter after the first is medial in the full word.
    return prefix[0] + "".join(ch for ch in prefix[1:] if ch not in _LONG_VOWELS)


class Lexicon:
    def __init__(self) -> None:
        self._word_ids: dict[tuple[str, str], int] = {}
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[tuple[str, int]]] = {}  # keyed by the first two letters
        self._skel_exact: dict[str, list[int]] = {}
        self._skel_prefix: dict[str, list[tuple[str, int]]] = {}
        self.phrases: list[tuple[int, ...]] = []
        self.owners: list[list[Hashable]] = []
        self._phrase_ids: dict[tuple[int, ...], int] = {}
        self._by_first: dict[int, list[int]] = {}
        self._cache: dict[str, frozenset[int]] = {}
        # first word id → ((phrase id, the phrase's other words), ...): built at the first scan
        self._follow: dict[int, tuple[tuple[int, tuple[int, ...]], ...]] | None = None

    # --- compiling ---------------------------------------------------------------------------
    def add(self, term: str, owner: Hashable, fuzzy: bool = False) -> None:
        """Register `term` (config syntax) for `owner`; `fuzzy` enables skeleton matching."""
        words = tuple(self._word(raw, fuzzy) for raw in term.split())
        self._follow = None
        pid = self._phrase_ids.get(words)
        if pid is None:
            pid = self._phrase_ids[words] = len(self.phrases)
            self.phrases.append(words)
            self.owners.append([])
            self._by_first.setdefault(words[0], []).append(pid)
        if owner not in self.owners[pid]:
            self.owners[pid].append(owner)

    def _word(self, raw: str, fuzzy: bool) -> int:
        if raw == "?":
            return ANY
        is_prefix = raw.endswith("*")
        text = raw.rstrip("*")
        norm = normalize(text).replace(" ", "")
        if not norm:
            raise ValueError(f"term word {raw!r} is empty after normalisation")
        key = _bare(text, norm)
        kind = ("prefix" if is_prefix else "exact") + ("~" if fuzzy else "")
        wid = self._word_ids.get((kind, key))
        if wid is not None:
            return wid
        wid = self._word_ids[(kind, key)] = len(self._word_ids)
        if is_prefix:
            self._prefix.setdefault(key[:2], []).append((key, wid))
        else:
            self._exact.setdefault(key, []).append(wid)
        # A prefix ending in a long vowel (أردني*) is a nisba adjective: its skeleton would drop
        # that vowel and match unrelated names (أردني* → اردن… → "أردنت سانتري").
        if fuzzy and len(key) >= _FUZZY_MIN and not (is_prefix and key[-1] in _LONG_VOWELS):
            skel = _skeleton_prefix(key) if is_prefix else skeleton(key)
            if len(skel) >= _SKELETON_MIN:
                if is_prefix:
                    self._skel_prefix.setdefault(skel[:2], []).append((skel, wid))
                else:
                    self._skel_exact.setdefault(skel, []).append(wid)
        return wid

    # --- scanning ----------------------------------------------------------------------------
    def words_of(self, token: str) -> frozenset[int]:
        """Ids of the term words a normalised token can be."""
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        ids: set[int] = set()
        for stem in clitic_stems(token):
            ids.update(self._exact.get(stem, ()))
            for key, wid in self._prefix.get(stem[:2], ()):
                if stem.startswith(key):
                    ids.add(wid)
            if self._skel_exact or self._skel_prefix:
                skel = skeleton(stem)
                ids.update(self._skel_exact.get(skel, ()))
                for key, wid in self._skel_prefix.get(skel[:2], ()):
                    if skel.startswith(key):
                        ids.add(wid)
        result = frozenset(ids)
        if len(self._cache) >= _CACHE_MAX:
            self._cache.clear()  # crude, but bounded; a crawl's vocabulary refills it quickly
        self._cache[token] = result
        return result

    def scan(self, toks: Sequence[Token]) -> list[Hit]:
        """Every occurrence of every phrase (overlaps included; callers resolve them)."""
        cache, words_of = self._cache, self.words_of
        sets = [cache[t.norm] if t.norm in cache else words_of(t.norm) for t in toks]
        follow = self._follow
        if follow is None:
            follow = self._follow = {
                wid: tuple((pid, self.phrases[pid][1:]) for pid in pids)
                for wid, pids in self._by_first.items()}
        hits: list[Hit] = []
        n = len(sets)
        for i, ids in enumerate(sets):
            if not ids:
                continue
            for wid in ids:
                for pid, rest in follow.get(wid, ()):
                    end = i + 1 + len(rest)
                    if end > n:
                        continue
                    k = i
                    for w in rest:
                        k += 1
                        if w != ANY and w not in sets[k]:
                            break
                    else:
                        hits.append(Hit(pid, i, end))
        return hits

"""Text fingerprints for deduplication: an exact content hash and a MinHash signature with LSH
band keys, both computed on `storage.arabic.normalize()`d word tokens.

- `content_hash`: the normalised body's tokens joined by one space, hashed. Harakat, tatweel,
  hamza seats, ى/ي, ة/ه, Arabic-Indic digits, punctuation and whitespace do not change it.
- `signature`: a MinHash of the set of word bigrams (shingles), one-permutation hashing into
  SIGNATURE_SIZE bins with "optimal densification" (Shrivastava 2017) for empty bins, so a whole
  signature costs one pass over the shingles instead of one pass per hash function. The share of
  equal bins between two signatures estimates the Jaccard similarity of their shingle sets.
- `band_keys`: the signature cut into BANDS bands of ROWS bins, each hashed to one integer. Two
  texts whose signatures agree on a whole band are candidates; the store indexes the keys, so
  finding candidates is an index lookup per band, never a scan (see README, "Deduplication").

Why bigrams: a reprint keeps almost all of them (an added intro line or clutter only adds a
few), a light edit of one word loses two, while two articles written separately about one event
share names ("الحرس الوطني", "آسيا الوسطى") but few bigrams overall. Unigrams make same-event
articles look alike; trigrams punish light edits too hard. Measured in tests/test_dedup_pairs.py.
"""
from __future__ import annotations

import hashlib
import operator
import random
from array import array
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from storage.arabic import tokens

SIGNATURE_SIZE = 128  # bins; estimate's standard error is sqrt(J(1-J)/128) ≈ 0.044 at J = 0.5
ROWS = 3  # bins per band
BANDS = SIGNATURE_SIZE // ROWS  # 42 bands (126 bins): P(candidate) = 1 - (1 - J^3)^42, which is
# 0.68 at J = 0.3, 0.94 at 0.4, 0.996 at 0.5, and 0.03% for unrelated texts (J = 0.02)
MIN_SHINGLES = 20  # below this a text is too short to say it is "nearly" another one
# Near-duplicate when the estimated Jaccard similarity of bigram sets reaches this. See README
# ("Deduplication") for the measured distributions it sits between.
NEAR_DUPLICATE = 0.3

_MASK64 = (1 << 64) - 1
_K1, _K2, _K3 = 0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9  # odd 64-bit constants
_BIN_BITS = SIGNATURE_SIZE.bit_length() - 1
_EMPTY = 0xFFFFFFFF + 1
# Densification: an empty bin borrows the value of the first non-empty bin in its own fixed
# pseudo-random probe order; every text uses the same orders, so borrowed values stay comparable.
# Each order is made the first time a text leaves that bin empty: all 128 at import took ~8 ms
# of every crawl's start, also of a crawl that stores nothing.
@lru_cache(maxsize=SIGNATURE_SIZE)
def _probes(j: int) -> list[int]:
    return random.Random(j).sample(range(SIGNATURE_SIZE), SIGNATURE_SIZE)


def normalized_tokens(text: str) -> list[str]:
    return tokens(text)


def content_hash(words: Sequence[str]) -> str:
    """Hash of the normalised token sequence (exact-duplicate key)."""
    return hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=16).hexdigest()


@lru_cache(maxsize=131072)
def _token_hash(word: str) -> int:
    # Stable across processes (Python's hash() of str is salted per process).
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "big")


def _mix(x: int) -> int:
    # splitmix64 finaliser: spreads the combined token hashes over all 64 bits.
    x = (x + 0x9E3779B97F4A7C15) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    return x ^ (x >> 31)


def shingles(words: Sequence[str]) -> set[int]:
    """64-bit hashes of the word bigrams: multiply-shift over the two (random) token hashes, so
    the HIGH bits are well mixed; `signature` reads its bin and value from those."""
    hashes = [_token_hash(w) for w in words]
    return {(a * _K1 + b) & _MASK64 for a, b in pairwise(hashes)}


def signature(words: Sequence[str]) -> bytes | None:
    """MinHash signature (SIGNATURE_SIZE unsigned 32-bit values, packed), or None for a text with
    fewer than MIN_SHINGLES shingles."""
    hashed = shingles(words)
    if len(hashed) < MIN_SHINGLES:
        return None
    bins = [_EMPTY] * SIGNATURE_SIZE
    bin_shift = 64 - _BIN_BITS
    value_shift = bin_shift - 32
    for h in hashed:
        b = h >> bin_shift
        v = (h >> value_shift) & 0xFFFFFFFF
        if v < bins[b]:
            bins[b] = v
    filled = list(bins)
    for j, v in enumerate(bins):
        if v == _EMPTY:
            filled[j] = next(bins[t] for t in _probes(j) if bins[t] != _EMPTY)
    return array("I", filled).tobytes()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    if len(a) != len(b):
        raise ValueError("signatures of different sizes")
    if len(a) == SIGNATURE_BYTES:
        return equal_bins(as_int(a), as_int(b)) / SIGNATURE_SIZE
    sa, sb = array("I"), array("I")
    sa.frombytes(a)
    sb.frombytes(b)
    return sum(map(operator.eq, sa, sb)) / SIGNATURE_SIZE


# Comparing two signatures bin by bin in Python (an array each, 128 comparisons) cost ~11 µs,
# and a lookup compares a new text with up to MAX_CANDIDATES stored ones. As one integer each,
# the bins that agree are the 32-bit lanes of a XOR b that are zero, counted in a few big-integer
# operations: a lane's top bit of ((x & LOW) + LOW) | x is set iff the lane is not zero (LOW is
# 0x7FFFFFFF per lane, so no carry leaves a lane).
SIGNATURE_BYTES = 4 * SIGNATURE_SIZE
_LOW = int.from_bytes(b"\xff\xff\xff\x7f" * SIGNATURE_SIZE, "little")
_HIGH = int.from_bytes(b"\x00\x00\x00\x80" * SIGNATURE_SIZE, "little")


def as_int(sig: bytes) -> int:
    """A signature of SIGNATURE_SIZE bins as one integer, for `equal_bins`."""
    return int.from_bytes(sig, "little")


def equal_bins(a: int, b: int) -> int:
    """How many of the SIGNATURE_SIZE bins two signatures (`as_int`) have equal."""
    x = a ^ b
    return (~(((x & _LOW) + _LOW) | x | _LOW) & _HIGH).bit_count()


# A new article's keys are needed for its lookup, then its indexing, in the same write: a few
# hundred entries cover a batch of writes. Each entry is ~2 KB (42 ints and the signature), so
# 4,096 of them were 8 MB that a long crawl filled and kept (its memory grew with its articles).
@lru_cache(maxsize=256)
def band_keys(sig: bytes) -> tuple[int, ...]:
    """One signed 32-bit key per band (4 bytes in SQLite: a small index); the band number is
    hashed in, so equal values in different bands do not collide. 32 bits leave a chance of
    about 1e-5 per key that an unrelated article shares it at 100,000 articles: a stray candidate
    costs one signature comparison. Stored in article_bands: changing this function means
    rebuilding that table from the fingerprints."""
    values = array("I")
    values.frombytes(sig)
    keys = []
    for band in range(BANDS):
        i = band * ROWS
        x = _mix((values[i] * _K1 + values[i + 1] * _K2 + values[i + 2] * _K3 + band) & _MASK64)
        x >>= 32
        keys.append(x - (1 << 32) if x >> 31 else x)
    return tuple(keys)


def jaccard(a: Sequence[str], b: Sequence[str]) -> float:
    """Exact Jaccard similarity of two token sequences' bigram sets (for tests and tuning)."""
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 1.0

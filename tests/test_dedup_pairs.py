"""Near-duplicate matching measured on a labelled set of article pairs (tests/data/dedup/):
reprints (another outlet, an intro line, its own clutter) and near-reprints (light edits) must
share a story; the same event written separately, and unrelated articles, must not.

Each pair goes through the real store (LSH band lookup, signature estimate, threshold) in a
fresh SQLite file; precision and recall are computed over the pairs and printed (`pytest -s`).
"""
from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from crawler.dev.mirror.corpus import OUTLETS, load_outlet
from storage import fingerprint as fp
from storage.arabic import tokens
from storage.articles import ArticleStore
from storage.db import connect
from storage.record import Article

DATA = Path(__file__).parent / "data" / "dedup"
TEXTS = json.loads((DATA / "articles.json").read_text(encoding="utf-8"))["articles"]
PAIRS = [json.loads(line) for line in (DATA / "pairs.jsonl").read_text("utf-8").splitlines()
         if line.strip()]


def body(key: str) -> str:
    return "\n".join(TEXTS[key]["body"])


def add(store: ArticleStore, key: str, n: int) -> int:
    text = TEXTS[key]
    url = f"https://{text['outlet']}.example/{n}/{key}"
    a = Article(url=url, canonical_url=url, outlet=text["outlet"], title=text["title"],
                body=body(key))
    return store.add(a, url).story_id or 0


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[dict, bool]]:
    out = []
    for i, pair in enumerate(PAIRS):
        store = ArticleStore(connect(tmp_path_factory.mktemp("pair") / f"{i}.db"), listeners=[])
        same = add(store, pair["a"], 1) == add(store, pair["b"], 2)
        store.db.conn.close()
        out.append((pair, same))
    return out


def test_labelled_set_covers_every_kind() -> None:
    kinds = Counter(p["label"] for p in PAIRS)
    assert set(kinds) == {"reprint", "near_reprint", "same_event", "unrelated"}
    assert min(kinds.values()) >= 6
    assert all(p["same_story"] == (p["label"] in ("reprint", "near_reprint")) for p in PAIRS)


def test_precision_and_recall(verdicts: list[tuple[dict, bool]]) -> None:
    tp = sum(1 for p, same in verdicts if same and p["same_story"])
    fp_ = sum(1 for p, same in verdicts if same and not p["same_story"])
    fn = sum(1 for p, same in verdicts if not same and p["same_story"])
    precision = tp / (tp + fp_) if tp + fp_ else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    by_label = Counter((p["label"], same == p["same_story"]) for p, same in verdicts)
    print(f"\ndedup pairs: precision {precision:.2f} recall {recall:.2f} "
          f"(tp {tp}, fp {fp_}, fn {fn}) {dict(by_label)}")
    wrong = [(p["a"], p["b"], p["label"]) for p, same in verdicts if same != p["same_story"]]
    assert precision >= 0.95, wrong
    assert recall >= 0.9, wrong


def test_threshold_sits_in_the_gap() -> None:
    """The exact bigram Jaccard similarity of every labelled pair: the threshold must stay
    clear of both sides by more than the signature's estimation error (≈ 0.04)."""
    same, different = [], []
    for pair in PAIRS:
        j = fp.jaccard(tokens(body(pair["a"])), tokens(body(pair["b"])))
        (same if pair["same_story"] else different).append(j)
    print(f"\nbigram Jaccard: same story {min(same):.2f}..{max(same):.2f}, "
          f"different {min(different):.2f}..{max(different):.2f}, "
          f"threshold {fp.NEAR_DUPLICATE}")
    assert max(different) + 0.1 <= fp.NEAR_DUPLICATE <= min(same) - 0.1


def test_signature_estimates_track_exact_similarity() -> None:
    for pair in PAIRS:
        a, b = tokens(body(pair["a"])), tokens(body(pair["b"]))
        estimate = fp.similarity(fp.signature(a), fp.signature(b))
        assert abs(estimate - fp.jaccard(a, b)) < 0.15, pair


def test_mirror_corpus_articles_keep_their_own_stories(tmp_path: Path) -> None:
    """The mirror's corpus: dozens of articles on the same few partnerships, exercises and
    countries. Through one store, pairs that are far apart (bigram Jaccard < 0.2) must never
    share a story, and any pair at or above 0.5 must."""
    store = ArticleStore(connect(tmp_path / "corpus.db"), listeners=[])
    stories, words = {}, {}
    for outlet in OUTLETS:
        for i, a in enumerate(load_outlet(outlet)):
            url = f"https://{outlet}.example/{i}"
            text = "\n".join(a.paragraphs)
            article = Article(url=url, canonical_url=url, outlet=outlet, title=a.title, body=text)
            stories[url] = store.add(article, url).story_id
            words[url] = tokens(text)
    assert len(stories) >= 60
    for x, y in itertools.combinations(stories, 2):
        j = fp.jaccard(words[x], words[y])
        if j < 0.2:
            assert stories[x] != stories[y], (x, y, j)
        elif j >= 0.5:
            assert stories[x] == stories[y], (x, y, j)


def test_equal_bins_counts_what_a_bin_by_bin_comparison_counts() -> None:
    """similarity() compares two signatures as integers (lanes of a XOR); every edge value of a
    32-bit bin (0, the top bit alone, all ones) counts as the plain comparison does."""
    import random
    from array import array

    rng = random.Random(7)
    edges = [0, 1, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF]
    for _ in range(2000):
        a = [rng.choice([*edges, rng.getrandbits(32)]) for _ in range(fp.SIGNATURE_SIZE)]
        share = rng.random()
        b = [x if rng.random() < share else rng.choice([*edges, rng.getrandbits(32)])
             for x in a]
        plain = sum(x == y for x, y in zip(a, b, strict=True)) / fp.SIGNATURE_SIZE
        assert fp.similarity(array("I", a).tobytes(), array("I", b).tobytes()) == plain

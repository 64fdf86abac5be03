"""`rasad extract` on the five seed articles as the mirror serves them: paragraphs, title, date,
caption once, and none of the clutter the seed dumps show around them."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.dev.mirror import iter_pages
from tests.conftest import MIRROR_CONFIG, ROOT, rasad

CORPUS = ROOT / "crawler" / "dev" / "mirror" / "corpus"
# Clutter seen in the seed dumps (../shared/seeds): share bars, counters, widgets, comment
# prompts, footers of the three templates.
CLUTTER = [
    "شارك هذا المقال", "هل أعجبك هذا المقال", "سياسة التعليقات", "يرجى إدخال الأرقام",
    "Reading Time", "SHARES", "VIEWS", "No Result", "View All Result", "Previous Post",
    "Next Post", "Share on Facebook", "ShareTweet", "Read more", "مقالات ذات صلة", "الأكثر قراءة",
    "جميع الحقوق محفوظة", "ترك الرد", "من فضلك ادخل", "Advertisment", "Google search engine",
    "الأكثر شهرة", "احدث التعليقات", "Login", "Forgotten Password",
]


def seed_titles() -> set[str]:
    titles = set()
    for path in CORPUS.glob("*/seeds.json"):
        for article in json.loads(path.read_text(encoding="utf-8"))["articles"]:
            titles.add(article["title"])
    return titles


SEED_PAGES = [p for p in iter_pages() if p.truth["title"] in seed_titles()]


def test_all_five_seeds_are_on_the_mirror() -> None:
    assert len(SEED_PAGES) == 5
    assert sorted({p.outlet for p in SEED_PAGES}) == ["alqaed", "centcomcitadel", "maseer"]


@pytest.mark.parametrize("page", SEED_PAGES, ids=lambda p: p.url.rsplit("/", 1)[-1])
def test_seed_comes_out_clean(page, tmp_path: Path) -> None:  # noqa: ANN001
    saved = tmp_path / "page.html"
    saved.write_bytes(page.body)
    out = rasad("extract", "--config", str(MIRROR_CONFIG), str(saved),
                "--url", page.url).stdout
    article = json.loads(out)
    truth = page.truth
    assert article["title"] == truth["title"]
    assert article["published"][:10] == truth["published"]
    assert article["body"].split("\n") == truth["body"].split("\n")
    for phrase in CLUTTER:
        assert phrase not in article["body"], phrase
    if truth["caption"]:
        assert article["caption"] == truth["caption"]
        assert truth["caption"] not in article["body"]
    assert article["outlet"] == page.outlet


def test_several_files_take_their_url_from_the_canonical_link(tmp_path: Path) -> None:
    files = []
    for n, page in enumerate(SEED_PAGES[:3]):
        files.append(tmp_path / f"{n}.html")
        files[-1].write_bytes(page.body)
    lines = rasad("extract", "--config", str(MIRROR_CONFIG),
                  *map(str, files)).stdout.splitlines()
    got = [json.loads(line) for line in lines]
    assert [g["title"] for g in got] == [p.truth["title"] for p in SEED_PAGES[:3]]
    assert all(g["canonical_url"] and g["outlet"] for g in got)


def test_non_article_and_junk_files_report_an_error(tmp_path: Path) -> None:
    empty, binary = tmp_path / "empty.html", tmp_path / "image.html"
    empty.write_bytes(b"")
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    proc = rasad("extract", str(empty), str(binary), "--url",
                 "https://maseer.net/archives/1", check=False)
    assert proc.returncode == 1
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["file"] for r in records] == [str(empty), str(binary)]
    assert all(r["error"] and "title" not in r for r in records)

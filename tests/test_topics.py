from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from crawler.dev.bench.topics import DATA, load_set, run
from crawler.topics import TopicConfigError, classify, load_rules, load_topics, match
from crawler.topics.rules import DEFAULT_TOPICS

ROWS = {r["id"]: r for name in ("eval", "heldout") for r in load_set(DATA / f"{name}.jsonl")}


@pytest.fixture(scope="module")
def partnership():
    """The rules these tests were written for (issues 6-10): since issue 11 they are the broader
    `regional_military_cooperation` topic; `partnership` itself is tested in test_topics_roles."""
    return load_topics()["regional_military_cooperation"]


# --- config validation ---------------------------------------------------------------------------
MINIMAL = """
[countries]
QA = { name = "قطر", region = "gulf", names = ["قطر"] }
[states]
WV = { name = "فرجينيا الغربية", names = ["فرجينيا الغربية"], partners = ["QA"] }
[topics.demo]
label = "demo"
threshold = 1.0
watched_regions = ["gulf"]
require = ["guard"]
[topics.demo.groups.guard]
weight = 2.0
terms = ["الحرس الوطني"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "topics.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_file_loads(tmp_path: Path) -> None:
    topics = load_topics(write(tmp_path, MINIMAL))
    m = topics["demo"].match("قطر وحرس فرجينيا الغربية", "وبالحرس الوطني")
    assert m.matched and m.terms == {"guard": {"الحرس الوطني": 1}}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("weight = 2.0", "wieght = 2.0", r"topic 'demo': key 'groups\.guard\.wieght': unknown key"),
        ("weight = 2.0", 'weight = "high"', r"topic 'demo': key 'groups\.guard\.weight'"),
        ("threshold = 1.0", "", r"topic 'demo': key 'threshold': missing required key"),
        ('require = ["guard"]', 'require = ["gaurd"]',
         r"topic 'demo': key 'require\.0': unknown group or feature 'gaurd'"),
        ('require = ["guard"]', 'require = ["guard >> 2"]', r"topic 'demo': key 'require'"),
        ('watched_regions = ["gulf"]', 'watched_regions = ["golf"]',
         r"topic 'demo': key 'watched_regions': unknown region 'golf'"),
        ('terms = ["الحرس الوطني"]', 'terms = ["ح*"]',
         r"topic 'demo': key 'groups\.guard\.terms'.*shorter than 3 letters"),
        ('terms = ["الحرس الوطني"]', 'terms = ["الحرس ?"]',
         r"key 'groups\.guard\.terms'.*concrete word"),
        ('terms = ["الحرس الوطني"]', 'terms = ["الحرس"]\nnear = ["@country:XX"]',
         r"key 'groups\.guard\.near': unknown country"),
        ('partners = ["QA"]', 'partners = ["KW"]', r"state 'WV': key 'partners': unknown country"),
        ('names = ["قطر"]', "names = []", r"country 'QA': key 'names'"),
        ("[countries]", "colour = 1\n[countries]", r"unknown top-level key 'colour'"),
        ("[topics.demo]", "Demo = 1\n[topics.demo]", r"states id 'Demo' must match"),
    ],
)
def test_config_errors_name_file_topic_and_key(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in MINIMAL
    path = write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(TopicConfigError) as err:
        load_rules(path)
    message = str(err.value)
    assert message.startswith(str(path)), message
    assert re.search(expected, message), message


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(TopicConfigError, match="not found"):
        load_rules(tmp_path / "missing.toml")
    with pytest.raises(TopicConfigError, match="not valid TOML"):
        load_rules(write(tmp_path, "[topics.demo\n"))


def test_shipped_config_is_valid() -> None:
    rules = load_rules(DEFAULT_TOPICS)
    assert "partnership" in rules.topics
    gulf_and_central_asia = {"SA", "QA", "KW", "BH", "AE", "OM", "KZ", "KG", "TJ", "TM", "UZ"}
    assert gulf_and_central_asia <= set(rules.countries)
    spp = {code: s.partners for code, s in rules.states.items() if s.partners}
    assert spp["VA"] == ["TJ"] and spp["WV"] == ["QA"] and spp["MS"] == ["UZ"]


# --- quality on the labelled set -----------------------------------------------------------------
@pytest.mark.parametrize("topic_id", ["partnership", "regional_military_cooperation"])
def test_precision_and_recall_on_labelled_sets(topic_id: str) -> None:
    report = run(topic_id)
    for name in ("eval", "heldout", "all"):
        r = report[name]
        assert r["precision"] >= 0.9, (name, r["errors"])
        assert r["recall"] >= 0.9, (name, r["errors"])
    assert report["eval"]["n"] >= 40
    negatives = [row for row in ROWS.values() if row["label"] == "other"]
    assert len(negatives) >= 15


def test_eval_set_shape() -> None:
    for row in ROWS.values():
        assert row["label"] in ("partnership", "other")
        assert row["note"], row["id"]
        assert row["body"].count("\n") >= 1 or row["id"].startswith("seed"), row["id"]
    assert {f"seed-00{i}" for i in range(5)} <= set(ROWS)
    assert all(ROWS[f"seed-00{i}"]["label"] == "partnership" for i in range(5))


# --- explanations --------------------------------------------------------------------------------
def test_seed_000_explained(partnership) -> None:
    row = ROWS["seed-000"]
    m = match(partnership, row["title"], row["body"])
    assert m.matched and m.score >= m.threshold
    assert m.countries["TJ"] >= 5 and "US" in m.countries
    assert m.states["VA"] >= 3
    assert "برنامج الشراكة بين الدول" in m.terms["spp"]
    assert m.excluded_by == []
    text = "\n".join(m.reasons)
    assert m.reasons[0].startswith("matched: score")
    assert "«برنامج الشراكة بين الدول»" in text
    assert "VA↔TJ" in text  # the SPP pair
    # the title's "وحرس فرجينيا الوطني" is quoted as written, clitic and all
    assert "«وحرس فرجينيا الوطني»" in text
    for ev in m.evidence:
        source = row["title"] if ev.field == "title" else row["body"]
        assert re.sub(r"\s+", " ", source[ev.start : ev.end]) == ev.surface
    json.dumps(m.to_dict(), ensure_ascii=False)


def test_surface_keeps_original_spelling(partnership) -> None:
    m = partnership.match(
        "الحـــرس الوطنيّ لولاية فيرجينيا يدرّب قوات طاجيكية",
        "في إطار بَرنامج الشراكة بين الدول، نفذ الطرفان تدريبات مشتركة مع طاجيكستان.",
    )
    assert m.matched
    surfaces = {ev.surface for ev in m.evidence}
    assert "الحـــرس الوطنيّ لولاية فيرجينيا" not in surfaces  # the state is not part of the term
    assert "الحـــرس الوطنيّ" in surfaces
    assert "بَرنامج الشراكة بين الدول" in surfaces
    assert m.states == {"VA": 1}


@pytest.mark.parametrize(
    ("row_id", "why"),
    [
        ("neg-sang-graduation", "sang"),  # Saudi Ministry of National Guard
        ("neg-sang-health-partnership", "sang"),
        ("neg-kw-guard-volunteers", "sang"),  # Kuwait National Guard
        ("neg-us-texas-border", "domestic_deployment"),  # US Guard at home
        ("neg-us-wv-floods", "domestic_deployment"),  # same state as seed 001
        ("neg-sport-qa-uz-camp", "civil_partnership"),  # "joint training camp" of football teams
        ("neg-kz-asu-university", "civil_partnership"),  # SPP state + partner, but a university
        ("neg-qa-us-economic", "civil_partnership"),
    ],
)
def test_hard_negatives_rejected_with_reason(partnership, row_id: str, why: str) -> None:
    row = ROWS[row_id]
    m = partnership.match(row["title"], row["body"])
    assert not m.matched, m.reasons
    assert why in m.excluded_by, m.reasons


@pytest.mark.parametrize(
    "row_id",
    ["neg-eg-domestic-drill", "neg-sang-hajj-drill", "neg-nato-europe", "neg-us-dc-crime",
     "neg-iq-guard-law"],
)
def test_requirements_reject_one_sided_or_out_of_region(partnership, row_id: str) -> None:
    row = ROWS[row_id]
    m = partnership.match(row["title"], row["body"])
    assert not m.matched
    assert any(r.startswith("requirement not met") for r in m.reasons), m.reasons


def test_clitics_and_variants_match(partnership) -> None:
    body = ("وبالحرس الوطني لولاية مسيسيبي، والقوات الأوزبكية، أجرى الطرفان مناورات مشتركة "
            "ضمن برنامج الشراكة بين الدول.")
    m = partnership.match("", body)
    assert m.matched
    assert m.states == {"MS": 1} and m.countries.get("UZ") == 1
    assert "us_guard" in m.terms


def test_classify(partnership) -> None:
    row = ROWS["seed-001"]
    found = classify(row["title"], row["body"], {"partnership": partnership})
    assert [m.topic for m in found] == ["regional_military_cooperation"]
    assert classify("مباراة ودية", "فاز المنتخب", {"partnership": partnership}) == []
    both = classify("", "", {"partnership": partnership}, include_unmatched=True)
    assert len(both) == 1 and not both[0].matched


@pytest.mark.parametrize("topic_id", ["partnership", "regional_military_cooperation"])
def test_fast_enough_for_every_article(topic_id: str) -> None:
    topic = load_topics()[topic_id]
    body = ROWS["seed-003"]["body"] * 5  # ~35 kB, longer than any real article
    start = time.perf_counter()
    for _ in range(20):
        topic.match("", body + str(_))  # defeat no cache: the text differs each time
    assert (time.perf_counter() - start) / 20 < 0.25

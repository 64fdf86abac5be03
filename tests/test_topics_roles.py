"""The `partnership` topic's sentence-level participation rules (issue 11), its explanations, and
`rasad topics backtest --labels`. The sentences here are written for the tests; the real news
the rules were measured on stays outside the repository (README: "Partnership rules")."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.topics import TopicConfigError, load_rules, load_topics
from crawler.topics.backtest import LabelsError, load_labels, score
from tests.conftest import rasad


@pytest.fixture(scope="module")
def topic():
    return load_topics()["partnership"]


def test_cooperation_sentence_matches_and_is_quoted_as_written(topic) -> None:
    m = topic.match("القوات الأردنيّة والأمريكيـــة تختتم تمريناً مشتركاً",
                    "اختتمت القوات المسلحة الأردنية ونظيرتها الأمريكية تمريناً مشتركاً للدفاع "
                    "الجوي. وحضر الختام عدد من الضباط.")
    assert m.matched and m.score >= m.threshold
    assert m.sentences[0] == "القوات الأردنيّة والأمريكيـــة تختتم تمريناً مشتركاً"
    assert "«والأمريكيـــة»" in m.reason and "(title)" in m.reason
    assert m.countries["JO"] >= 2 and "US" in m.countries
    assert {"first", "second", "cooperation"} <= set(m.terms)
    assert m.reasons[0].startswith("matched: score")


def test_both_sides_must_take_part_in_the_same_sentence(topic) -> None:
    m = topic.match("", "أعلنت وزارة الدفاع الأمريكية خطة جديدة. "
                        "وفي خبر آخر نفذت القوات الكويتية تمريناً عسكرياً داخلياً.")
    assert not m.matched
    assert "never together" in m.reason


@pytest.mark.parametrize(("body", "why"), [
    # a withdrawal: the US is named, not taking part
    ("بدأت القوات الطاجيكية مناورات عسكرية بعد انسحاب القوات الأمريكية من المنطقة.", "bystander"),
    # where US forces are based is not who trains
    ("شاركت القوات البريطانية في تمرين بحري مع قوات البحرية الأمريكية المتمركزة في البحرين.",
     "bystander"),
    # "US-made" jets in a regional drill
    ("نفذت القوات المصرية والإماراتية تمريناً جوياً بطائرات إف-16 الأمريكية الصنع.", "bystander"),
])
def test_bystanders_do_not_count(topic, body: str, why: str) -> None:
    m = topic.match("", body)
    assert not m.matched, m.reasons
    assert any(line.startswith(f"({why})") for line in m.reasons), m.reasons


def test_a_third_country_as_subject_is_not_a_us_partnership(topic) -> None:
    m = topic.match("", "أعلنت هيئة الأركان التركية أنها ستجري مناورات عسكرية منفصلة مع "
                        "الولايات المتحدة وباكستان.")
    assert not m.matched


def test_a_lead_about_other_countries_names_the_us_in_passing(topic) -> None:
    body = ("وقعت روسيا وأوزبكستان خطة للتعاون العسكري. وتبدي الولايات المتحدة بدورها "
            "اهتماماً بالتعاون العسكري مع أوزبكستان. "
            "وتشمل الخطة تدريبات روسية أوزبكية مشتركة.")
    m = topic.match("روسيا وأوزبكستان توقعان خطة تعاون عسكري", body)
    assert not m.matched and "other countries" in m.reason


def test_exclusions_apply_to_their_sentence_where_they_outweigh_security(topic) -> None:
    trade = topic.match("", "وقع مسؤولون سعوديون وأمريكيون اتفاقيات في مجالات الاستثمار "
                            "والطاقة والدفاع.")
    assert not trade.matched and "economic" in trade.excluded_by
    mission = topic.match("", "أكد حلف الناتو استمرار مهمة تدريب القوات العراقية لدعم "
                              "قدراتها الدفاعية وازدهار اقتصاد العراق.")
    assert mission.matched, mission.reasons


def test_a_guard_brings_its_spp_partner(topic) -> None:
    m = topic.match("قائد حرس كولورادو يبحث التعاون العسكري مع رئيس الأركان",
                    "استقبل رئيس هيئة الأركان قائد الحرس الوطني لولاية كولورادو. وحضر اللقاء "
                    "ضباط من القوات المسلحة الأردنية.")
    assert m.matched, m.reasons
    assert "SPP partner of CO" in " ".join(m.reasons)


def test_a_state_is_a_partner_unit_only_next_to_its_guard(topic) -> None:
    m = topic.match("", "وقعت جامعة ولاية أريزونا اتفاقية تعاون مع جامعة كازاخستانية.")
    assert not m.matched


def test_change_of_command_is_its_own_subject(topic) -> None:
    m = topic.match("الجنرال الجديد يتسلم قيادة القيادة المركزية الأمريكية",
                    "تسلم الجنرال منصبه على رأس القيادة المركزية الأمريكية التي تشرف على "
                    "التعاون العسكري مع السعودية والأردن.")
    assert not m.matched and "command" in m.reason


def test_non_state_forces_are_not_the_country(topic) -> None:
    m = topic.match("", "نفى البنتاغون اختطاف مقاتلين دربتهم القوات الأمريكية في سوريا.")
    assert not m.matched


def test_regional_topic_is_stored_but_not_alerted_by_default() -> None:
    topics = load_topics()
    assert topics["partnership"].alert is True
    assert topics["regional_military_cooperation"].alert is False
    from crawler.alerts.channels.jsonl import JsonlChannel
    from crawler.alerts.config import AlertsConfig

    cfg = AlertsConfig(path="x", channels={
        "all": JsonlChannel(id="all", path="a.jsonl"),
        "named": JsonlChannel(id="named", path="b.jsonl",
                              topics=["regional_military_cooperation"])})
    assert [c.id for c in cfg.enabled("regional_military_cooperation", False)] == ["named"]
    assert [c.id for c in cfg.enabled("partnership", True)] == ["all"]


ROLES = """
[countries]
JO = { name = "الأردن", region = "middle_east", names = ["الأردن"] }
US = { name = "الولايات المتحدة", region = "power", names = ["الولايات المتحدة"] }
[states]
[topics.p]
label = "p"
threshold = 1.0
watched_regions = ["middle_east"]
[topics.p.roles]
first = ["الناتو"]
cooperation = ["تمرين*"]
context = ["عسكري*"]
"""


@pytest.mark.parametrize(("old", "new", "message"), [
    ('first = ["الناتو"]', 'first = ["ال*"]', r"key 'roles.first'"),
    ('context = ["عسكري*"]', 'context = []', r"key 'roles.context'"),
    ("[topics.p.roles]", "[topics.p.roles]\nlead = 0", r"key 'roles.lead'"),
    ("[topics.p.roles]", "[topics.p.roles]\nsubjects = []", r"key 'roles.subjects'"),
])
def test_roles_config_errors_name_file_topic_and_key(tmp_path: Path, old: str, new: str,
                                                     message: str) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(ROLES.replace(old, new), encoding="utf-8")
    with pytest.raises(TopicConfigError, match=rf"topics\.toml: topic 'p': {message}"):
        load_rules(path)


def test_a_topic_needs_groups_or_roles(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    text = ROLES.split("[topics.p.roles]")[0]
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TopicConfigError, match=r"topic 'p': needs \[topics\.p\.groups"):
        load_rules(path)
    path.write_text(ROLES, encoding="utf-8")
    assert load_topics(path)["p"].match("", "تمرين عسكري للناتو مع الأردن").matched


# --- backtest on labelled files ------------------------------------------------------------------
LABELS = [
    {"id": "a", "title": "تمرين أمريكي أردني مشترك", "text": "نفذت القوات الأردنية والأمريكية "
     "تمريناً عسكرياً مشتركاً.", "label": True, "kind": "exercise", "split": "holdout"},
    {"id": "b", "title": "", "text": "أجرت روسيا وطاجيكستان مناورات عسكرية مشتركة.",
     "label": False, "kind": "russia_csto_china", "split": "holdout"},
    {"id": "c", "title": "", "text": "اتفق البلدان على تعزيز التعاون.", "label": True,
     "kind": "agreement", "split": "holdout"},
    {"id": "d", "title": "", "text": "فاز المنتخب.", "label": False, "split": "tune"},
]


def write_labels(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "labels.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_score_lists_misses_with_reasons(tmp_path: Path, topic) -> None:
    rows = load_labels(write_labels(tmp_path, LABELS), "partnership", "holdout")
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    s = score(topic, rows)
    assert (s.tp, s.fp, s.fn, s.tn) == (1, 0, 1, 1)
    assert s.precision == 1.0 and s.recall == 0.5
    [miss] = s.misses
    assert miss["id"] == "c" and miss["reason"]


def test_backtest_labels_cli(tmp_path: Path) -> None:
    path = write_labels(tmp_path, LABELS)
    out = rasad("topics", "backtest", "--labels", str(path), "--split", "holdout").stdout
    assert "precision 1.000, recall 0.500" in out and "misses: 1" in out
    assert "- c [agreement]" in out
    doc = json.loads(rasad("topics", "backtest", "partnership", "--labels", str(path),
                           "--format", "json").stdout)
    assert doc["n"] == 4 and doc["fn"] == 1 and doc["misses"][0]["reasons"]


@pytest.mark.parametrize(("line", "message"), [
    ("not json", "labels.jsonl:2: not JSON"),
    ('{"text": "x"}', "labels.jsonl:2: key 'label': missing required key"),
    ('{"label": true}', "labels.jsonl:2: key 'text': missing required key"),
    ('{"label": 3, "text": "x"}', "labels.jsonl:2: key 'label': expected true/false"),
])
def test_bad_labels_file_is_one_clear_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(LABELS[0], ensure_ascii=False) + "\n" + line + "\n",
                    encoding="utf-8")
    with pytest.raises(LabelsError, match=message):
        load_labels(path, "partnership")
    proc = rasad("topics", "backtest", "--labels", str(path), check=False)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr

"""The alerts step of `make demo` (and of the end-to-end alert tests): after the baseline crawls,
the mirror publishes new articles — two partnership stories, one of them reprinted by a second
outlet, a regional cooperation story without a US side (stored under the second topic, not
alerted) and a hard negative (the Saudi Ministry of National Guard's domestic news) — and the
next crawl alerts on the two stories, once each."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

NEVADA_TURKMENISTAN = {
    "title": "الحرس الوطني لولاية نيفادا وتركمانستان يختتمان تمريناً مشتركاً للاستجابة "
             "للكوارث في عشق آباد",
    "section": "التحالفات",
    "topic": "partnership",
    "body": [
        "اختتم عناصر من الحرس الوطني لولاية نيفادا وقوات وزارة الدفاع في تركمانستان تمريناً "
        "مشتركاً استمر خمسة أيام في عشق آباد، ركّز على الاستجابة للزلازل وإدارة مراكز العمليات "
        "في حالات الطوارئ.",
        "ويأتي التمرين في إطار برنامج الشراكة بين الولايات التابع للحرس الوطني الأميركي، الذي "
        "يربط نيفادا بتركمانستان منذ عام 2021، ويهدف إلى تبادل الخبرات بين العسكريين في البلدين.",
        "وقال قائد الوفد الأميركي إن التدريب المشترك عزّز قدرة الجانبين على التنسيق السريع، "
        "مشيراً إلى أن التعاون العسكري بين الشريكين سيتوسع العام المقبل ليشمل تدريبات على أمن "
        "الحدود.",
        "وشارك في التمرين ضباط من القيادة المركزية الأميركية، فيما أكد مسؤولون تركمان أن "
        "الشراكة تسهم في تعزيز الأمن والاستقرار الإقليمي في آسيا الوسطى.",
    ],
}

PAKISTAN_US = {
    "title": "باكستان والولايات المتحدة تتفقان على توسيع التدريبات العسكرية المشتركة",
    "section": "العالمیة",
    "topic": "partnership",
    "body": [
        "إسلام آباد: اتفقت باكستان والولايات المتحدة على توسيع برنامج التدريبات العسكرية المشتركة "
        "بين جيشي البلدين، وذلك خلال اجتماع لجنة التعاون الدفاعي الثنائية الذي عُقد في راولبندي.",
        "وبحث رئيس هيئة الأركان المشتركة الباكستانية مع نائب قائد القيادة المركزية الأمريكية تبادل "
        "الخبرات في مكافحة الإرهاب وتدريب القوات الخاصة.",
        "وأكد الجانبان أن الشراكة الدفاعية بين البلدين تخدم الأمن الإقليمي، على أن تُجرى أول "
        "مناورة مشتركة موسعة في الخريف المقبل.",
    ],
}

# Regional cooperation without a US or NATO side: `regional_military_cooperation`, not alerted.
PAKISTAN_KAZAKHSTAN = {
    "title": "باكستان وكازاخستان تتفقان على توسيع التدريبات العسكرية المشتركة",
    "section": "العالمیة",
    "topic": "other",  # the mirror's label: not a partnership by issue 11's policy
    "body": [
        "إسلام آباد: اتفقت باكستان وكازاخستان على توسيع برنامج التدريبات العسكرية المشتركة بين "
        "جيشي البلدين، وذلك خلال اجتماع لجنة التعاون الدفاعي الثنائية الذي عُقد في راولبندي.",
        "وبحث رئيس هيئة الأركان المشتركة الباكستانية مع نائب وزير الدفاع الكازاخي تبادل الخبرات "
        "في مكافحة الإرهاب وتدريب القوات الخاصة، إلى جانب إرسال ضباط كازاخيين إلى الأكاديميات "
        "العسكرية الباكستانية.",
        "وأكد الجانبان أن الشراكة الدفاعية بين البلدين تخدم الأمن الإقليمي في آسيا الوسطى وجنوب "
        "آسيا، على أن تُجرى أول مناورة مشتركة موسعة في الخريف المقبل.",
    ],
}

SAUDI_GUARD_HOSPITAL = {  # shares الحرس الوطني, تدريب, اتفاقية تعاون with the positives
    "title": "وزارة الحرس الوطني تدشن مستشفى تخصصياً جديداً في الرياض",
    "section": "العالمیة",
    "topic": "other",
    "body": [
        "دشّن وزير الحرس الوطني السعودي اليوم مستشفى تخصصياً جديداً تابعاً للشؤون الصحية بوزارة "
        "الحرس الوطني في الرياض، بسعة ثلاثمائة سرير.",
        "وأوضح الوزير أن المستشفى يقدم خدماته لمنسوبي الحرس الوطني وأسرهم، ضمن خطة لتطوير "
        "الخدمات الصحية في مختلف مناطق المملكة.",
        "وتضمن الحفل جولة في أقسام المستشفى ومركز الأبحاث الطبية، إضافة إلى توقيع اتفاقية تعاون "
        "مع جامعة الملك سعود بن عبدالعزيز للعلوم الصحية لتدريب الكوادر الطبية.",
    ],
}

# (outlet, article): the Nevada story appears on centcomcitadel and, reprinted, on maseer.
PUBLICATIONS = [
    ("centcomcitadel", NEVADA_TURKMENISTAN),
    ("maseer", NEVADA_TURKMENISTAN),
    ("alqaed", PAKISTAN_US),
    ("alqaed", PAKISTAN_KAZAKHSTAN),
    ("alqaed", SAUDI_GUARD_HOSPITAL),
]


def publish(mirror: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """Publish the demo articles on the running mirror; returns (outlet, url, article)."""
    out = []
    for outlet, article in PUBLICATIONS:
        out.append((outlet, mirror.publish(outlet, dict(article)), article))
    return out


def show(db: Path, jsonl: Path) -> None:
    """Print the alerts a JSON Lines channel received, and what the baseline held back."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        held = conn.execute("SELECT count(*) FROM alert_outbox WHERE status = 'baseline'")
        print(f"  first crawl: {held.fetchone()[0]} matching stories recorded as the baseline, "
              "not sent (rasad crawl --alert-backfill would send them)")
    if not jsonl.exists():
        print("  (no alert was sent)")
        return
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        msg = json.loads(line)
        alerts = msg["data"]["alerts"] if msg["type"] == "digest" else [msg["data"]]
        if msg["type"] == "digest":
            print(f"  {msg['id']}  one {msg['data']['period']} digest of {len(alerts)} alert(s)")
        for a in alerts:
            where = ", ".join([*a["countries"], *(f"US-{s}" for s in a["states"])])
            print(f"  {msg['id']}  {a['outlet']:<15} score {a['score']:>5}  {a['title']}")
            print(f"  {'':<30} {a['url']}")
            print(f"  {'':<30} {where}")
            print(f"  {'':<32}why: {a.get('reason') or a['reasons'][0]}")
            for sentence in a.get("sentences", [])[:2]:
                print(f"  {'':<32}« {sentence} »")

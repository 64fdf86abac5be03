"""Scale mode: N synthetic articles per outlet, recombined deterministically from the corpus.

Benchmarks need ≥1,000 articles per crawl; writing them by hand is not an option and random text
would not exercise Arabic normalisation or topic rules. So each synthetic article gets a generated
lead (unique title, place, numbers) followed by 3–5 paragraphs drawn from corpus articles of the
same topic. The generator is seeded per outlet and works sequentially, so scale=N is a prefix of
scale=M for M > N, and titles and bodies are unique.
"""
from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, timedelta

from .corpus import OUTLETS, TIMEZONES, load_outlet
from .model import SUBHEAD, MirrorArticle

PAIRS = [("كازاخستان", "أريزونا"), ("قيرغيزستان", "مونتانا"), ("طاجيكستان", "فرجينيا"),
         ("أوزبكستان", "ميسيسيبي"), ("تركمانستان", "نيفادا"), ("قطر", "فرجينيا الغربية"),
         ("الأردن", "كولورادو"), ("قرغيزستان", "مونتانا"), ("طاجيكستان", "فيرجينيا"),
         ("أوزبكستان", "مسيسيبي")]
ACTIVITIES = ["تبادل جديد في", "ورشة عمل حول", "تدريب مشترك على", "دورة متقدمة في",
              "خطة تعاون تشمل", "اجتماع تخطيط حول", "ندوة متخصصة في"]
FIELDS = ["الطب العسكري", "الأمن السيبراني", "إدارة الكوارث", "حفظ السلام", "أمن الحدود",
          "الهندسة العسكرية", "الإخلاء الجوي", "الاتصالات العسكرية", "تدريب ضباط الصف",
          "مكافحة الإرهاب", "الإنقاذ في المرتفعات", "الدعم اللوجستي"]
PLACES = ["ألماتي", "بشكيك", "دوشنبه", "طشقند", "عشق أباد", "الدوحة", "عمّان", "فينيكس",
          "هيلينا", "ريتشموند", "جاكسون", "رينو", "تشارلستون", "دنفر"]
SUBJECTS = ["أسعار الخضار", "حركة الملاحة", "موسم الحصاد", "معرض الكتاب",
            "امتحانات الشهادة الثانوية", "مشروع الطريق الدائري", "حملة تشجير",
            "مهرجان الأفلام القصيرة", "أسعار الوقود",
            "شبكة الكهرباء", "سوق العقارات", "بطولة الشطرنج", "خدمات النقل العام",
            "قطاع السياحة", "حملة التطعيم"]
EVENTS = ["تسجل ارتفاعا", "تشهد تحسنا", "تثير جدلا", "تدخل مرحلة جديدة", "تتأثر بالطقس",
          "تعود إلى الواجهة", "تجذب اهتماما واسعا", "تواجه صعوبات"]
CITIES = ["حلب", "حمص", "إدلب", "غازي عنتاب", "إسطنبول", "لاهور", "كراتشي", "بيشاور", "ملتان",
          "كويتا", "عمّان", "الدوحة", "طشقند", "ألماتي", "دوشنبه", "بيروت", "أربيل", "مسقط"]
SECTIONS = {
    "centcomcitadel": {"partnership": ["التحالفات", "الأمن"], "other": ["قضايا إقليمية", "الأمن"]},
    "maseer": {"partnership": ["أخبار", "متابعات"], "other": ["أخبار", "متابعات", "أدب وثقافة"]},
    "alqaed": {"partnership": ["العالمیة", "باكستان"], "other": ["الأخبار", "اقتصاد", "باكستان"]},
    "rafid": {"partnership": ["شؤون دولية", "تقارير"], "other": ["محليات", "اقتصاد", "منوعات"]},
    "wahat": {"partnership": ["سياسة", "دفاع وأمن"], "other": ["مجتمع", "اقتصاد", "رياضة"]},
}
START, END = date(2022, 1, 3), date(2025, 6, 30)


def _pool(topic: str) -> list[str]:
    paras = []
    for outlet in OUTLETS:
        for a in load_outlet(outlet):
            if a.topic == topic and a.language == "ar":
                paras += [p for p in a.body if not p.startswith(SUBHEAD) and len(p) > 60]
    return sorted(set(paras))


def _lead(rng: random.Random, topic: str, title_parts: tuple[str, ...]) -> str:
    n = rng.randint(12, 480)
    if topic == "partnership":
        country, state, activity, field, place = title_parts
        return (f"{place}: نظم الحرس الوطني لولاية {state} بالتعاون مع القوات المسلحة في "
                f"{country} {activity} {field}، بمشاركة {n} من العسكريين والخبراء من الجانبين، "
                f"وذلك في إطار برنامج الشراكة بين الدول.")
    subject, event, city = title_parts
    return (f"{city}: قال مسؤولون محليون إن {subject} {event} خلال الأسابيع الأخيرة، وإن نحو {n} "
            f"من السكان تواصلوا مع الجهات المختصة للاستفسار عن التفاصيل.")


def synthetic(outlet: str, n: int, corpus: list[MirrorArticle]) -> list[MirrorArticle]:
    """`n` synthetic articles for `outlet` (about a third labelled partnership)."""
    rng = random.Random(f"rasad-mirror-scale-{outlet}")
    pools = {"partnership": _pool("partnership"), "other": _pool("other")}
    seen_titles = {a.title for a in corpus}
    seen_bodies: set[str] = set()
    span = (END - START).days
    tz = TIMEZONES[outlet]
    out: list[MirrorArticle] = []
    while len(out) < n:
        topic = "partnership" if rng.random() < 0.35 else "other"
        if topic == "partnership":
            country, state = rng.choice(PAIRS)
            parts: tuple[str, ...] = (country, state, rng.choice(ACTIVITIES), rng.choice(FIELDS),
                                      rng.choice(PLACES))
            title = f"{parts[0]} و{parts[1]}: {parts[2]} {parts[3]} في {parts[4]}"
        else:
            parts = (rng.choice(SUBJECTS), rng.choice(EVENTS), rng.choice(CITIES))
            title = f"{parts[0]} {parts[1]} في {parts[2]}"
        if title in seen_titles:
            continue
        body = [_lead(rng, topic, parts), *rng.sample(pools[topic], rng.randint(3, 5))]
        digest = hashlib.sha1("\n".join(body).encode()).hexdigest()
        if digest in seen_bodies:
            continue
        seen_titles.add(title)
        seen_bodies.add(digest)
        day = START + timedelta(days=rng.randrange(span))
        when = datetime(day.year, day.month, day.day, rng.randint(7, 21),
                        rng.choice([0, 15, 30, 45]), tzinfo=tz)
        theme_only = rng.random() < 0.2  # pages that carry only the theme's visible date
        out.append(MirrorArticle(
            outlet=outlet, key=f"syn-{outlet}-{len(out) + 1:05d}", title=title, body=body,
            published=when, section=rng.choice(SECTIONS[outlet][topic]), topic=topic,
            caption=(f"من الفعاليات في {parts[-1]}." if rng.random() < 0.3 else None),
            dates={"meta": not theme_only, "jsonld": not theme_only, "visible": None,
                   "datetime_attr": True},
            synthetic=True,
        ))
    return out

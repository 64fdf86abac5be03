"""Sample articles: fetched, extracted the way the crawl will extract them, and judged.

Each sample is extracted twice from the same bytes: with the candidate rules (the detected
theme) and with no rules (trafilatura). Agreement between the two is the check that the rules
fit; the preview (title, date and where it came from, first words, word count) lets the operator
see it for themselves.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from crawler.config.outlets import ExtractRules
from crawler.extract import extract_detailed
from crawler.onboard.fetch import Fetched

AGREE = 0.8  # word F1 between the rules' body and trafilatura's below which the rules misfit
MIN_WORDS = 40  # fewer words than this is a teaser or a stub, not a news article


@dataclass
class Sample:
    url: str
    status: int
    reason: str  # extract_detailed's reason code (or the fetch error)
    title: str = ""
    published: str | None = None
    date_source: str | None = None
    words: int = 0
    first_lines: list[str] = field(default_factory=list)
    canonical: str = ""
    agreement: float | None = None  # word F1 against the no-rules extraction
    verdict: str = ""  # ok, or what is wrong

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    def as_dict(self) -> dict:
        return asdict(self)


def word_f1(a: str, b: str) -> float:
    ta, tb = Counter(a.split()), Counter(b.split())
    common = sum((ta & tb).values())
    if not common:
        return 0.0
    p, r = common / sum(ta.values()), common / sum(tb.values())
    return 2 * p * r / (p + r)


def judge(fetched: Fetched, rules: ExtractRules | None) -> Sample:
    """Extract one fetched page with `rules` (None: no rules) and judge the result."""
    if not fetched.ok:
        why = fetched.error or (f"HTTP {fetched.status}" if fetched.status != 200 else "empty body")
        return Sample(fetched.url, fetched.status, "fetch", verdict=f"not fetched ({why})")
    article, reason = extract_detailed(fetched.body, fetched.url, fetched.headers, rules)
    sample = Sample(fetched.url, fetched.status, reason)
    if article is None:
        sample.verdict = f"not an article ({reason})"
        return sample
    lines = article.body.split("\n")
    sample.title = article.title
    sample.published, sample.date_source = article.published, article.published_source
    sample.words = len(article.body.split())
    sample.first_lines = [line[:160] for line in lines[:2]]
    sample.canonical = article.canonical_url
    if rules is not None and rules.theme != "generic":
        plain, _ = extract_detailed(fetched.body, fetched.url, fetched.headers, None)
        if plain is not None:
            sample.agreement = round(word_f1(article.body, plain.body), 3)
    sample.verdict = verdict(sample)
    return sample


def verdict(s: Sample) -> str:
    problems = []
    if s.words < MIN_WORDS:
        problems.append(f"short ({s.words} words)")
    if not s.published:
        problems.append("no date")
    if s.agreement is not None and s.agreement < AGREE:
        problems.append(f"rules disagree with plain extraction (F1 {s.agreement:.2f})")
    return "; ".join(problems) or "ok"

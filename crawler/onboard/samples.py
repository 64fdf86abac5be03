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
from crawler.extract import extract_detailed, extract_page, parse_html
from crawler.extract.meta import read_meta
from crawler.onboard.fetch import Fetched

AGREE = 0.8  # share of trafilatura's words the rules' body keeps, below which the rules misfit
MIN_WORDS = 40  # fewer words than this is a teaser or a stub, not a news article
PROSE_LINE = 8  # words: a line this long is running text
SHORT_LINE = 6  # words: a line this short is a label, a button, a caption or a subheading
MAX_LEAKED = 1  # short lines the rules may keep beyond plain extraction (one odd subheading)
MIN_PROSE = 0.6  # under this share of words in running text, the "body" is page furniture
MIN_DESCRIBES = 0.5  # the description (an excerpt of the lead) is at least half in the body


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
    agreement: float | None = None  # share of the no-rules extraction's words kept (kept_share)
    leaked: int = 0  # short lines the rules keep that plain extraction drops as furniture
    prose: float = 0.0  # share of the body's words in lines of running text (not menu items)
    describes: float | None = None  # share of the page's own description found in the body
    drift: str = ""  # the extractor's own drift finding for the rules, if any
    verdict: str = ""  # ok, or what is wrong

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"

    def as_dict(self) -> dict:
        return asdict(self)


def kept_share(ours: str, plain: str) -> float:
    """Share of the plain extraction's words that the rules' body keeps. Rules may rightly add
    text trafilatura drops (a standfirst outside the body); losing most of it means they misfit."""
    mine, theirs = Counter(ours.split()), Counter(plain.split())
    total = sum(theirs.values())
    return sum((mine & theirs).values()) / total if total else 1.0


def judge(fetched: Fetched, rules: ExtractRules | None) -> Sample:
    """Extract one fetched page with `rules` (None: no rules) and judge the result."""
    if not fetched.ok:
        why = fetched.error or (f"HTTP {fetched.status}" if fetched.status != 200 else "empty body")
        return Sample(fetched.url, fetched.status, "fetch", verdict=f"not fetched ({why})")
    article, reason, _, drift, _ = extract_page(fetched.body, fetched.url, fetched.headers, rules)
    sample = Sample(fetched.url, fetched.status, reason)
    # The extractor checks its theme rules against the generic pass itself and falls back
    # when they do not fit: its drift is what the crawl will report, so it is the check's too.
    sample.drift = drift.describe() if drift is not None else ""
    if article is None:
        sample.verdict = f"not an article ({reason})"
        return sample
    lines = article.body.split("\n")
    sample.title = article.title
    sample.published, sample.date_source = article.published, article.published_source
    sample.words = len(article.body.split())
    sample.first_lines = [line[:160] for line in lines[:2]]
    sample.canonical = article.canonical_url
    sample.prose = round(prose_share(lines), 2)
    sample.describes = _describes(fetched, article.body)
    if rules is not None and rules.theme != "generic":
        plain, _ = extract_detailed(fetched.body, fetched.url, fetched.headers, None)
        if plain is not None:
            sample.agreement = round(kept_share(article.body, plain.body), 3)
            sample.leaked = leaked_lines(lines, plain.body)
    sample.verdict = verdict(sample)
    return sample


def leaked_lines(lines: list[str], plain: str) -> int:
    """Short lines (a label, a share button, a tag line, a caption) the rules' body keeps and
    plain extraction drops: theme clutter whose selectors no longer match. Text the rules rightly
    add (a standfirst) is running text, not short lines, so it does not count."""
    theirs = set(plain.split("\n"))
    return sum(1 for line in lines if len(line.split()) < SHORT_LINE and line not in theirs)


def prose_share(lines: list[str]) -> float:
    """Share of words in lines of at least PROSE_LINE words. Article text is paragraphs; what a
    misfit extraction returns instead (menus, tickers, widget titles) is short lines."""
    total = sum(len(line.split()) for line in lines)
    prose = sum(n for line in lines if (n := len(line.split())) >= PROSE_LINE)
    return prose / total if total else 0.0


def _describes(fetched: Fetched, body: str) -> float | None:
    """How much of the page's meta/og description (the CMS's excerpt of the lead) the body holds;
    None when the page has no description."""
    root = parse_html(fetched.body, fetched.headers)
    meta = read_meta(root) if root is not None else None
    text = meta.get("og:description", "description", "twitter:description") if meta else ""
    words = [w for w in text.replace("...", " ").split() if len(w) > 2][:30]
    if len(words) < 5:
        return None
    have = set(body.split())
    return round(sum(w in have for w in words) / len(words), 2)


def verdict(s: Sample) -> str:
    problems = []
    if s.words < MIN_WORDS:
        problems.append(f"short ({s.words} words)")
    if s.prose < MIN_PROSE:
        problems.append(f"menu-like text ({s.prose:.0%} in sentences)")
    if s.describes is not None and s.describes < MIN_DESCRIBES:
        problems.append(f"the page's own description is not in the body ({s.describes:.0%})")
    if not s.published:
        problems.append("no date")
    if s.drift:
        problems.append(f"rules drift: {s.drift}")
    if s.leaked > MAX_LEAKED:
        problems.append(f"rules keep {s.leaked} short lines plain extraction drops as furniture")
    if s.agreement is not None and s.agreement < AGREE:
        problems.append(f"rules lose {1 - s.agreement:.0%} of the plain extraction's text")
    return "; ".join(problems) or "ok"

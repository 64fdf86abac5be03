"""`rasad outlets check`: is a configured outlet still what its entry says?

Entry points alive (status, last change), the article pattern still matching what the site's
feeds, sitemaps and home page link to, and a few new articles extracted with the outlet's rules
and compared with plain extraction (drift: the rules no longer fit the pages).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

from crawler.config.outlets import Outlet
from crawler.links import discovery
from crawler.onboard import patterns
from crawler.onboard.fetch import Fetched, PoliteClient
from crawler.onboard.probe import page_links, parse_page
from crawler.onboard.samples import Sample, judge
from crawler.onboard.sources import page_feed_links
from crawler.onboard.theme import detect_theme

STALE_SHARE = 0.5  # under this share of listed article links matching the pattern: stale


@dataclass
class EntryPoint:
    url: str
    kind: str
    status: int
    last_change: str | None  # Last-Modified, else the newest date the feed/sitemap lists
    items: int | None = None  # entries of a feed or sitemap
    error: str = ""


@dataclass
class Report:
    outlet: str
    verdict: str = "healthy"  # healthy, drift, stale, failing
    problems: list[str] = field(default_factory=list)
    entry_points: list[EntryPoint] = field(default_factory=list)
    listed: int = 0  # article-like links the feeds and sitemaps list
    listed_matching: int = 0
    home_matching: int = 0
    theme: str = ""
    detected_theme: str = ""
    samples: list[Sample] = field(default_factory=list)
    suggested_article_url: list[str] = field(default_factory=list)  # when the pattern is stale
    requests: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _entry_point(fetched: Fetched, kind: str) -> tuple[EntryPoint, str, list[discovery.Entry]]:
    """The entry point's state, what it is (rss, atom, urlset, sitemapindex or "") and its
    entries."""
    point = EntryPoint(fetched.url, kind, fetched.status,
                       fetched.headers.get("last-modified"), error=fetched.error)
    entries: list[discovery.Entry] = []
    xml = discovery.sniff_xml(fetched.body) if fetched.ok else None
    if xml in ("rss", "atom"):
        entries = discovery.feed_entries(fetched.body, fetched.url)
    elif xml in ("urlset", "sitemapindex"):
        _, entries = discovery.sitemap_entries(fetched.body)
    if xml:
        point.items = len(entries)
        newest = max((e.lastmod for e in entries if e.lastmod), default=None)
        point.last_change = point.last_change or newest
    return point, xml or "", entries


def _listed(client: PoliteClient, xml: str, entries: list[discovery.Entry]) -> list[str]:
    """Article-like URLs of a feed or sitemap; of an index, those of its newest post sitemap."""
    if xml != "sitemapindex":
        return [e.url for e in entries]
    children = [e for e in entries
                if not discovery.NON_POST_SITEMAP.search(urlsplit(e.url).path)]
    if not children:
        return []
    newest = max(children, key=lambda e: (e.lastmod or "", e.url))
    _, kind, more = _entry_point(client.get(newest.url), "sitemap")
    return [] if kind == "sitemapindex" else _listed(client, kind, more)


def check(outlet: Outlet, delay: float = 1.0, samples: int = 5, budget: int = 60) -> Report:
    report = Report(outlet.id, theme=outlet.extract.theme)
    listed: list[str] = []
    with PoliteClient(outlet.home, delay=delay, budget=budget) as client:
        robots = client.robots()
        sitemaps = list(outlet.sitemaps)
        if outlet.discover and robots.status == 200:
            sitemaps += [u for u in discovery.robots_sitemaps(robots.body, robots.url)
                         if u not in sitemaps and outlet.is_allowed(u)]
        home = client.get(outlet.home)
        point, _, _ = _entry_point(home, "home")
        report.entry_points.append(point)
        root = parse_page(home)
        links = page_links(root, home.url, outlet.home) if root is not None else []
        report.home_matching = sum(outlet.is_article_url(x.url) for x in links)
        feeds = list(outlet.feeds)
        if outlet.discover:  # as the spider does: the feeds the home page's head advertises
            feeds += [u for u in page_feed_links(root, home.url)[0]
                      if u not in feeds and outlet.is_allowed(u)]
        for kind, urls in (("feed", feeds), ("sitemap", sitemaps),
                           ("listing", outlet.listings)):
            for url in urls:
                point, xml, entries = _entry_point(client.get(url), kind)
                report.entry_points.append(point)
                listed += _listed(client, xml, entries)
        listed = [u for u in dict.fromkeys(listed) if outlet.is_allowed(u)]
        report.listed = len(listed)
        report.listed_matching = sum(outlet.is_article_url(u) for u in listed)
        if report.listed and report.listed_matching / report.listed < STALE_SHARE:
            report.suggested_article_url = patterns.article_pattern(listed)[0]
        pool = [u for u in listed if outlet.is_article_url(u)]
        pool += [x.url for x in links if outlet.is_article_url(x.url) and x.url not in pool]
        fetched = [client.get(u) for u in pool[:samples]]
        votes = Counter(detect_theme(r)[0]
                        for f in fetched if (r := parse_page(f)) is not None)
        report.detected_theme = votes.most_common(1)[0][0] if votes else ""
        report.samples = [judge(f, outlet.extract) for f in fetched]
        report.requests = client.requests
    _verdict(report)
    return report


def _verdict(report: Report) -> None:
    problems = report.problems
    failing = [p for p in report.entry_points if p.status != 200]
    for p in failing:
        problems.append(f"{p.kind} {p.url}: {p.error or f'HTTP {p.status}'}")
    if report.entry_points[0].status != 200 or len(failing) == len(report.entry_points):
        report.verdict = "failing"
        return
    if failing:
        report.verdict = "stale"  # the entry names an entry point the site no longer has
    if report.listed and report.listed_matching / report.listed < STALE_SHARE:
        now = " | ".join(report.suggested_article_url) or "?"
        problems.append(f"article pattern matches {report.listed_matching} of {report.listed} "
                        f"links the feeds and sitemaps list (they look like: {now})")
        report.verdict = "stale"
    elif not report.listed and not report.home_matching:
        problems.append("no link of the home page, feeds or sitemaps matches the article pattern")
        report.verdict = "stale"
    ok = sum(s.ok for s in report.samples)
    drift = []
    if report.samples and ok * 2 <= len(report.samples):
        reasons = Counter(s.verdict for s in report.samples if not s.ok)
        drift.append(f"extraction: {ok}/{len(report.samples)} samples ok ("
                     + "; ".join(f"{n}x {why}" for why, n in reasons.most_common(3)) + ")")
    if report.theme != "generic" and report.detected_theme and \
            report.detected_theme != report.theme:
        drift.append(f"pages no longer look like theme {report.theme} "
                     f"(detected: {report.detected_theme})")
    if drift:
        problems += drift
        if report.verdict == "healthy":
            report.verdict = "drift"

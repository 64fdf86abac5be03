"""Probe a news site: what `rasad outlets add` needs to write an outlet entry.

    robots.txt → home page → feeds and sitemaps → article URL pattern → listing pages and their
    pagination → sample articles (theme detected, extracted, judged) → a config entry

Everything is inferred from how the site behaves (what its feeds and sitemaps list, which of its
links lead to articles), never from knowledge of one site.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree

from crawler.config.outlets import DEFAULT_PAGINATION, ExtractRules
from crawler.extract import extract_detailed, parse_html
from crawler.extract.meta import read_meta
from crawler.links import discovery
from crawler.onboard import patterns
from crawler.onboard.fetch import Fetched, PoliteClient, ProbeError, same_site
from crawler.onboard.samples import MIN_WORDS, Sample, judge
from crawler.onboard.sources import Sources, find_sources
from crawler.onboard.theme import detect_theme

MAX_LISTING_CANDIDATES = 10
MAX_LISTING_DEPTH = 50  # deepest listing page the entry asks for when listings are the archive
_EVIDENCE = {"feed": "feed items", "sitemap": "sitemap entries"}
_ASSET = re.compile(r"\.(jpe?g|png|gif|webp|svg|css|js|pdf|mp[34]|zip|ico|woff2?)$", re.I)
_NAV = re.compile(r"(^|[\s_-])(nav|menu|navbar|header)([\s_-]|$)", re.I)


@dataclass
class Link:
    url: str
    text: str
    in_nav: bool


@dataclass
class Finding:
    home: str
    name: str
    robots_status: int
    sources: Sources
    article_url: list[str]
    evidence: Counter[str]  # article URLs seen, by where they were seen
    listings: list[str] = field(default_factory=list)
    listing_url: list[str] = field(default_factory=list)
    pagination: list[str] = field(default_factory=list)  # beyond the defaults
    max_listing_pages: int = 3
    theme: str = "generic"
    theme_evidence: str = ""
    url_rules: list[dict[str, str]] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    requests: int = 0
    crawl_delay: float | None = None  # robots.txt Crawl-delay for our User-Agent
    notes: list[str] = field(default_factory=list)

    @property
    def articles_ok(self) -> int:
        return sum(s.ok for s in self.samples)


def page_links(root: etree._Element, base: str, home: str) -> list[Link]:
    """On-site links of a page (no assets, fragments or mailto), in document order, once."""

    seen: dict[str, Link] = {}
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "javascript:", "tel:")):
            continue
        url = urljoin(base, href).split("#", 1)[0]
        if not same_site(url, home) or _ASSET.search(urlsplit(url).path):
            continue
        if url not in seen:
            in_nav = any(el.tag in ("nav", "header") or _NAV.search(el.get("class") or "")
                         for el in a.iterancestors())
            seen[url] = Link(url, " ".join(a.itertext()).strip(), in_nav)
    return list(seen.values())


def parse_page(fetched: Fetched) -> etree._Element | None:
    if not fetched.ok or "html" not in (fetched.content_type or "text/html"):
        return None
    return parse_html(fetched.body, fetched.headers)


def probe(url: str, delay: float = 1.0, samples: int = 5, budget: int = 80) -> Finding:
    """Probe the site at `url`. Raises ProbeError (one line) when it is unreachable or no
    articles can be found."""
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ProbeError(f"not an http(s) URL: {url!r}")
    with PoliteClient(url, delay=delay, budget=budget) as client:
        robots = client.robots()
        robots_sitemaps = discovery.robots_sitemaps(robots.body, robots.url) \
            if robots.status == 200 else []
        fetched = client.get(url)
        root = parse_page(fetched)
        if root is None:
            why = fetched.error or f"HTTP {fetched.status}"
            raise ProbeError(f"{url}: the home page did not load as HTML ({why})")
        home = fetched.url
        meta = read_meta(root)
        name = meta.get("og:site_name") or _title_name(meta.title_tag) or urlsplit(home).netloc
        sources = find_sources(client, home, robots_sitemaps, root)
        links = page_links(root, home, home)
        finding = Finding(home=home, name=name, robots_status=client.robots_status,
                          sources=sources, article_url=[], evidence=Counter())
        evidence = _evidence(client, finding, links)
        if not finding.article_url:
            raise ProbeError(f"{home}: no articles found (no feed or sitemap lists any, and no "
                             "group of links on the home page leads to article pages)")
        known = set(evidence)
        menu = [x.url for x in links if x.in_nav and x.url not in known
                and patterns.matches(finding.article_url, x.url)]
        if menu:  # menus link sections and pages, not (unlisted) articles: too wide a pattern?
            finding.notes.append(f"the article pattern also matches {len(menu)} menu links "
                                 f"(e.g. {menu[0]}): if they are not articles, extraction must "
                                 "reject them")
        _listings(client, finding, links)
        _samples(client, finding, evidence, links, samples)
        finding.requests = client.requests
        finding.crawl_delay = client.crawl_delay
    if not finding.articles_ok:
        reasons = "; ".join(sorted({s.verdict for s in finding.samples})) or "none fetched"
        raise ProbeError(f"{home}: no articles found: no sample URL gave an article ({reasons})")
    return finding


_SEPARATORS = re.compile(r"\s+[|\-–—:»«]\s+")


def _site_name(titles: list[str]) -> str:
    """The part every article page's <title> shares: the site's name ("<headline> - <site>")."""
    parts = [set(_SEPARATORS.split(t)) for t in titles if t]
    common = set.intersection(*parts) if len(parts) >= 2 else set()
    return max(common, key=len, default="").strip()


def _title_name(title: str) -> str:
    for sep in (" | ", " - ", " – ", " — "):
        if sep in title:
            return title.rsplit(sep, 1)[-1].strip()
    return ""


def _evidence(client: PoliteClient, finding: Finding, links: list[Link]) -> list[str]:
    """Fill finding.article_url; returns the URLs known to be articles (newest-ish first)."""

    entries = [e for e in finding.sources.entries if same_site(e.url, finding.home)]
    urls = [e.url for e in entries if e.source == "feed"]
    dated = [e.url for e in entries if e.source == "sitemap" and e.date]
    urls += dated or [e.url for e in entries if e.source == "sitemap"]
    if urls:
        regexes, covered = patterns.article_pattern(urls)
        finding.article_url = regexes
        for e in entries:
            if e.url in covered:
                finding.evidence[_EVIDENCE[e.source]] += 1
        finding.evidence["home-page links"] = sum(patterns.matches(regexes, link.url)
                                                  for link in links)
        # Feed items first: they are the newest and carry the URL form readers are given.
        return list(dict.fromkeys(u for u in urls if u in set(covered)))
    # No feed or sitemap: groups of content links that share a shape and lead to articles.
    candidates = [link.url for link in links if not link.in_nav and link.url != finding.home]
    found: list[str] = []
    for urls_of in list(patterns.group(candidates).values())[:5]:
        if len(urls_of) < 3:
            break
        page = client.get(urls_of[0])
        article, _ = extract_detailed(page.body, page.url, page.headers, None) \
            if page.ok else (None, "")
        if article is not None and len(article.body.split()) >= MIN_WORDS and article.published:
            found += urls_of
    if found:
        regexes, covered = patterns.article_pattern(found)
        finding.article_url = regexes
        finding.evidence["home-page links"] = len(covered)
        finding.notes.append("no feed or sitemap: the article pattern comes from home-page links")
    return found


def _listings(client: PoliteClient, finding: Finding, links: list[Link]) -> None:
    """Section/category pages: on-site links of the home page that are not articles and lead
    to pages linking several articles of their own (not only the site-wide widgets)."""
    feeds = {s.url for s in finding.sources.feeds} | {s.url for s in finding.sources.sitemaps}
    candidates = [link for link in links if link.url.rstrip("/") != finding.home.rstrip("/")
                  and link.url not in feeds
                  and not patterns.matches(finding.article_url, link.url)]
    candidates.sort(key=lambda link: not link.in_nav)  # menus first: that is where sections are
    pages: dict[str, tuple[set[str], list[Link]]] = {}
    for link in candidates[:MAX_LISTING_CANDIDATES]:
        fetched = client.get(link.url)
        root = parse_page(fetched)
        if root is None:
            continue
        found = page_links(root, fetched.url, finding.home)
        arts = {x.url for x in found if patterns.matches(finding.article_url, x.url)}
        pages[link.url] = (arts, found)
    seen_on = Counter(u for arts, _ in pages.values() for u in arts)
    widgets = {u for u, n in seen_on.items() if n >= max(3, len(pages) // 2 + 1)}
    confirmed = [u for u, (arts, _) in pages.items() if len(arts - widgets) >= 3]
    if not confirmed:
        finding.notes.append("no listing page found: articles come from feeds and sitemaps only")
        return
    finding.listings = confirmed
    finding.listing_url = patterns.listing_regex(confirmed)
    _pagination(client, finding, {u: pages[u][1] for u in confirmed})


def _pagination(client: PoliteClient, finding: Finding, pages: dict[str, list[Link]]) -> None:
    extra: list[str] = []
    deepest = 1
    for url, found in pages.items():
        for link in found:
            if link.url == url or patterns.matches(finding.article_url, link.url):
                continue
            number = _page_no(url, link.url)
            if number is None:
                continue
            deepest = max(deepest, number)
            if number == 2:
                regex = patterns.pagination_regex(url, link.url)
                covered = any(re.search(p, link.url) for p in DEFAULT_PAGINATION)
                if regex and not covered and regex not in extra:
                    extra.append(regex)
    finding.pagination = extra
    if not finding.sources.sitemaps:
        # Without a sitemap the listings are the archive: ask for as deep as the site pages.
        finding.max_listing_pages = max(3, min(deepest, MAX_LISTING_DEPTH))
        if deepest > 3:
            finding.notes.append(f"no sitemap: listings are followed to page "
                                 f"{finding.max_listing_pages} (the deepest a listing links)")


def _page_no(listing: str, url: str) -> int | None:
    """The page number of `url` when it is a next page of `listing`: the same path (or below it)
    and the same query parameters, plus a page number."""
    a, b = urlsplit(listing), urlsplit(url)
    if not b.path.startswith(a.path.rstrip("/")):
        return None
    wanted, got = dict(parse_qsl(a.query)), dict(parse_qsl(b.query))
    if any(got.get(k) != v for k, v in wanted.items()):
        return None  # another listing (another category), not a page of this one
    rest = b.path[len(a.path.rstrip("/")):] + "?" + b.query
    match = patterns.PAGINATION_HINT.search(rest) or re.fullmatch(r"/(\d+)/?\?", rest)
    return int(match.group(1)) if match else None


def _samples(client: PoliteClient, finding: Finding, evidence: list[str], links: list[Link],
             count: int) -> None:
    """Fetch `count` article URLs (feed and sitemap first, one of each pattern at least), detect
    the theme on them, extract them with it and judge each."""
    pool = list(dict.fromkeys([*evidence, *(x.url for x in links
                                            if patterns.matches(finding.article_url, x.url))]))
    picked: list[str] = []
    for regex in finding.article_url:  # every shape is tried at least once
        picked += [u for u in pool if patterns.matches([regex], u)][:1]
    picked += [u for u in pool if u not in picked][:max(0, count - len(picked))]
    fetched = [client.get(u) for u in picked[:max(count, len(finding.article_url))]]
    votes: Counter[str] = Counter()
    why: dict[str, str] = {}
    titles = []
    for page in fetched:
        root = parse_page(page)
        if root is not None:
            titles.append(read_meta(root).title_tag)
            name, reason = detect_theme(root)
            votes[name] += 1
            why.setdefault(name, reason)
    theme = votes.most_common(1)[0][0] if votes else "generic"
    rules = ExtractRules(theme=theme)
    judged = [judge(p, rules) for p in fetched]
    plain = [judge(p, ExtractRules()) for p in fetched] if theme != "generic" else judged
    if sum(s.ok for s in judged) < sum(s.ok for s in plain):
        finding.notes.append(f"theme {theme} detected but its rules did worse than none on the "
                             "samples: generic extraction")
        theme, judged = "generic", plain
    finding.theme, finding.theme_evidence = theme, why.get(theme, "no theme's markers")
    finding.samples = judged
    finding.name = _site_name(titles) or finding.name
    finding.url_rules = _slug_rules(finding)


def _slug_rules(finding: Finding) -> list[dict[str, str]]:
    """An optional trailing slug (`/feature-12` = `/feature-12/<slug>`) is one article: when a
    sample's canonical link drops the slug, key every URL without it."""
    rules = []
    for regex in finding.article_url:
        if not regex.endswith(r"(/[^/?#]*)?/?$"):
            continue
        short = regex[1:-len(r"(/[^/?#]*)?/?$")]
        for s in finding.samples:
            path, canon = urlsplit(s.url).path, urlsplit(s.canonical or "").path
            if canon and canon != path and re.fullmatch(short, canon.rstrip("/")) and \
                    path.startswith(canon.rstrip("/") + "/"):
                rules.append({"pattern": f"^({short})/[^/?#]+/?$", "replace": r"\1"})
                break
    return rules

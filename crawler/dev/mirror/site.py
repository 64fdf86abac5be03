"""One outlet's web site: its articles, the helpers its theme calls, responses with validators.

Subclasses in outlets.py define the URL shapes (article, listing, feed, sitemap, robots) of each
outlet; this base class keeps what every site shares: article bookkeeping, deterministic widget
picks (popular, related), encodings, ETag/Last-Modified, and a small render cache.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from .corpus import TIMEZONES, article_from_dict
from .dates import http_date
from .model import MirrorArticle

CITADEL_POLICY = ("نرحب بتعليقاتكم على أن تلتزم بالموضوع وتبتعد عن الإساءة والتحريض. "
                  "تخضع التعليقات للمراجعة قبل نشرها، ولا تعبر إلا عن رأي أصحابها.")

# Fixed "site built" moment: Last-Modified of pages that list nothing (about, robots.txt).
SITE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'


class Site:
    outlet_id = ""
    theme: ModuleType
    page_size = 6
    sections: dict[str, str] = {}  # section name → slug or id, in menu order

    def __init__(self, origin: str, articles: list[MirrorArticle], *, faults: bool = True,
                 today: date | None = None) -> None:
        self.origin = origin.rstrip("/")
        self.faults = faults
        self.layout = "normal"
        self._today = today
        self.lock = threading.RLock()
        self.version = 0
        self._cache: OrderedDict[str, Response] = OrderedDict()
        self._newest: list[MirrorArticle] = []
        self.by_path: dict[str, MirrorArticle] = {}
        self._used_ids: set[int] = set()
        for a in articles:
            self.add(a, bump=False)
        self._sort()

    # --- bookkeeping ---------------------------------------------------------------------
    @property
    def today(self) -> date:
        return self._today or datetime.now(TIMEZONES[self.outlet_id]).date()

    def assign(self, a: MirrorArticle) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def add(self, a: MirrorArticle, bump: bool = True) -> MirrorArticle:
        with self.lock:
            if not a.path:
                self.assign(a)
            self._used_ids.add(self.id_key(a))
            self.by_path[a.path] = a
            self._newest.append(a)
            if a.section not in self.sections:
                self.sections = {**self.sections, a.section: self.new_section_slug(a.section)}
            if bump:
                self._sort()
                self.bump()
        return a

    def id_key(self, a: MirrorArticle) -> Any:
        return a.post_id

    def new_section_slug(self, name: str) -> str:
        return name.replace(" ", "-")

    def _sort(self) -> None:
        self._newest.sort(key=lambda a: (a.published, a.key), reverse=True)
        self._rank = {id(a): i for i, a in enumerate(self._newest)}

    def bump(self) -> None:
        """Content changed: drop rendered pages so validators change."""
        with self.lock:
            self.version += 1
            self._cache.clear()

    def publish(self, raw: dict[str, Any]) -> MirrorArticle:
        return self.add(article_from_dict(self.outlet_id, raw, "publish: "))

    def update(self, a: MirrorArticle, body: list[str]) -> None:
        with self.lock:
            a.body = [p for p in body if p.strip()]
            a.modified = datetime.now(TIMEZONES[self.outlet_id]).replace(microsecond=0)
            self.bump()

    @property
    def articles(self) -> list[MirrorArticle]:
        """Newest first."""
        return self._newest

    def find(self, url: str) -> MirrorArticle | None:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return self.by_path.get(self.canonical_path(path))

    def canonical_path(self, path: str) -> str:
        return path

    # --- helpers the themes call -----------------------------------------------------------
    home_url = ""
    feed_url = ""

    def url(self, a: MirrorArticle) -> str:
        return self.origin + a.path

    def link(self, a: MirrorArticle, slugged: bool = False) -> str:
        return self.url(a)

    def section_url(self, name: str, page: int = 1) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def tag_url(self, tag: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def author_url(self, author: str | None) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def page_url(self, key: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def all_url(self, page: int = 1) -> str:
        return self.home_url

    def pages(self) -> list[tuple[str, str]]:
        return [("من نحن", self.page_url("about")), ("اتصل بنا", self.page_url("contact"))]

    def menu(self) -> list[tuple[str, str]]:
        return [(name, self.section_url(name)) for name in self.sections]

    def _memo(self, key: str, build):
        # Per-version memo for lists every page needs (widgets, sections): keeps page rendering
        # O(page) instead of O(site) when scale mode serves thousands of articles.
        memo = self.__dict__.setdefault("_memo_store", {})
        if memo.get("version") != self.version:
            memo.clear()
            memo["version"] = self.version
        if key not in memo:
            memo[key] = build()
        return memo[key]

    def section_items(self, name: str) -> list[MirrorArticle]:
        return self._memo(f"section:{name}",
                          lambda: [a for a in self._newest if a.section == name])

    def recent(self, n: int) -> list[MirrorArticle]:
        return self._newest[:n]

    def popular(self, n: int, offset: int = 0) -> list[MirrorArticle]:
        # A stable pseudo-random pick, like a view counter would give: old and new articles mix,
        # so widgets link to articles that are in neither the feed nor page 1 of listings.
        ranked = self._memo("popular", lambda: sorted(
            self._newest, key=lambda a: hashlib.md5(a.key.encode()).digest())[:20])
        return ranked[offset:offset + n] or self._newest[:n]

    def related(self, a: MirrorArticle, n: int) -> list[MirrorArticle]:
        # The section's articles nearest in time, as JNews/tagDiv "related" blocks tend to show.
        pool = self.section_items(a.section)
        if len(pool) <= n:
            pool = self._newest
        i = next((k for k, b in enumerate(pool) if b is a), 0)
        near = pool[max(0, i - n):i] + pool[i + 1:i + 1 + n]
        return near[:n]

    def neighbours(self, a: MirrorArticle) -> tuple[MirrorArticle | None, MirrorArticle | None]:
        i = self._rank.get(id(a))
        if i is None:
            return None, None
        older = self._newest[i + 1] if i + 1 < len(self._newest) else None
        newer = self._newest[i - 1] if i > 0 else None
        return older, newer

    def paginate(self, items: list[MirrorArticle], page: int) -> tuple[list[MirrorArticle], int]:
        pages = max(1, -(-len(items) // self.page_size))
        return items[(page - 1) * self.page_size:page * self.page_size], pages

    def fault_links(self) -> list[tuple[str, str]]:
        """(title, url) of the fault endpoints; listings link them (see faults.py)."""
        from .faults import fault_paths

        if not self.faults:
            return []
        titles = ["تحديث: تفاصيل إضافية", "ملف مصور", "تقرير خاص", "عاجل", "متابعة"]
        return [(t, self.origin + p) for t, p in zip(titles, fault_paths(self.outlet_id),
                                                     strict=False)]

    # --- responses -----------------------------------------------------------------------
    def html(self, text: str, a: MirrorArticle | None = None, status: int = 200,
             modified: datetime | None = None) -> Response:
        """Encode a page as its article's encoding variant says and attach validators."""
        encoding = a.encoding if a else None
        ctype = "text/html; charset=UTF-8"
        if encoding is None:
            body = text.encode("utf-8")
        else:
            body = text.encode("cp1256", errors="xmlcharrefreplace")
            ctype = {
                "cp1256-header": "text/html; charset=windows-1256",
                "cp1256-undeclared": "text/html",
                "cp1256-wrong-header": "text/html; charset=iso-8859-1",
                "cp1256-wrong-meta": "text/html",
            }[encoding]
        if modified is None:
            modified = a.last_modified if a else self.lists_modified()
        return self.finish(status, body, ctype, modified)

    def finish(self, status: int, body: bytes, ctype: str, modified: datetime) -> Response:
        headers = {"Content-Type": ctype, "ETag": _etag(body), "Last-Modified": http_date(modified)}
        if self.api_root:  # WordPress announces its REST API on every page
            headers["Link"] = f'<{self.origin}{self.api_root}>; rel="https://api.w.org/"'
        return Response(status, body, headers)

    api_root = "/wp-json/"

    def lists_modified(self) -> datetime:
        return max((a.last_modified for a in self._newest), default=SITE_EPOCH)

    def text(self, body: str, ctype: str, modified: datetime | None = None) -> Response:
        return self.finish(200, body.encode("utf-8"), ctype, modified or self.lists_modified())

    def article_page(self, a: MirrorArticle) -> Response:
        if self.layout == "redesign":
            from .themes.redesign import reskin

            with self.lock:  # the default page is rendered first, then reskinned
                self.layout = "normal"
                try:
                    page = self.theme.article(self, a)
                finally:
                    self.layout = "redesign"
            return self.html(reskin(self, a, page), a)
        return self.html(self.theme.article(self, a), a)

    def static(self, title: str, text: list[str], url: str) -> Response:
        return self.html(self.theme.static_page(self, title, text, url), modified=SITE_EPOCH)

    def not_found(self) -> Response:
        page = self.theme.static_page(self, "الصفحة غير موجودة", [
            "عذراً، الصفحة التي تبحث عنها غير موجودة. ربما تم نقلها أو حذفها."], "", "error404")
        return self.html(page, status=404, modified=SITE_EPOCH)

    def listing(self, title: str, items: list[MirrorArticle], page: int, page_url,
                extra: bool = False) -> Response:
        chunk, pages = self.paginate(items, page)
        if page < 1 or page > pages:
            return self.not_found()
        links = self.fault_links() if extra and page == 1 else []
        return self.html(self.theme.listing(self, title, chunk, page, pages, page_url, links))

    def respond(self, path_qs: str) -> Response:
        with self.lock:
            cached = self._cache.get(path_qs)
            if cached is not None:
                self._cache.move_to_end(path_qs)
                return cached
            response = self.asset(path_qs) or self.route(path_qs)
            # Article pages are large and fetched once per crawl; listings/feeds repeat.
            if response.status == 200 and path_qs not in self.by_path:
                self._cache[path_qs] = response
                if len(self._cache) > 256:
                    self._cache.popitem(last=False)
            return response

    def asset(self, path_qs: str) -> Response | None:
        """Images, styles and scripts the pages reference: tiny but real, so a crawler that
        follows a featured-image link gets an image, not a 404."""
        from .faults import PNG

        path = urlsplit(path_qs).path.lower()
        kinds = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
                 ".svg": "image/svg+xml", ".css": "text/css", ".js": "application/javascript"}
        ext = path[path.rfind("."):] if "." in path.rsplit("/", 1)[-1] else ""
        if ext not in kinds:
            return None
        body = {".css": b"body{direction:rtl}\n", ".js": b"/* theme */\n",
                ".svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'}
        return self.finish(200, body.get(ext, PNG), kinds[ext], SITE_EPOCH)

    def route(self, path_qs: str) -> Response:  # pragma: no cover - abstract
        raise NotImplementedError


# --- helpers shared by the outlet classes ------------------------------------------------
_EPOCH = date(2018, 1, 1)


def slot_id(site: Site, a: MirrorArticle, base: int) -> int:
    """WordPress-like IDs that grow with the publication date and never depend on scale: corpus
    articles are assigned first, synthetic ones take the free slots of their day."""
    start = base + (a.day - _EPOCH).days * 10
    for candidate in range(start, start + 10):
        if candidate not in site._used_ids:
            return candidate
    candidate = base * 10
    while candidate in site._used_ids:
        candidate += 1
    return candidate


def page_arg(query: dict[str, list[str]], name: str) -> int | None:
    value = query.get(name, ["1"])[0]
    return int(value) if value.isdigit() else None


def redirect(site: Site, location: str) -> Response:
    response = site.finish(301, b"", "text/html; charset=UTF-8", SITE_EPOCH)
    response.headers["Location"] = location
    return response


def robots(site: Site, text: str) -> Response:
    return site.text(text, "text/plain; charset=utf-8", SITE_EPOCH)


ABOUT = {
    "about": ("من نحن", ["موقع إخباري يتابع الشؤون السياسية والأمنية في المنطقة ويقدم تقارير "
                         "وتحليلات ومقالات رأي لكتاب من مختلف البلدان العربية."]),
    "contact": ("اتصل بنا", ["للتواصل مع هيئة التحرير يرجى استخدام البريد الإلكتروني المنشور في "
                             "أسفل الصفحة. نرحب بملاحظاتكم ومقترحاتكم."]),
    "comment-policy": ("سياسة التعليقات", [CITADEL_POLICY]),
}

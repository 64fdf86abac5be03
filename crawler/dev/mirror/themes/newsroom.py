# ruff: noqa: E501  (HTML templates: one line per element reads better than wrapped strings)
"""A home-grown newsroom CMS (not WordPress), as the imaginary wahat runs it.

rasad has NO rules for it: the outlet tests `rasad outlets add` on a site unlike the others. Its
traits are those of many Arabic news sites built in-house: BEM class names (`.story__headline`,
`.story__text`), the publication date **only in JSON-LD** (the page shows "منذ 3 أيام" and the
top bar today's date in Arabic-Indic digits), an inline "اقرأ أيضاً" box and a newsletter form
inside the story, a "most read" sidebar, and an RSS feed linked only from the footer, at a path
no default guesses.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..dates import MONTHS_WP, WEEKDAYS, indic
from ..model import MirrorArticle
from .common import broken_body, esc, image_url, paragraphs

if TYPE_CHECKING:  # pragma: no cover
    from ..site import Site

SITE_NAME = "الواحات"
FEED_PATH = "/services/syndication/akhbar.xml"


def _topbar(site: Site) -> str:
    d = site.today
    clock = indic(f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS_WP[d.month - 1]} {d.year}")
    nav = "".join(f'<a class="primary-nav__link" href="{esc(u)}">{esc(t)}</a>' for t, u in site.menu())
    ticker = "".join(f'<a class="ticker__item" href="{esc(site.link(a))}">{esc(a.title)}</a>'
                     for a in site.popular(4))
    return f"""<div class="topbar"><span class="topbar__date">{clock}</span><span class="topbar__weather">الدوحة 41°</span></div>
<header class="masthead"><a class="masthead__logo" href="{esc(site.home_url)}"><img src="{site.origin}/static/img/logo.svg" alt="{SITE_NAME}"></a>
<nav class="primary-nav"><a class="primary-nav__link" href="{esc(site.all_url())}">آخر الأخبار</a>{nav}</nav>
<form class="masthead__search" action="{site.origin}/search"><input name="q" placeholder="ابحث في الواحات"></form></header>
<div class="ticker"><strong class="ticker__label">الأكثر تداولاً</strong>{ticker}</div>"""


def _footer(site: Site) -> str:
    pages = "".join(f'<a href="{esc(u)}">{esc(t)}</a>' for t, u in site.pages())
    return (f'<footer class="site-footer"><nav class="site-footer__nav">{pages}<a href="{site.origin}{FEED_PATH}">RSS</a></nav>'
            f'<p class="site-footer__copy">&copy; 2025 {SITE_NAME}. جميع الحقوق محفوظة.</p></footer>')


def _side(site: Site) -> str:
    items = "".join(f'<li><a href="{esc(site.link(a))}">{esc(a.title)}</a></li>' for a in site.popular(5, 3))
    return f'<aside class="layout__side"><section class="most-read"><h2 class="most-read__title">الأكثر قراءة</h2><ol>{items}</ol></section></aside>'


def _page(site: Site, title: str, head: str, main: str, body_class: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
{head}<link rel="stylesheet" href="{site.origin}/static/css/app.3f9a1c.css">
</head>
<body class="{body_class}">
{_topbar(site)}
<main class="layout"><div class="layout__main">
{main}
</div>
{_side(site)}
</main>
{_footer(site)}
<script src="{site.origin}/static/js/app.3f9a1c.js" defer></script>
</body>
</html>
"""


def _ago(site: Site, a: MirrorArticle) -> str:
    days = max(1, (site.today - a.day).days)
    return f"منذ {days} يوماً"


def article(site: Site, a: MirrorArticle) -> str:
    url = site.url(a)
    image = image_url(site, a, "/media/images")
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
          "mainEntityOfPage": url, "image": [image], "articleSection": a.section,
          "author": {"@type": "Person", "name": a.author or SITE_NAME},
          "publisher": {"@type": "NewsMediaOrganization", "name": SITE_NAME,
                        "logo": {"@type": "ImageObject", "url": f"{site.origin}/static/img/logo.png"}},
          "inLanguage": "ar"}
    if a.dates.get("jsonld", True):
        ld["datePublished"] = a.published.isoformat()
        ld["dateModified"] = a.last_modified.isoformat()
    data = json.dumps(ld, ensure_ascii=False).replace("</", "<\\/")
    head = (f'<meta name="description" content="{esc(a.excerpt(30))}">\n<link rel="canonical" href="{esc(url)}">\n'
            f'<meta property="og:type" content="article">\n<meta property="og:title" content="{esc(a.title)}">\n'
            f'<meta property="og:url" content="{esc(url)}">\n<meta property="og:image" content="{esc(image)}">\n'
            f'<meta property="og:site_name" content="{SITE_NAME}">\n'
            f'<script type="application/ld+json">{data}</script>\n')
    figure = ""
    if a.caption:
        figure = (f'<figure class="story__media"><img src="{esc(image)}" alt="{esc(a.title)}">'
                  f'<figcaption class="story__caption">{esc(a.caption)}</figcaption></figure>')
    others = site.related(a, 3)
    if site.layout == "broken":
        text = broken_body(a, "story__text--v2")
    else:
        body = paragraphs(a, "h2").split("\n")
        if others:
            body.insert(min(2, len(body)), f'<aside class="inline-read"><span class="inline-read__label">اقرأ أيضاً:</span> <a href="{esc(site.link(others[0]))}">{esc(others[0].title)}</a></aside>')
        text = '<div class="story__text">\n' + "\n".join(body) + "\n</div>"
    by = f'بقلم <a href="{site.origin}/authors/{a.post_id % 7}">{esc(a.author)}</a> · ' if a.author else ""
    tags = "".join(f'<a href="{esc(site.tag_url(t))}">{esc(t)}</a>' for t in a.tags)
    more = "".join(f'<li class="more-stories__item"><a href="{esc(site.link(r))}">{esc(r.title)}</a> <span class="more-stories__ago">{_ago(site, r)}</span></li>' for r in others)
    main = f"""<div class="story" data-story-id="{a.post_id}">
<div class="story__kicker"><a href="{esc(site.section_url(a.section))}">{esc(a.section)}</a></div>
<h1 class="story__headline">{esc(a.title)}</h1>
<div class="story__byline">{by}<span class="story__ago">{_ago(site, a)}</span></div>
{figure}
<div class="story__tools"><button class="story__save">حفظ</button><a class="story__share" href="https://api.whatsapp.com/send?text={esc(url)}">واتساب</a><button class="story__font">تكبير الخط</button></div>
{text}
<div class="story__tags"><span>مواضيع:</span>{tags}</div>
<div class="newsletter"><h3 class="newsletter__title">النشرة البريدية</h3><p>اشترك في نشرتنا اليومية ليصلك أهم الأخبار كل صباح.</p><form action="{site.origin}/newsletter" method="post"><input name="email" type="email" placeholder="بريدك الإلكتروني"><button>اشترك</button></form></div>
</div>
<section class="more-stories"><h2 class="more-stories__title">اقرأ المزيد</h2><ul>{more}</ul></section>"""
    return _page(site, f"{a.title} | {SITE_NAME}", head, main, "page-article")


def _cards(site: Site, items: list[MirrorArticle]) -> str:
    return "".join(f'<li class="card"><a class="card__link" href="{esc(site.link(a))}"><img src="{esc(image_url(site, a, "/media/images"))}" alt=""><h3 class="card__title">{esc(a.title)}</h3></a>'
                   f'<p class="card__summary">{esc(a.excerpt())}</p><span class="card__ago">{_ago(site, a)}</span></li>' for a in items)


def listing(site: Site, title: str, items: list[MirrorArticle], page: int, pages: int,
            page_url, extra_links: list[tuple[str, str]] = ()) -> str:
    pager = "".join(f'<span class="pager__current">{n}</span>' if n == page else f'<a class="pager__link" href="{esc(page_url(n))}">{n}</a>'
                    for n in range(1, pages + 1))
    if page < pages:
        pager += f'<a class="pager__next" href="{esc(page_url(page + 1))}">التالي</a>'
    extra = "".join(f'<li class="card"><a class="card__link" href="{esc(u)}"><h3 class="card__title">{esc(t)}</h3></a></li>' for t, u in extra_links)
    head = f'<link rel="canonical" href="{esc(page_url(page))}">\n<meta property="og:type" content="website">\n'
    main = (f'<h1 class="section-title">{esc(title)}</h1><ul class="cards">{_cards(site, items)}{extra}</ul>'
            f'<nav class="pager">{pager}</nav>')
    return _page(site, f"{title} | {SITE_NAME}", head, main, "page-section")


def home(site: Site) -> str:
    blocks = "".join(f'<section class="home-block"><h2 class="home-block__title"><a href="{esc(u)}">{esc(t)}</a></h2><ul class="cards">{_cards(site, site.section_items(t)[:3])}</ul></section>'
                     for t, u in site.menu()[:4])
    main = f'<section class="home-lead"><ul class="cards">{_cards(site, site.recent(8))}</ul></section>{blocks}'
    head = f'<link rel="canonical" href="{esc(site.home_url)}">\n<meta property="og:type" content="website">\n<meta property="og:site_name" content="{SITE_NAME}">\n'
    return _page(site, f"{SITE_NAME} | أخبار العالم العربي", head, main, "page-home")


def static_page(site: Site, title: str, text: list[str], url: str, status_text: str = "") -> str:
    body = "".join(f"<p>{esc(p)}</p>" for p in text)
    head = (f'<link rel="canonical" href="{esc(url)}">\n' if url else "") + '<meta property="og:type" content="website">\n'
    main = f'<div class="static"><h1 class="static__title">{esc(title)}</h1><div class="static__text">{body}</div></div>'
    return _page(site, f"{title} | {SITE_NAME}", head, main, f"page-static {status_text}".strip())

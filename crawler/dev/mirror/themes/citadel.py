# ruff: noqa: E501  (HTML templates: one line per element reads better than wrapped strings)
"""The own CMS of centcomcitadel.com/ar ("القلعة"), after seeds 000–002.

Seed order on an article page: section label, title, ISO date line, the lead, "شارك هذا المقال",
the photo caption twice (figcaption + the lightbox copy), body with subheadings, "هل أعجبك هذا
المقال؟", "سياسة التعليقات", captcha "يرجى إدخال الأرقام *". The lead is article text (body truth
starts with it). Seed 002 shows neither title nor date: the "hero" template keeps the title in
<title>/og:title only and the date in the URL only.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import MirrorArticle
from ..site import CITADEL_POLICY as POLICY
from .common import article_meta, broken_body, charset_meta, date_text, esc, image_url, paragraphs

if TYPE_CHECKING:  # pragma: no cover
    from ..site import Site

SITE_NAME = "القلعة"


def _nav(site: Site) -> str:
    items = "".join(f'<li class="nav__item"><a class="nav__link" href="{esc(u)}">{esc(t)}</a></li>'
                    for t, u in site.menu())
    return f"""<header class="site-header" role="banner"><div class="site-header__inner">
<a class="site-header__logo" href="{esc(site.home_url)}"><img src="{site.origin}/ar/static/img/logo-ar.svg" alt="{SITE_NAME}"></a>
<nav class="nav" aria-label="الأقسام"><ul class="nav__list"><li class="nav__item"><a class="nav__link" href="{esc(site.home_url)}">الرئيسية</a></li>{items}</ul></nav>
<form class="site-search" action="{site.origin}/ar/search" method="get"><input type="search" name="q" placeholder="بحث"><button type="submit">بحث</button></form>
<ul class="lang-switch"><li><a href="{site.origin}/en" hreflang="en">English</a></li><li><a href="{site.origin}/ru" hreflang="ru">Русский</a></li></ul>
</div></header>"""


def _footer(site: Site) -> str:
    pages = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in site.pages())
    return (f'<footer class="site-footer"><ul class="site-footer__links">{pages}</ul>'
            f'<p class="site-footer__note">موقع القلعة برعاية القيادة المركزية الأمريكية.</p>'
            f'</footer>')


def _page(site: Site, title: str, head: str, main: str, a: MirrorArticle | None = None) -> str:
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
{charset_meta(a)}<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
{head}<link rel="stylesheet" href="{site.origin}/ar/static/css/site.css">
</head>
<body class="rtl">
{_nav(site)}
<main class="main" id="main">
{main}
</main>
{_footer(site)}
<script src="{site.origin}/ar/static/js/site.js" defer></script>
</body>
</html>
"""


def article(site: Site, a: MirrorArticle) -> str:
    image = image_url(site, a, "/ar/media/images")
    link = site.url(a)
    lead, rest = (a.body[0], a.body[1:]) if a.template != "hero" else (None, a.body)
    body_article = MirrorArticle(**{**a.__dict__, "body": rest}) if lead else a
    if site.layout == "broken":
        body_html = broken_body(a, "story-body")
        lead = None
    else:
        body_html = f'<div class="article__body">\n{paragraphs(body_article, "h2")}\n</div>'
    share = (f'<div class="share"><p class="share__label">شارك هذا المقال</p><ul class="share__list">'
             f'<li><a href="https://www.facebook.com/sharer/sharer.php?u={esc(link)}">فيسبوك</a></li>'
             f'<li><a href="https://twitter.com/intent/tweet?url={esc(link)}">إكس</a></li>'
             f'<li><a href="https://wa.me/?text={esc(link)}">واتساب</a></li></ul></div>')
    figure = ""
    if a.caption:
        figure = (f'<figure class="article__figure"><a class="js-lightbox" href="{esc(image)}">'
                  f'<img src="{esc(image)}" alt=""></a><figcaption class="article__caption">'
                  f'{esc(a.caption)}</figcaption></figure>\n<div class="lightbox" aria-hidden="true">'
                  f'<div class="lightbox__caption">{esc(a.caption)}</div></div>')
    if a.template == "hero":
        header = (f'<div class="hero" style="background-image:url({esc(image)})">'
                  f'<div class="hero__overlay"></div></div>')
        extras = ""
    else:
        header = (f'<header class="article__header"><a class="article__section" href="'
                  f'{esc(site.section_url(a.section))}">{esc(a.section)}</a>\n<h1 class="article__title">'
                  f'{esc(a.title)}</h1>\n<p class="article__date">{esc(date_text(a, "iso"))}</p>'
                  f'</header>')
        keywords = "".join(f'<li><a href="{esc(site.tag_url(t))}">{esc(t)}</a></li>' for t in a.tags)
        extras = f"""<div class="article__tags"><span>الكلمات المفتاحية</span><ul>{keywords}</ul></div>
<div class="article__rating"><p>هل أعجبك هذا المقال؟</p><button class="rating__yes">0 نعم</button><button class="rating__no">0 لا</button></div>
</article>
<section class="comments" id="comments"><h3 class="comments__policy-title"><a href="{esc(site.page_url("comment-policy"))}">سياسة التعليقات</a></h3><p class="comments__policy">{esc(POLICY)}</p>
<form class="comments__form" action="{site.origin}/ar/comments" method="post"><label>الاسم *<input name="name"></label><label>التعليق *<textarea name="comment"></textarea></label>
<div class="captcha"><img src="{site.origin}/ar/captcha.png" alt=""><label>يرجى إدخال الأرقام *<input name="captcha"></label></div><button type="submit">إرسال</button></form></section>"""
    lead_html = f'<div class="article__lead"><p>{esc(lead)}</p></div>\n' if lead else ""
    head = article_meta(site, a, SITE_NAME, image) if a.dates.get("meta") or a.template != "hero" \
        else (f'<link rel="canonical" href="{esc(link)}" />\n'
              f'<meta property="og:title" content="{esc(a.title)}" />\n')
    tail = "" if extras else "</article>"
    main = f"""<article class="article" data-id="{esc(a.key)}">
{header}
{lead_html}{share if a.template != "hero" else ""}
{figure}
{body_html}
{extras}{tail}"""
    return _page(site, f"{a.title} | {SITE_NAME}", head, main, a)


def listing(site: Site, title: str, items: list[MirrorArticle], page: int, pages: int,
            page_url, extra_links: list[str] = ()) -> str:
    cards = "".join(
        f'<li class="card"><a class="card__link" href="{esc(site.link(a, slugged=i % 2 == 0))}">'
        f'<h2 class="card__title">{esc(a.title)}</h2></a><p class="card__section">{esc(a.section)}'
        f'</p><p class="card__date">{a.day.isoformat()}</p><p class="card__teaser">'
        f'{esc(a.excerpt())}</p></li>' for i, a in enumerate(items))
    pager = []
    if page > 1:
        pager.append(f'<a class="pager__prev" rel="prev" href="{esc(page_url(page - 1))}">السابق</a>')
    pager += [f'<span class="pager__current">{n}</span>' if n == page else
              f'<a class="pager__page" href="{esc(page_url(n))}">{n}</a>' for n in range(1, pages + 1)]
    if page < pages:
        pager.append(f'<a class="pager__next" rel="next" href="{esc(page_url(page + 1))}">التالي</a>')
    extra = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in extra_links)
    main = (f'<h1 class="listing__title">{esc(title)}</h1><ul class="cards">{cards}</ul>'
            f'<nav class="pager">{"".join(pager)}</nav><aside class="more"><ul>{extra}</ul></aside>')
    head = f'<link rel="canonical" href="{esc(page_url(page))}" />\n'
    return _page(site, f"{title} | {SITE_NAME}", head, main)


def home(site: Site) -> str:
    cards = "".join(
        f'<li class="card"><a class="card__link" href="{esc(site.link(a))}"><h2 class="card__title">'
        f'{esc(a.title)}</h2></a><p class="card__date">{a.day.isoformat()}</p></li>'
        for a in site.recent(8))
    sections = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in site.menu())
    head = (f'<link rel="canonical" href="{esc(site.home_url)}" />\n'
            f'<link rel="alternate" type="application/atom+xml" title="{SITE_NAME}" '
            f'href="{esc(site.feed_url)}" />\n')
    main = (f'<section class="latest"><h2>آخر المقالات</h2><ul class="cards">{cards}</ul>'
            f'<a class="more-link" href="{esc(site.all_url())}">كل المقالات</a></section>'
            f'<section class="sections"><h2>الأقسام</h2><ul>{sections}</ul></section>')
    return _page(site, f"{SITE_NAME} | الصفحة الرئيسية", head, main)


def static_page(site: Site, title: str, text: list[str], url: str, status_text: str = "") -> str:
    body = "".join(f"<p>{esc(p)}</p>" for p in text)
    head = f'<link rel="canonical" href="{esc(url)}" />\n' if url else ""
    return _page(site, f"{title} | {SITE_NAME}", head,
                 f'<div class="page"><h1 class="page__title">{esc(title)}</h1>{body}</div>')

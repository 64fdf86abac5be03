# ruff: noqa: E501  (HTML templates: one line per element reads better than wrapped strings)
"""Jannah (TieLabs, WordPress), a theme many Arabic news sites run, as the imaginary rafid does.

rasad has NO rules for this theme: the outlet exists to test `rasad outlets add` and generic
extraction on a site nobody here wrote rules for. The markup follows Jannah's public structure:
`#tie-wrapper`, a top bar with `.topbar-today-date` (a clock showing *today*) and a breaking-news
ticker full of other articles' titles, `article#the-post` with `h1.post-title.entry-title`, the
meta line (`span.date.meta-item` "26 يوليو، 2025", views, reading time), `.entry-content.entry`
with an in-post ad (`.stream-item`), tags ("الوسوم"), share buttons, then `.post-components`
(author box, prev/next, "مقالات ذات صلة", the comment form) and a "الأكثر قراءة" sidebar.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..dates import MONTHS_WP, WEEKDAYS
from ..model import MirrorArticle
from .common import article_meta, broken_body, esc, image_url, json_ld, paragraphs

if TYPE_CHECKING:  # pragma: no cover
    from datetime import date

    from ..site import Site

SITE_NAME = "رافد"
UPLOADS = "/wp-content/uploads"


def jannah_date(d: date) -> str:
    """Jannah in the `ar` locale ("j F، Y"): "26 يوليو، 2025"."""
    return f"{d.day} {MONTHS_WP[d.month - 1]}، {d.year}"


def _header(site: Site) -> str:
    today = site.today
    ticker = "".join(f'<li class="news-item"><a href="{esc(site.link(a))}">{esc(a.title)}</a></li>'
                     for a in site.recent(5))
    menu = "".join(f'<li class="menu-item menu-item-type-taxonomy"><a href="{esc(u)}">{esc(t)}</a></li>'
                   for t, u in site.menu())
    return f"""<header id="theme-header" class="theme-header header-layout-3 main-nav-dark main-nav-default-dark main-nav-below no-stream-item top-nav-active top-nav-light top-nav-above">
<nav id="top-nav" class="has-date-breaking-components top-nav header-nav has-breaking-news" aria-label="الشريط العلوي"><div class="container"><div class="topbar-wrapper">
<div class="topbar-today-date tie-icon">{WEEKDAYS[today.weekday()]}، {esc(jannah_date(today))}</div>
<div class="tie-alignleft"><div class="breaking controls-is-active"><span class="breaking-title"><span class="tie-icon-bolt breaking-icon" aria-hidden="true"></span><span class="breaking-title-text">عاجل</span></span><ul id="breaking-news-in-header" class="breaking-news" data-type="reveal">{ticker}</ul></div></div>
</div></div></nav>
<div class="container header-container"><div class="tie-row logo-row"><div class="logo-wrapper"><div class="tie-col-md-4 logo-container clearfix"><div id="logo" class="image-logo"><a title="{SITE_NAME}" href="{esc(site.home_url)}"><picture class="tie-logo-default tie-logo-picture"><img class="tie-logo-img-default tie-logo-img" src="{site.origin}{UPLOADS}/2023/01/logo.png" alt="{SITE_NAME}"/></picture></a></div></div></div></div></div>
<div class="main-nav-wrapper"><nav id="main-nav" class="main-nav header-nav" aria-label="القائمة الرئيسية"><div class="container"><div class="main-menu-wrapper"><div id="menu-components-wrap"><div class="main-menu main-menu-wrap tie-alignleft"><div id="main-nav-menu" class="main-menu header-menu"><ul id="menu-main" class="menu" role="menubar"><li class="menu-item menu-item-home"><a href="{esc(site.home_url)}">الرئيسية</a></li>{menu}</ul></div></div>
<ul class="components"><li class="search-compact-icon menu-item custom-menu-link"><a href="#" class="tie-search-trigger"><span class="tie-icon-search tie-search-icon" aria-hidden="true"></span><span class="screen-reader-text">بحث عن</span></a></li></ul></div></div></div></nav></div>
</header>"""


def _post_item(site: Site, a: MirrorArticle, css: str = "widget-single-post-item") -> str:
    return (f'<li class="{css} widget-post-list tie-standard"><div class="post-widget-thumbnail"><a '
            f'aria-label="{esc(a.title)}" href="{esc(site.link(a))}" class="post-thumb"><img '
            f'src="{esc(image_url(site, a, UPLOADS))}" alt="" /></a></div><div class="post-widget-body">'
            f'<a class="post-title the-subtitle" href="{esc(site.link(a))}">{esc(a.title)}</a>'
            f'<div class="post-meta"><span class="date meta-item tie-icon">{esc(jannah_date(a.day))}'
            f'</span></div></div></li>')


def _sidebar(site: Site) -> str:
    items = "".join(_post_item(site, a) for a in site.popular(5))
    return f"""<aside class="sidebar tie-col-md-4 tie-col-xs-12 normal-side is-sticky" aria-label="القائمة الجانبية الرئيسية"><div class="theiaStickySidebar">
<div id="posts-list-widget-2" class="container-wrapper widget posts-list"><div class="widget-title the-global-title"><div class="the-subtitle">الأكثر قراءة</div></div><div class="widget-posts-list-wrapper"><div class="widget-posts-list-container"><ul class="posts-list-items widget-posts-wrapper">{items}</ul></div></div><div class="clearfix"></div></div>
<div id="stream-item-widget-3" class="container-wrapper widget stream-item-widget"><div class="stream-item-widget-content"><span class="stream-title">إعلان</span><a href="https://ads.example.net/"><img src="{site.origin}{UPLOADS}/2023/01/ad-300.png" alt=""></a></div></div>
</div></aside>"""


def _footer(site: Site) -> str:
    pages = "".join(f'<li class="menu-item"><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in site.pages())
    return f"""<footer id="footer" class="site-footer dark-skin dark-widgetized-area"><div id="site-info" class="site-info site-info-layout-2"><div class="container"><div class="tie-row"><div class="tie-col-md-12">
<div class="copyright-text copyright-text-first">&copy; حقوق النشر 2025، جميع الحقوق محفوظة | {SITE_NAME}</div><div class="footer-menu"><ul id="menu-footer" class="menu">{pages}</ul></div>
</div></div></div></div></footer>
<a id="go-to-top" class="go-to-top-button" href="#go-to-tie-body"><span class="tie-icon-angle-up"></span><span class="screen-reader-text">زر الذهاب إلى الأعلى</span></a>"""


def _page(site: Site, title: str, head: str, main: str, body_class: str) -> str:
    return f"""<!DOCTYPE html>
<html dir="rtl" lang="ar" class="" data-skin="light">
<head>
<meta charset="UTF-8" />
<link rel="profile" href="https://gmpg.org/xfn/11" />
<title>{esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
{head}<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &laquo; الخلاصة" href="{site.origin}/feed/" />
<link rel='stylesheet' id='tie-css-base-css' href='{site.origin}/wp-content/themes/jannah/assets/css/base.min.css' type='text/css' media='all' />
<link rel='stylesheet' id='tie-css-styles-css' href='{site.origin}/wp-content/themes/jannah/assets/css/style.min.css' type='text/css' media='all' />
<meta name="generator" content="Jannah 7.1.0" />
</head>
<body id="tie-body" class="rtl {body_class} tie-no-js wrapper-has-shadow block-head-1 magazine1 is-thumb-overlay-disabled is-desktop is-header-layout-3 sidebar-left has-sidebar post-layout-1 narrow-title-narrow-media has-mobile-share">
<div class="background-overlay"><div id="tie-container" class="site tie-container"><div id="tie-wrapper">
{_header(site)}
<div id="content" class="site-content container"><div id="main-content-row" class="tie-row main-content-row">
{main}
{_sidebar(site)}
</div></div>
{_footer(site)}
</div></div></div>
<script type='text/javascript' src='{site.origin}/wp-content/themes/jannah/assets/js/scripts.min.js' id='tie-scripts-js'></script>
</body>
</html>
"""


def article(site: Site, a: MirrorArticle) -> str:
    link = site.link(a)
    image = image_url(site, a, UPLOADS)
    author = a.author or "التحرير"
    figure = ""
    if a.caption:
        figure = (f'<div class="featured-area"><div class="featured-area-inner"><figure class="single-featured-image">'
                  f'<img width="780" height="470" src="{esc(image)}" class="attachment-jannah-image-post size-jannah-image-post wp-post-image" alt="" />'
                  f'<figcaption class="single-caption-text"><span class="tie-icon-camera" aria-hidden="true"></span> {esc(a.caption)}</figcaption></figure></div></div>')
    if site.layout == "broken":
        content = broken_body(a, "entry-content-v2")
    else:
        body = paragraphs(a, "h3").split("\n")
        middle = max(1, len(body) // 2)
        body.insert(middle, '<div class="stream-item stream-item-in-post stream-item-inline-post aligncenter"><span class="stream-title">إعلان</span><a href="https://ads.example.net/"><img src="'
                    + site.origin + UPLOADS + '/2023/01/ad-728.png" alt=""></a></div>')
        tags = "".join(f'<a href="{esc(site.tag_url(t))}" rel="tag">{esc(t)}</a>' for t in a.tags)
        content = ('<div class="entry-content entry clearfix">\n' + "\n".join(body)
                   + f'\n<div class="post-bottom-meta post-bottom-tags post-tags-modern"><div class="post-bottom-meta-title"><span class="tie-icon-tags" aria-hidden="true"></span> الوسوم</div><span class="tagcloud">{tags}</span></div>\n</div>')
    share = "".join(
        f'<a href="{href}{esc(link)}" rel="external noopener nofollow" title="{label}" target="_blank" class="{net}-share-btn large-share-button"><span class="share-btn-icon tie-icon-{net}"></span> <span class="social-text">{label}</span></a>'
        for net, label, href in (("facebook", "فيسبوك", "https://www.facebook.com/sharer.php?u="),
                                 ("twitter", "‫X", "https://twitter.com/intent/tweet?url="),
                                 ("whatsapp", "واتساب", "https://api.whatsapp.com/send?text="),
                                 ("telegram", "تيلقرام", "https://telegram.me/share/url?url=")))
    prev, nxt = site.neighbours(a)
    nav = "".join(f'<div class="tie-col-xs-6 {cls}-post"><a href="{esc(site.link(b))}" class="post-nav-link"><h3 class="post-title">{esc(b.title)}</h3></a></div>'
                  for cls, b in (("prev", prev), ("next", nxt)) if b)
    related = "".join(f'<div class="related-item tie-standard"><a aria-label="{esc(r.title)}" href="{esc(site.link(r))}" class="post-thumb"><img src="{esc(image_url(site, r, UPLOADS))}" alt=""></a><h3 class="post-title"><a href="{esc(site.link(r))}">{esc(r.title)}</a></h3><div class="post-meta clearfix"><span class="date meta-item tie-icon">{esc(jannah_date(r.day))}</span></div></div>'
                      for r in site.related(a, 4))
    views = (a.post_id * 7) % 4000 + 120
    head = article_meta(site, a, SITE_NAME, image) + json_ld(site, a, SITE_NAME, image)
    main = f"""<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
<article id="the-post" class="container-wrapper post-content tie-standard">
<header class="entry-header-outer"><nav id="breadcrumb"><a href="{esc(site.home_url)}"><span class="tie-icon-home" aria-hidden="true"></span> الرئيسية</a><em class="delimiter">/</em><a href="{esc(site.section_url(a.section))}">{esc(a.section)}</a><em class="delimiter">/</em><span class="current">{esc(a.title)}</span></nav>
<div class="entry-header"><span class="post-cat-wrap"><a class="post-cat tie-cat-3" href="{esc(site.section_url(a.section))}">{esc(a.section)}</a></span>
<h1 class="post-title entry-title">{esc(a.title)}</h1>
<div class="single-post-meta post-meta clearfix"><span class="author-meta single-author no-avatars"><span class="meta-item meta-author-wrapper"><span class="meta-author"><a href="{esc(site.author_url(a.author))}" class="author-name tie-icon" title="{esc(author)}">{esc(author)}</a></span></span></span><span class="date meta-item tie-icon">{esc(jannah_date(a.day))}</span><div class="tie-alignright"><span class="meta-views meta-item"><span class="tie-icon-fire" aria-hidden="true"></span> {views} </span><span class="meta-reading-time meta-item"><span class="tie-icon-bookmark" aria-hidden="true"></span> دقيقتين</span></div></div>
</div></header>
{figure}
{content}
<div id="share-buttons-bottom" class="share-buttons share-buttons-bottom"><div class="share-links icons-text">{share}</div></div>
</article>
<div class="post-components">
<div class="about-author container-wrapper about-author-1"><div class="author-info"><h3 class="author-name"><a href="{esc(site.author_url(a.author))}">{esc(author)}</a></h3><div class="author-bio">كاتب وصحفي في {SITE_NAME}.</div></div></div>
<div class="prev-next-post-nav container-wrapper media-overlay">{nav}</div>
<div id="related-posts" class="container-wrapper has-extra-post"><div class="mag-box-title the-global-title"><h3>مقالات ذات صلة</h3></div><div class="related-posts-list">{related}</div></div>
<div id="comments" class="comments-area"><div id="add-comment-block" class="container-wrapper"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title the-global-title">اترك تعليقاً <small><a rel="nofollow" id="cancel-comment-reply-link" href="{esc(link)}#respond" style="display:none;">إلغاء الرد</a></small></h3>
<form action="{site.origin}/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes"><span id="email-notes">لن يتم نشر عنوان بريدك الإلكتروني.</span> الحقول الإلزامية مشار إليها بـ <span class="required">*</span></p><p class="comment-form-comment"><label for="comment">التعليق <span class="required">*</span></label> <textarea id="comment" name="comment" cols="45" rows="8"></textarea></p><p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="إرسال التعليق" /></p></form></div></div></div>
</div>
</div>"""
    return _page(site, f"{a.title} - {SITE_NAME}", head, main,
                 f"post-template-default single single-post postid-{a.post_id} single-format-standard")


def _list_body(site: Site, items: list[MirrorArticle]) -> str:
    return "".join(
        f'<li class="post-item tie-standard"><a aria-label="{esc(a.title)}" href="{esc(site.link(a))}" class="post-thumb"><img src="{esc(image_url(site, a, UPLOADS))}" alt=""></a>'
        f'<div class="post-details"><div class="post-meta clearfix"><span class="date meta-item tie-icon">{esc(jannah_date(a.day))}</span></div>'
        f'<h2 class="post-title"><a href="{esc(site.link(a))}">{esc(a.title)}</a></h2><p class="post-excerpt">{esc(a.excerpt())}</p></div></li>'
        for a in items)


def listing(site: Site, title: str, items: list[MirrorArticle], page: int, pages: int,
            page_url, extra_links: list[tuple[str, str]] = ()) -> str:
    pager = "".join(f'<li class="{"current" if n == page else ""}"><a href="{esc(page_url(n))}">{n}</a></li>'
                    for n in range(1, pages + 1))
    head = f'<link rel="canonical" href="{esc(page_url(page))}" />\n'
    if page < pages:
        head += f'<link rel="next" href="{esc(page_url(page + 1))}" />\n'
    extra = "".join(f'<li class="post-item"><h2 class="post-title"><a href="{esc(u)}">{esc(t)}</a></h2></li>' for t, u in extra_links)
    main = f"""<div class="main-content tie-col-md-8 tie-col-xs-12" role="main">
<header class="entry-header-outer container-wrapper"><h1 class="page-title">{esc(title)}</h1></header>
<div class="mag-box wide-post-box"><div class="container-wrapper"><div class="mag-box-container clearfix"><ul id="posts-container" class="posts-items">{_list_body(site, items)}{extra}</ul></div></div></div>
<div class="pages-nav"><div class="pages-numbers pages-standard"><ul class="pages-numbers">{pager}</ul></div></div>
</div>"""
    return _page(site, f"{title} - {SITE_NAME}", head, main, "archive category")


def home(site: Site) -> str:
    blocks = []
    for label, url in site.menu()[:4]:
        items = site.section_items(label)[:4]
        if items:
            blocks.append(f'<div class="mag-box big-post-left-box"><div class="container-wrapper"><div class="mag-box-title the-global-title"><h3><a href="{esc(url)}">{esc(label)}</a></h3></div><ul class="posts-items">{_list_body(site, items)}</ul></div></div>')
    main = (f'<div class="main-content tie-col-md-8 tie-col-xs-12" role="main"><div class="mag-box slider-area">'
            f'<ul class="posts-items">{_list_body(site, site.recent(8))}</ul></div>{"".join(blocks)}</div>')
    head = f'<link rel="canonical" href="{esc(site.home_url)}" />\n<meta property="og:site_name" content="{SITE_NAME}" />\n'
    return _page(site, f"{SITE_NAME} - أخبار ومقالات", head, main, "home blog")


def static_page(site: Site, title: str, text: list[str], url: str, status_text: str = "") -> str:
    body = "".join(f"<p>{esc(p)}</p>" for p in text)
    head = f'<link rel="canonical" href="{esc(url)}" />\n' if url else ""
    main = (f'<div class="main-content tie-col-md-8 tie-col-xs-12" role="main"><article id="the-post" class="container-wrapper post-content">'
            f'<header class="entry-header-outer"><div class="entry-header"><h1 class="post-title entry-title">{esc(title)}</h1></div></header>'
            f'<div class="entry-content entry clearfix">{body}</div></article></div>')
    return _page(site, f"{title} - {SITE_NAME}", head, main, f"page-template-default page {status_text}".strip())

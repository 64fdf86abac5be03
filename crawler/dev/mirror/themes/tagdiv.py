# ruff: noqa: E501  (HTML templates: one line per element reads better than wrapped strings)
"""tagDiv Newspaper (WordPress theme) as alqaed.pk/ar runs it, right-to-left.

Structure follows the saved Newspaper pages in shared/html-models (caymancompass, ukbdnews);
visible strings follow seed 004. Traps kept from the real theme: the top bar's div.td_data_time is
*today*; time.entry-date also appears in related/sidebar modules; the featured image with its
figcaption sits inside div.td-post-content; ad slots ("- Advertisment -", an image whose alt is
"Google search engine") sit inside and around the body.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..dates import wp_date, wp_header_clock
from ..model import MirrorArticle
from .common import (
    article_meta,
    broken_body,
    charset_meta,
    date_text,
    esc,
    image_url,
    json_ld,
    paragraphs,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..site import Site

SITE_NAME = "القائد"
AD = ('<div class="td-a-rec td-a-rec-id-{slot}"><span class="td-adspot-title">- Advertisment -'
      '</span><div class="td-all-devices"><a href="https://www.google.com/" target="_blank">'
      '<img src="{origin}/ar/wp-content/uploads/2021/02/ad.png" alt="Google search engine" '
      'title="Google search engine"/></a></div></div>')


def _ad(site: Site, slot: str) -> str:
    return AD.format(slot=slot, origin=site.origin)


def _header(site: Site) -> str:
    top = "".join(f'<li class="menu-item"><a href="{esc(u)}">{esc(t)}</a></li>'
                  for t, u in site.pages())
    menu = "".join(f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
                   f'<a href="{esc(u)}">{esc(t)}</a></li>' for t, u in site.menu())
    return f"""<div class="td-header-wrap td-header-style-1">
<div class="td-header-top-menu-full td-container-wrap td_stretch_container"><div class="td-container td-header-row td-header-top-menu">
<div class="top-bar-style-1"><div class="td-header-sp-top-menu">
<div class="td_data_time"><div style="visibility:visible;">{esc(wp_header_clock(site.today))}</div></div>
<div class="menu-top-container"><ul id="menu-top-menu" class="top-header-menu">{top}</ul></div></div>
<div class="td-header-sp-top-widget"><span class="td-social-icon-wrap"><a target="_blank" href="https://www.facebook.com/alqaed" title="Facebook"><i class="td-icon-font td-icon-facebook"></i></a></span></div></div>
</div></div>
<div class="td-banner-wrap-full td-logo-wrap-full td-container-wrap"><div class="td-container td-header-row td-header-header">
<div class="td-header-sp-logo"><a class="td-main-logo" href="{esc(site.home_url)}"><img class="td-retina-data" src="{site.origin}/ar/wp-content/uploads/2020/01/logo.png" alt="{SITE_NAME}"/><span class="td-visual-hidden">{SITE_NAME}</span></a></div>
<div class="td-header-sp-recs"><div class="td-header-rec-wrap">{_ad(site, "header")}</div></div></div></div>
<div class="td-header-menu-wrap-full td-container-wrap"><div class="td-header-menu-wrap td-header-gradient"><div class="td-container td-header-row td-header-main-menu">
<div id="td-header-menu" role="navigation"><div class="menu-main-menu-container"><ul id="menu-main-menu-1" class="sf-menu">
<li class="menu-item menu-item-home current-menu-item"><a href="{esc(site.home_url)}">الرئيسية</a></li>{menu}</ul></div></div>
<div class="header-search-wrap"><div class="td-search-btns-wrap"><a id="td-header-search-button" href="#" role="button" class="dropdown-toggle"><i class="td-icon-search"></i></a></div>
<div class="td-drop-down-search"><form method="get" class="td-search-form" action="{esc(site.home_url)}"><div role="search" class="td-head-form-search-wrap"><input id="td-header-search" type="text" value="" name="s" autocomplete="off" /><input class="wpb_button wpb_btn-inverse btn" type="submit" id="td-header-search-top" value="بحث" /></div></form>
<div id="td-aj-search"></div></div></div></div></div></div></div>"""


def _module(site: Site, a: MirrorArticle, css: str = "td_module_6") -> str:
    return (f'<div class="{css} td_module_wrap td-animation-stack"><div class="td-module-thumb">'
            f'<a href="{esc(site.link(a))}" rel="bookmark" class="td-image-wrap" title="'
            f'{esc(a.title)}"><img class="entry-thumb" src="'
            f'{esc(image_url(site, a, "/ar/wp-content/uploads"))}" alt="" title="{esc(a.title)}"/>'
            f'</a></div><div class="item-details"><h3 class="entry-title td-module-title"><a href="'
            f'{esc(site.link(a))}" rel="bookmark" title="{esc(a.title)}">{esc(a.title)}</a></h3>'
            f'<div class="td-module-meta-info"><span class="td-post-date"><time class="entry-date '
            f'updated td-module-date" datetime="{a.published.isoformat()}">{esc(wp_date(a.day))}'
            f'</time></span></div></div></div>')


def _sidebar(site: Site) -> str:
    popular = "".join(_module(site, a) for a in site.popular(4))
    return f"""<div class="td-pb-span4 td-main-sidebar" role="complementary"><div class="td-ss-main-sidebar">
{_ad(site, "sidebar")}
<div class="td_block_wrap td_block_1 td-pb-border-top td_block_template_1"><div class="td-block-title-wrap"><h4 class="block-title td-block-title"><span class="td-pulldown-size">الأكثر شهرة</span></h4></div><div class="td_block_inner">{popular}</div></div>
<div class="td_block_wrap td_block_7 td_block_template_1"><div class="td-block-title-wrap"><h4 class="block-title td-block-title"><span class="td-pulldown-size">احدث التعليقات</span></h4></div><div class="td_block_inner"></div></div>
</div></div>"""


def _footer(site: Site) -> str:
    return f"""<div class="td-footer-wrapper td-container-wrap"><div class="td-container"><div class="td-pb-row"><div class="td-pb-span12">
<div class="footer-text-wrap">{SITE_NAME}: صحيفة إخبارية باكستانية تصدر بالعربية. تواصل معنا: <a href="mailto:info@alqaed.pk">info@alqaed.pk</a></div></div></div></div></div>
<div class="td-sub-footer-container td-container-wrap"><div class="td-container"><div class="td-pb-row">
<div class="td-pb-span td-sub-footer-menu"><ul class="td-subfooter-menu">{"".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in site.pages())}</ul></div>
<div class="td-pb-span td-sub-footer-copy">&copy; جميع الحقوق محفوظة - {SITE_NAME}</div></div></div></div>"""


def _page(site: Site, title: str, head: str, main: str, a: MirrorArticle | None = None,
          body_class: str = "home") -> str:
    return f"""<!doctype html >
<!--[if gt IE 8]><!--> <html dir="rtl" lang="ar"> <!--<![endif]-->
<head>
    <title>{esc(title)}</title>
    {charset_meta(a, "charset")}    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="pingback" href="{site.origin}/ar/xmlrpc.php" />
{head}<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &laquo; الخلاصة" href="{site.origin}/ar/feed/" />
<link rel='stylesheet' id='td-theme-css' href='{site.origin}/ar/wp-content/themes/Newspaper/style.css' type='text/css' media='all' />
<link rel='stylesheet' id='td-theme-rtl-css' href='{site.origin}/ar/wp-content/themes/Newspaper/rtl.css' type='text/css' media='all' />
</head>
<body class="rtl {body_class} td-standard-pack global-block-template-1 td-full-layout" itemscope="itemscope" itemtype="https://schema.org/WebPage">
<div class="td-scroll-up"><i class="td-icon-menu-up"></i></div>
<div class="td-menu-background"></div><div id="td-mobile-nav"><div class="td-mobile-container"><div class="td-mobile-content"><ul class="td-mobile-main-menu">{"".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in site.menu())}</ul></div></div></div>
<div id="td-outer-wrap" class="td-theme-wrap">
{_header(site)}
{main}
{_footer(site)}
</div>
<script type='text/javascript' src='{site.origin}/ar/wp-content/themes/Newspaper/js/tagdiv_theme.min.js' id='td-site-min-js'></script>
</body>
</html>
"""


def article(site: Site, a: MirrorArticle) -> str:
    link = site.link(a)
    image = image_url(site, a, "/ar/wp-content/uploads")
    short = a.title if len(a.title) < 60 else a.title[:57].rsplit(" ", 1)[0] + "..."
    figure = ""
    if a.caption:
        figure = (f'<div class="td-post-featured-image"><figure><a href="{esc(image)}" data-caption'
                  f'="{esc(a.caption)}"><img width="696" height="392" class="entry-thumb td-modal-'
                  f'image" src="{esc(image)}" alt="" title="{esc(a.title)}"/></a><figcaption class="'
                  f'wp-caption-text">{esc(a.caption)}</figcaption></figure></div>')
    if site.layout == "broken":
        content = broken_body(a, "tdb-block-inner td-fix-index")
    else:
        body = paragraphs(a, "h2").split("\n")
        middle = max(1, len(body) // 2)
        # Newspaper's "content inline" ad slot lands after the Nth paragraph.
        body.insert(middle, _ad(site, "content_inline"))
        content = (f'<div class="td-post-content tagdiv-type">{figure}\n' + "\n".join(body)
                   + f'\n{_ad(site, "content_bottom")}</div>')
    dt = f' datetime="{a.published.isoformat()}"' if a.dates.get("datetime_attr", True) else ""
    author = a.author or "admin"
    share = "".join(
        f'<a class="td-social-sharing-button td-social-sharing-button-js td-social-network '
        f'td-social-{net}" href="{href}{esc(link)}"><div class="td-social-but-icon"><i class="td-icon'
        f'-{net}"></i></div><div class="td-social-but-text">{label}</div></a>'
        for net, label, href in (("facebook", "Facebook", "https://www.facebook.com/sharer.php?u="),
                                 ("twitter", "Twitter", "https://twitter.com/intent/tweet?url="),
                                 ("whatsapp", "WhatsApp", "https://api.whatsapp.com/send?text=")))
    share_block = (f'<div class="td-post-sharing td-ps-bg td-ps-notext td-post-sharing-style1">'
                   f'<div class="td-post-sharing-visible"><div class="td-social-sharing-button '
                   f'td-social-handler td-social-share-text"><div class="td-social-but-text">شارك'
                   f'</div></div>{share}</div></div>')
    prev, nxt = site.neighbours(a)
    nav = '<div class="td-block-row td-post-next-prev">'
    if prev:
        nav += (f'<div class="td-block-span6 td-post-prev-post"><div class="td-post-next-prev-content">'
                f'<span>المقال السابق</span><a href="{esc(site.link(prev))}">{esc(prev.title)}</a>'
                f'</div></div>')
    if nxt:
        nav += (f'<div class="td-block-span6 td-post-next-post"><div class="td-post-next-prev-content">'
                f'<span>المقال التالي</span><a href="{esc(site.link(nxt))}">{esc(nxt.title)}</a>'
                f'</div></div>')
    nav += "</div>"
    related = "".join(f'<div class="td-related-span4">{_module(site, r, "td_module_related_posts")}'
                      f'</div>' for r in site.related(a, 3))
    head = article_meta(site, a, SITE_NAME, image) + json_ld(site, a, SITE_NAME, image)
    main = f"""<div class="td-main-content-wrap td-container-wrap"><div class="td-container td-post-template-default">
<div class="td-crumb-container"><div class="entry-crumbs"><span><a title="" class="entry-crumb" href="{esc(site.home_url)}">الرئيسية</a></span> <i class="td-icon-right td-bread-sep"></i> <span><a title="عرض جميع المشاركات في {esc(a.section)}" class="entry-crumb" href="{esc(site.section_url(a.section))}">{esc(a.section)}</a></span> <i class="td-icon-right td-bread-sep td-bred-no-url-last"></i> <span class="td-bred-no-url-last">{esc(short)}</span></div></div>
<div class="td-pb-row"><div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">
<article id="post-{a.post_id}" class="post-{a.post_id} post type-post status-publish format-standard has-post-thumbnail hentry" itemscope itemtype="https://schema.org/Article">
<div class="td-post-header"><ul class="td-category"><li class="entry-category"><a href="{esc(site.section_url(a.section))}">{esc(a.section)}</a></li></ul>
<header class="td-post-title"><h1 class="entry-title">{esc(a.title)}</h1>
<div class="td-module-meta-info"><div class="td-post-author-name"><div class="td-author-by">بواسطة</div> <a href="{esc(site.author_url(a.author))}">{esc(author)}</a><div class="td-author-line"> - </div></div>
<span class="td-post-date"><time class="entry-date updated td-module-date"{dt}>{esc(date_text(a, "wp"))}</time></span>
<div class="td-post-comments"><a href="{esc(link)}#respond"><i class="td-icon-comments"></i>0</a></div>
<div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{a.post_id}">{(a.post_id * 13) % 900 + 40}</span></div></div></header></div>
<div class="td-post-sharing-top">{share_block}</div>
{content}
<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>الوسوم</span></li>{"".join(f'<li><a href="{esc(site.tag_url(t))}">{esc(t)}</a></li>' for t in a.tags)}</ul></div>
<div class="td-post-sharing-bottom">{share_block}</div>
{nav}
<div class="td-author-name vcard author" style="display: none"><span class="fn"><a href="{esc(site.author_url(a.author))}">{esc(author)}</a></span></div></footer>
</article>
<div class="td_block_wrap td_block_related_posts td_with_ajax_pagination td-pb-border-top td_block_template_1"><h4 class="td-related-title td-block-title"><a class="td-related-left td-cur-simple-item" href="#">مقالات ذات صلة</a><a class="td-related-right" href="#">المزيد من المؤلف</a></h4>
<div class="td_block_inner"><div class="td-related-row">{related}</div></div></div>
<div class="comments" id="comments"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">ترك الرد <small><a rel="nofollow" id="cancel-comment-reply-link" href="#respond" style="display:none;">إلغاء الرد</a></small></h3>
<form action="{site.origin}/ar/wp-comments-post.php" method="post" id="commentform" class="comment-form"><div class="clearfix"></div>
<div class="comment-form-input-wrap td-form-comment"><textarea placeholder="تعليق:" id="comment" name="comment" cols="45" rows="8"></textarea><div class="td-warning-comment">من فضلك ادخل تعليقك</div></div>
<div class="comment-form-input-wrap td-form-author"><input class="" id="author" name="author" placeholder="الإسم:*" type="text" value="" size="30" /><div class="td-warning-author">من فضلك ادخل اسمك هنا</div></div>
<div class="comment-form-input-wrap td-form-email"><input class="" id="email" name="email" placeholder="البريد الإلكتروني:*" type="text" value="" size="30" /><div class="td-warning-email-error">لقد أدخلت عنوان بريد إلكتروني غير صحيح!</div><div class="td-warning-email">الرجاء إدخال عنوان البريد الإلكتروني الخاص بك هنا</div></div>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="إرسال التعليق" /><input type='hidden' name='comment_post_ID' value='{a.post_id}' /></p></form></div></div>
</div></div>
{_sidebar(site)}
</div></div></div>"""
    return _page(site, f"{a.title} - {SITE_NAME}", head, main, a,
                 f"post-template-default single single-post postid-{a.post_id} single-format-standard")


def listing(site: Site, title: str, items: list[MirrorArticle], page: int, pages: int,
            page_url, extra_links: list[str] = ()) -> str:
    nav = []
    if page > 1:
        nav.append(f'<a href="{esc(page_url(page - 1))}"><i class="td-icon-menu-right"></i></a>')
    for n in range(1, pages + 1):
        nav.append(f'<span class="current">{n}</span>' if n == page else
                   f'<a href="{esc(page_url(n))}" class="page" title="{n}">{n}</a>')
    if page < pages:
        nav.append(f'<a href="{esc(page_url(page + 1))}"><i class="td-icon-menu-left"></i></a>')
    head = f'<link rel="canonical" href="{esc(page_url(page))}" />\n'
    if page < pages:
        head += f'<link rel="next" href="{esc(page_url(page + 1))}" />\n'
    extra = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in extra_links)
    mods = "".join(
        f'<div class="td-block-row"><div class="td-block-span12">{_module(site, a, "td_module_10")}'
        f'<div class="td-excerpt">{esc(a.excerpt())}</div></div></div>' for a in items)
    main = f"""<div class="td-main-content-wrap td-container-wrap"><div class="td-container">
<div class="td-crumb-container"><div class="entry-crumbs"><span><a class="entry-crumb" href="{esc(site.home_url)}">الرئيسية</a></span> <i class="td-icon-right td-bread-sep td-bred-no-url-last"></i> <span class="td-bred-no-url-last">{esc(title)}</span></div></div>
<div class="td-pb-row"><div class="td-pb-span8 td-main-content"><div class="td-ss-main-content">
<div class="td-page-header"><h1 class="entry-title td-page-title"><span>{esc(title)}</span></h1></div>
{mods}
<div class="page-nav td-pb-padding-side">{"".join(nav)}<span class="pages">صفحة {page} من {pages}</span></div>
<ul class="td-archive-more">{extra}</ul>
</div></div>{_sidebar(site)}</div></div></div>"""
    return _page(site, f"{title} - {SITE_NAME}", head, main, None, "archive category")


def home(site: Site) -> str:
    latest = "".join(_module(site, a, "td_module_mx1") for a in site.recent(10))
    blocks = []
    for label, url in site.menu()[:4]:
        items = site.section_items(label)[:3]
        if items:
            blocks.append(f'<div class="td_block_wrap td_block_2"><div class="td-block-title-wrap">'
                          f'<h4 class="block-title"><a href="{esc(url)}">{esc(label)}</a></h4></div>'
                          + "".join(_module(site, a) for a in items) + "</div>")
    main = (f'<div class="td-main-content-wrap td-main-page-wrap td-container-wrap"><div class="'
            f'td-container"><div class="td-pb-row"><div class="td-pb-span8 td-main-content">'
            f'<div class="td_block_wrap td_block_big_grid_1">{latest}</div>{"".join(blocks)}'
            f'</div>{_sidebar(site)}</div></div></div>')
    head = f'<link rel="canonical" href="{esc(site.home_url)}" />\n'
    return _page(site, f"{SITE_NAME} - الأخبار باللغة العربية", head, main)


def static_page(site: Site, title: str, text: list[str], url: str, status_text: str = "") -> str:
    body = "".join(f"<p>{esc(p)}</p>" for p in text)
    head = f'<link rel="canonical" href="{esc(url)}" />\n' if url else ""
    main = (f'<div class="td-main-content-wrap td-container-wrap"><div class="td-container">'
            f'<div class="td-pb-row"><div class="td-pb-span8 td-main-content"><div class="td-ss-main'
            f'-content"><div class="td-page-header"><h1 class="entry-title td-page-title"><span>'
            f'{esc(title)}</span></h1></div><div class="td-page-content tagdiv-type">{body}</div>'
            f'</div></div>{_sidebar(site)}</div></div></div>')
    return _page(site, f"{title} - {SITE_NAME}", head, main, None, status_text or "page")

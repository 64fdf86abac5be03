# ruff: noqa: E501  (HTML templates: one line per element reads better than wrapped strings)
"""JNews (WordPress theme by Jegtheme) as maseer.net runs it, right-to-left.

Class names and nesting follow the saved JNews pages in shared/html-models (nowgrenada,
heartlandnewsfeed); visible strings follow seed 003. What an extractor must cope with: the header
clock div.jeg_top_date shows *today*; several .jeg_post_title / .jeg_meta_date exist on every page
(related posts, widgets) besides the article's own in div.entry-header; div.content-inner opens
with the author's name and ends with the bottom share bar ("ShareTweetShare").
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
    reading_minutes,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..site import Site

SITE_NAME = "مصير"
ABOUT = ('"مصير" موقع الكتروني، يواكب قضايا التحرر والتغيير في الواقع العربي، وتوفير منبر مفتوح '
         "تتنوع فيه الأفكار والأقلام وأشكال التعبير المختلفة، ضمن معايير موضوعية ومهنية. كما أن "
         "المقالات المنشورة لا تعبر بالضرورة عن رأي الموقع.")
COPYRIGHT = "جميع الحقوق محفوظة لمصير © 2018"


def _search_box(site: Site) -> str:
    # The live-search overlay JNews repeats in the navbar, the sticky bar and the mobile menu.
    return (
        f'<div class="jeg_nav_item jeg_search_wrapper search_icon jeg_search_popup_expand">'
        f'<a href="#" class="jeg_search_toggle"><i class="fa fa-search"></i></a>'
        f'<form action="{esc(site.home_url)}" method="get" class="jeg_search_form" target="_top">'
        f'<input name="s" class="jeg_search_input" placeholder="ابحث …" type="text" value="" '
        f'autocomplete="off"><button aria-label="Search Button" type="submit" '
        f'class="jeg_search_button btn"><i class="fa fa-search"></i></button></form>'
        f'<div class="jeg_search_result jeg_search_hide with_result">'
        f'<div class="search-result-wrapper"></div>'
        f'<div class="search-link search-noresult">No Result</div>'
        f'<div class="search-link search-all-button"><i class="fa fa-search"></i> View All Result'
        f'</div></div></div>'
    )


def _menu(site: Site, css: str) -> str:
    items = [f'<li class="menu-item menu-item-home"><a href="{esc(site.home_url)}">الرئيسية</a></li>']
    for label, url in site.menu():
        items.append(f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
                     f'<a href="{esc(url)}">{esc(label)}</a></li>')
    return f'<ul class="{css}">' + "".join(items) + "</ul>"


def _header(site: Site) -> str:
    top_menu = "".join(f'<li class="menu-item"><a href="{esc(u)}">{esc(t)}</a></li>'
                       for t, u in site.pages())
    return f"""<div class="jeg_header_wrapper"><div class="jeg_header normal">
<div class="jeg_topbar jeg_container jeg_navbar_wrapper dark"><div class="container"><div class="jeg_nav_row">
<div class="jeg_nav_col jeg_nav_left jeg_nav_grow"><div class="item_wrap jeg_nav_alignleft">
<div class="jeg_nav_item"><ul class="jeg_menu jeg_top_menu">{top_menu}</ul></div>
<div class="jeg_nav_item jeg_top_date">{esc(wp_header_clock(site.today))}</div>
</div></div>
<div class="jeg_nav_col jeg_nav_right jeg_nav_normal"><div class="item_wrap jeg_nav_alignright">
<div class="jeg_nav_item jeg_nav_account"><ul class="jeg_accountlink jeg_menu"><li><a href="#jeg_loginform" class="jeg_popuplink"><i class="fa fa-lock"></i> Login</a></li></ul></div>
</div></div></div></div></div>
<div class="jeg_midbar jeg_container normal"><div class="container"><div class="jeg_nav_row">
<div class="jeg_nav_item jeg_logo jeg_desktop_logo"><h1 class="site-title"><a href="{esc(site.home_url)}" style="padding: 0 0 0 0;"><img class="jeg_logo_img" src="{site.origin}/wp-content/uploads/2018/05/logo.png" alt="{SITE_NAME}"></a></h1></div>
</div></div></div>
<div class="jeg_bottombar jeg_navbar jeg_container jeg_navbar_wrapper jeg_navbar_normal"><div class="container"><div class="jeg_nav_row">
<div class="jeg_nav_item jeg_main_menu_wrapper"><div class="jeg_mainmenu_wrap">{_menu(site, "jeg_menu jeg_main_menu jeg_menu_style_1")}</div></div>
{_search_box(site)}
</div></div></div></div></div>
<div class="jeg_header_sticky"><div class="sticky_blankspace"></div><div class="jeg_header full"><div class="jeg_bottombar jeg_navbar jeg_container jeg_navbar_wrapper"><div class="container"><div class="jeg_nav_row">
<div class="jeg_nav_item jeg_logo"><div class="site-title"><a href="{esc(site.home_url)}">{SITE_NAME}</a></div></div>
{_search_box(site)}
</div></div></div></div></div>"""


def _post_item(site: Site, a: MirrorArticle, excerpt: bool, css: str = "jeg_pl_md_2") -> str:
    meta = (f'<div class="jeg_post_meta"><div class="jeg_meta_author"><span class="by">by</span> '
            f'<a href="{esc(site.author_url(None))}">maseer</a></div>'
            f'<div class="jeg_meta_date"><a href="{esc(site.link(a))}"><i class="fa fa-clock-o">'
            f'</i> {esc(wp_date(a.day))}</a></div><div class="jeg_meta_comment">'
            f'<a href="{esc(site.link(a))}#comments"><i class="fa fa-comment-o"></i> 0 </a></div></div>')
    ex = (f'<div class="jeg_post_excerpt"><p>{esc(a.excerpt())}</p><a href="{esc(site.link(a))}" '
          f'class="jeg_readmore">Read more</a></div>') if excerpt else ""
    return (f'<article class="jeg_post {css} format-standard"><div class="jeg_thumb">'
            f'<a href="{esc(site.link(a))}"><div class="thumbnail-container animate-lazy size-715">'
            f'<img class="lazyload wp-post-image" alt="{esc(a.title)}" data-src="'
            f'{esc(image_url(site, a, "/wp-content/uploads"))}"></div></a></div>'
            f'<div class="jeg_postblock_content"><h3 class="jeg_post_title"><a href="'
            f'{esc(site.link(a))}">{esc(a.title)}</a></h3>{meta}{ex}</div></article>')


def _block(site: Site, title: str, items: list[MirrorArticle], css: str, excerpt: bool) -> str:
    posts = "".join(_post_item(site, a, excerpt) for a in items)
    return (f'<div class="jeg_postblock {css} jeg_postblock jeg_module_hook"><div class="jeg_block_heading '
            f'jeg_block_heading_6"><h3 class="jeg_block_title"><span>{esc(title)}</span></h3></div>'
            f'<div class="jeg_block_container"><div class="jeg_posts jeg_load_more_flag">{posts}'
            f'</div></div></div>')


def _sidebar(site: Site) -> str:
    popular = site.popular(5)
    first, rest = popular[0], popular[1:]
    small = "".join(
        f'<div class="jeg_post jeg_pl_sm"><div class="jeg_postblock_content"><h3 class="jeg_post_title">'
        f'<a href="{esc(site.link(a))}">{esc(a.title)}</a></h3><div class="jeg_post_meta">'
        f'<div class="jeg_meta_date"><a href="{esc(site.link(a))}"><i class="fa fa-clock-o"></i> '
        f'{esc(wp_date(a.day))}</a></div></div></div></div>' for a in rest)
    return (f'<div class="jeg_sidebar jeg_sticky_sidebar col-md-4"><div class="widget widget_search">'
            f'<form action="{esc(site.home_url)}" method="get" class="jeg_search_form">'
            f'<input name="s" class="jeg_search_input" placeholder="ابحث …" type="text"></form>'
            f'<div class="jeg_search_result jeg_search_hide with_result"><div class="search-link '
            f'search-noresult">No Result</div><div class="search-link search-all-button">View All '
            f'Result</div></div></div><div class="widget widget_jnews_module_block_21">'
            f'{_block(site, "الأكثر قراءة", [first], "jeg_postblock_21", True)}{small}</div></div>')


def _footer(site: Site) -> str:
    most = "".join(
        f'<li class="jeg_post"><a href="{esc(site.link(a))}">{esc(a.title)}</a>'
        f'<div class="jeg_socialshare"><span class="share_count">0 shares</span>'
        f'<div class="socialshare_list"><a class="jeg_share_fb">Share <span>0</span></a>'
        f'<a class="jeg_share_tw">Tweet <span>0</span></a></div></div></li>'
        for a in site.popular(2, offset=5))
    pages = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in site.pages())
    return f"""<div class="footer-holder" id="footer"><div class="jeg_footer jeg_footer_1 dark"><div class="jeg_footer_container jeg_container"><div class="jeg_footer_content"><div class="container"><div class="row">
<div class="jeg_footer_primary clearfix"><div class="col-md-4 footer_column"><div class="widget widget_jnews_about"><div class="jeg_about"><a class="footer_logo" href="{esc(site.home_url)}">{SITE_NAME}</a><p>{esc(ABOUT)}</p></div></div>
<div class="widget widget_jnews_social"><div class="jeg_social_wrap"><p><strong>تابعنا على</strong></p><div class="socials_widget"><a href="https://facebook.com/maseer" class="jeg_facebook"><i class="fa fa-facebook"></i></a></div></div></div></div>
<div class="col-md-4 footer_column"><div class="widget widget_jnews_popular"><div class="jeg_block_heading"><h3 class="jeg_block_title"><span>الأكثر مشاهدة</span></h3></div><ul class="popularpost_list">{most}</ul></div></div>
</div></div></div></div>
<div class="jeg_footer_secondary clearfix"><div class="container"><ul class="jeg_menu_footer">{pages}</ul><p class="copyright">{COPYRIGHT}</p></div></div></div></div></div>"""


def _modals(site: Site) -> str:
    return f"""<div id="jeg_off_canvas" class="normal"><div class="jeg_mobile_wrapper"><div class="nav_wrap"><div class="item_main">
{_search_box(site)}<div class="jeg_aside_item">{_menu(site, "jeg_mobile_menu")}</div></div>
<div class="item_bottom"><div class="jeg_aside_item jeg_aside_copyright"><p>{COPYRIGHT}</p></div></div></div></div></div>
<div id="jeg_loginform" class="jeg_popup mfp-with-anim mfp-hide"><div class="jeg_popupform jeg_popup_account"><form action="{site.origin}/wp-login.php" data-type="login" method="post"><h3>Welcome Back!</h3><p>Login to your account below</p>
<p class="input_field"><input type="text" name="username" placeholder="Username"></p><p class="submit"><input type="submit" name="jeg_login_button" class="button" value="Log In"></p>
<div class="bottom_links clearfix"><a href="#jeg_forgotform" class="jeg_popuplink forgot">Forgotten Password?</a> <a href="{site.origin}/wp-login.php">Log In</a></div></form></div></div>
<div id="jeg_forgotform" class="jeg_popup mfp-with-anim mfp-hide"><div class="jeg_popupform"><form><h3>Retrieve your password</h3><p>Please enter your username or email address to reset your password.</p><p class="submit"><input type="submit" class="button" value="Reset Password"></p></form></div></div>
<div id="jeg_playlist" class="jeg_popup mfp-hide"><div class="jeg_popupform"><h3>Add New Playlist</h3></div></div>"""


def _page(site: Site, title: str, head: str, main: str, a: MirrorArticle | None = None,
          body_class: str = "home") -> str:
    return f"""<!doctype html>
<!--[if gt IE 8]><!--> <html class="no-js" dir="rtl" lang="ar"> <!--<![endif]-->
<head>
{charset_meta(a)}<meta name='viewport' content='width=device-width, initial-scale=1, user-scalable=yes' />
<link rel="profile" href="https://gmpg.org/xfn/11" />
<title>{esc(title)}</title>
<meta name="robots" content="index, follow, max-image-preview:large" />
{head}<link rel="alternate" type="application/rss+xml" title="{SITE_NAME} &raquo; الخلاصة" href="{site.origin}/feed/" />
<link rel="https://api.w.org/" href="{site.origin}/wp-json/" />
<link rel='stylesheet' id='jnews-frontend-css' href='{site.origin}/wp-content/themes/jnews/assets/dist/frontend.min.css' type='text/css' media='all' />
<link rel='stylesheet' id='jnews-rtl-css' href='{site.origin}/wp-content/themes/jnews/assets/css/rtl.css' type='text/css' media='all' />
</head>
<body class="rtl {body_class} wp-embed-responsive jeg_toggle_light jnews jsc_normal">
<div class="jeg_ad jeg_ad_top jnews_header_top_ads"><div class='ads-wrapper'></div></div>
<div class="jeg_viewport">
{_header(site)}
{main}
{_footer(site)}
</div>
{_modals(site)}
<script type='text/javascript' src='{site.origin}/wp-content/themes/jnews/assets/dist/frontend.min.js' id='jnews-frontend-js'></script>
</body>
</html>
"""


def _tags(site: Site, a: MirrorArticle) -> str:
    if not a.tags:
        return ""
    links = "".join(f'<a href="{esc(site.tag_url(t))}" rel="tag">{esc(t)}</a>' for t in a.tags)
    return f'<div class="jeg_post_tags"><span>Tags:</span> {links}</div>'


def article(site: Site, a: MirrorArticle) -> str:
    link = site.link(a)
    image = image_url(site, a, "/wp-content/uploads")
    cats = a.categories or [a.section]
    cat_links = '<span class="category-separator">, </span>'.join(
        f'<a href="{esc(site.section_url(c))}" rel="category tag">{esc(c)}</a>' for c in cats)
    caption = f'<p class="wp-caption-text">{esc(a.caption)}</p>' if a.caption else ""
    byline = f"<p><strong>{esc(a.author)}</strong></p>\n" if a.author else ""
    if site.layout == "broken":
        content = broken_body(a, "jeg_post_body")
    else:
        content = f"""<div class="content-inner ">
{byline}<div class="jeg_ad jeg_ad_article jnews_content_inline_ads"><div class='ads-wrapper align-center'></div></div>
{paragraphs(a)}
<p>&nbsp;</p>
{_tags(site, a)}
<div class="jeg_share_bottom_container"><div class="jeg_share_button share-bottom clearfix"><div class="jeg_sharelist"><a href="https://www.facebook.com/sharer.php?u={esc(link)}" rel="nofollow" class="jeg_btn-facebook"><i class="fa fa-facebook-official"></i><span>Share</span></a><a href="https://twitter.com/intent/tweet?url={esc(link)}" rel="nofollow" class="jeg_btn-twitter"><i class="fa fa-twitter"></i><span>Tweet</span></a><a href="https://api.whatsapp.com/send?text={esc(link)}" class="jeg_btn-whatsapp"><i class="fa fa-whatsapp"></i><span>Share</span></a></div></div></div>
</div>"""
    prev, nxt = site.neighbours(a)
    prevnext = '<div class="jnews_prev_next_container"><div class="jeg_prevnext_post">'
    if prev:
        prevnext += (f'<a href="{esc(site.link(prev))}" class="post prev-post"><span class="caption">'
                     f'Previous Post</span><h3 class="post-title">{esc(prev.title)}</h3></a>')
    if nxt:
        prevnext += (f'<a href="{esc(site.link(nxt))}" class="post next-post"><span class="caption">'
                     f'Next Post</span><h3 class="post-title">{esc(nxt.title)}</h3></a>')
    prevnext += "</div></div>"
    popup = (f'<div class="jnews_popup_post_container"><section class="jeg_popup_post"><span '
             f'class="caption">Next Post</span><div class="jeg_popup_content"><h3 class="post-title">'
             f'<a href="{esc(site.link(nxt))}">{esc(nxt.title)}</a></h3></div></section></div>'
             ) if nxt else ""
    head = (article_meta(site, a, SITE_NAME, image) + json_ld(site, a, SITE_NAME, image)
            + f'<link rel="shortlink" href="{site.origin}/?p={a.post_id}" />\n')
    main = f"""<div class="post-wrapper"><div class="post-wrap"><div class="jeg_main "><div class="jeg_container"><div class="jeg_content jeg_singlepage"><div class="container">
<div class="jeg_ad jeg_article jnews_article_top_ads"><div class='ads-wrapper'></div></div>
<div class="row"><div class="jeg_main_content col-md-8"><div class="jeg_inner_content">
<div class="jeg_breadcrumbs jeg_breadcrumb_container"><div id="breadcrumbs"><span><a href="{esc(site.home_url)}">Home</a></span><i class="fa fa-angle-right"></i><span class="breadcrumb_last_link"><a href="{esc(site.section_url(cats[0]))}">{esc(cats[0])}</a></span></div></div>
<div class="entry-header">
<h1 class="jeg_post_title">{esc(a.title)}</h1>
<div class="jeg_meta_container"><div class="jeg_post_meta jeg_post_meta_1"><div class="meta_left">
<div class="jeg_meta_date"><a href="{esc(link)}">{esc(date_text(a, "wp"))}</a></div>
<div class="jeg_meta_category"><span><span class="meta_text">in</span> {cat_links}</span></div>
<div class="jeg_meta_reading_time"><span>Reading Time: {reading_minutes(a)} mins read</span></div>
</div><div class="meta_right"><div class="jeg_meta_comment"><a href="{esc(link)}#comments"><i class="fa fa-comment-o"></i> 0</a></div></div></div></div>
</div>
<div class="jeg_featured featured_image"><a href="{esc(image)}"><div class="thumbnail-container animate-lazy" style="padding-bottom:50%"><img width="750" height="375" src="{esc(image)}" class="attachment-jnews-750x375 size-jnews-750x375 wp-post-image" alt="{esc(a.title)}" title="{esc(a.title)}"></div></a>{caption}</div>
<div class="jeg_share_top_container"><div class="jeg_share_button clearfix"><div class="jeg_share_stats"><div class="jeg_share_count"><div class="counts">0</div><span class="sharetext">SHARES</span></div><div class="jeg_views_count"><div class="counts">{(a.post_id * 7) % 97 + 3}</div><span class="sharetext">VIEWS</span></div></div>
<div class="jeg_sharelist"><a href="https://www.facebook.com/sharer.php?u={esc(link)}" rel="nofollow" class="jeg_btn-facebook expanded"><i class="fa fa-facebook-official"></i><span>Share on Facebook</span></a><a href="https://twitter.com/intent/tweet?url={esc(link)}" rel="nofollow" class="jeg_btn-twitter expanded"><i class="fa fa-twitter"></i><span>Share on Twitter</span></a></div></div></div>
<div class="jeg_ad jeg_article jnews_content_top_ads"><div class='ads-wrapper'></div></div>
<div class="entry-content no-share">
<div class="jeg_share_button share-float jeg_sticky_share clearfix share-monocrhome"><div class="jeg_share_float_container"></div></div>
{content}
</div>
<div class="jeg_ad jeg_article jnews_content_bottom_ads"><div class='ads-wrapper'></div></div>
{prevnext}
<div class="jnews_related_post_container">{_block(site, "مقالات ذات صلة", site.related(a, 2), "jeg_postblock_22", True)}</div>
{popup}
<div class="jnews_comment_container"><div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">اترك تعليقاً</h3>
<form action="{site.origin}/wp-comments-post.php" method="post" id="commentform" class="comment-form"><p class="comment-notes">لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *</p>
<p class="comment-form-comment"><label for="comment">التعليق</label><textarea id="comment" name="comment" cols="45" rows="8"></textarea></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="إرسال التعليق" /><input type="hidden" name="comment_post_ID" value="{a.post_id}" /></p></form></div></div>
</div></div>
{_sidebar(site)}
</div></div></div></div></div></div></div>"""
    return _page(site, f"{a.title} - {SITE_NAME}", head, main, a,
                 f"post-template-default single single-post postid-{a.post_id}")


def listing(site: Site, title: str, items: list[MirrorArticle], page: int, pages: int,
            page_url, extra_links: list[str] = ()) -> str:
    nav = []
    if page > 1:
        nav.append(f'<a href="{esc(page_url(page - 1))}" class="page_nav prev">'
                   f'<span class="navtext">السابق</span></a>')
    for n in range(1, pages + 1):
        nav.append(f'<span class="page_number active">{n}</span>' if n == page else
                   f'<a href="{esc(page_url(n))}" class="page_number">{n}</a>')
    if page < pages:
        nav.append(f'<a href="{esc(page_url(page + 1))}" class="page_nav next">'
                   f'<span class="navtext">التالي</span></a>')
    head = f'<link rel="canonical" href="{esc(page_url(page))}" />\n'
    if page > 1:
        head += f'<link rel="prev" href="{esc(page_url(page - 1))}" />\n'
    if page < pages:
        head += f'<link rel="next" href="{esc(page_url(page + 1))}" />\n'
    extra = "".join(f'<li><a href="{esc(u)}">{esc(t)}</a></li>' for t, u in extra_links)
    posts = "".join(_post_item(site, a, True, "jeg_pl_md_2") for a in items)
    main = f"""<div class="jeg_main jeg_sidebar_right"><div class="jeg_container"><div class="jeg_content"><div class="jeg_section"><div class="container">
<div class="jeg_cat_header jeg_cat_header_1"><div class="jeg_breadcrumbs"><div id="breadcrumbs"><span><a href="{esc(site.home_url)}">Home</a></span><i class="fa fa-angle-right"></i><span>{esc(title)}</span></div></div><h1 class="jeg_cat_title">{esc(title)}</h1></div>
<div class="jeg_cat_content row"><div class="jeg_main_content col-md-8"><div class="jnews_archive_content_wrapper">
<div class="jeg_postblock_3 jeg_postblock jeg_col_2o3"><div class="jeg_block_container"><div class="jeg_posts jeg_load_more_flag">{posts}</div></div>
<div class="jeg_navigation jeg_pagination jeg_pagenav_1 jeg_aligncenter no_navtext no_pageinfo"><span class="page_info">Page {page} of {pages}</span>{"".join(nav)}</div></div>
<ul class="jeg_archive_more">{extra}</ul>
</div></div>{_sidebar(site)}</div></div></div></div></div></div>"""
    return _page(site, f"{title} - {SITE_NAME}", head, main, None, "archive category")


def home(site: Site) -> str:
    latest = site.recent(10)
    blocks = [_block(site, "آخر الأخبار", latest[:6], "jeg_postblock_5", True)]
    for label, url in site.menu()[:4]:
        items = site.section_items(label)[:4]
        if items:
            blocks.append(_block(site, label, items, "jeg_postblock_14", False)
                          + f'<a class="jeg_block_more" href="{esc(url)}">المزيد</a>')
    head = (f'<link rel="canonical" href="{esc(site.home_url)}" />\n'
            f'<meta property="og:type" content="website" />\n')
    main = (f'<div class="jeg_main"><div class="jeg_container"><div class="jeg_content">'
            f'<div class="container"><div class="row"><div class="jeg_main_content col-md-8">'
            f'{"".join(blocks)}</div>{_sidebar(site)}</div></div></div></div></div>')
    return _page(site, f"{SITE_NAME} - موقع إلكتروني يواكب قضايا التحرر والتغيير", head, main)


def static_page(site: Site, title: str, text: list[str], url: str, status_text: str = "") -> str:
    body = "".join(f"<p>{esc(p)}</p>" for p in text)
    head = f'<link rel="canonical" href="{esc(url)}" />\n' if url else ""
    main = (f'<div class="jeg_main"><div class="jeg_container"><div class="jeg_content '
            f'jeg_singlepage"><div class="container"><div class="row"><div class="jeg_main_content '
            f'col-md-8"><div class="entry-header"><h1 class="jeg_post_title">{esc(title)}</h1></div>'
            f'<div class="entry-content"><div class="content-inner">{body}</div></div></div>'
            f'{_sidebar(site)}</div></div></div></div></div>')
    return _page(site, f"{title} - {SITE_NAME}", head, main, None, status_text or "page")

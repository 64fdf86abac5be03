"""tagDiv Newspaper (WordPress) — alqaed.pk/ar.

Single posts: `header.td-post-title` holds the category pills, `h1.entry-title`, author and
`span.td-post-date > time.entry-date[datetime]`; the featured image sits in
`.td-post-featured-image` with its `figcaption`; share bars `.td-post-sharing-top/-bottom`; the
body is `.td-post-content`; ad slots `.td-a-rec` print "- Advertisment -" and an image whose alt
is "Google search engine"; then tags, prev/next, "مقالات ذات صلة" and the comment form. The top
bar `.td_data_time` is a clock showing today. tagDiv Cloud templates use `.tdb_single_*` blocks.
"""
from __future__ import annotations

from crawler.extract.themes import Theme

THEME = Theme(
    name="tagdiv",
    body=(".td-post-content", ".tdb_single_content .tdb-block-inner", ".tdb_single_content"),
    title=("header.td-post-title h1.entry-title", "h1.entry-title", "h1.tdb-title-text",
           ".td-post-title .entry-title"),
    date=(
        "header.td-post-title .td-post-date time",
        ".td-post-header .td-post-date time",
        "article .td-post-date time.entry-date",
        ".tdb_single_date time",
        ".td-post-header .td-post-date",
    ),
    clock=(".td_data_time", ".td-header-top-menu .td_data_time", ".tdm-date", ".td-header-date",
           ".tdb_header_date"),
    caption=(
        ".td-post-featured-image figcaption",
        ".td-post-featured-image .wp-caption-text",
        ".tdb_single_featured_image figcaption",
        ".td-post-content figcaption",
        ".td-post-content .wp-caption-text",
    ),
    section=("header.td-post-title .td-category a", ".td-category .entry-category a",
             ".entry-crumbs .entry-crumb:not(:first-child)", ".tdb-category a"),
    author=(".td-post-author-name a", ".tdb-author-name"),
    tags=(".td-post-source-tags .td-tags a", ".td-tags a", ".tdb-tags a"),
    drop=(
        ".td-a-rec", ".td-g-rec", ".td-adspot-title", ".td-post-sharing", ".td-post-sharing-top",
        ".td-post-sharing-bottom", ".td-social-sharing-buttons", ".td-post-source-tags",
        ".td-post-next-prev", ".td_block_related_posts", ".td-related-title", "#respond",
        ".comments", "#comments", ".td-comments-title-wrap", ".td-post-views",
        ".td-post-comments", ".td-author-line", ".td-post-featured-image", ".wp-caption-text",
        ".td-crumb-container", ".entry-crumbs", ".td-post-sub-title", ".author-box-wrap",
        ".td-main-sidebar", ".td-ss-main-sidebar", ".td-footer-wrapper",
        ".td-sub-footer-container", ".td-header-wrap", "#td-mobile-nav",
        ".td-fix-index .td-a-rec", ".tdb-block-inner .td-a-ad", ".td_block_wrap.td-a-rec",
    ),
    drop_text=(
        "Google search engine", "- Advertisment -", "- Advertisement -", "LEAVE A REPLY",
        "ترك الرد", "من فضلك ادخل تعليقك", "من فضلك ادخل اسمك هنا", "Please enter your comment!",
        "Please enter your name here", "Related articles", "More from author",
        "MOST POPULAR", "الأكثر شهرة", "RECENT COMMENTS", "احدث التعليقات", "أحدث التعليقات",
        "Previous article", "Next article", "المقال السابق", "المقالة السابقة",
        "المقال التالي", "المقالة التالية", "Share", "Facebook", "Twitter", "WhatsApp",
        "Telegram", "Email", "Pinterest", "Linkedin", "Copy URL",
    ),
    drop_line_re=(r"^\d[\d.,]*\s*[kKmM]?$",),
    stop_text=("مقالات ذات صلة", "Related articles", "ترك الرد", "LEAVE A REPLY",
               "الأكثر شهرة", "MOST POPULAR"),
    body_markers=("td-standard-pack", "td-full-layout", "td-boxed-layout", "tdb-template"),
    asset_markers=("/themes/newspaper/", "/themes/newsmag/", "/plugins/td-composer/",
                   "/plugins/td-cloud-library/"),
    generator_markers=("newspaper", "tagdiv"),
    not_article=(
        "body.archive", "body.category", "body.home", "body.blog", "body.search",
        ".td-category-header", ".td-page-header", ".td-category-description",
    ),
)

"""JNews (WordPress, jegtheme) — maseer.net.

Single posts: `h1.jeg_post_title`, a meta bar (`.jeg_meta_date`, `.jeg_meta_category`,
`.jeg_meta_reading_time`), the featured image in `.jeg_featured` with its caption, share bars
(`.jeg_share_button` with `.jeg_share_stats` "0 SHARES 11 VIEWS"), the body in
`.content-inner`, then prev/next, related posts, the comment form. The top bar's
`.jeg_top_date` is a clock showing today: never the article's date.
"""
from __future__ import annotations

from crawler.extract.themes import Theme

THEME = Theme(
    name="jnews",
    body=(".entry-content .content-inner", ".content-inner", ".jeg_inner_content .entry-content"),
    title=("h1.jeg_post_title", ".entry-header .jeg_post_title", ".jeg_post_title"),
    date=(
        ".entry-header .jeg_meta_date",
        ".jeg_post_meta .jeg_meta_date",
        ".jeg_meta_date",
    ),
    clock=(".jeg_top_date", ".jeg_topbar .jeg_nav_item.jeg_top_date"),
    caption=(
        ".jeg_featured .wp-caption-text",
        ".jeg_featured .featured_caption",
        ".featured_caption",
        ".jeg_featured figcaption",
        ".content-inner figcaption",
        ".content-inner .wp-caption-text",
    ),
    section=(".entry-header .jeg_meta_category a", ".jeg_meta_category a",
             ".jeg_breadcrumbs a[href*='category']"),
    author=(".jeg_meta_author a", ".jeg_author_name"),
    tags=(".jeg_post_tags a",),
    drop=(
        ".jeg_share_button", ".jeg_share_top_container", ".jeg_share_bottom_container",
        ".jeg_sharelist", ".jeg_share_stats", ".jeg_share_count", ".jeg_views_count",
        ".jeg_meta_reading_time", ".jeg_ad", ".jnews_content_inline_ads", ".ads-wrapper",
        ".jnews_inline_related_post", ".jnews_inline_related_post_wrapper",
        ".jeg_post_tags", ".jnews_prev_next_container", ".jeg_prevnext_post",
        ".jnews_related_post_container", ".jeg_related_post", ".jnews_author_box_container",
        ".jeg_authorbox", ".jnews_comment_container", "#respond", "#comments",
        ".jnews_popup_post_container", ".jeg_popup_post", ".jeg_pagelinks", ".jeg_post_source",
        ".jeg_post_via", ".jeg_featured", ".wp-caption-text", ".jeg_breadcrumbs",
        ".jeg_sidebar", ".jeg_footer", ".footer-holder", "#jeg_off_canvas", ".jeg_popup",
        ".jnews-cookie-law-policy", ".jeg_block_heading", ".jeg_postblock", ".widget",
    ),
    drop_text=(
        "No Result", "View All Result", "Previous Post", "Next Post", "Tags:", "Login",
        "ShareTweetShare", "Share Tweet Share", "Welcome Back!", "Add New Playlist",
        "المقال السابق", "المقال التالي", "لا توجد نتائج", "عرض كل النتائج",
    ),
    drop_line_re=(
        r"^Reading Time:?\s*\d+\s*mins?\.?(\s*read)?$",
        r"^\d+\s*min\.?\s*read$",
        r"^\d[\d.,]*\s*[kKmM]?\s*(SHARES?|VIEWS?)$",
        r"^(SHARES?|VIEWS?)$",
        r"^\d[\d.,]*\s*[kKmM]?$",  # bare counters left from the share stats
        r"^(Share|Tweet)(\s*\d+)?(\s+(Share|Tweet)(\s*\d+)?)*$",
        r"^وقت القراءة:?\s*\d+\s*(دقائق|دقيقة|د)?.*$",
    ),
    stop_text=("مقالات ذات صلة", "Related Posts", "Related", "Leave a Reply", "أترك تعليقا"),
    body_markers=("jnews", "jeg_toggle_light", "jeg_toggle_dark"),
    asset_markers=("/themes/jnews/", "/plugins/jnews-"),
    generator_markers=("jnews",),
    not_article=(
        "body.archive", "body.category", "body.home", "body.blog", "body.search",
        "body.page-template", ".jeg_archive_header", ".jeg_cat_header",
    ),
)

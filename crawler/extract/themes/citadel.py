"""The own CMS of centcomcitadel.com/ar (القلعة).

An article page is one `<article class="article">`: a header (section label, `h1`, an ISO date
line), the lead in `.article__lead` (article text, outside the body div), the share box "شارك
هذا المقال", the photo with its caption printed twice (figcaption and a hidden lightbox copy),
the body `.article__body` with `h2` subheadings, then "هل أعجبك هذا المقال؟", the comment policy
and a captcha ("يرجى إدخال الأرقام *"). The "hero" variant has no visible header: the title is
only in <title>/og:title and the date only in the URL. So the container is the whole article
element minus its furniture, which keeps the lead and the body in reading order.
"""
from __future__ import annotations

from crawler.extract.themes import Theme

THEME = Theme(
    name="citadel",
    body=("article.article", "main article", ".article__body"),
    title=("h1.article__title", ".article__header h1", "article.article h1"),
    date=(".article__header .article__date", ".article__date", ".article__header time"),
    clock=(".site-header time", ".site-header__date"),
    caption=(".article__figure figcaption", ".article__caption", "article.article figcaption",
             ".lightbox__caption"),
    section=(".article__header .article__section", ".article__section"),
    author=(".article__author", ".article__byline"),
    tags=(".article__tags a", ".tags a"),
    drop=(
        ".article__header", ".share", ".share__label", ".share__list", ".article__figure",
        ".lightbox", ".article__caption", ".article__rating", ".rating", ".comments",
        "#comments", ".captcha", ".comments__policy", ".hero", ".article__tags",
        ".article__related", ".related", "figure",
    ),
    drop_text=(
        "شارك هذا المقال", "هل أعجبك هذا المقال؟", "سياسة التعليقات", "يرجى إدخال الأرقام *",
        "فيسبوك", "إكس", "واتساب", "تويتر", "نعم", "لا",
    ),
    drop_line_re=(r"^\d+\s*(نعم|لا)$",),
    stop_text=("هل أعجبك هذا المقال؟", "سياسة التعليقات", "يرجى إدخال الأرقام *"),
    not_article=(".listing__title", ".page__title"),
)

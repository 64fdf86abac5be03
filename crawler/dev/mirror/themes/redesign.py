"""The "redesign" skin: each outlet as it would look after a site redesign.

Real redesigns keep the CMS and usually the content wrapper the editor writes into (WordPress
themes keep their content class), and change everything around it: class names (often hashed,
as CSS-module builds make them), ids, the order of blocks, new share / related / newsletter
widgets placed inside the article, Gutenberg caption markup, a tag line. That is exactly the
case where theme rules keep finding their body container while their clutter selectors match
nothing, so this skin is rendered from the default page by:

1. renaming every class and id except the body container's own class and the <body>/<html>
   attributes: the theme's prefix is replaced by the new template's ("jeg_share_button" →
   "nx-share-button", "td-post-sharing-top" → "np-post-sharing-top", "article__header" →
   "q-article-header"), so no default class name survives while the words a designer uses
   (share, related, sidebar, footer, comment) do, as on real sites; theme markers such as
   wp-content/themes/<name>/ asset paths stay: same theme, new template;
2. inserting, inside the container, an inline "read also" box after the second paragraph, a
   figure with a <figcaption> after the first one, and after the last paragraph a tag line,
   a share list and a newsletter box, all with class names the rules have never seen.

Rules keyed to the default skin's class names therefore cannot be what passes on this skin.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import SUBHEAD, MirrorArticle
from .common import esc, image_url

if TYPE_CHECKING:  # pragma: no cover
    from ..site import Site

# The class token of each outlet's body container (kept: the content wrapper survives).
KEEP = {"centcomcitadel": {"article"}, "maseer": {"content-inner"}, "alqaed": {"td-post-content"}}
# The new template's class prefix, per outlet.
PREFIX = {"centcomcitadel": "q-", "maseer": "nx-", "alqaed": "np-"}
_THEME_PREFIX = re.compile(r"^(?:jeg_|jnews_|jnews-|tdb-|tdb_|tdm-|tdm_|td-|td_)")
# Where the article element starts in the default page.
CONTAINER = {"centcomcitadel": '<article class="article"', "maseer": '<div class="content-inner',
             "alqaed": '<div class="td-post-content'}
_TAG = re.compile(r"<(?!body\b|html\b)[a-zA-Z][^<>]*>")
_ATTR = re.compile(r'(\s)(class|id)=(["\'])(.*?)\3')


def _renamed(token: str, prefix: str) -> str:
    words = _THEME_PREFIX.sub("", token).replace("__", "-").replace("_", "-")
    return prefix + words


def _rename(html: str, keep: set[str], prefix: str) -> str:
    def attr(match: re.Match[str]) -> str:
        space, name, quote, value = match.groups()
        tokens = [t if t in keep and name == "class" else _renamed(t, prefix)
                  for t in value.split()]
        return f"{space}{name}={quote}{' '.join(tokens)}{quote}"
    return _TAG.sub(lambda tag: _ATTR.sub(attr, tag.group(0)), html)


def _end_of(html: str, text: str, start: int) -> int:
    """Index just after the closing tag of the element holding `text` (after `start`)."""
    at = html.find(esc(text), start)
    if at < 0:
        return -1
    close = html.find("</", at)
    return html.find(">", close) + 1


def _widgets(site: Site, a: MirrorArticle) -> tuple[str, str, str]:
    """(read-also box, figure, end block) of the redesigned article."""
    others = [o for o in site.related(a, 2)]
    also = "".join(f'<li><a href="{esc(site.link(o))}">{esc(o.title)}</a></li>' for o in others)
    read_also = (f'<aside class="{"read-also"}"><span>اقرأ أيضاً</span><ul>{also}</ul>'
                 f'</aside>') if others else ""
    figure = ""
    if a.caption:
        figure = (f'<figure class="{"wp-block-image"}"><img src="'
                  f'{esc(image_url(site, a, "/media"))}" alt=""><figcaption class="'
                  f'{"wp-element-caption"}">{esc(a.caption)}</figcaption></figure>')
    link = esc(site.link(a))
    tags = "، ".join(f'<a href="{esc(site.tag_url(t))}" rel="tag">{esc(t)}</a>' for t in a.tags)
    tag_line = f'<p class="{"post-tags"}">الوسوم: {tags}</p>' if tags else ""
    share = (f'<ul class="{"share-links"}"><li><a href="https://www.facebook.com/sharer.php?u='
             f'{link}">شارك على فيسبوك</a></li><li><a href="https://x.com/intent/post?url={link}">'
             f'انشر على إكس</a></li><li><a href="https://t.me/share/url?url={link}">تيليغرام'
             f'</a></li><li><a href="mailto:?body={link}">أرسل بالبريد</a></li></ul>')
    newsletter = (f'<div class="{"newsletter-box"}"><h4>النشرة البريدية</h4><p>اشترك ليصلك '
                  f'كل جديد</p><form action="{site.origin}/subscribe" method="post"><input '
                  f'type="email" name="email"><button type="submit">اشترك</button></form></div>')
    return read_also, figure, tag_line + share + newsletter


def reskin(site: Site, a: MirrorArticle, html: str) -> str:
    """The redesigned page of `a`, from its default page `html`."""
    outlet = site.outlet_id
    if outlet not in KEEP:  # an outlet without rules has no skin of its own
        return html
    start = html.find(CONTAINER[outlet])
    paras = [p.removeprefix(SUBHEAD) for p in a.body]
    if start < 0 or not paras:
        return _rename(html, KEEP[outlet], PREFIX[outlet])
    read_also, figure, end_block = _widgets(site, a)
    inserts = []
    first = _end_of(html, paras[0], start)
    if first > 0:
        inserts.append((first, figure))
    if len(paras) > 2:
        second = _end_of(html, paras[1], start)
        if second > 0:
            inserts.append((second, read_also))
    last = _end_of(html, paras[-1], start)
    if last > 0:
        inserts.append((last, end_block))
    for at, snippet in sorted(inserts, reverse=True):
        html = html[:at] + snippet + html[at:]
    return _rename(html, KEEP[outlet], PREFIX[outlet])

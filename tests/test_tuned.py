"""trafilatura's steps as rasad runs them (crawler/extract/tuned.py) give what the originals do."""
from __future__ import annotations

import itertools

from lxml import etree
from trafilatura import xpaths

from crawler.extract import tuned as prune

VALUES = ("comment", "Comments", "comments-area", "commentary", "post-comments",
          "article-comments", "my-comment", "comol", "disqus_thread", "dsq-comments",
          "infinite-scroll", "infinitescroll",
          "mvp-post-add-box", "mvp-post-add-wrap", "mvp-post-add-x", "elementor-share-buttons x",
          "x elementor-share-buttons", "entry-content", "", "Comment box", "post", "entry",
          "post-body x", "articleBody", "article__container", "my-article-text", "pagecontent",
          "art-content", "Body", "articleContent", "postcontent")
TAGS = ("div", "section", "aside", "details", "ol", "ul", "list", "span", "p", "article", "main")


def _page() -> etree._Element:
    """Every tag with every value as id and as class, some holding an <h1>, nested too."""
    parts = []
    for i, (tag, value) in enumerate(itertools.product(TAGS, VALUES)):
        inner = "<h1>t</h1>" if i % 3 == 0 else "<p>text</p>"
        prop = ' itemprop="articleBody"' if i % 7 == 0 else ""
        parts.append(f'<{tag} id="{value}"><{tag} class="{value}"{prop}>{inner}</{tag}></{tag}>')
    html = f"<html><body><div class='comments'>{''.join(parts)}</div></body></html>"
    return etree.fromstring(html, etree.HTMLParser())


def test_narrowed_with_this_trafilatura():
    assert prune.active() == 6  # trafilatura 2.3.1's; another version runs its own steps


def test_narrowed_selects_the_same_elements():
    root = _page()
    for expressions, index, original, fast in prune._swap_list or []:
        if not isinstance(fast, prune.Narrowed):
            continue
        for tree in (root, root[0], root[0][0], root[0][0][5]):
            expected = original(tree)
            assert fast(tree) == expected, original.path
        assert original(root), f"the page exercises {original.path[:50]}"
        assert expressions[index] is original  # swapped in only inside `narrowed()`


def test_narrowed_only_inside_the_block():
    before = list(xpaths.REMOVE_COMMENTS_XPATH)
    with prune.narrowed():
        assert isinstance(xpaths.REMOVE_COMMENTS_XPATH[0], prune.Narrowed)
    assert xpaths.REMOVE_COMMENTS_XPATH == before

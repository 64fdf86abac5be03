"""The one-pass selector matcher (crawler/extract/select.py) finds what lxml's CSSSelector finds."""
from __future__ import annotations

from lxml import etree
from lxml.cssselect import CSSSelector

from crawler.extract.select import Index

PAGE = """<html><body class="single">
<div class="wrap a"><!-- a comment between siblings -->
  <div class="a b" id="main">
    <p class="a a x">one <a href="/c/1">link</a></p>
    <div class="b"><span class="c">deep <a href="/c/2" class="x">l2</a></span></div>
    <section class="b"><div class="a"><p class="c">three</p></div></section>
  </div>
  <p class="c">outside b</p>
  <div class="b"><p class="c x" hidden>under a b</p><!-- last --></div>
</div>
<div class="b"><p class="c" style="display:none">no a above</p><a href="/x">tail</a></div>
<ul class="tags"><li><a href="/t/1">t1</a></li><li class="x"><a href="/t/2">t2</a></li></ul>
</body></html>"""

SELECTORS = (
    ".a", ".b", ".c", "p", "a", "#main", "div.a", "p.a.x", ".a .c", ".a .b .c", ".a .b .a .c",
    ".b .c", "#main a", ".wrap .b p", ".tags a", ".tags li a", "li.x a", "div > p", ".b > .c",
    ".a > .b .c", "[hidden]", "[style*='display:none']", "a[href*='/c/']", "div p.c", ".wrap *",
    "section .a p", ".x .x", "li:first-child a", "body.single .c",
)


def test_index_matches_lxml_in_document_order():
    root = etree.fromstring(PAGE, etree.HTMLParser())
    found = Index({"g": SELECTORS}).scan(root)["g"]
    for selector, hits in zip(SELECTORS, found, strict=True):
        assert hits == CSSSelector(selector)(root), selector


def test_index_on_a_subtree_sees_the_ancestors_above_it():
    root = etree.fromstring(PAGE, etree.HTMLParser())
    sub = root.find(".//section")
    found = Index({"g": SELECTORS}).scan(sub)["g"]
    for selector, hits in zip(SELECTORS, found, strict=True):
        expected = [el for el in CSSSelector(selector)(root) if el in set(sub.iter())]
        assert hits == expected, selector

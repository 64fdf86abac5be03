"""Theme rules checked, not trusted: every outlet's pages in the default skin and in the mirror's
"redesign" skin (other class names, widgets inside the body). The redesign passes through the
check against the generic extraction, not through rules keyed to the default class names."""
from __future__ import annotations

import re

import pytest

from crawler.config.outlets import load_config
from crawler.dev.bench.extract import word_f1
from crawler.dev.mirror import DEFAULT_ORIGINS, OUTLETS, _site, render_article
from crawler.dev.mirror.themes.redesign import KEEP
from crawler.extract import extract_page
from crawler.extract.themes import compile_rules

CONFIG = load_config().outlets


def _pages(outlet: str) -> list:
    site = _site(outlet, DEFAULT_ORIGINS[outlet])
    return [(a, site.url(a)) for a in site.articles]


@pytest.mark.parametrize("outlet", OUTLETS)
@pytest.mark.parametrize("skin", ["normal", "redesign"])
def test_both_skins_extract_right_and_only_the_redesign_drifts(outlet: str, skin: str) -> None:
    scores = []
    for a, url in _pages(outlet):
        body, headers = render_article(outlet, a.key, layout=skin)
        result = extract_page(body, url, headers, CONFIG[outlet].extract, outlet)
        truth = a.truth(url)
        assert result.article is not None, (url, result.reason)
        score = word_f1(result.article.body, truth["body"])
        assert score >= 0.98, (url, score)
        assert result.article.title == truth["title"], url
        assert result.article.published == truth["published"], url
        if skin == "normal":
            assert result.drift is None, (url, result.drift)
        else:
            assert result.drift is not None and result.drift.kind == "boilerplate", url
            assert result.drift.theme == CONFIG[outlet].extract.theme
        scores.append(score)
    assert sum(scores) / len(scores) >= 0.995


@pytest.mark.parametrize("outlet", OUTLETS)
def test_the_redesign_carries_none_of_the_rules_class_names(outlet: str) -> None:
    """Only the content wrapper keeps its class: no clutter, title or date rule can match."""
    comp = compile_rules(CONFIG[outlet].extract)
    rule_classes = {c for sels in comp.groups.values() for s in sels
                    for c in re.findall(r"\.([\w-]+)", s)}
    a, _url = _pages(outlet)[0]
    page = render_article(outlet, a.key, layout="redesign")[0].decode("utf-8", "replace")
    body_start = page.index("<body")
    used = {t for v in re.findall(r'class="([^"]*)"', page[body_start + 5:]) for t in v.split()}
    assert (used & rule_classes) - KEEP[outlet] == set()


def test_a_configured_theme_the_page_does_not_carry_is_drift() -> None:
    a, url = _pages("maseer")[0]
    body, headers = render_article("maseer", a.key)
    # The same page as if the site had left JNews: no theme assets, no JNews body classes.
    body = body.replace(b"/themes/jnews/", b"/themes/flavor/").replace(b" jnews ", b" ") \
        .replace(b"jeg_toggle_light", b"")
    result = extract_page(body, url, headers, CONFIG["maseer"].extract, "maseer")
    assert result.article is not None and result.drift is not None
    assert result.drift.kind == "theme"


@pytest.mark.parametrize(("outlet", "theme"), [("maseer", "jnews"), ("alqaed", "tagdiv")])
def test_an_outlet_without_a_theme_gets_the_one_its_pages_carry(outlet: str, theme: str) -> None:
    rules = CONFIG[outlet].extract.model_copy(update={"theme": None})
    a, url = _pages(outlet)[0]
    body, headers = render_article(outlet, a.key)
    result = extract_page(body, url, headers, rules, outlet)
    assert result.theme == theme and result.drift is None
    assert word_f1(result.article.body, a.truth(url)["body"]) == 1.0


def test_a_body_rule_that_misses_the_text_stores_the_generic_body_cleaned_as_on_any_site() -> None:
    """Drift "missing": the generic body is stored, with the clean-ups a page without rules gets
    (here: an unrendered shortcode line is left out, as `generic` leaves it out)."""
    from crawler.config.outlets import ExtractRules

    sentence = ("The regional council approved the new water plan on {} after a long debate "
                "about costs, reservoirs and the farmers who depend on the river in dry summers.")
    lede = " ".join(sentence.format(f"week {i}") for i in range(3))
    paragraphs = "".join(f"<p>{sentence.format(f'day {i}')}</p>" for i in range(12))
    page = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>Water plan approved</title>"
            "<link rel='stylesheet' href='/wp-content/themes/jnews/style.css'></head>"
            "<body class='jnews'><article><h1>Water plan approved</h1>"
            f"<div class='lede'><p>{lede}</p></div>{paragraphs}"
            '<p>[button link="/subscribe"]Subscribe to the newsletter[/button]</p>'
            "</article></body></html>").encode()
    rules = ExtractRules(theme="jnews", body=["div.lede"])
    result = extract_page(page, "https://example.org/2024/05/water-plan", {}, rules, "x")
    assert result.drift is not None and result.drift.kind == "missing"
    assert result.article is not None and "[button" not in result.article.body
    assert sentence.format("day 11") in result.article.body

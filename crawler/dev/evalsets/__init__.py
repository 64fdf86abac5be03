"""Extraction measured on what others wrote: public evaluation sets, fetched outside the repo.

    python -m crawler.dev.evalsets DIR... [--limit N] [--timeout S] [--half A|B] [--json OUT]
                                          [--split]

Each DIR is a snapshot (a checkout) of one of these public repositories, recognised by its
files: scrapinghub/article-extraction-benchmark (`ground-truth.json`, `html/*.html.gz`),
flairNLP/fundus (`tests/resources/parser/test_data/`), adbar/trafilatura (`tests/evaldata.json`)
and adbar/htmldate (`tests/eval_default.json`). rasad (sites without rules: the theme is
detected on the page, else trafilatura with rasad's clean-ups), plain trafilatura (and htmldate
on its set) run side by side on every page, each call in a worker process with a timeout.
Never copy their pages or texts into this repository; README "Extraction measured on pages
others wrote" has the
figures. CI does not run this (no network, and the sets are not here).
"""

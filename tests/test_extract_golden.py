"""Golden fixtures: every saved page in tests/golden extracts to its reviewed JSON.

After an intended change: `python -m crawler.dev.golden --regen`, then review the diff."""
from __future__ import annotations

import pytest

from crawler.dev.bench.extract import word_f1
from crawler.dev.golden import cases, run_case

CASES = cases()


def test_fixtures_cover_the_templates() -> None:
    names = {(c.outlet, c.name) for c in CASES}
    for outlet in ("centcomcitadel", "maseer", "alqaed", "generic"):
        assert any(o == outlet for o, _ in names), outlet
    assert {"cp1256-header", "cp1256-undeclared", "cp1256-wrong-meta"} <= {n for _, n in names}
    assert any(c.expected().get("published_source") in ("theme", "text", "hijri") and
               c.expected().get("language") == "ar" for c in CASES)
    assert any(c.expected().get("language") == "en" for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.outlet}/{c.name}")
def test_golden(case) -> None:  # noqa: ANN001
    assert run_case(case) == case.expected()


@pytest.mark.parametrize("case", [c for c in CASES if c.outlet == "generic"],
                         ids=lambda c: c.name)
def test_no_rules_page_is_not_worse_than_trafilatura(case) -> None:  # noqa: ANN001
    import trafilatura

    expected = case.expected()
    plain = trafilatura.extract(case.html.read_bytes(), url=expected["url"])
    assert word_f1(run_case(case)["body"], expected["body"]) >= word_f1(plain, expected["body"])

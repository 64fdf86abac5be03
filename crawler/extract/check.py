"""Theme rules checked against the generic extraction of the same parsed page.

Rules are hypotheses about a site's markup (for centcomcitadel a guess: we never saw the real
pages), and a redesign can leave their body container matching while every clutter selector
matches nothing: the section label, title, date line, share buttons, caption and tag line then
land in the body. So each themed body is compared with what trafilatura keeps of the same tree:

- lines of the themed body that the generic pass leaves out *and* that are short (furniture
  is short: labels, dates, buttons, captions, tag lines; an article paragraph the generic pass
  missed, like citadel's lead, is long and stays) are boilerplate the rules let through;
- a themed body holding less than half of the generic body's words misses most of it.

Either way the safer body is used (the themed one without those lines, or the generic one) and
a `Drift` names the outlet's failing rule and the page, for `rasad status`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crawler.extract.dates import parse_date_text
from crawler.extract.text import line_key
from crawler.extract.themes import Compiled, Scan

SHORT = 8  # words: a line shorter than this, which the generic pass drops, is furniture
MIN_LEAKED = 2  # such lines on one page before the rules are called wrong
MIN_COVERAGE = 0.5  # share of the generic body's words the themed body must hold


@dataclass(frozen=True)
class Drift:
    """Why a page's theme rules were not trusted: `kind` is "boilerplate" (clutter in the body),
    "missing" (the body container misses most of the text) or "theme" (the configured theme's
    markers are absent from the page); `selector` the rule at fault; `example` a leaked line."""

    kind: str
    theme: str
    selector: str
    example: str = ""

    def describe(self) -> str:
        what = {"boilerplate": "lets page furniture into the body",
                "missing": "misses most of the article body",
                "theme": "does not match the page's theme"}[self.kind]
        tail = f' (e.g. "{self.example[:60]}")' if self.example else ""
        return f"{self.theme} rule {self.selector} {what}{tail}"


def _words(lines: list[str]) -> int:
    return sum(len(line.split()) for line in lines)


def check_body(lines: list[str], generic: list[str] | None, comp: Compiled, scan: Scan,
               container_selector: str, rebuild: Callable[[], list[str]], title: str = "") \
        -> tuple[list[str], Drift | None]:
    """The body to keep and the drift found, if any. `generic` None: no verdict (the generic
    pass failed on the page, which says nothing about the rules). `rebuild` gives the themed
    body without structural furniture (asides, forms, link lists), used once drift is found."""
    if not generic or not lines:
        return lines, None
    generic_text = " " + " ".join(line_key(g) for g in generic) + " "
    themed_text = " " + " ".join(line_key(t) for t in lines) + " "
    leaked = [t for t in lines if len(t.split()) < SHORT and f" {line_key(t)} " not in generic_text]
    held = [g for g in generic if f" {line_key(g)} " in themed_text]
    if _words(held) < MIN_COVERAGE * _words(generic):
        return generic, Drift("missing", comp.name, container_selector,
                              next((g for g in generic if g not in held), ""))
    if len(leaked) >= MIN_LEAKED:
        drops = "drop rules" if not scan.all("drop") else "drop rules near " + container_selector
        drift = Drift("boilerplate", comp.name, f"{container_selector} ({drops})", leaked[0])
        furniture = {line_key(t) for t in leaked} | {line_key(title)}
        keep = [t for t in rebuild() if line_key(t) not in furniture and not _date_only(t)]
        return keep, drift
    return lines, None


def _date_only(line: str) -> bool:
    """A short line that is a date and nothing much else (a date line under the title)."""
    return len(line.split()) <= 6 and parse_date_text(line) is not None

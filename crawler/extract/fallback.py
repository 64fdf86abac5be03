"""Sites without rules: trafilatura, plus only clean-ups that cannot make its output worse."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from crawler.extract.text import clean_line, dedupe_consecutive, line_key

# trafilatura logs every discarded page at WARNING; a crawl would drown in it.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass
class Fallback:
    lines: list[str]
    title: str = ""
    author: str = ""
    date: str = ""
    image: str = ""
    tags: list[str] | None = None
    section: str = ""


def run_trafilatura(html: str, url: str) -> Fallback | None:
    """trafilatura on our decoded text (it parses with lxml.html, which its fallbacks need; the
    text is decoded by us, so cp1256 pages reach it as Arabic, not mojibake).

    Comments are left out: plain `trafilatura.extract` appends them to the text, and a reader's
    comment is never article body, so leaving them out can only improve the body."""
    import trafilatura  # imported lazily: themed outlets never pay for it

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, deduplicate=False,
        )
    except Exception:  # trafilatura raises assorted errors on odd trees; junk in, None out
        return None
    if doc is None:
        return None
    text = doc.text or ""
    lines = [clean_line(line) for line in text.split("\n")]
    lines = dedupe_consecutive(line for line in lines if line)
    return Fallback(
        lines=lines,
        title=clean_line(doc.title or ""),
        author=clean_line(doc.author or ""),
        date=doc.date or "",
        image=doc.image or "",
        tags=[t for t in (doc.tags or []) if t],
        section=", ".join(doc.categories or []) if doc.categories else "",
    )


def remove_captions(lines: list[str], caption_keys: set[str], title: str) -> list[str]:
    """Drop lines that are exactly a figure caption or the headline repeated as first line."""
    out = [line for line in lines if line_key(line) not in caption_keys]
    if out and title and line_key(out[0]) == line_key(title) and len(out) > 1:
        out = out[1:]
    return out

"""`python -m crawler.cli` = `rasad` (what `rasad run` starts its crawl children with)."""
from __future__ import annotations

from crawler.cli import main

if __name__ == "__main__":
    main(prog_name="rasad")

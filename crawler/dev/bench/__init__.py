"""`make bench`: every benchmark section, each printing figures and ratios against a baseline
measured in the same run. `python -m crawler.dev.bench [section ...]` runs some of them."""

"""`make bench`: every benchmark section, each printing figures and ratios against a baseline
measured in the same run. `python -m crawler.bench [section ...]` runs some of them."""

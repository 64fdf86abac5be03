"""Links: canonical URL keys, where article links come from, which stored ones to fetch again."""

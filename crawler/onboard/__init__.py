"""Onboarding and checking outlets: `rasad outlets add URL` and `rasad outlets check ID`.

probe.py drives it: fetch.py (polite HTTP), sources.py (feeds, sitemaps), patterns.py (URL
shapes), samples.py (extraction preview and verdicts),
entry.py (the config entry, written into the outlets file), check.py (a configured outlet's
health).
"""

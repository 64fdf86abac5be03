"""Sites without rules: trafilatura does the work; this theme only names header clocks of common
themes so the visible-date search never reads today's date from a top bar."""
from __future__ import annotations

from crawler.extract.themes import Theme

THEME = Theme(
    name="generic",
    clock=(".jeg_top_date", ".today", ".td_data_time", ".td-header-date", ".header-date",
           ".top-date", ".current-date", ".today-date", "#today", ".date-today", ".tdm-date"),
)

"""Configuration files: outlets (validated TOML) and the shared TOML reader."""
from __future__ import annotations

from pathlib import Path

# The default topic and alert files (here, not in their modules, so that a crawl can name them
# without importing their models).
DEFAULT_TOPICS = Path(__file__).resolve().parents[2] / "config" / "topics.toml"
DEFAULT_ALERTS = Path(__file__).resolve().parents[2] / "config" / "alerts.toml"

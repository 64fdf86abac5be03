"""Datasette plugins loaded by `rasad serve` (--plugins-dir loads every module here)."""

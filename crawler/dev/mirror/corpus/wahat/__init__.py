"""Corpus data of wahat (JSON). A package only so that package-data ("*.json") ships it."""

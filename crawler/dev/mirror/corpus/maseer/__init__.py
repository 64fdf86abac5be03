"""Corpus data of maseer (JSON). A package only so that package-data ("*.json") ships it."""

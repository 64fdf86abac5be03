"""Corpus data of rafid (JSON). A package only so that package-data ("*.json") ships it."""

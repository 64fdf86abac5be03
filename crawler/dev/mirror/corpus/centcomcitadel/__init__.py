"""Corpus data of centcomcitadel (JSON). A package only so that package-data ("*.json") ships it."""

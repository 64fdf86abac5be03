"""Corpus data of alqaed (JSON). A package only so that package-data ("*.json") ships it."""

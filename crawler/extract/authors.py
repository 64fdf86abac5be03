"""The article's writers: every name kept, nothing that is not a name.

Pages name their writers in JSON-LD (`author`: a Person, a list of them, or an Organization),
in meta tags and in a visible byline. What comes out of those fields is often not a name: the
outlet itself (Yoast prints the site when a post has no author), a desk ("Redaktion",
"Staff"), an e-mail address, a social handle, a CMS id, the string "null", or a name with its
"By"/"Von"/"بقلم" prefix. Such values are dropped or cleaned; several names are all kept.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from crawler.extract.meta import unescape
from crawler.extract.text import clean_line, line_key

# WordPress account names stand in when a post has no real author.
_ACCOUNTS = {"admin", "administrator", "editor", "webmaster", "staff", "null", "none", "undefined",
             "nan", "unknown", "anonymous", "guest", "author", "developer", "user"}
_PREFIX = re.compile(
    r"^(?:by|von|par|por|door|written by|posted by|author|autor|auteur|"
    r"text|texte|بقلم|كتب|كتبت|إعداد|اعداد|تقرير|الكاتب)\s*[:：\-–]?\s+", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_HANDLE = re.compile(r"^@\w+$")
_SPLIT = re.compile(r"\s*(?:;|\||\n|\s+(?:and|und|et|y|e|og|och|en|و)\s+|&)\s*")
# Desks and agencies' staff lines are not writers' names.
_DESK = re.compile(r"(?:^|\b)(?:redaktion|newsdesk|news desk|staff|desk|editorial team|"
                   r"web team|online team|المحرر|التحرير|هيئة التحرير)(?:\b|$)", re.I)


def _clean(name: str) -> str:
    name = clean_line(_EMAIL.sub(" ", unescape(name)))
    for _ in range(2):
        name = _PREFIX.sub("", name).strip(" ,:-–|")
    return name


def _is_name(name: str, not_authors: set[str]) -> bool:
    key = line_key(name)
    if not key or key in _ACCOUNTS or key in not_authors:
        return False
    if _HANDLE.match(name) or name.startswith(("http", "www.")) or "/" in name and " " not in name:
        return False
    if not any(ch.isalpha() for ch in name) or len(name) > 80 or len(name.split()) > 8:
        return False
    return not _DESK.search(name)


def split_names(value: str) -> list[str]:
    """"A; B", "A and B", "A, B" (when every part is a multi-word name) → ["A", "B"]."""
    parts = [p for p in _SPLIT.split(value) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",")]
        # "Müller, Anna" is one name; "Anna Müller, Omar Haddad" are two.
        if len(pieces) > 1 and all(len(p.split()) >= 2 for p in pieces):
            out += pieces
        else:
            out.append(part)
    return out


def ld_people(value: Any) -> tuple[list[str], list[str]]:
    """JSON-LD `author` → (people's names, organisations' names)."""
    people: list[str] = []
    orgs: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            people.append(item)
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, list):
                name = ", ".join(str(n) for n in name)
            if not isinstance(name, str):
                continue
            kinds = item.get("@type")
            kinds = {str(k).lower() for k in (kinds if isinstance(kinds, list) else [kinds])}
            (orgs if kinds & {"organization", "newsmediaorganization", "corporation"}
             else people).append(name)
    return people, orgs


def pick_authors(candidates: Iterable[str | list[str]], not_authors: Iterable[str]) -> str:
    """The first candidate (in order of trust) that holds at least one real name, all its names
    kept, joined by ", "."""
    skip = {line_key(n) for n in not_authors if n}
    for candidate in candidates:
        raw = candidate if isinstance(candidate, list) else [candidate]
        names: list[str] = []
        for value in raw:
            if not value:
                continue
            for part in split_names(unescape(str(value))):
                name = _clean(part)
                if _is_name(name, skip) and name not in names:
                    names.append(name)
        if names:
            return ", ".join(names)
    return ""

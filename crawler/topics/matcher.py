"""Topic matching: weighted term groups, proximity, gazetteers, exclusions, requirements.

`match(topic, title, body)` returns a `TopicMatch` that records *why*: every group that fired
with the words as the article wrote them, the countries and US states found, the exclusions that
cost points, and the requirements that failed. Alerts quote `reasons`; analysts filter on
`countries`/`states`.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from crawler.topics.lexicon import Hit, Lexicon
from crawler.topics.roles import compile_roles, group_sentences, match_roles
from crawler.topics.rules import Group, Rules, TopicSpec, load_rules, parse_requirement
from storage.arabic import Token, token_spans

_WS = re.compile(r"\s+")


@dataclass
class Evidence:
    group: str  # group or exclusion name
    term: str  # the configured term
    surface: str  # the words as the article wrote them
    field: str  # "title" or "body"
    start: int  # character offsets in that field
    end: int


@dataclass
class TopicMatch:
    topic: str
    matched: bool
    score: float
    threshold: float
    # group (or exclusion) → configured term → occurrences; the article's own words are in
    # `evidence` and quoted in `reasons`
    terms: dict[str, dict[str, int]] = field(default_factory=dict)
    countries: dict[str, int] = field(default_factory=dict)  # ISO2 → mentions
    states: dict[str, int] = field(default_factory=dict)  # USPS → mentions
    excluded_by: list[str] = field(default_factory=list)  # exclusions that cost points
    reasons: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    # The two or three sentences that matched, as the article wrote them (alerts quote them),
    # and the verdict in one line for a reader.
    sentences: list[str] = field(default_factory=list)
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Topic:
    """A topic compiled against the gazetteers; build with `load_topics()`."""

    def __init__(self, spec: TopicSpec, rules: Rules) -> None:
        self.spec = spec
        self.id = spec.id
        self.label = spec.label
        self.alert = spec.alert
        self._countries = rules.countries
        self._states = rules.states
        self._requirements = [(expr, parse_requirement(expr)) for expr in spec.require]
        watched = set(spec.watched_regions)
        self._watched = {c for c, entry in rules.countries.items() if entry.region in watched}
        lex = self._lexicon = Lexicon()
        for code, country in rules.countries.items():
            for name in country.names:
                lex.add(name, ("country", code, name), fuzzy=True)
        for code, state in rules.states.items():
            for name in state.names:
                lex.add(name, ("state", code, name), fuzzy=True)
        for kind, table in (("group", spec.groups), ("exclude", spec.exclude)):
            for gname, group in table.items():
                for term in group.terms:
                    lex.add(term, (kind, gname, term))
                for term in group.near:
                    if not term.startswith("@"):
                        lex.add(term, ("near", gname, term))
        if spec.roles is not None:
            compile_roles(self, lex)

    def match(self, title: str, body: str) -> TopicMatch:
        if self.spec.roles is not None:
            return match_roles(self, title or "", body or "")
        result = _match(self, title or "", body or "")
        result.sentences = group_sentences(title or "", body or "", result.evidence)
        groups = [g for g in result.terms if g not in result.excluded_by]
        verdict = "matched" if result.matched else "not matched"
        result.reason = (f"{verdict} on {', '.join(groups[:4]) or 'no group'} "
                         f"(score {result.score:.1f} of {result.threshold:.1f})")
        return result


def load_topics(path: str | Path | None = None) -> dict[str, Topic]:
    """Load `config/topics.toml` (or `path`) and compile every topic."""
    rules = load_rules(path)
    return {tid: Topic(spec, rules) for tid, spec in rules.topics.items()}


def match(topic: Topic, title: str, body: str) -> TopicMatch:
    return topic.match(title, body)


_DEFAULT: dict[str, Topic] | None = None


def classify(
    title: str, body: str, topics: dict[str, Topic] | None = None, include_unmatched: bool = False
) -> list[TopicMatch]:
    """Matches of an article against `topics` (default: config/topics.toml), best first; only
    the matched ones unless `include_unmatched`."""
    global _DEFAULT
    if topics is None:
        _DEFAULT = _DEFAULT or load_topics()
        topics = _DEFAULT
    results = [t.match(title, body) for t in topics.values()]
    if not include_unmatched:
        results = [r for r in results if r.matched]
    return sorted(results, key=lambda r: (not r.matched, -r.score))


# --- the matching pass ----------------------------------------------------------------------------
def _non_overlapping(hits: list[Hit]) -> list[Hit]:
    # Longest first at each position: فرجينيا الغربية is West Virginia, not Virginia + a word.
    kept: list[Hit] = []
    last_end = -1
    for hit in sorted(hits, key=lambda h: (h.start, h.start - h.end)):
        if hit.start >= last_end:
            kept.append(hit)
            last_end = hit.end
    return kept


def _gap(a: Hit, b: Hit) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0


class _Field:
    def __init__(self, name: str, text: str, topic: Topic) -> None:
        self.name, self.text = name, text
        self.toks: tuple[Token, ...] = token_spans(text)
        lex = topic._lexicon
        self.places: list[tuple[str, str, str, Hit]] = []  # (kind, code, term, hit)
        self.by_owner: dict[tuple[str, str], list[tuple[str, Hit]]] = defaultdict(list)
        gaz: list[Hit] = []
        owner_of: dict[Hit, tuple[str, str, str]] = {}
        for hit in lex.scan(self.toks):
            for owner in lex.owners[hit.phrase]:
                kind, name, term = owner  # type: ignore[misc]
                if kind in ("country", "state"):
                    if hit not in owner_of:
                        owner_of[hit] = (kind, name, term)
                        gaz.append(hit)
                else:
                    self.by_owner[(kind, name)].append((term, hit))
        for hit in _non_overlapping(gaz):
            kind, code, term = owner_of[hit]
            self.places.append((kind, code, term, hit))

    def surface(self, hit: Hit) -> tuple[str, int, int]:
        start, end = self.toks[hit.start].start, self.toks[hit.end - 1].end
        return _WS.sub(" ", self.text[start:end]), start, end


def _near_spans(topic: Topic, f: _Field, gname: str, group: Group) -> list[Hit]:
    spans = [hit for _, hit in f.by_owner.get(("near", gname), [])]
    for ref in group.near:
        if not ref.startswith("@"):
            continue
        for kind, code, _, hit in f.places:
            if ref == "@states" and kind == "state":
                spans.append(hit)
            elif kind == "country" and (
                ref == "@countries"
                or ref == f"@country:{code}"
                or (ref == "@countries:watched" and code in topic._watched)
                or ref == f"@countries:{topic._countries[code].region}"
            ):
                spans.append(hit)
    return spans


def _group_hits(
    topic: Topic, fields: list[_Field], kind: str, gname: str, group: Group
) -> list[tuple[_Field, str, Hit]]:
    out = []
    for f in fields:
        raw = f.by_owner.get((kind, gname), [])
        if not raw:
            continue
        term_of = {}
        for term, hit in raw:
            term_of.setdefault(hit, term)
        hits = _non_overlapping(list(term_of))
        if group.near:
            spans = _near_spans(topic, f, gname, group)
            hits = [h for h in hits if any(_gap(h, s) <= group.within for s in spans)]
        out.extend((f, term_of[h], h) for h in hits)
    return out


def _match(topic: Topic, title: str, body: str) -> TopicMatch:
    spec = topic.spec
    fields = [_Field("title", title, topic), _Field("body", body, topic)]
    result = TopicMatch(topic=spec.id, matched=False, score=0.0, threshold=spec.threshold)
    counts: dict[str, int] = {}
    lines: list[str] = []
    for kind, table, sign in (("group", spec.groups, 1.0), ("exclude", spec.exclude, -1.0)):
        for gname, group in table.items():
            hits = _group_hits(topic, fields, kind, gname, group)
            counts[gname] = len(hits)
            if not hits:
                continue
            weighted = sum(spec.title_weight if f.name == "title" else 1.0 for f, _, _ in hits)
            points = sign * group.weight * min(weighted, group.cap)
            result.score += points
            result.terms[gname] = dict(Counter(term for _, term, _ in hits).most_common())
            surfaces: Counter[str] = Counter()
            for f, term, hit in hits:
                text, start, end = f.surface(hit)
                surfaces[text] += 1
                result.evidence.append(Evidence(gname, term, text, f.name, start, end))
            shown = ", ".join(f"«{s}» ×{n}" for s, n in surfaces.most_common(3))
            more = f" (+{len(surfaces) - 3} more forms)" if len(surfaces) > 3 else ""
            label = f"{gname} (exclusion)" if kind == "exclude" else gname
            lines.append(f"{points:+.1f} {label}: {shown}{more}")
            if kind == "exclude":
                result.excluded_by.append(gname)
    place_counts: dict[str, Counter[str]] = {"country": Counter(), "state": Counter()}
    # Keyed by kind too: country and state codes overlap (CA, DE, IN, MA, AZ, ID).
    place_forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for f in fields:
        for kind, code, _, hit in f.places:
            place_counts[kind][code] += 1
            place_forms[(kind, code)].update([f.surface(hit)[0]])
    result.countries = dict(place_counts["country"].most_common())
    result.states = dict(place_counts["state"].most_common())
    pairs = [
        (s, c) for s in result.states for c in topic._states[s].partners if c in result.countries
    ]
    if pairs:
        result.score += spec.spp_pair_weight
        shown = ", ".join(f"{s}↔{c}" for s, c in pairs)
        lines.append(f"{spec.spp_pair_weight:+.1f} partnership pair (state ↔ country): {shown}")
    features = {
        "watched": sum(1 for c in result.countries if c in topic._watched),
        "parties": len(result.countries),
        "states": len(result.states),
        "spp_pair": len(pairs),
    }
    failed = [expr for expr, req in topic._requirements if not _holds(req, counts, features)]
    result.score = round(result.score, 2)
    result.matched = not failed and result.score >= spec.threshold
    verdict = "matched" if result.matched else "not matched"
    result.reasons.append(f"{verdict}: score {result.score:.1f}, threshold {spec.threshold:.1f}")
    result.reasons.extend(f"requirement not met: {expr}" for expr in failed)
    result.reasons.extend(lines)
    for kind, label in (("country", "countries"), ("state", "US states")):
        found = result.countries if kind == "country" else result.states
        if found:
            parts = [f"{code} «{place_forms[(kind, code)].most_common(1)[0][0]}» ×{n}"
                     for code, n in found.items()]
            result.reasons.append(f"{label}: {', '.join(parts)}")
    return result


def _holds(req: list[list[tuple[str, str, int]]], counts: dict[str, int],
           features: dict[str, int]) -> bool:
    def value(name: str) -> int:
        return features[name] if name in features else counts.get(name, 0)

    def test(name: str, op: str, num: int) -> bool:
        v = value(name)
        return v >= num if op == ">=" else v > num if op == ">" else v == num

    return any(all(test(*atom) for atom in conj) for conj in req)

"""Sentence-level participation rules (a topic with a `[topics.<id>.roles]` table).

A partnership is two sides doing something together, and a news sentence says so: «نفذت القوات
المسلحة الأردنية بالتعاون مع الجانب الأمريكي التمرين المشترك». So the unit of evidence is the
sentence, not a window of N words: a sentence counts when it names the first side (the US or NATO),
a second side (a country of the watched regions, or a regional grouping), a cooperation word and a
military or security word, and no exclusion word (economic, academic, sports) — the exclusion
applies to that sentence only, so an investment paragraph cannot veto an exercise in the lead.

A side is a participant, not a bystander: a mention right after a cue like «انسحاب» (withdrawal),
«نفوذ» (influence), «معارضة» (opposition) or right before «الصنع» ("US-made") does not count.

The article's main subject is judged by position: a title sentence weighs most, the lead (first
few body sentences) next, later sentences least. The score is the sum of the weights of the
evidence sentences; the topic matches when it reaches the threshold.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crawler.topics.lexicon import Hit, Lexicon
from crawler.topics.sentences import Sentence, index_of, quote, sentence_spans
from storage.arabic import Token, token_spans

if TYPE_CHECKING:
    from crawler.topics.matcher import Evidence, Topic, TopicMatch

MAX_SCORE = 6.0


@dataclass
class _Mention:
    role: str  # first, second, coop, context, exclude:<name>, cue_before, cue_after, country, state
    key: str  # the configured term, or the ISO2 / USPS code
    hit: Hit


@dataclass
class SentenceVerdict:
    field: str  # title | body
    index: int  # sentence number in the field
    text: str
    weight: float
    first: list[str] = field(default_factory=list)  # surfaces
    second: list[str] = field(default_factory=list)
    coop: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # exclusion names
    bystanders: list[str] = field(default_factory=list)
    third: list[str] = field(default_factory=list)  # other countries taking part
    context: bool = False
    led_by_third: bool = False  # a third country is the subject ("قالت الأركان التركية …")
    weak: bool = False  # only visit/meeting words
    subject: list[str] = field(default_factory=list)  # subject exclusions found here

    @property
    def both_sides(self) -> bool:
        return bool(self.first and self.second and self.coop and not self.led_by_third)

    @property
    def evidence(self) -> bool:
        return self.both_sides and self.context and not self.excluded


def compile_roles(topic: Topic, lex: Lexicon) -> None:
    """Register a roles topic's vocabulary in the topic's lexicon."""
    roles = topic.spec.roles
    assert roles is not None
    groups: list[tuple[str, list[str]]] = [
        ("first", roles.first), ("guard", roles.guard), ("second", roles.second),
        ("coop", roles.cooperation), ("weak", roles.weak_cooperation),
        ("context", roles.context),
        ("cue_before", roles.not_before), ("cue_after", roles.not_after),
        ("venue", roles.venue_before), ("non_state", roles.non_state),
    ] + [(f"exclude:{name}", terms) for name, terms in roles.exclude.items()]
    for role, terms in groups:
        for term in terms:
            lex.add(term, ("role", role, term))


def match_roles(topic: Topic, title: str, body: str) -> TopicMatch:
    from crawler.topics.matcher import Evidence, TopicMatch

    spec = topic.spec
    roles = spec.roles
    assert roles is not None
    result = TopicMatch(topic=spec.id, matched=False, score=0.0, threshold=spec.threshold)
    verdicts: list[SentenceVerdict] = []
    places: dict[str, Counter[str]] = {"country": Counter(), "state": Counter()}
    terms: dict[str, Counter[str]] = {"first": Counter(), "second": Counter(),
                                      "cooperation": Counter()}
    fields = []
    for fname, text in (("title", title), ("body", body)):
        toks = token_spans(text)
        sents = sentence_spans(text)
        by_sentence: dict[int, list[_Mention]] = {}
        for m in _mentions(topic, toks):
            if m.role in ("country", "state"):
                places[m.role][m.key] += 1
            by_sentence.setdefault(index_of(sents, toks[m.hit.start].start), []).append(m)
        fields.append((fname, text, toks, sents, by_sentence))
    spp_partners = {code: {c for c in topic._states[code].partners if c in places["country"]}
                    for code in places["state"]}
    title_context = False
    for fname, text, toks, sents, by_sentence in fields:
        for i, sent in enumerate(sents):
            weight = (roles.title_weight if fname == "title" else
                      roles.lead_weight if i < roles.lead else roles.body_weight)
            v = _judge(topic, fname, i, sent, weight, by_sentence.get(i, []), toks, text,
                       spp_partners)
            if fname == "title" and v.context:
                title_context = True
            elif title_context and roles.context_from_title and i < roles.lead:
                v.context = True
            verdicts.append(v)
            if v.evidence:
                for m in by_sentence.get(i, []):
                    kind = _evidence_kind(topic, m, by_sentence[i])
                    if kind:
                        start, end = toks[m.hit.start].start, toks[m.hit.end - 1].end
                        surface = " ".join(text[start:end].split())
                        terms[kind][m.key] += 1
                        result.evidence.append(Evidence(kind, m.key, surface, fname, start, end))
    # Main subject: when other countries take part in more title and lead sentences than the
    # first side, the article is about their cooperation and names the US or NATO in passing.
    # Sentences, not mentions: a list of CSTO members is one sentence, not six votes.
    lead = [v for v in verdicts if v.field == "title" or v.index < roles.lead]
    led_by_others = sum(1 for v in lead if v.third) > sum(1 for v in lead if v.first)
    about = sorted({x for v in verdicts if v.field == "title" or v.index == 0 for x in v.subject})
    evidence = [v for v in verdicts if v.evidence]
    score = min(sum(v.weight for v in evidence), MAX_SCORE)
    result.score = round(score, 2)
    result.matched = result.score >= spec.threshold and not led_by_others and not about
    result.countries = dict(places["country"].most_common())
    result.states = dict(places["state"].most_common())
    result.terms = {k: dict(c.most_common()) for k, c in terms.items() if c}
    result.excluded_by = sorted({name for v in verdicts if v.both_sides for name in v.excluded})
    best = sorted(evidence, key=lambda v: -v.weight)[:3]
    result.sentences = [quote(v.text) for v in best]
    result.reason = _one_line(topic, best, verdicts, result.matched)
    if about and evidence:
        result.reason = f"the article is about {', '.join(about)} (title or first sentence)"
        result.excluded_by = sorted(set(result.excluded_by) | set(about))
    elif led_by_others and evidence:
        names = [x for v in lead for x in v.third]
        result.reason = (f"the lead is about other countries' cooperation "
                         f"({', '.join(dict.fromkeys(names))}); {roles.first_label} in passing")
    result.reasons = _reasons(topic, result, verdicts, evidence)
    return result


def _mentions(topic: Topic, toks: Sequence[Token]) -> list[_Mention]:
    lex = topic._lexicon
    out = []
    for hit in lex.scan(toks):
        for owner in lex.owners[hit.phrase]:
            kind, name, term = _owner(owner)
            if kind == "role":
                out.append(_Mention(name, term, hit))
            elif kind in ("country", "state"):
                out.append(_Mention(kind, name, hit))
    return out


def _owner(owner: Hashable) -> tuple[str, str, str]:
    kind, name, term = owner  # type: ignore[misc]
    return str(kind), str(name), str(term)


def _judge(topic: Topic, fname: str, index: int, sent: Sentence, weight: float,
           mentions: list[_Mention], toks: Sequence[Token], text: str,
           spp_partners: dict[str, set[str]]) -> SentenceVerdict:
    roles = topic.spec.roles
    assert roles is not None
    v = SentenceVerdict(fname, index, sent.text, weight)
    guard = any(m.role == "guard" for m in mentions)
    cues_before = [m.hit for m in mentions if m.role == "cue_before"]
    cues_after = [m.hit for m in mentions if m.role == "cue_after"]
    venues = [m.hit for m in mentions if m.role == "venue"]
    non_state = any(m.role == "non_state" for m in mentions)
    context_at: set[int] = set()  # token positions: "الدفاع" is one word, whatever terms it fits
    excluded_at: dict[int, str] = {}
    last_venue_end = -10
    first_actor: tuple[int, str] | None = None  # (token, side) of the first participant named
    coop_start: int | None = None
    strong = False
    for m in sorted(mentions, key=lambda x: x.hit.start):
        side = _side(topic, m, guard)
        surface = " ".join(text[toks[m.hit.start].start:toks[m.hit.end - 1].end].split())
        if side:
            if any(0 <= m.hit.start - c.end < roles.cue_reach for c in cues_before) or any(
                    0 <= c.start - m.hit.end < roles.cue_reach for c in cues_after):
                v.bystanders.append(surface)
                continue
            if side == "second" and m.role == "country" and (
                    non_state or any(0 <= m.hit.start - c.end < roles.venue_reach for c in venues)
                    # "قواعد في الأردن أو الكويت": a place coordinated with a place
                    or 0 <= m.hit.start - last_venue_end <= 1):
                v.bystanders.append(surface)
                last_venue_end = m.hit.end
                continue
            if first_actor is None:
                first_actor = (m.hit.start, side)
            if side == "first":
                v.first.append(surface)
                if m.role == "state":
                    # A state's Guard brings its SPP partner: named anywhere in the article,
                    # the partner country is the other side of this sentence too.
                    v.second += [f"{code} (SPP partner of {m.key})"
                                 for code in sorted(spp_partners.get(m.key, set()))]
            elif side == "second":
                v.second.append(surface)
            else:
                v.third.append(surface)
        elif m.role in ("coop", "weak"):
            v.coop.append(surface)
            strong = strong or m.role == "coop"
            coop_start = m.hit.start if coop_start is None else coop_start
        elif m.role == "context":
            context_at.update(range(m.hit.start, m.hit.end))
        elif m.role.startswith("exclude:"):
            for i in range(m.hit.start, m.hit.end):
                excluded_at.setdefault(i, m.role.split(":", 1)[1])
    v.context = bool(context_at)
    v.weak = bool(v.coop) and not strong
    # "قالت هيئة الأركان التركية إنها ستجري مناورات مع الولايات المتحدة وباكستان": the US and
    # Pakistan are each the third country's partner, not each other's.
    v.led_by_third = (first_actor is not None and first_actor[1] == "third"
                      and coop_start is not None and first_actor[0] < coop_start)
    # An exclusion is relevant when the sentence is at least as much about trade, study or sport
    # as about security: "ازدهار اقتصاد العراق" in a sentence on NATO's mission does not veto it.
    names = [x for x in dict.fromkeys(excluded_at.values())
             if x not in roles.subject_exclusions]
    v.subject = [x for x in dict.fromkeys(excluded_at.values()) if x in roles.subject_exclusions]
    words = len({i for i, x in excluded_at.items()
                 if i not in context_at and x not in roles.subject_exclusions})
    v.excluded = names if names and words >= len(context_at) else []
    if v.weak:
        v.weight /= 2
    return v


def _side(topic: Topic, m: _Mention, guard: bool) -> str | None:
    if m.role == "first" or (m.role == "country" and m.key == "US"):
        return "first"
    if m.role == "state":
        # "ولاية أريزونا" alone may be a university; next to the Guard it is a partner unit.
        return "first" if guard else None
    if m.role == "second" or (m.role == "country" and m.key in topic._watched):
        return "second"
    if m.role == "country":
        return "third"
    return None


def _evidence_kind(topic: Topic, m: _Mention, mentions: list[_Mention]) -> str | None:
    side = _side(topic, m, any(x.role == "guard" for x in mentions))
    if side in ("first", "second"):
        return side
    return "cooperation" if m.role in ("coop", "weak") else None


def _where(v: SentenceVerdict) -> str:
    return "title" if v.field == "title" else f"body sentence {v.index + 1}"


def _one_line(topic: Topic, best: list[SentenceVerdict], verdicts: list[SentenceVerdict],
              matched: bool) -> str:
    roles = topic.spec.roles
    assert roles is not None
    if best:
        v = best[0]
        return (f"{roles.first_label} «{v.first[0]}» and {roles.second_label} «{v.second[0]}» "
                f"in «{v.coop[0]}» ({_where(v)})" + ("" if matched else ", too weak alone"))
    near = [v for v in verdicts if v.both_sides]
    if near:
        v = near[0]
        why = (f"excluded as {', '.join(sorted(set(v.excluded)))}" if v.excluded
               else "no military or security word")
        return f"both sides in a cooperation sentence ({_where(v)}) but {why}"
    has_first = any(v.first for v in verdicts)
    has_second = any(v.second for v in verdicts)
    if has_first and has_second:
        return (f"{roles.first_label} and a {roles.second_label} appear, but never together "
                "in a cooperation sentence")
    if has_second:
        return f"no {roles.first_label} participant: cooperation without the first side"
    if has_first:
        return f"no {roles.second_label}: the {roles.first_label} acts elsewhere or alone"
    return "neither side named"


def _reasons(topic: Topic, result: TopicMatch, verdicts: list[SentenceVerdict],
             evidence: list[SentenceVerdict]) -> list[str]:
    roles = topic.spec.roles
    assert roles is not None
    verdict = "matched" if result.matched else "not matched"
    lines = [f"{verdict}: score {result.score:.1f}, threshold {result.threshold:.1f}",
             f"why: {result.reason}"]
    for v in evidence[:5]:
        lines.append(f"+{v.weight:.1f} {_where(v)}: {roles.first_label} "
                     f"{_quoted(v.first)}, {roles.second_label} {_quoted(v.second)}, "
                     f"cooperation {_quoted(v.coop)}")
    for v in verdicts:
        if v.both_sides and v.excluded:
            lines.append(f"(exclusion) {_where(v)} not counted: "
                         f"{', '.join(sorted(set(v.excluded)))}")
        if v.bystanders:
            lines.append(f"(bystander) {_where(v)}: {_quoted(v.bystanders)} named, not taking part")
    return lines


def _quoted(surfaces: list[str]) -> str:
    shown = list(dict.fromkeys(surfaces))
    return ", ".join(f"«{s}»" for s in shown[:3]) + (" …" if len(shown) > 3 else "")


def sentences_with(text: str, spans: list[tuple[int, int]], limit: int = 3) -> list[str]:
    """The sentences of `text` holding the most of `spans`, in text order (for group topics)."""
    if not spans:
        return []
    sents = sentence_spans(text)
    counts: Counter[int] = Counter(index_of(sents, start) for start, _ in spans)
    top = sorted(i for i, _ in counts.most_common(limit))
    return [quote(sents[i].text) for i in top]


def group_sentences(title: str, body: str, evidence: list[Evidence]) -> list[str]:
    """Matching sentences of a weighted-group topic: the title if it matched, then body
    sentences holding the most evidence."""
    out = [quote(" ".join(title.split()))] if any(e.field == "title" for e in evidence) else []
    spans = [(e.start, e.end) for e in evidence if e.field == "body"]
    return (out + sentences_with(body, spans, 3 - len(out)))[:3]

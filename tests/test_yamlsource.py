"""Hostile YAML in any file the bot reads: alias bombs, self-references and duplicate keys."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from bot.corpus.yamldoc import parse_yaml_document
from bot.errors import CorpusError, SourceError
from bot.retrieval.lexicon import LexiconError, load_lexicon
from bot.retrieval.tokenize import Tokenizer
from bot.yamlsource import MAX_ALIAS_EXPANSION, load_yaml
from tests.helpers import CONFIG, write


def alias_bomb(levels: int, indent: str = "") -> str:
    """A flow sequence of `levels` nested anchors, each ten aliases of the one before: 10**levels
    values once expanded, a few hundred bytes on disk."""
    parts = ["&a0 [" + ", ".join(["lol"] * 10) + "]"]
    parts += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels + 1)]
    return "[" + ", ".join(parts) + "]"


def test_an_alias_bomb_in_a_document_title_is_refused_with_a_short_message() -> None:
    text = f"title: {alias_bomb(9)}\narticle: Something.\n"
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(CorpusError) as caught:
        parse_yaml_document(text, "corpus/bomb.yaml", "bomb")
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    message = str(caught.value)
    assert message.startswith("corpus/bomb.yaml:1: aliases expand to more than")
    assert len(message) < 200
    assert after - before < 100_000  # KiB: refused before anything was expanded


def test_a_few_aliases_are_still_fine() -> None:
    data = load_yaml("base: &b [1, 2]\nagain: *b\nthird: *b\n", "x.yaml")
    assert data["again"] == [1, 2] and data["third"] == [1, 2]


def test_the_budget_counts_expanded_values_not_alias_names() -> None:
    # Three levels: 1,000 values, well under the budget; the same shape one level deeper: 10,000
    # and a few more, over it.
    assert len(load_yaml(f"x: {alias_bomb(2)}\n", "x.yaml")["x"]) == 3
    with pytest.raises(SourceError, match=f"more than {MAX_ALIAS_EXPANSION:,}"):
        load_yaml(f"x: {alias_bomb(4)}\n", "x.yaml")


def test_an_alias_inside_itself_is_refused() -> None:
    with pytest.raises(SourceError, match=r"x.yaml:1: alias \*a refers to itself"):
        load_yaml("a: &a [1, *a]\n", "x.yaml")


def test_an_alias_bomb_in_config_or_lexicon_is_refused(tmp_path: Path) -> None:
    config = write(tmp_path / "config.yaml", CONFIG.read_text("utf-8") + f"bomb: {alias_bomb(9)}\n")
    with pytest.raises(ConfigError, match="aliases expand"):
        load_config(config)
    lexicon = write(tmp_path / "lexicon.yaml", f"groups:\n  - {alias_bomb(9)}\n")
    with pytest.raises(LexiconError, match="aliases expand"):
        load_lexicon(lexicon, Tokenizer())


def test_a_key_given_twice_is_refused_with_both_lines(tmp_path: Path) -> None:
    text = CONFIG.read_text("utf-8") + "top_k: 5\n"
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines, 1) if line.startswith("top_k:"))
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path / "config.yaml", text))
    assert str(caught.value) == (
        f"{tmp_path / 'config.yaml'}:{len(lines)}: key 'top_k' is given twice "
        f"(lines {first} and {len(lines)}); expected each key once"
    )


def test_duplicate_keys_in_a_comment_are_refused() -> None:
    text = "title: T\ncomments:\n  - author: Ann\n    text: one\n    text: two\n"
    with pytest.raises(CorpusError, match=r"d.yaml:5: key 'text' is given twice \(lines 4 and 5\)"):
        parse_yaml_document(text, "d.yaml", "d")


def test_merge_keys_may_still_be_overridden() -> None:
    data = load_yaml("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\n", "x.yaml")
    assert data["c"] == {"x": 3, "y": 2}


def test_an_oversized_settings_file_is_refused_unread(tmp_path: Path) -> None:
    config = write(tmp_path / "config.yaml", "# padding\n" * 200_000)
    with pytest.raises(ConfigError, match=r"config\.yaml: is over 1,000,000 bytes"):
        load_config(config)
    lexicon = write(tmp_path / "lexicon.yaml", "# padding\n" * 200_000)
    with pytest.raises(LexiconError, match=r"lexicon\.yaml: is over 1,000,000 bytes"):
        load_lexicon(lexicon, Tokenizer())

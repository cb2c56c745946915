"""The rules' answers on the example clauses, kept on disk (bot/answer/fires_memo.py)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bot.answer.example_bank import examples_cache_path, fires_memo_path
from bot.answer.examples import ExampleBank
from bot.answer.fires_memo import FORMAT, FiresMemo, rules_key
from bot.config import Config
from bot.engine import Engine


def never(*args: object) -> bool:
    raise AssertionError("the rules ran where the file knew the answer")


def test_answers_are_kept_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    memo = FiresMemo(path)
    assert memo.fires("k1", "my face is drooping", lambda t: "drooping" in t) is True
    assert memo.fires("k1", "how much is it", lambda t: "drooping" in t) is False
    memo.save("k1")
    again = FiresMemo(path)
    assert again.fires("k1", "my face is drooping", never) is True
    assert again.fires("k1", "how much is it", never) is False


def test_other_rules_compute_again_and_replace_the_file(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    memo = FiresMemo(path)
    memo.fires("old rules", "my face is drooping", lambda t: True)
    memo.save("old rules")
    newer = FiresMemo(path)
    assert newer.fires("new rules", "my face is drooping", lambda t: False) is False
    assert newer.fires("old rules", "my face is drooping", never) is True  # kept in memory
    newer.save("new rules")
    assert json.loads(path.read_text())["key"] == "new rules"


def test_the_key_follows_the_settings_and_the_names(config: Config) -> None:
    care = config.urgent_care
    key = rules_key(care, ["helen"])
    assert key == rules_key(care, ["helen"])
    assert key != rules_key(care, ["helen", "glenn"])
    assert key != rules_key(dataclasses.replace(care, veto_margin=care.veto_margin / 2), ["helen"])


@pytest.mark.parametrize(
    "content",
    ['{"format": "something else"}', "not json", json.dumps({"format": FORMAT, "key": "k"})[:-3]],
)
def test_a_file_the_bot_did_not_write_is_ignored_and_left_alone(
    tmp_path: Path, content: str
) -> None:
    path = tmp_path / "memo.json"
    path.write_text(content)
    memo = FiresMemo(path)
    assert memo.fires("k", "my face is drooping", lambda t: True) is True  # computed
    memo.save("k")
    assert path.read_text() == content


def test_a_damaged_entry_list_of_the_bots_own_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "memo.json"
    path.write_text(json.dumps({"format": FORMAT, "key": "k", "fired": [1, 2], "quiet": []}))
    memo = FiresMemo(path)
    assert memo.fires("k", "1", lambda t: False) is False
    memo.save("k")  # the bot's own file: brought up to date
    assert json.loads(path.read_text())["quiet"] == ["1"]


def test_a_link_is_never_followed_or_replaced(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    target.write_text(json.dumps({"format": FORMAT, "key": "k", "fired": ["x"], "quiet": []}))
    link = tmp_path / "memo.json"
    link.symlink_to(target)
    memo = FiresMemo(link)
    assert memo.fires("k", "x", lambda t: False) is False  # not read through the link
    memo.save("k")
    assert link.is_symlink() and json.loads(target.read_text())["fired"] == ["x"]


def test_a_second_engine_builds_its_bank_without_running_the_rules(
    config: Config, tmp_path: Path, monkeypatch
) -> None:
    cache = tmp_path / ".cache" / "passage-vectors.npz"
    config = dataclasses.replace(
        config, retrieval=dataclasses.replace(config.retrieval, semantic_cache=cache)
    )
    first = Engine(config)
    assert first.snapshot.examples is not None
    first.warm_up()
    memo = fires_memo_path(config)
    assert memo is not None and memo.parent == examples_cache_path(config).parent
    assert json.loads(memo.read_text())["fired"]
    second = Engine(config)
    monkeypatch.setattr("bot.answer.urgent.UrgentDetector.detect", never)
    second.warm_up()
    assert second.snapshot.examples is not None


def test_a_warm_bots_reload_has_the_new_bank_ready_before_it_serves(
    config: Config, monkeypatch
) -> None:
    engine = Engine(config)
    engine.warm_up()
    readied: list[ExampleBank] = []
    original = ExampleBank.ready

    def ready(bank: ExampleBank):
        readied.append(bank)
        return original(bank)

    monkeypatch.setattr(ExampleBank, "ready", ready)
    report = engine.reload_now()
    assert report.ok and readied and readied[-1] is engine.snapshot.examples


def test_an_engine_keeps_the_answers_across_reloads_without_a_cache_file(
    config: Config, monkeypatch
) -> None:
    config = dataclasses.replace(
        config, retrieval=dataclasses.replace(config.retrieval, semantic_cache=None)
    )
    engine = Engine(config)
    engine.warm_up()
    monkeypatch.setattr("bot.answer.urgent.UrgentDetector.detect", never)
    assert engine.reload_now().ok  # the same rules and names: the rules are asked nothing
    assert engine.snapshot.examples is not None and engine.snapshot.examples.is_ready

from __future__ import annotations

import asyncio
import logging
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Config
from bot.engine import Engine
from bot.errors import NoCorpusError
from bot.retrieval.semantic import Encoder, ModelError
from tests.helpers import SEED, write

EXTRA = (
    "title: Extra\narticle: Sleep.\ncomments:\n"
    "  - author: Ann\n    date: 2020-01-02\n    text: Naps.\n"
)


def engine_on(tmp_path: Path, config: Config) -> Engine:
    shutil.copy(SEED, tmp_path / "seed.txt")
    return Engine(replace(config, corpus=tmp_path))


def test_reload_swaps_in_the_new_corpus(tmp_path: Path, config: Config) -> None:
    engine = engine_on(tmp_path, config)
    write(tmp_path / "extra.yaml", EXTRA)
    report = engine.reload_now()
    assert report.ok and report.before.documents == 1 and report.after.documents == 2
    assert engine.snapshot.stats.comments == 31


def test_a_failed_reload_keeps_the_old_index_and_says_why(tmp_path: Path, config: Config) -> None:
    engine = engine_on(tmp_path, config)
    old = engine.snapshot
    write(tmp_path / "broken.yaml", "title: x\ncomments: 7\n")
    report = engine.reload_now()
    assert not report.ok and engine.snapshot is old
    assert "broken.yaml:2" in str(report.errors[0]) and "list" in str(report.errors[0])
    assert engine.ask("neck pain?").answered


def test_each_snapshot_has_its_own_summarizer(tmp_path: Path, config: Config) -> None:
    engine = engine_on(tmp_path, config)
    first = engine.summarizer()
    assert engine.summarizer() is first  # built once per snapshot
    assert "Extra" not in engine.summarize().overview
    write(tmp_path / "broken.yaml", "title: x\ncomments: 7\n")
    assert not engine.reload_now().ok
    assert engine.summarizer() is first  # a failed reload keeps the old snapshot's
    (tmp_path / "broken.yaml").unlink()
    write(tmp_path / "extra.yaml", EXTRA)
    assert engine.reload_now().ok
    fresh = engine.summarizer()
    assert fresh is not first and engine.summarizer() is fresh
    assert "Extra" in engine.summarize().overview
    assert [s.text for s in engine.summarize(author="Ann").sentences] == ["Naps."]


def test_an_unexpected_failure_halfway_keeps_the_old_index(
    tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_on(tmp_path, config)
    old = engine.snapshot

    def explode(*args: object, **kwargs: object) -> None:
        raise MemoryError("out of memory while indexing")

    monkeypatch.setattr("bot.engine.Searcher", explode)
    report = engine.reload_now()
    assert not report.ok and engine.snapshot is old
    assert "MemoryError" in str(report.errors[0])


def test_an_empty_corpus_is_an_error(tmp_path: Path, config: Config) -> None:
    with pytest.raises(NoCorpusError, match="no documents"):
        Engine(replace(config, corpus=tmp_path))


async def test_questions_during_ten_reloads_all_get_answers(tmp_path: Path, config: Config) -> None:
    engine = engine_on(tmp_path, config)
    stop = asyncio.Event()
    answers: list[str] = []
    failures: list[BaseException] = []

    async def ask_forever() -> None:
        while not stop.is_set():
            try:
                reply = await asyncio.to_thread(engine.ask, "How often do people get injections?")
                answers.append(reply.status)
            except BaseException as exc:  # any failure counts
                failures.append(exc)

    askers = [asyncio.create_task(ask_forever()) for _ in range(3)]
    reports = []
    for i in range(10):
        if i % 2:
            write(tmp_path / "extra.yaml", EXTRA)
        else:
            (tmp_path / "extra.yaml").unlink(missing_ok=True)
        if i == 5:
            write(tmp_path / "broken.txt", "Title\n\nBody\n  • X Feb 30, 2012\n    hi\n")
        if i == 6:
            (tmp_path / "broken.txt").unlink()
        reports.append(await engine.reload())
        await asyncio.sleep(0)  # let askers interleave with the next reload
    stop.set()
    await asyncio.gather(*askers)
    assert failures == []
    assert answers and set(answers) == {"answered"}
    assert [r.ok for r in reports] == [True] * 5 + [False] + [True] * 4


def test_the_engine_uses_sentence_vectors_when_the_model_is_there(engine: Engine) -> None:
    searcher = engine.snapshot.searcher
    assert searcher.semantic is not None
    assert searcher.semantic.vectors.shape == (len(searcher.passages), 384)


def test_without_the_model_it_answers_by_words_and_says_why(
    tmp_path: Path,
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def missing(explicit: Path | None = None) -> Encoder:
        raise ModelError("the embedding model is not installed: pip install …")

    monkeypatch.setattr(Encoder, "load", staticmethod(missing))
    with caplog.at_level(logging.WARNING, "bot.engine"):
        engine = engine_on(tmp_path, config)
    assert engine.snapshot.searcher.semantic is None
    assert "sentence vectors off, answering by word matching only" in caplog.text
    assert "not installed" in caplog.text
    assert engine.ask("did it help with neck pain?").answered


def test_a_corpus_too_big_to_embed_is_searched_by_words(
    tmp_path: Path, config: Config, caplog: pytest.LogCaptureFixture
) -> None:
    small = replace(config, retrieval=replace(config.retrieval, semantic_max_passages=10))
    with caplog.at_level(logging.WARNING, "bot.engine"):
        engine = engine_on(tmp_path, small)
    assert engine.snapshot.searcher.semantic is None
    assert "more than retrieval.semantic_max_passages (10)" in caplog.text


def test_semantic_weight_zero_does_not_load_the_model(
    tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(explicit: Path | None = None) -> Encoder:
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(Encoder, "load", staticmethod(fail))
    off = replace(config, retrieval=replace(config.retrieval, semantic_weight=0.0))
    assert engine_on(tmp_path, off).snapshot.searcher.semantic is None


def test_a_reload_embeds_only_the_passages_that_changed(
    tmp_path: Path, config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No cache file: the engine's own cache carries the vectors from one reload to the next.
    uncached = replace(config, retrieval=replace(config.retrieval, semantic_cache=None))
    write(tmp_path / "extra.yaml", EXTRA)
    engine = engine_on(tmp_path, uncached)
    assert engine.encoder is not None
    embedded: list[str] = []
    real = engine.encoder.encode

    def counting(texts: list[str], *args: object, **kwargs: object) -> object:
        embedded.extend(texts)
        return real(texts, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine.encoder, "encode", counting)
    write(tmp_path / "extra.yaml", EXTRA.replace("Naps.", "Long naps after lunch."))
    assert engine.reload_now().ok
    assert embedded == ["Long naps after lunch."]
    assert engine.reload_now().ok and embedded == ["Long naps after lunch."]  # nothing new
    semantic = engine.snapshot.searcher.semantic
    assert semantic is not None and semantic.vectors.shape == (len(engine.snapshot.passages), 384)


def test_the_english_word_list_loads_with_the_engine(tmp_path: Path, config: Config) -> None:
    from bot.retrieval import spelling

    spelling._english.cache_clear()
    spelling._english_single_letters.cache_clear()
    engine = engine_on(tmp_path, config)
    assert spelling._english.cache_info().currsize == 1  # not left for the first question
    assert spelling._english_single_letters.cache_info().currsize == 0  # 0.5 s: only if asked
    engine.warm_up()  # what `run` does for the Discord bot
    assert spelling._english_single_letters.cache_info().currsize == 1

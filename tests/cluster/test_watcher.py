"""The corpus watcher: a changed folder is reloaded without a command; a broken file is not."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path

from bot.cluster.watcher import CorpusWatcher, Reload
from bot.config import Config
from bot.engine import Engine, ReloadReport
from tests.helpers import write

NEW = (
    "title: Ferrets\narticle: Notes on ferrets.\ncomments:\n"
    "  - author: Quill\n    date: 2021-03-04\n"
    "    text: My ferret Zanzibar sleeps eighteen hours a day in a hammock.\n"
)
QUESTION = "How long does the ferret Zanzibar sleep?"


def engine_on(folder: Path, config: Config) -> Engine:
    retrieval = replace(config.retrieval, semantic_weight=0.0)
    return Engine(replace(config, corpus=folder, retrieval=retrieval))


def reloads(engine: Engine) -> Reload:
    async def reload(reason: str) -> ReloadReport:
        return await engine.reload()

    return reload


def answer_text(engine: Engine) -> str:
    reply = engine.ask(QUESTION)
    return " ".join(q.text for q in reply.quotes) if reply.answered else ""


async def test_an_unchanged_corpus_is_not_reloaded(corpus_dir: Path, config: Config) -> None:
    engine = engine_on(corpus_dir, config)
    reloads: list[str] = []

    async def reload(reason: str) -> ReloadReport:
        reloads.append(reason)
        return await engine.reload()

    watcher = CorpusWatcher(engine, 1.0, reload)
    assert await watcher.check() is None
    assert reloads == []


async def test_a_new_file_is_served_after_one_check(corpus_dir: Path, config: Config) -> None:
    engine = engine_on(corpus_dir, config)
    watcher = CorpusWatcher(engine, 1.0, reloads(engine))
    assert "hammock" not in answer_text(engine)
    write(corpus_dir / "ferrets.yaml", NEW)
    report = await watcher.check()
    assert report is not None and report.ok and report.after.documents == 2
    assert "hammock" in answer_text(engine)
    assert engine.snapshot.fingerprint == engine.corpus_fingerprint()
    assert await watcher.check() is None  # nothing new since


async def test_a_running_watcher_serves_an_edit_within_five_seconds(
    corpus_dir: Path, config: Config
) -> None:
    engine = engine_on(corpus_dir, config)
    watcher = CorpusWatcher(engine, 0.5, reloads(engine))
    watcher.start()
    try:
        written = time.monotonic()
        write(corpus_dir / "ferrets.yaml", NEW)
        while "hammock" not in answer_text(engine):
            assert time.monotonic() - written < 5.0, "the change was not served within 5 s"
            await asyncio.sleep(0.05)
    finally:
        await watcher.stop()


async def test_a_broken_file_keeps_the_old_index_and_is_reported_once(
    corpus_dir: Path, config: Config
) -> None:
    engine = engine_on(corpus_dir, config)
    before = engine.snapshot
    reports: list[ReloadReport] = []

    async def reload(reason: str) -> ReloadReport:
        reports.append(await engine.reload())
        return reports[-1]

    watcher = CorpusWatcher(engine, 1.0, reload)
    write(corpus_dir / "broken.yaml", "title: Broken\narticle: [unclosed\n")
    failed = await watcher.check()
    assert failed is not None and not failed.ok
    assert "broken.yaml:" in str(failed.errors[0])
    assert engine.snapshot is before and failed.fingerprint == before.fingerprint
    assert await watcher.check() is None and len(reports) == 1  # not retried every few seconds
    write(corpus_dir / "broken.yaml", NEW)  # fixed
    fixed = await watcher.check()
    assert fixed is not None and fixed.ok and "hammock" in answer_text(engine)


async def test_the_watcher_survives_a_failing_look_at_the_disk(
    corpus_dir: Path, config: Config
) -> None:
    engine = engine_on(corpus_dir, config)
    looks = 0

    def flaky() -> str:
        nonlocal looks
        looks += 1
        if looks == 1:
            raise PermissionError("the folder went away for a moment")
        return Engine.corpus_fingerprint(engine)

    engine.corpus_fingerprint = flaky  # type: ignore[method-assign]
    watcher = CorpusWatcher(engine, 0.05, reloads(engine))
    watcher.start()
    try:
        write(corpus_dir / "ferrets.yaml", NEW)
        give_up = time.monotonic() + 5.0
        while "hammock" not in answer_text(engine):
            assert time.monotonic() < give_up, "the watcher stopped after a failed look"
            await asyncio.sleep(0.05)
    finally:
        await watcher.stop()
    assert looks >= 2

"""The replayed second reading behind loopback rerank and chat servers, and engines using it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from bot.config import Config, ReaderSettings
from bot.corpus.model import ARTICLE_ID
from bot.engine import Engine
from tests.helpers import ROOT
from tests.reader.replay import Replay, serve
from tools.evaluation.questions import Question, load_questions
from tools.evaluation.reader import DEFAULT_READING, load_readings

MakeEngine = Callable[..., Engine]


@pytest.fixture(scope="session")
def questions() -> list[Question]:
    return load_questions(ROOT / "tests/eval/questions.yaml")


@pytest.fixture(scope="session")
def replay_data(engine: Engine, questions: list[Question]) -> Replay:
    docs = engine.snapshot.documents
    passage_ids = {ARTICLE_ID} | {c.id for d in docs for c in d.comments}
    readings = load_readings(ROOT / DEFAULT_READING, {q.id for q in questions}, passage_ids)
    return Replay.build(readings, questions, engine.snapshot.passages)


@pytest.fixture
def replay(replay_data: Replay) -> Iterator[Replay]:
    """The replay with no fault and no recorded requests; whatever a test sets is undone."""
    replay_data.fault, replay_data.slow_seconds, replay_data.requests = None, 1.0, []
    yield replay_data
    replay_data.fault, replay_data.slow_seconds, replay_data.requests = None, 1.0, []


@pytest.fixture(scope="session")
def base_url(replay_data: Replay) -> Iterator[str]:
    with serve(replay_data) as url:
        yield url


@pytest.fixture
def make_engine(config: Config, base_url: str) -> MakeEngine:
    """make_engine(api="rerank", **reader settings): an engine whose reader is the replay."""

    def make(api: str = "rerank", **settings: object) -> Engine:
        path = "/v1/chat/completions" if api == "chat" else "/v1/rerank"
        reader = ReaderSettings(api=api, url=base_url + path, **settings)  # type: ignore[arg-type]
        engine = Engine(replace(config, reader=reader))
        engine.warm_up()  # as a running bot has at start-up: the deadline is about the reader
        return engine

    return make

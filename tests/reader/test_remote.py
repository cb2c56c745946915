"""The reader stage against loopback rerank and chat servers replaying the second reading."""

from __future__ import annotations

import logging
import time

import pytest

from bot.engine import Engine
from tests.reader.conftest import MakeEngine
from tests.reader.replay import Replay
from tools.evaluation.questions import Question, evaluate
from tools.evaluation.reader import reader_system
from tools.evaluation.systems import project, with_reader

TIMEOUT = 0.3
GRACE = 0.5  # the deadline: a reply within the reader's timeout + 0.5 s


def comment_ids(engine: Engine, question: str) -> list[str | None]:
    return [h.passage.comment_id for h in engine.snapshot.searcher.rank(question).hits]


def quoted(reply) -> list[str | None]:
    return [q.passage.comment_id for q in reply.quotes]


def read_question(replay: Replay, questions: list[Question], engine: Engine) -> Question:
    """A test question the second reader answered whose top comment today's ranking does not
    put first, so the reader visibly changes the reply."""
    for q in questions:
        reading = replay.readings.get(" ".join(q.text.split()))
        if q.split == "test" and reading and reading.covered:
            today = comment_ids(engine, q.text)
            if today and today[0] != reading.ranked[0] and reading.ranked[0] in today[:20]:
                return q
    raise AssertionError("no question where the reader changes the first quote")


@pytest.mark.parametrize("api", ["rerank", "chat"])
def test_the_replayed_reader_meets_the_second_readings_own_figures(
    make_engine: MakeEngine, replay: Replay, questions: list[Question], api: str
) -> None:
    # 40 candidates: every comment of this corpus, so the candidate cut drops nothing.
    engine = make_engine(api, timeout=5.0, min_score=0.5, candidates=40)
    assert engine.reader is not None
    read = [q for q in questions if q.split == "test" and _flat(q.text) in replay.readings]
    own = evaluate(reader_system(_by_id(replay, questions), questions), read)
    ours = evaluate(with_reader(engine.snapshot.searcher, engine.reader), read)
    assert ours["S@1"] >= own["S@1"] - 0.05
    assert ours["wrongly_refused"] <= own["wrongly_refused"]
    assert ours["not_covered_ok"] >= own["not_covered_ok"] - 0.05
    assert ours["S@1"] > evaluate(project(engine.snapshot.searcher), read)["S@1"] + 0.2


def test_at_the_default_20_candidates_the_cut_costs_little(
    make_engine: MakeEngine, replay: Replay, questions: list[Question]
) -> None:
    # Today's ranking puts the reader's pick below 20th for a few questions (README, A reader).
    engine = make_engine(timeout=5.0, min_score=0.5)
    assert engine.config.reader.candidates == 20
    read = [q for q in questions if q.split == "test" and _flat(q.text) in replay.readings]
    own = evaluate(reader_system(_by_id(replay, questions), questions), read)
    ours = evaluate(with_reader(engine.snapshot.searcher, engine.reader), read)
    assert ours["S@1"] >= own["S@1"] - 0.05
    assert ours["wrongly_refused"] <= own["wrongly_refused"] + 3 / 63


def _flat(text: str) -> str:
    return " ".join(text.split())


def _by_id(replay: Replay, questions: list[Question]):
    return {
        q.id: replay.readings[_flat(q.text)] for q in questions if _flat(q.text) in replay.readings
    }


@pytest.mark.parametrize("api", ["rerank", "chat"])
def test_the_reply_quotes_the_readers_choice_verbatim(
    make_engine: MakeEngine,
    engine: Engine,
    replay: Replay,
    questions: list[Question],
    api: str,
) -> None:
    question = read_question(replay, questions, engine)
    reading = replay.readings[" ".join(question.text.split())]
    reply = make_engine(api, timeout=5.0).ask(question.text)
    assert reply.answered and quoted(reply)[0] == reading.ranked[0]
    passages = {p.text for p in engine.snapshot.passages}
    assert all(q.text in passages for q in reply.quotes)  # the corpus's own words
    assert reply.disclaimer == engine.config.disclaimer


def test_what_is_sent_is_the_question_and_todays_top_candidates(
    make_engine: MakeEngine, engine: Engine, replay: Replay
) -> None:
    question = "How often do people get Botox injections?"
    make_engine(timeout=5.0, candidates=7, model="bge-reranker-v2-m3").ask(question)
    (sent,) = replay.requests
    today = engine.snapshot.searcher.rank(question).hits[:7]
    assert sent["query"] == question and sent["model"] == "bge-reranker-v2-m3"
    assert sent["documents"] == [h.passage.text for h in today] and sent["top_n"] == 7


def test_equal_reader_scores_keep_todays_order(make_engine: MakeEngine, engine: Engine) -> None:
    # The replay scores every passage 0 for a question the second reading never saw.
    question = "did botox help anyone's neck pain?"
    reply = make_engine(timeout=5.0).ask(question)
    assert quoted(reply) == quoted(engine.ask(question))


# Questions today's gate answers, so the reader is asked about each.
ANSWERED = [
    "How often do people get Botox injections?",
    "did it mess with anyone's eyesight?",
    "did botox help anyone's neck pain?",
    "how much does botox cost?",
]


def test_more_quotes_pages_through_the_first_replys_order(
    make_engine: MakeEngine, replay: Replay, questions: list[Question], engine: Engine
) -> None:
    question = read_question(replay, questions, engine).text
    reader_engine = make_engine(timeout=TIMEOUT)
    first = reader_engine.ask(question, top_k=3)
    replay.fault = "status500"  # the next call would fail and fall back to today's order
    second = reader_engine.ask(question, top_k=3, skip=3)
    assert len(replay.requests) == 1  # the page came from the first reading
    order = [h.passage.comment_id for h in reordered_hits(reader_engine, question)]
    assert quoted(first) + quoted(second) == order[:6]
    assert not set(quoted(first)) & set(quoted(second))


def reordered_hits(reader_engine: Engine, question: str):
    assert reader_engine.reader is not None
    return reader_engine.reader(question, reader_engine.snapshot.searcher.rank(question)).hits


CASES = [
    ("rerank", "slow"),
    ("rerank", "drip"),
    ("rerank", "status500"),
    ("rerank", "not_json"),
    ("rerank", "out_of_range"),
    ("rerank", "duplicate"),
    ("rerank", "nan"),
    ("chat", "slow"),
    ("chat", "status500"),
    ("chat", "not_json"),
]


@pytest.mark.parametrize(("api", "fault"), CASES)
def test_a_faulty_reader_leaves_todays_ranking_within_the_deadline(
    make_engine: MakeEngine,
    engine: Engine,
    replay: Replay,
    questions: list[Question],
    api: str,
    fault: str,
) -> None:
    question = read_question(replay, questions, engine).text
    reader_engine = make_engine(api, timeout=TIMEOUT)
    replay.fault = fault
    started = time.monotonic()
    reply = reader_engine.ask(question)
    assert time.monotonic() - started < TIMEOUT + GRACE
    assert replay.requests, "the reader was asked"
    assert quoted(reply) == quoted(engine.ask(question))


def test_invented_and_repeated_chat_numbers_are_dropped(
    make_engine: MakeEngine, engine: Engine, replay: Replay, questions: list[Question]
) -> None:
    question = read_question(replay, questions, engine)
    reading = replay.readings[" ".join(question.text.split())]
    replay.fault = "out_of_range"  # the chat replay then invents one number and repeats one
    reply = make_engine("chat", timeout=5.0).ask(question.text)
    assert quoted(reply)[0] == reading.ranked[0]
    assert len(set(quoted(reply))) == len(quoted(reply))


def test_unsorted_results_with_top_n_ignored_are_sorted_and_cut(
    make_engine: MakeEngine, engine: Engine, replay: Replay, questions: list[Question]
) -> None:
    question = read_question(replay, questions, engine)
    reading = replay.readings[" ".join(question.text.split())]
    replay.fault = "unsorted"
    started = time.monotonic()
    reply = make_engine(timeout=TIMEOUT).ask(question.text)
    assert time.monotonic() - started < TIMEOUT + GRACE
    in_reading = [c for c in quoted(reply) if c in reading.ranked]
    assert in_reading == [c for c in reading.ranked if c in in_reading]
    assert quoted(reply)[0] == reading.ranked[0]


def test_a_dead_server_is_skipped_after_repeated_failures(
    make_engine: MakeEngine, engine: Engine, replay: Replay
) -> None:
    reader_engine = make_engine(timeout=TIMEOUT)
    replay.fault = "slow"
    for question in ANSWERED[:3]:
        reader_engine.ask(question)
    assert len(replay.requests) == 3
    question = ANSWERED[3]
    started = time.monotonic()
    reply = reader_engine.ask(question)
    assert time.monotonic() - started < TIMEOUT  # the breaker is open: no call at all
    assert len(replay.requests) == 3
    assert quoted(reply) == quoted(engine.ask(question))


def test_failures_are_logged_once_a_minute_without_the_question(
    make_engine: MakeEngine, replay: Replay, caplog: pytest.LogCaptureFixture
) -> None:
    reader_engine = make_engine(timeout=TIMEOUT)
    replay.fault = "status500"
    with caplog.at_level(logging.WARNING, logger="bot.reader"):
        reader_engine.ask(ANSWERED[0])
        reader_engine.ask(ANSWERED[1])
    assert len(replay.requests) == 2
    status = [r for r in caplog.records if "reader status" in r.getMessage()]
    assert len(status) == 1 and "HTTP 500" in status[0].getMessage()
    for question in ANSWERED[:2]:
        assert all(question not in r.getMessage() for r in caplog.records)


def test_the_api_key_comes_from_the_named_variable_and_is_never_logged(
    make_engine: MakeEngine,
    replay: Replay,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.reader import remote

    seen: list[dict[str, str]] = []
    original = remote.RemoteReader._headers

    def spy(self: remote.RemoteReader) -> dict[str, str]:
        headers = original(self)
        seen.append(headers)
        return headers

    monkeypatch.setattr(remote.RemoteReader, "_headers", spy)
    monkeypatch.setenv("READER_TEST_KEY", "sk-test-123")
    replay.fault = "status500"
    with caplog.at_level(logging.DEBUG):
        make_engine(timeout=TIMEOUT, api_key_env="READER_TEST_KEY").ask("botox injections?")
    assert seen and seen[0]["Authorization"] == "Bearer sk-test-123"
    assert "sk-test-123" not in caplog.text


def test_a_closed_port_is_a_connection_failure_in_time(config, engine: Engine) -> None:
    import socket
    from dataclasses import replace

    from bot.config import ReaderSettings

    with socket.socket() as sock:  # a port nobody listens on once this closes
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = ReaderSettings(url=f"http://127.0.0.1:{port}/v1/rerank", timeout=TIMEOUT)
    reader_engine = Engine(replace(config, reader=settings))
    question = "How often do people get Botox injections?"
    started = time.monotonic()
    reply = reader_engine.ask(question)
    assert time.monotonic() - started < TIMEOUT + GRACE
    assert quoted(reply) == quoted(engine.ask(question))


def test_min_score_lets_the_reader_decide_not_covered(
    make_engine: MakeEngine, engine: Engine, replay: Replay, questions: list[Question]
) -> None:
    uncovered = next(
        q
        for q in questions
        if (r := replay.readings.get(" ".join(q.text.split()))) is not None
        and not r.covered
        and engine.ask(q.text).answered  # today's gate lets it through
    )
    for api in ("rerank", "chat"):
        reply = make_engine(api, timeout=5.0, min_score=0.5).ask(uncovered.text)
        assert reply.status == "not_covered"
        assert reply.disclaimer == engine.config.disclaimer
    # Without min_score, today's gate stands.
    assert make_engine(timeout=5.0).ask(uncovered.text).answered


def test_the_urgent_care_notice_stays_when_the_reader_decides(make_engine: MakeEngine) -> None:
    reply = make_engine(timeout=5.0, min_score=0.5).ask(
        "I have a sudden thunderclap headache after botox, is that normal?"
    )
    assert reply.notice is not None

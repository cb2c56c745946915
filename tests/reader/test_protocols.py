"""Rerank responses and chat replies: every entry validated, anything malformed discarded."""

from __future__ import annotations

import json
import math

import pytest

from bot.reader.breaker import CircuitBreaker, WarningLimiter
from bot.reader.chat import chat_request, parse_chat
from bot.reader.outcome import ReaderFailure
from bot.reader.rerank import parse_rerank, rerank_request


def results(*pairs: tuple[object, object]) -> dict:
    return {"results": [{"index": i, "relevance_score": s} for i, s in pairs]}


def test_rerank_request_sends_plain_strings_and_the_model_when_set() -> None:
    body = rerank_request("q?", ["a", "b"], "m", 2)
    assert body == {"query": "q?", "documents": ["a", "b"], "top_n": 2, "model": "m"}
    assert "model" not in rerank_request("q?", ["a"], None, 1)


def test_unsorted_results_are_sorted_and_cut_to_top_n() -> None:
    reading = parse_rerank(results((0, 0.1), (1, 0.9), (2, -3.0), (3, 0.5)), 4, 3)
    assert reading.order == (1, 3, 0) and reading.scores == (0.9, 0.5, 0.1)
    assert reading.verdict == 0.9


def test_equal_scores_keep_the_order_sent() -> None:
    reading = parse_rerank(results((2, 1.0), (0, 1.0), (1, 1.0)), 3, 3)
    assert reading.order == (0, 1, 2)


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (results((0, 1.0), (3, 0.5)), "out of range"),
        (results((0, 1.0), (-1, 0.5)), "out of range"),
        (results((0, 1.0), (0, 0.5)), "repeated"),
        (results((True, 1.0)), "out of range"),
        (results((1.0, 1.0)), "out of range"),
        (results((0, math.nan)), "finite"),
        (results((0, math.inf)), "finite"),
        (results((0, "0.9")), "finite"),
        (results((0, None)), "finite"),
        ({"results": []}, "non-empty"),
        ({"data": []}, "non-empty"),
        ([], "non-empty"),
        ({"results": [1, 2]}, "object"),
        (results((0, 1.0), (1, 1.0), (2, 1.0), (0, 1.0)), "results for 3"),
    ],
)
def test_any_bad_entry_discards_the_whole_response(body: object, why: str) -> None:
    with pytest.raises(ReaderFailure, match=why) as caught:
        parse_rerank(body, 3, 3)
    assert caught.value.kind == "invalid"


def test_a_nan_from_the_wire_is_refused() -> None:
    body = json.loads('{"results": [{"index": 0, "relevance_score": NaN}]}')
    with pytest.raises(ReaderFailure):
        parse_rerank(body, 1, 1)


def completion(content: object) -> dict:
    return {"choices": [{"message": {"role": "assistant", "content": content}}]}


def test_chat_prompt_numbers_the_candidates_at_temperature_zero() -> None:
    body = chat_request("Does it help?", ["First  passage.\nMore.", "Second."], "llama3")
    assert body["temperature"] == 0 and body["model"] == "llama3"
    prompt = body["messages"][-1]["content"]
    assert "Question: Does it help?" in prompt
    assert "[1] First passage. More." in prompt and "[2] Second." in prompt
    assert '"ranking"' in prompt and '"covered"' in prompt


def test_chat_reply_in_a_fence_gives_order_and_verdict() -> None:
    reading = parse_chat(completion('Sure:\n```json\n{"ranking": [3, 1], "covered": true}\n```'), 3)
    assert reading.order == (2, 0) and reading.verdict == 1.0
    assert reading.scores[0] > reading.scores[1]


def test_invented_and_repeated_numbers_are_dropped() -> None:
    reading = parse_chat(completion('{"ranking": [2, 9, 2, 0, 1], "covered": true}'), 3)
    assert reading.order == (1, 0)


def test_not_covered_is_a_verdict_of_zero() -> None:
    reading = parse_chat(completion('{"ranking": [], "covered": false}'), 3)
    assert reading.order == () and reading.verdict == 0.0


@pytest.mark.parametrize(
    "content",
    [
        "Passage 2 answers it.",
        '{"ranking": [1, 2], "covered": "yes"}',
        '{"ranking": "1, 2", "covered": true}',
        '{"ranking": [1, "two"], "covered": true}',
        '{"ranking": [9], "covered": true}',
        '{"ranking": [1], "covered": true',
        '["ranking", 1]',
        None,
    ],
)
def test_malformed_chat_replies_are_discarded_whole(content: object) -> None:
    with pytest.raises(ReaderFailure) as caught:
        parse_chat(completion(content), 3)
    assert caught.value.kind == "invalid"


def test_a_reply_without_choices_is_invalid() -> None:
    with pytest.raises(ReaderFailure):
        parse_chat({"error": "model not found"}, 3)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_opens_after_repeated_failures_and_tries_again_later() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failures=3, seconds=30, clock=clock)
    assert [breaker.failure() for _ in range(3)] == [False, False, True]
    assert not breaker.allow()
    clock.now = 31
    assert breaker.allow()  # one trial question ...
    assert not breaker.allow()  # ... and only one
    breaker.failure()  # the trial failed: open again
    assert not breaker.allow()
    clock.now = 62
    assert breaker.allow()
    breaker.success()
    assert breaker.allow() and breaker.allow()


def test_a_success_resets_the_count() -> None:
    breaker = CircuitBreaker(failures=3, seconds=30, clock=Clock())
    breaker.failure()
    breaker.failure()
    breaker.success()
    breaker.failure()
    assert breaker.allow()


def test_one_warning_per_kind_per_minute() -> None:
    clock = Clock()
    limiter = WarningLimiter(every=60, clock=clock)
    assert limiter.should_warn("timeout") and limiter.should_warn("status")
    assert not limiter.should_warn("timeout")
    clock.now = 61
    assert limiter.should_warn("timeout")


def test_recent_readings_expire_and_stay_bounded() -> None:
    from bot.reader.outcome import Reading
    from bot.reader.recent import RecentReadings

    clock = Clock()
    recent = RecentReadings(size=2, seconds=600, clock=clock)
    reading = Reading(order=(1, 0), scores=(2.0, 1.0), verdict=2.0)
    a, b, c = (RecentReadings.key(q, ["p1", "p2"]) for q in ("a?", "b?", "c?"))
    assert a != RecentReadings.key("a?", ["p1", "p3"])  # the candidates count too
    recent.put(a, reading)
    recent.put(b, None)  # a failure is remembered: the next page keeps today's order too
    assert recent.get(a) == (True, reading) and recent.get(b) == (True, None)
    recent.put(c, reading)  # over the size: the least recently used (a) goes
    assert recent.get(a) == (False, None) and recent.get(b) == (True, None)
    clock.now = 601
    assert recent.get(c) == (False, None)


def test_a_confident_reader_never_overrides_the_safety_rules(engine) -> None:
    """With reader.min_score the reader decides coverage, but a question about a drug the
    discussion never names, or about a child, stays not covered however sure the reader is."""
    from bot.reader.outcome import Reading
    from bot.reader.stage import reordered

    searcher = engine.snapshot.searcher
    for question in ("is aimovig better than botox?", "what dose of botox for my 9 year old kid"):
        ranking = searcher.rank(question)
        assert not ranking.covered
        candidates = ranking.hits[:2]
        reading = Reading(order=(1, 0), scores=(9.0, 8.0), verdict=9.0)
        read = searcher.recheck_people(
            question, reordered(ranking, candidates, reading, min_score=0.5)
        )
        assert read.hits[0] == type(read.hits[0])(candidates[1].passage, 9.0)
        assert not read.covered

    ranking = engine.snapshot.searcher.rank("how often do people get botox injections?")
    reading = Reading(order=(0,), scores=(9.0,), verdict=9.0)
    assert reordered(ranking, ranking.hits[:1], reading, min_score=0.5).covered

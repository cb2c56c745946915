from __future__ import annotations

from bot.retrieval.tokenize import Tokenizer
from bot.summary.candidates import build_candidates
from bot.summary.topics import close_words, distinctive_topics, term_spans, topic_query
from tests.summary.conftest import make_doc

GROUPS = [
    (("side", "effect"), ("advers", "reaction"), ("advers",)),
    (("work",), ("help",), ("effect",)),  # "effective" stems to "effect"
    (("cost",), ("price",), ("pay",)),
]


def test_a_longer_phrase_hides_the_groups_of_its_parts() -> None:
    q = topic_query(["side", "effect"], [1.0, 1.0], GROUPS)
    assert q.own == ("side", "effect")
    assert set(q.terms) == {"side", "effect", "advers", "reaction"}
    assert q.alternatives["side"] == (("advers", "reaction"), ("advers",))
    # alone, "effect" does bring in its own group
    assert {"work", "help"} <= set(topic_query(["effect"], [1.0], GROUPS).terms)


def test_synonyms_weigh_less_and_cover_the_whole_phrase() -> None:
    q = topic_query(["cost"], [1.0], GROUPS, expansion_weight=0.4)
    assert dict(zip(q.terms, q.weights, strict=True)) == {"cost": 1.0, "price": 0.4, "pay": 0.4}

    def idf(term: str) -> float:
        return 1.0

    assert q.coverage({"pay", "month"}, idf) == 1.0
    assert q.coverage({"month"}, idf) == 0.0
    side = topic_query(["side", "effect"], [1.0, 1.0], GROUPS)
    assert side.coverage({"advers"}, idf) == 1.0
    assert side.coverage({"reaction"}, idf) == 0.0  # half a synonym phrase is not a match
    assert side.coverage({"effect"}, idf) == 0.5
    assert topic_query([], [], GROUPS).coverage({"cost"}, idf) == 0.0


def test_term_spans_point_at_the_words() -> None:
    tokenizer = Tokenizer()
    text = "The loss for words scared me."
    spans = term_spans(text, tokenizer.term)
    assert [text[a:b] for _, a, b in spans] == ["loss", "words", "scared"]


def test_suggested_topics_are_shared_but_not_everywhere_and_read_as_written() -> None:
    tokenizer = Tokenizer()
    comments = [
        ("A", "2020-01-01", "Botox gave me a loss for words. Botox helps."),
        ("B", "2020-01-02", "Botox and the loss for words again."),
        ("C", "2020-01-03", "Botox, blurred vision."),
        ("D", "2020-01-04", "Botox and blurred vision too."),
        ("E", "2020-01-05", "Botox only."),
        ("F", "2020-01-06", "Botox is fine."),
    ]
    candidates = build_candidates([make_doc("d", comments)], tokenizer)
    groups = [(("loss", "word"), ("forget", "word")), (("blur",), ("vision",)), (("botox",),)]
    found = distinctive_topics(candidates, tokenizer.term, groups, max_share=0.5)
    assert "loss for words" in found and "botox" not in found
    assert any(name in {"blurred", "vision"} for name in found)
    plain = distinctive_topics(candidates, tokenizer.term, (), max_share=0.5)
    assert "botox" not in plain
    assert distinctive_topics([], tokenizer.term) == []


def test_close_words_catch_typos() -> None:
    assert close_words("costts", ["costs", "cost", "neck"]) == ["costs", "cost"]
    assert close_words("🙂", ["costs"]) == []

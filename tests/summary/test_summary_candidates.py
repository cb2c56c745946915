from __future__ import annotations

from bot.corpus.model import Document
from bot.retrieval.tokenize import Tokenizer
from bot.summary.candidates import build_candidates
from tests.summary.conftest import make_doc


def test_every_candidate_is_a_verbatim_slice_with_its_comment(seed_doc: Document) -> None:
    candidates = build_candidates([seed_doc], Tokenizer())
    assert candidates
    for c in candidates:
        if c.kind == "article":
            assert c.comment_id is None and c.author is None
            assert seed_doc.article[c.start : c.end] == c.text
        else:
            comment = seed_doc.comment(c.comment_id or "")
            assert comment.text[c.start : c.end] == c.text
            assert (c.author, c.date) == (comment.author, comment.date)
        assert c.text == c.text.strip() and c.text


def test_positions_follow_the_page() -> None:
    doc = make_doc(
        "d", [("Ann", "2020-01-01", "First one. Second one."), ("Bo", "2020-01-02", "Third.")]
    )
    candidates = build_candidates([doc], Tokenizer())
    assert [c.position for c in candidates] == list(range(len(candidates)))
    assert [c.text for c in candidates if c.kind == "comment"] == [
        "First one.",
        "Second one.",
        "Third.",
    ]
    assert candidates[0].kind == "article"


def test_documents_follow_one_another() -> None:
    a = make_doc("a", [("Ann", "2020-01-01", "In a.")])
    b = make_doc("b", [("Bo", "2020-01-02", "In b.")])
    candidates = build_candidates([a, b], Tokenizer())
    assert [c.document_id for c in candidates] == ["a", "a", "b", "b"]
    assert candidates[-1].group == f"b/{b.comments[0].id}"

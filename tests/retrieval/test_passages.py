from __future__ import annotations

import itertools

from bot.corpus.model import Document
from bot.retrieval.passages import split_passages


def test_passages_are_verbatim_slices_within_one_comment(seed_doc: Document) -> None:
    passages = split_passages([seed_doc], max_chars=200, max_sentences=2)
    for p in passages:
        source = (
            seed_doc.article if p.kind == "article" else seed_doc.comment(p.comment_id or "").text
        )
        assert source[p.start : p.end] == p.text
        assert p.source_length == len(source)
        assert all(p.text[s:e].strip() for s, e in p.sentences)
    assert [p.index for p in passages] == list(range(len(passages)))


def test_every_comment_is_fully_covered_in_order(seed_doc: Document) -> None:
    passages = split_passages([seed_doc])
    for c in seed_doc.comments:
        mine = [p for p in passages if p.comment_id == c.id]
        assert mine, c.id
        assert mine[0].start == 0 and mine[-1].end == len(c.text.rstrip())
        assert all(a.end <= b.start for a, b in itertools.pairwise(mine))
        assert all(p.author == c.author and p.date == c.date for p in mine)


def test_passages_stay_short_unless_one_sentence_is_longer(seed_doc: Document) -> None:
    for p in split_passages([seed_doc], max_chars=300, max_sentences=3):
        assert len(p.sentences) <= 3
        assert len(p.text) <= 300 or len(p.sentences) == 1


def test_replies_carry_their_parent_author(seed_doc: Document) -> None:
    passages = split_passages([seed_doc])
    glenn = [p for p in passages if p.comment_id == "glenn-2017-03-10"]
    assert glenn and all(p.in_reply_to == "Amber" for p in glenn)
    article = [p for p in passages if p.kind == "article"]
    assert article and all(p.author is None and p.comment_id is None for p in article)


def test_splitting_reports_progress_document_by_document(seed_doc: Document) -> None:
    done: list[int] = []
    passages = split_passages([seed_doc, seed_doc], progress=done.append)
    assert done == [31, 31]  # the article and its 30 comments, per document
    assert len(passages) == 2 * len(split_passages([seed_doc]))

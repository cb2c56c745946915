"""The systems compared by `python -m tools.evaluation`: the project and two BM25 baselines."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import rank_bm25

from bot.corpus.model import ARTICLE_ID, Document
from bot.retrieval.search import Ranking, Searcher
from tools.evaluation.questions import Outcome, System


def project(searcher: Searcher) -> System:
    def run(question: str) -> Outcome:
        ranking = searcher.rank(question)
        docs = [(h.passage.comment_id or ARTICLE_ID, h.score) for h in ranking.hits]
        return Outcome(docs, not ranking.covered)

    return run


def with_reader(searcher: Searcher, stage: Callable[[str, Ranking], Ranking]) -> System:
    """Today's ranking, then the reader stage, as the engine runs them. Scores are positions:
    the reader's scale differs from the search's, and only the order counts."""

    def run(question: str) -> Outcome:
        ranking = stage(question, searcher.rank(question))
        n = len(ranking.hits)
        docs = [
            (h.passage.comment_id or ARTICLE_ID, float(n - i)) for i, h in enumerate(ranking.hits)
        ]
        return Outcome(docs, not ranking.covered)

    return run


def _units(documents: tuple[Document, ...]) -> tuple[list[str], list[str]]:
    """Whole comments (and the article) as retrieval units, as the libraries' READMEs use them."""
    ids, texts = [], []
    for doc in documents:
        ids.append(ARTICLE_ID)
        texts.append(doc.article)
        for c in doc.comments:
            ids.append(c.id)
            texts.append(c.text)
    return ids, texts


def _ranked(ids: list[str], scores: np.ndarray, k: int = 10) -> Outcome:
    order = np.argsort(-scores, kind="stable")[:k]
    ranking = [(ids[i], float(scores[i])) for i in order if scores[i] > 0]
    return Outcome(ranking, not ranking)


def rank_bm25_readme(documents: tuple[Document, ...]) -> System:
    """rank-bm25's README usage: BM25Okapi over whitespace tokens of whole comments."""
    ids, texts = _units(documents)
    model = rank_bm25.BM25Okapi([t.split(" ") for t in texts])
    return lambda question: _ranked(ids, model.get_scores(question.split(" ")))


def bm25s_stemmed(documents: tuple[Document, ...]) -> System:
    """bm25s with its Snowball stemmer and English stop words over whole comments."""
    import bm25s
    import Stemmer

    ids, texts = _units(documents)
    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False),
        show_progress=False,
    )

    def run(question: str) -> Outcome:
        tokens = bm25s.tokenize([question], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            return Outcome([], True)
        docs, scores = retriever.retrieve(
            tokens, k=min(10, len(ids)), show_progress=False, n_threads=1
        )
        ranking = [(ids[d], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
        return Outcome(ranking, not ranking)

    return run

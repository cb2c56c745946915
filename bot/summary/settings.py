"""What a summary may be asked for, and the knobs behind it (each chosen by `make eval` with
--summaries; its ablation table shows what each is worth)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MAX_SENTENCES = 25


class SummaryRequestError(ValueError):
    """A request that cannot be summarized as asked (e.g. zero sentences)."""


@dataclass(frozen=True)
class SummarySettings:
    sentences: int = 8  # default length of a discussion summary
    topic_sentences: int = 6  # … of a topic summary
    author_sentences: int = 6  # … of a commenter's
    include_article: bool = True  # the article's sentences compete with the comments'
    min_terms: int = 2  # index terms a sentence needs to be quoted (drops "Very frustrating.")
    max_words: int = 60  # longer run-on sentences are not quoted unless nothing else is left
    similarity: Literal["bm25", "cosine"] = "cosine"  # TextRank edge weights
    k1: float = 1.2
    b: float = 0.75
    damping: float = 0.85
    mmr_lambda: float = 0.7  # 1 = centrality only, lower = more diversity
    duplicate: float = 0.6  # cosine at or above which a sentence repeats one already taken
    max_per_comment: int = 1  # per comment, until every comment with a candidate has one
    article_sentences: int = 3  # a discussion summary opens with up to this many (≤ n/2)
    topic_weight: float = 0.7  # relevance = (1 − w) × centrality + w × topic score
    topic_bias: bool = True  # PageRank jumps to sentences in proportion to their topic score
    topic_min_coverage: float = 0.5  # share of the topic's idf mass a match must have
    topic_context: tuple[int, int] = (1, 1)  # sentences before/after a match that may join it
    context_weight: float = 0.3  # a context sentence's topic score: its own + this × its match's
    expansion_weight: float = 0.5  # a lexicon synonym counts this much of the topic's own word
    max_graph: int = 1500  # larger pools are cut to their most typical sentences first

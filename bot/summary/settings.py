"""What a summary may be asked for, and the knobs behind it (each chosen on the tuning references
by `python -m tools.evaluation --summaries`; `--variants` shows what each thing tried was worth)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.summary.model import Kind

MAX_SENTENCES = 25
Objective = Literal["mmr", "coverage", "concepts"]


class SummaryRequestError(ValueError):
    """A request that cannot be summarized as asked (e.g. zero sentences)."""


@dataclass(frozen=True)
class SummarySettings:
    sentences: int = 10  # default length of a discussion summary: the article leads with ≤ 5
    topic_sentences: int = 6  # … of a topic summary
    author_sentences: int = 6  # … of a commenter's
    include_article: bool = True  # the article's sentences compete with the comments'
    min_terms: int = 2  # index terms a sentence needs to be quoted (drops "Very frustrating.")
    topic_min_terms: int = 2  # … in a topic summary (its matches are always quotable)
    author_min_terms: int = 3  # … in an author summary ("It didn't help." says little alone)
    max_words: int = 60  # longer run-on sentences are not quoted unless nothing else is left
    similarity: Literal["bm25", "cosine"] = "cosine"  # TextRank edge weights
    k1: float = 1.2
    b: float = 0.75
    damping: float = 0.85
    mmr_lambda: float = 0.7  # 1 = centrality only, lower = more diversity
    duplicate: float = 0.6  # cosine at or above which a sentence repeats one already taken
    max_per_comment: int = 1  # per comment, until every comment with a candidate has one
    article_sentences: int = 5  # a discussion summary opens with up to this many …
    article_share: float = 0.75  # … and at most this share of its sentences
    topic_weight: float = 0.7  # relevance = (1 − w) × centrality + w × topic score
    topic_bias: bool = True  # PageRank jumps to sentences in proportion to their topic score
    topic_min_coverage: float = 0.5  # share of the topic's idf mass a match must have
    topic_context: tuple[int, int] = (1, 1)  # sentences before/after a match that may join it
    context_weight: float = 0.3  # a context sentence's topic score: its own + this × its match's
    topic_kinds: bool = True  # a question of time ("how long …") matches time expressions
    expansion_weight: float = 0.5  # a lexicon synonym counts this much of the topic's own word
    max_graph: int = 1500  # larger pools are cut to their most typical sentences first
    # How each kind of summary picks its sentences: "mmr" (centrality, then MMR), "coverage"
    # (Lin & Bilmes) or "concepts" (Gillick & Favre), see objective.py.
    discussion_objective: Objective = "concepts"
    topic_objective: Objective = "mmr"
    author_objective: Objective = "mmr"
    lead_objective: Objective = "concepts"  # … and the article's opening sentences
    saturation: float = 5.0  # coverage: α = saturation / pool size
    diversity: float = 6.0  # coverage: λ, the reward for drawing on a new comment
    prior_weight: float = 0.0  # coverage: centrality (and topic score) added to each gain
    concept_ngrams: int = 2  # concepts: index-term n-grams up to this length
    concept_min_comments: int = 2  # concepts: used by at least this many comments
    concept_length_exponent: float = 0.5  # concepts: gain per (index terms ** this)
    # Relevance × (index terms / the longest's) ** this, per kind (MMR picks)
    topic_length: float = 0.0
    author_length: float = 0.0
    # Share of sentence-vector cosine (all-MiniLM-L6-v2, the passages') in sentence similarity.
    discussion_vectors: float = 0.0
    topic_vectors: float = 0.0
    author_vectors: float = 0.5

    def objective(self, kind: Kind) -> Objective:
        return {
            "discussion": self.discussion_objective,
            "topic": self.topic_objective,
            "author": self.author_objective,
        }[kind]

    def min_terms_for(self, kind: Kind) -> int:
        return {
            "discussion": self.min_terms,
            "topic": self.topic_min_terms,
            "author": self.author_min_terms,
        }[kind]

    def length_exponent(self, kind: Kind) -> float:
        return {"discussion": 0.0, "topic": self.topic_length, "author": self.author_length}[kind]

    def vectors(self, kind: Kind) -> float:
        return {
            "discussion": self.discussion_vectors,
            "topic": self.topic_vectors,
            "author": self.author_vectors,
        }[kind]

    @property
    def uses_vectors(self) -> bool:
        return bool(self.discussion_vectors or self.topic_vectors or self.author_vectors)

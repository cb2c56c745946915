"""`python -m tools.evaluation --ablation`: the final ranking against one change at a time
(tune split).

Each row rebuilds the searcher with one setting changed, so the README's tuning table can be
reproduced with one command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.config import Config
from bot.corpus.model import Document
from bot.engine import search_settings, semantic_vectors
from bot.retrieval.lexicon import Lexicon, load_lexicon
from bot.retrieval.passages import DEFAULT_MAX_CHARS, DEFAULT_MAX_SENTENCES, split_passages
from bot.retrieval.search import Searcher
from bot.retrieval.semantic import Encoder
from bot.retrieval.tokenize import Tokenizer, TokenizerSettings
from tools.evaluation.questions import Question, evaluate
from tools.evaluation.systems import project


@dataclass(frozen=True)
class Variant:
    label: str
    search: dict[str, Any] = field(default_factory=dict)
    tokenizer: TokenizerSettings = field(default_factory=TokenizerSettings)
    max_chars: int = DEFAULT_MAX_CHARS
    max_sentences: int = DEFAULT_MAX_SENTENCES
    lexicon: bool = True


VARIANTS = [
    Variant("final (Lucene BM25 k1=1.2 b=0.75, 250 chars/2 sentences, vectors 0.3)"),
    Variant("no sentence vectors (words only)", {"semantic_weight": 0.0}),
    Variant("sentence vectors weight 0.15", {"semantic_weight": 0.15}),
    Variant("sentence vectors weight 0.5", {"semantic_weight": 0.5}),
    Variant("sentence vectors only (weight 1.0)", {"semantic_weight": 1.0}),
    Variant("no lexicon", lexicon=False),
    Variant("lexicon weight 1.0 (as the asker's words)", {"expansion_weight": 1.0}),
    Variant("lexicon weight 0.3", {"expansion_weight": 0.3}),
    Variant("no question-filler words dropped", {"question_words": False}),
    Variant("no typo repair", {"typo_weight": 0.0}),
    Variant("typo repair of English words too", {"typo_english": True}),
    Variant("typo similarity cutoff 0.85", {"typo_cutoff": 0.85}),
    Variant("no unknown-name rule", {"unknown_names": False}),
    Variant("no stemming", tokenizer=TokenizerSettings(stem=False)),
    Variant("no stop words", tokenizer=TokenizerSettings(stop_words=False)),
    Variant("BM25Okapi idf (k1=1.5)", {"variant": "okapi", "k1": 1.5}),
    Variant("BM25Plus (k1=1.5)", {"variant": "plus", "k1": 1.5}),
    Variant("k1=0.9 b=0.4 (Anserini)", {"k1": 0.9, "b": 0.4}),
    Variant("k1=1.5 b=0.75", {"k1": 1.5}),
    Variant("k1=1.2 b=0.5", {"b": 0.5}),
    Variant("passages 320 chars/3 sentences", max_chars=320, max_sentences=3),
    Variant("passages 500 chars/4 sentences", max_chars=500, max_sentences=4),
    Variant("whole comments as passages", max_chars=100_000, max_sentences=10_000),
    Variant("comment = best + 0.2 × other passages", {"rest_weight": 0.2}),
    Variant("thread context 0.2 (reply ↔ parent)", {"thread_weight": 0.2}),
]


def run_ablation(
    config: Config,
    documents: Sequence[Document],
    questions: Sequence[Question],
    encoder: Encoder | None = None,
) -> list[tuple[str, dict[str, float]]]:
    rows = []
    for v in VARIANTS:
        tokenizer = Tokenizer(v.tokenizer)
        lexicon = load_lexicon(config.lexicon, tokenizer) if v.lexicon else Lexicon()
        passages = split_passages(list(documents), v.max_chars, v.max_sentences)
        settings = replace(search_settings(config), **v.search)
        vectors = semantic_vectors(config, tuple(passages), encoder)
        searcher = Searcher(passages, tokenizer, lexicon, settings, vectors)
        rows.append((v.label, evaluate(project(searcher), questions)))
    return rows


def format_ablation(rows: list[tuple[str, dict[str, float]]]) -> str:
    cols = ["S@1", "MRR@5", "nDCG@5", "R@3", "R@5", "not_covered_ok", "wrongly_refused"]
    heads = ["S@1", "MRR@5", "nDCG@5", "R@3", "R@5", "uncov→nc", "refused"]
    out = ["| setting | " + " | ".join(heads) + " |", "|---|" + "---|" * len(heads)]
    for label, f in rows:
        out.append(f"| {label} | " + " | ".join(f"{f[c]:.3f}" for c in cols) + " |")
    return "\n".join(out)

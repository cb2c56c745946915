"""The urgent-care example bank as the engine builds it for a snapshot: the examples file read
and checked, the rules' answers on its clauses (kept on disk by fires_memo.py), its vectors from
the retrieval's sentence model (kept beside the passage vectors), and the question's vector shared
with retrieval (README, "Safety")."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.answer.examples import ExampleBank, build_bank, load_examples
from bot.answer.fires_memo import FiresMemo, rules_key
from bot.answer.urgent import detector_for
from bot.config import Config
from bot.errors import SourceError
from bot.retrieval.search import Searcher
from bot.retrieval.semantic import Encoder, VectorCache

log = logging.getLogger("bot.answer.example_bank")


def urgent_examples(
    config: Config,
    searcher: Searcher,
    encoder: Encoder | None,
    cache: VectorCache | None = None,
    fires_memo: FiresMemo | None = None,
) -> tuple[ExampleBank | None, tuple[SourceError, ...]]:
    """The urgent-care example bank (README, "Safety"), embedded on first use, or None: no
    file, no sentence vectors, or nothing usable in the file (each bad entry is reported; the
    good ones are kept). cache: where the examples' vectors are kept between runs."""
    care = config.urgent_care
    if care.examples is None or encoder is None:
        return None, ()
    examples, errors = load_examples(care.examples)
    for error in errors:
        log.warning("%s", error)
    detector = detector_for(care)
    scope = searcher.scope
    named, people = (scope.named_people, scope.people) if scope else (frozenset(), frozenset())
    vectors = cache or VectorCache(examples_cache_path(config))
    memo = fires_memo or FiresMemo(fires_memo_path(config))
    key = rules_key(care, (*named, "\0", *people))

    def rules(text: str) -> bool:
        return detector.detect(text, named, people) is not None

    def fires(text: str) -> bool:
        return memo.fires(key, text, rules)

    def embed_examples(texts: Sequence[str]) -> np.ndarray:
        memo.save(key)  # the bank asks the rules about every clause before embedding them
        out = vectors.vectors(list(texts), encoder)
        vectors.save(keep=list(texts), limit=MAX_CACHED_EXAMPLES)
        return out

    def embed(texts: Sequence[str]) -> np.ndarray:
        return encoder.encode(list(texts))

    bank = build_bank(
        examples,
        fires,
        embed,
        care.veto_margin,
        embed_examples,
        care.match_similarity,
        care.match_margin,
        # Retrieval embeds the same question (Semantic.embed): one vector, kept by the encoder.
        encoder.embed_question,
    )
    return bank, tuple(errors)


MAX_CACHED_EXAMPLES = 50_000  # clauses of urgent-care examples kept in their vector cache


def fires_memo_path(config: Config) -> Path | None:
    """Beside the examples' vectors: which of their clauses the rules fire on."""
    path = examples_cache_path(config)
    return path.with_name("urgent-example-clauses.json") if path is not None else None


def examples_cache_path(config: Config) -> Path | None:
    """Beside the passage vectors, in a file of its own: the examples are embedded on first use,
    maybe while a reload embeds passages."""
    path = config.retrieval.semantic_cache
    return path.with_name("urgent-example-vectors.npz") if path is not None else None

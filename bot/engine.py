"""The core service: config + corpus → a searchable snapshot, answers, summaries, safe reloads.

No Discord here. The CLI and the Discord adapter both hold one Engine. A snapshot is immutable;
reload builds a new one off to the side and swaps the reference in one assignment, so a question
is always answered from a complete index, old or new. Each snapshot gets its own summarizer,
built on the first summary asked of it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot.answer.compose import Reply, compose_reply
from bot.answer.example_bank import examples_cache_path, fires_memo_path, urgent_examples
from bot.answer.examples import ExampleBank
from bot.answer.fires_memo import FiresMemo
from bot.config import Config
from bot.corpus.fingerprint import Fingerprinter
from bot.corpus.loader import load_corpus
from bot.corpus.model import Document
from bot.errors import NoCorpusError, SourceError
from bot.progress import Progress
from bot.reader.stage import ReaderStage
from bot.retrieval.lexicon import load_lexicon
from bot.retrieval.passages import Passage, split_passages
from bot.retrieval.search import Searcher, SearchSettings, Semantic
from bot.retrieval.semantic import Encoder, ModelError, VectorCache
from bot.retrieval.spelling import load_english_words, load_misspelling_index
from bot.retrieval.tokenize import Tokenizer
from bot.text.clean import clean_text

if TYPE_CHECKING:  # imported when first used, so `ask` does not load the summarizer
    from bot.summary import Summarizer, Summary, SummarySettings

log = logging.getLogger("bot.engine")


@dataclass(frozen=True)
class CorpusStats:
    documents: int
    comments: int
    replies: int
    passages: int
    commenters: int

    def line(self) -> str:
        return (
            f"{self.documents} document(s), {self.comments} comments ({self.replies} replies) "
            f"from {self.commenters} commenters, {self.passages} passages"
        )


@dataclass(frozen=True)
class Snapshot:
    documents: tuple[Document, ...]
    passages: tuple[Passage, ...]
    searcher: Searcher
    errors: tuple[SourceError, ...]
    stats: CorpusStats
    seconds: float  # time taken to load and index
    fingerprint: str = ""  # of the files as they were just before loading (Fingerprinter)
    examples: ExampleBank | None = None  # urgent-care examples by meaning, with sentence vectors


@dataclass(frozen=True)
class ReloadReport:
    ok: bool
    before: CorpusStats
    after: CorpusStats
    seconds: float
    errors: tuple[SourceError, ...]
    fingerprint: str = ""  # of the corpus served after the reload: the new one, or the old


def search_settings(config: Config) -> SearchSettings:
    return SearchSettings(
        min_score=config.retrieval.min_score,
        min_coverage=config.retrieval.min_coverage,
        semantic_weight=config.retrieval.semantic_weight,
        scope=config.not_covered,
    )


def load_encoder(config: Config) -> Encoder | None:
    """The sentence model, or None (word matching only) if it is off or cannot be used."""
    if not config.retrieval.semantic_weight:
        return None
    try:
        return Encoder.load(config.retrieval.semantic_model)
    except ModelError as exc:
        log.warning("sentence vectors off, answering by word matching only: %s", exc)
        return None


def load_reader(config: Config) -> ReaderStage | None:
    """The reader stage, or None: no reader configured, or its model cannot be used."""
    settings = config.reader
    if settings.model_dir is not None:
        from bot.reader.local import CrossEncoder  # numpy and the tokenizer: only when used

        try:
            return ReaderStage(settings, CrossEncoder.load(settings.model_dir))
        except ModelError as exc:
            log.warning("reader off, answering with today's ranking: %s", exc)
            return None
    if settings.url is not None:
        from bot.reader.remote import RemoteReader

        return ReaderStage(settings, RemoteReader(settings))
    return None


def semantic_vectors(
    config: Config,
    passages: tuple[Passage, ...],
    encoder: Encoder | None,
    cache: VectorCache | None = None,
) -> Semantic | None:
    """Passage vectors, embedding only passages the cache lacks. An engine passes the same cache
    on every reload, so a reload embeds only the passages that changed, even with no cache file."""
    if encoder is None:
        return None
    if len(passages) > config.retrieval.semantic_max_passages:
        log.warning(
            "sentence vectors off for this corpus: %d passages is more than "
            "retrieval.semantic_max_passages (%d)",
            len(passages),
            config.retrieval.semantic_max_passages,
        )
        return None
    texts = [p.text for p in passages]
    if cache is None:
        cache = VectorCache(config.retrieval.semantic_cache)
    vectors = cache.vectors(texts, encoder)
    limit = 2 * config.retrieval.semantic_max_passages
    cache.retain(texts, limit)
    cache.save(keep=texts, limit=limit)
    return Semantic(vectors, encoder.embed_question)


def build_snapshot(
    config: Config,
    corpus: Path | None = None,
    *,
    strict: bool = False,
    encoder: Encoder | None = None,
    cache: VectorCache | None = None,
    examples_cache: VectorCache | None = None,
    fires_memo: FiresMemo | None = None,
) -> Snapshot:
    """Load and index the corpus. strict: any broken file fails the whole load (for reloads).
    With an encoder, passages also get sentence vectors (cached on disk between runs)."""
    started = time.perf_counter()
    loaded = load_corpus(corpus or config.corpus)
    if strict and loaded.errors:
        raise loaded.errors[0]
    if not loaded.documents:
        reasons = "; ".join(str(e) for e in loaded.errors[:5]) or "no .txt, .yaml or .jsonl files"
        if len(loaded.errors) > 5:
            reasons += f"; and {len(loaded.errors) - 5} more problems"
        raise NoCorpusError(
            f"no documents could be loaded from {corpus or config.corpus}: {reasons}"
        )
    tokenizer = Tokenizer()
    units = sum(1 + len(d.comments) for d in loaded.documents)
    with Progress("splitting into passages", units, "comments") as progress:
        passages = tuple(split_passages(loaded.documents, progress=progress.update))
    searcher = Searcher(
        passages,
        tokenizer,
        load_lexicon(config.lexicon, tokenizer),
        search_settings(config),
        semantic_vectors(config, passages, encoder, cache),
    )
    comments = [c for d in loaded.documents for c in d.comments]
    stats = CorpusStats(
        documents=len(loaded.documents),
        comments=len(comments),
        replies=sum(1 for c in comments if c.in_reply_to),
        passages=len(passages),
        commenters=len({c.author.casefold() for c in comments}),
    )
    examples, example_errors = urgent_examples(
        config, searcher, encoder, examples_cache, fires_memo
    )
    return Snapshot(
        loaded.documents,
        passages,
        searcher,
        (*loaded.errors, *example_errors),
        stats,
        time.perf_counter() - started,
        examples=examples,
    )


def build_summarizer(
    snapshot: Snapshot, disclaimer: str, settings: SummarySettings | None = None
) -> Summarizer:
    """A summarizer over the snapshot's documents; its searcher supplies the synonyms and, when
    the settings use them, the passages' sentence vectors."""
    from bot.summary import Summarizer, SummarySettings
    from bot.summary.vectors import passage_vectors

    searcher = snapshot.searcher
    vectors = None
    if searcher.semantic is not None and (settings or SummarySettings()).uses_vectors:
        vectors = passage_vectors(snapshot.passages, searcher.semantic.vectors)

    def own_terms(text: str) -> tuple[tuple[str, ...], tuple[float, ...]]:
        q = searcher.query(text)
        return q.own, q.weights[: len(q.own)]

    return Summarizer(
        snapshot.documents,
        searcher.tokenizer,
        disclaimer,
        own_terms,
        searcher.lexicon.groups,
        settings,
        vectors,
    )


class Engine:
    def __init__(self, config: Config, corpus: Path | None = None) -> None:
        self.config = config
        self.corpus = corpus or config.corpus
        self.encoder = load_encoder(config)  # kept across reloads: no need to check it again
        # Kept across reloads too: a reload embeds only the passages that changed.
        self.vector_cache = VectorCache(config.retrieval.semantic_cache) if self.encoder else None
        self.examples_cache = VectorCache(examples_cache_path(config)) if self.encoder else None
        self.fires_memo = FiresMemo(fires_memo_path(config)) if self.encoder else None
        self.fingerprinter = Fingerprinter(self.corpus, config.lexicon)
        fingerprint = self.fingerprinter.scan()
        self.snapshot = replace(
            build_snapshot(
                config,
                self.corpus,
                encoder=self.encoder,
                cache=self.vector_cache,
                examples_cache=self.examples_cache,
                fires_memo=self.fires_memo,
            ),
            fingerprint=fingerprint,
        )
        self.reader = load_reader(config)
        # The English word list (0.15 s) loads now, not on the first question that needs it.
        load_english_words()
        self._reload_lock = asyncio.Lock()
        self._summarizer: tuple[Snapshot, Summarizer] | None = None  # for self.snapshot only
        self._summarizer_lock = threading.Lock()

    def warm_up(self) -> None:
        """Load what a first question would otherwise wait for: for a long-running bot, not for a
        one-question command that may never need it."""
        load_misspelling_index()
        if self.snapshot.examples is not None:
            self.snapshot.examples.ready()  # the urgent-care examples' vectors

    def ask(self, question: str, top_k: int | None = None, skip: int = 0) -> Reply:
        """Off the event loop: a configured reader makes a blocking call (within its timeout)."""
        # Undecodable bytes (argv, a batch file) and lone surrogates (a Discord message) become
        # U+FFFD, bidi controls go: the rest of the question is still answered.
        question = clean_text(question)
        snapshot = self.snapshot
        return compose_reply(
            question,
            snapshot.searcher,
            self.config,
            top_k,
            skip,
            reader=self.reader,
            examples=snapshot.examples,
        )

    def summarizer(self) -> Summarizer:
        """The current snapshot's summarizer, built once (summaries run in worker threads)."""
        snapshot = self.snapshot
        with self._summarizer_lock:
            held = self._summarizer
            if held is None or held[0] is not snapshot:
                held = (snapshot, build_summarizer(snapshot, self.config.disclaimer))
                self._summarizer = held
            return held[1]

    def summarize(
        self, topic: str | None = None, author: str | None = None, sentences: int | None = None
    ) -> Summary:
        """Raises SummaryRequestError for a length outside 1..MAX_SENTENCES."""
        topic = clean_text(topic) if topic else topic  # echoed back: cleaned like a question
        author = clean_text(author) if author else author
        return self.summarizer().summarize(topic, author, sentences)

    def corpus_fingerprint(self) -> str:
        """The fingerprint of the files on disk now (cheap: see bot.corpus.fingerprint)."""
        return self.fingerprinter.scan()

    def reload_now(self) -> ReloadReport:
        """Rebuild from disk; on any error keep the current snapshot and say why."""
        current = self.snapshot
        before = current.stats
        started = time.perf_counter()
        try:
            # Taken before loading: a file changed meanwhile shows as a newer fingerprint later.
            fingerprint = self.fingerprinter.scan()
            fresh = build_snapshot(
                self.config,
                self.corpus,
                strict=True,
                encoder=self.encoder,
                cache=self.vector_cache,
                examples_cache=self.examples_cache,
                fires_memo=self.fires_memo,
            )
            fresh = replace(fresh, fingerprint=fingerprint)
            if fresh.examples and current.examples and current.examples.is_ready:
                fresh.examples.ready()  # a warm bot stays warm: not on the next question
        except Exception as exc:  # anything at all: the old index must keep answering
            if isinstance(exc, SourceError):
                error = exc
            else:
                log.exception("reload failed")
                error = SourceError(str(self.corpus), None, f"{type(exc).__name__}: {exc}")
            seconds = time.perf_counter() - started
            return ReloadReport(False, before, before, seconds, (error,), current.fingerprint)
        self.snapshot = fresh  # one reference assignment: readers see old or new, never half
        self._summarizer = None  # the old one goes with the old snapshot
        seconds = time.perf_counter() - started
        return ReloadReport(True, before, fresh.stats, seconds, (), fingerprint)

    async def reload(self) -> ReloadReport:
        """Reload off the event loop; concurrent reloads run one after another."""
        async with self._reload_lock:
            return await asyncio.to_thread(self.reload_now)

"""Extractive summaries of the whole discussion, of one topic, or of one commenter: the three
kinds, assembled from the parts beside this file.

Candidates are the verbatim sentences of the article and the comments (candidates.py); which of
them a summary may quote is pools.py (a topic's sentences by BM25, with their context); which it
does quote is selection.py (objective.py: concept coverage for the discussion, TextRank then MMR
for a topic or an author); the words around them are wording.py; the headings they are grouped
under are themes.py. A discussion summary opens with the article's sentences (up to five, at most
three quarters of it), then the comments'; several documents are summarized one by one, the
sentences shared out by size. A topic summary biases the walk towards the matches and ranks by
topic score and centrality together; a context sentence is only quoted with its match. An author
summary gives each of their comments a sentence before any gets a second. Each part was chosen on
the tuning references by `python -m tools.evaluation --summaries` (see SummarySettings).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from bot.corpus.model import Document
from bot.retrieval.bm25 import PostingsIndex
from bot.retrieval.tokenize import Tokenizer
from bot.summary.asks import asked_kinds
from bot.summary.authors import distinct_names, match_authors, normalize_name
from bot.summary.candidates import Candidate, build_candidates
from bot.summary.model import Kind, Summary, SummarySentence
from bot.summary.pools import Pools
from bot.summary.selection import Selector, drop_repeats, share_out
from bot.summary.settings import MAX_SENTENCES, SummaryRequestError, SummarySettings
from bot.summary.themes import themes
from bot.summary.topics import (
    Phrase,
    TopicQuery,
    close_words,
    distinctive_topics,
    surface_vocabulary,
    topic_query,
)
from bot.summary.wording import (
    author_note,
    count,
    date_span,
    document_line,
    from_commenters,
    join,
    person_line,
)

if TYPE_CHECKING:
    from bot.summary.vectors import SentenceVectors

# A topic's own index terms and their weights (the searcher's: typos corrected, filler dropped).
OwnTerms = Callable[[str], tuple[Sequence[str], Sequence[float]]]


class Summarizer:
    def __init__(
        self,
        documents: Sequence[Document],
        tokenizer: Tokenizer,
        disclaimer: str,
        own_terms: OwnTerms | None = None,
        synonyms: Sequence[Sequence[Phrase]] = (),
        settings: SummarySettings | None = None,
        sentence_vectors: SentenceVectors | None = None,
    ) -> None:
        self.documents = tuple(documents)
        self.tokenizer = tokenizer
        self.disclaimer = disclaimer
        self.settings = settings or SummarySettings()
        self.own_terms = own_terms or self._plain_terms
        self.synonyms = tuple(synonyms)
        self.candidates = build_candidates(self.documents, tokenizer)
        self.index = PostingsIndex.build(
            [c.tokens for c in self.candidates], "lucene", self.settings.k1, self.settings.b
        )
        self.pools = Pools(self.candidates, self.index, self.settings)
        vectors = sentence_vectors(self.candidates) if sentence_vectors else None
        self.selector = Selector(self.candidates, self.pools, self.settings, vectors)
        self._topics: list[str] | None = None
        self._vocabulary: list[str] | None = None
        self._theme_scope: list[Candidate] | None = None

    # -- the three kinds ------------------------------------------------------------------------

    def summarize(
        self, topic: str | None = None, author: str | None = None, sentences: int | None = None
    ) -> Summary:
        n = sentences
        if n is None:
            s = self.settings
            if author is not None:
                n = s.author_sentences
            else:
                n = s.sentences if topic is None else s.topic_sentences
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_SENTENCES:
            raise SummaryRequestError(
                f"the number of sentences must be a whole number from 1 to {MAX_SENTENCES}, "
                f"got {n!r}"
            )
        if author is not None:
            return self.author(author, n, topic)
        if topic is not None:
            return self.topic(topic, n)
        return self.discussion(n)

    def discussion(self, n: int) -> Summary:
        """Each document is summarized on its own; n is shared out by their sizes."""
        pools: dict[str, list[int]] = {}
        for i in self.pools.base():
            pools.setdefault(self.candidates[i].document_id, []).append(i)
        sizes = {d: len(self.pools.usable(p, 1)) for d, p in pools.items()}
        chosen: list[int] = []
        for doc_id, k in share_out(n, sizes).items():
            pool = pools[doc_id]
            article = [i for i in pool if self.candidates[i].kind == "article"]
            lead = min(self.settings.article_sentences, int(k * self.settings.article_share))
            chosen += self.selector.select(pool, k, lead=(article, lead), kind="discussion")
        shown = self._quotes(chosen)
        lines = self._documents_overview({s.document_id for s in shown})
        if not shown:
            message = "There is nothing to summarize yet: no comments and no article text."
            return Summary("discussion", "\n".join(lines), (), self.disclaimer, message)
        lines.append(f"{count(len(shown), 'sentence')} that sum it up, by theme:")
        summary = Summary("discussion", "\n".join(lines), shown, self.disclaimer)
        return self._with_themes(summary)

    def _documents_overview(self, quoted: set[str], most: int = 5) -> list[str]:
        if len(self.documents) <= most:
            return [document_line(d) for d in self.documents]
        comments = [c for d in self.documents for c in d.comments]
        names = distinct_names([c.author for c in comments])
        head = (
            f"{len(self.documents)} documents: {count(len(comments), 'comment')}"
            f"{from_commenters(len(names))}{date_span(comments)}. Quoting the largest:"
        )
        return [head, *(document_line(d) for d in self.documents if d.id in quoted)]

    def topic(
        self, topic: str, n: int, people: Sequence[str] | None = None, who: str = ""
    ) -> Summary:
        """people: normalized names to keep to (an author summary); who: how to call them."""
        kind: Kind = "author" if people is not None else "topic"
        label = " ".join(topic.split())
        query = self.query(topic)
        if not query.own and not query.kinds:
            why = f"“{label}” has no words to search for (only common words or symbols)."
            return self._no_topic(kind, label, why)
        found = self.pools.topic_pool(query, self.pools.base(people))
        if not found.matched:
            if people is not None:
                why = f"Nothing {who} wrote matches “{label}”."
                if self.pools.topic_pool(query, self.pools.base()).matched:
                    why += " Others in the discussion do: ask without the author to see them."
                    return Summary(kind, "", (), self.disclaimer, why, topic=label)
            else:
                why = f"Nothing in the discussion matches “{label}”."
            return self._no_topic(kind, label, why, query.own)
        shown = self._quotes(
            self.selector.select(
                found.comments, n, found.relevance, found.requires, found.quotable, kind=kind
            )
        )
        matched = set(found.matched)
        quoted = sum(1 for q in shown if q.position in matched)
        around = len(shown) - quoted
        commenters = {normalize_name(self.candidates[i].author or "") for i in matched}
        commenters.discard("")
        where = join([f"“{d.title}”" for d in self._documents_of(found.matched)])
        which = (
            f"all {quoted} quoted"
            if quoted == len(matched)
            else f"the {quoted} most relevant quoted"
        )
        if len(matched) == 1:
            which = "quoted"
        them = "it" if quoted == 1 else "them"
        with_context = f", with {count(around, 'sentence')} around {them}" if around else ""
        verb = "matches" if len(matched) == 1 else "match"
        overview = (
            f"“{label}” in {where}: {count(len(matched), 'sentence')}"
            f"{from_commenters(len(commenters))} {verb}; {which}{with_context}, "
            "by theme:"
        )
        summary = Summary(kind, overview, shown, self.disclaimer, topic=label)
        return self._with_themes(summary, exclude=query.own)

    def author(self, name: str, n: int, topic: str | None = None) -> Summary:
        wanted = " ".join(name.split())
        comments = [(d, c) for d in self.documents for c in d.comments]
        match = match_authors(wanted, [c.author for _, c in comments])
        if not match.people:
            names = [c.author for _, c in comments]
            if match.suggestions:
                suggestions = list(match.suggestions)
                hint = f" Did you mean {join(suggestions, 'or')}?"
            elif names:
                counts = Counter(normalize_name(n) for n in names)
                people = distinct_names(names)
                suggestions = sorted(people, key=lambda p: -counts[normalize_name(p)])[:8]
                hint = f" No name is close. Some who commented: {', '.join(suggestions)}."
            else:
                suggestions, hint = [], " Nobody has commented yet."
            message = f"No commenter is called “{wanted}”.{hint}"
            return Summary(
                "author", "", (), self.disclaimer, message, tuple(suggestions), author=wanted
            )
        people = sorted({normalize_name(p) for p in match.people})
        theirs = [(d, c) for d, c in comments if normalize_name(c.author) in people]
        lines = [person_line(p, theirs, self.documents) for p in match.people]
        note = author_note(match, comments)
        if topic is not None:
            result = self.topic(topic, n, people, join(list(match.people), "or"))
            if result.sentences:
                lines.append(result.overview)
            message = " ".join(m for m in (note, result.message) if m) or None
            return Summary(
                "author",
                "\n".join(lines),
                result.sentences,
                self.disclaimer,
                message,
                result.suggestions,
                topic=result.topic,
                author=wanted,
                themes=result.themes,
            )
        pool = self.pools.base(people)
        shown = self._quotes(self.selector.select(pool, n, spread=True, kind="author"))
        total = len(pool)
        if total == 1:
            lines.append("Their 1 sentence:")
        else:
            amount = "all of them" if len(shown) >= total else f"the {len(shown)} that sum them up"
            lines.append(f"{total} sentences in all; {amount}, by theme:")
        if not shown:  # only words too common to quote ("the"): say so rather than nothing
            empty = f"Nothing {join(list(match.people), 'or')} wrote is a sentence worth quoting."
            note = " ".join(m for m in (note, empty) if m)
        summary = Summary("author", "\n".join(lines), shown, self.disclaimer, note, author=wanted)
        return self._with_themes(summary)

    # -- pools and selection ---------------------------------------------------------------

    def query(self, topic: str) -> TopicQuery:
        own, weights = self.own_terms(topic)
        kinds: tuple[str, ...] = ()
        if self.settings.topic_kinds:
            kinds, words = asked_kinds(topic)
            asked = {self.tokenizer.term(w) for w in words}
            kept = [(t, w) for t, w in zip(own, weights, strict=True) if t not in asked]
            own, weights = [t for t, _ in kept], [w for _, w in kept]
        return topic_query(own, weights, self.synonyms, self.settings.expansion_weight, kinds)

    def pool(self, topic: str | None = None, n: int | None = None) -> list[int]:
        """The sentences a discussion (or topic) summary of n sentences chooses from."""
        if n is None:
            n = self.settings.sentences if topic is None else self.settings.topic_sentences
        if topic is None:
            return drop_repeats(self.pools.usable(self.pools.base(), n), self.candidates)
        found = self.pools.topic_pool(self.query(topic), self.pools.base())
        usable = self.pools.usable(found.comments, n, found.matched, "topic")
        return drop_repeats(usable, self.candidates)

    def author_pool(self, name: str, n: int) -> list[int]:
        """The sentences an author summary of n sentences chooses from (empty: nobody matches)."""
        comments = [c.author for d in self.documents for c in d.comments]
        people = sorted({normalize_name(p) for p in match_authors(name, comments).people})
        if not people:
            return []
        usable = self.pools.usable(self.pools.base(people), n, kind="author")
        return drop_repeats(usable, self.candidates)

    # -- wording --------------------------------------------------------------------------------

    def _with_themes(self, summary: Summary, exclude: Sequence[str] = ()) -> Summary:
        """Headings and their counts come from the whole discussion, whatever was summarized."""
        quoted = [self.candidates[s.position] for s in summary.sentences]
        if self._theme_scope is None:
            self._theme_scope = [self.candidates[i] for i in self.pools.base()]
        found = themes(
            quoted, self._theme_scope, self.tokenizer.term, self.synonyms, exclude=set(exclude)
        )
        return dataclasses.replace(summary, themes=found)

    def topic_suggestions(self, k: int = 8) -> list[str]:
        """Topics to offer when one finds nothing: each is checked to find something."""
        if self._topics is None:
            names = distinctive_topics(self.candidates, self.tokenizer.term, self.synonyms, k=2 * k)
            self._topics = [n for n in names if self.pools.matches_anything(self.query(n))]
        return self._topics[:k]

    def _quotes(self, chosen: Sequence[int]) -> tuple[SummarySentence, ...]:
        return tuple(self.candidates[i].quote() for i in sorted(chosen))

    def _documents_of(self, positions: Sequence[int]) -> list[Document]:
        ids = {self.candidates[i].document_id for i in positions}
        return [d for d in self.documents if d.id in ids]

    def _no_topic(self, kind: Kind, label: str, why: str, terms: Sequence[str] = ()) -> Summary:
        """terms: the topic's index terms; words the discussion never uses may be typos."""
        similar: list[str] = []
        if terms and not any(self.index.document_frequency(t) for t in terms):
            if self._vocabulary is None:
                self._vocabulary = surface_vocabulary(self.candidates)
            similar = close_words(label, self._vocabulary)
        topics = self.topic_suggestions()
        hints = []
        if similar:
            hints.append(f"Did you mean {join([f'“{w}”' for w in similar], 'or')}?")
        if topics:
            hints.append(f"Try one of these topics: {', '.join(topics)}.")
        suggestions = tuple(dict.fromkeys([*similar, *topics]))
        message = " ".join([why, *hints])
        return Summary(kind, "", (), self.disclaimer, message, suggestions, topic=label)

    def _plain_terms(self, topic: str) -> tuple[list[str], list[float]]:
        own = list(dict.fromkeys(self.tokenizer(topic)))
        return own, [1.0] * len(own)

"""Extractive summaries of the whole discussion, of one topic, or of one commenter.

Method (each part chosen by `make eval` with --summaries, see SummarySettings; the ablation
table there shows what each is worth): candidates are the verbatim sentences of the article and
the comments. Centrality is TextRank (Mihalcea & Tarau 2004) over tf-idf cosine edges — measured
ahead of BM25 edges (Barrios et al. 2016), which stay available as `similarity="bm25"`. MMR
(Carbonell & Goldstein 1998) then picks central sentences that do not repeat each other, one per
comment while other comments still have something to add. A discussion summary opens with the
article's most central sentences (at most half of it), then the comments'; several documents are
summarized one by one, the sentences shared out by size. A topic retrieves its sentences with
BM25 over sentences (lexicon synonyms included, enough of the topic's own words required), lets
the sentence either side of a match join it as context, biases the walk towards the matches and
ranks by topic score and centrality together; a context sentence is only quoted with its match.
An author summary gives each of their comments a sentence before any gets a second. The chosen
sentences are always shown in discussion order.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from bot.corpus.model import Comment, Document, format_date
from bot.retrieval.bm25 import PostingsIndex
from bot.retrieval.tokenize import Tokenizer
from bot.summary.authors import AuthorMatch, distinct_names, match_authors, normalize_name
from bot.summary.candidates import Candidate, build_candidates
from bot.summary.graph import bm25_similarity, cosine_matrix, mmr, pagerank
from bot.summary.model import Kind, Summary, SummarySentence
from bot.summary.topics import (
    Phrase,
    TopicQuery,
    close_words,
    distinctive_topics,
    surface_vocabulary,
    topic_query,
)

MAX_SENTENCES = 25

# A topic's own index terms and their weights (the searcher's: typos corrected, filler dropped).
OwnTerms = Callable[[str], tuple[Sequence[str], Sequence[float]]]


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


@dataclass(frozen=True)
class TopicPool:
    matched: list[int]  # sentences that match the topic
    quotable: list[int]  # matches and their context: what a topic summary may quote
    comments: list[int]  # every sentence of the comments with a match: the graph's nodes
    relevance: dict[int, float]  # topic score in [0, 1]
    requires: dict[int, tuple[int, ...]] = field(default_factory=dict)  # context → its matches


class Summarizer:
    def __init__(
        self,
        documents: Sequence[Document],
        tokenizer: Tokenizer,
        disclaimer: str,
        own_terms: OwnTerms | None = None,
        synonyms: Sequence[Sequence[Phrase]] = (),
        settings: SummarySettings | None = None,
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
        self._group_span: dict[str, tuple[int, int]] = {}  # comment → its positions [a, b)
        for c in self.candidates:
            a, _ = self._group_span.get(c.group, (c.position, c.position))
            self._group_span[c.group] = (a, c.position + 1)
        self._everything: list[int] | None = None
        self._everything_set: set[int] = set()
        self._topics: list[str] | None = None
        self._vocabulary: list[str] | None = None

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
        for i in self._base():
            pools.setdefault(self.candidates[i].document_id, []).append(i)
        sizes = {d: len(self._usable(p, 1)) for d, p in pools.items()}
        chosen: list[int] = []
        for doc_id, k in _share(n, sizes).items():
            pool = pools[doc_id]
            article = [i for i in pool if self.candidates[i].kind == "article"]
            lead = min(self.settings.article_sentences, k // 2)
            chosen += self.select(pool, k, lead=(article, lead))
        shown = self._quotes(chosen)
        lines = self._documents_overview({s.document_id for s in shown})
        if not shown:
            message = "There is nothing to summarize yet: no comments and no article text."
            return Summary("discussion", "\n".join(lines), (), self.disclaimer, message)
        lines.append(f"{_count(len(shown), 'sentence')} that sum it up, in discussion order:")
        return Summary("discussion", "\n".join(lines), shown, self.disclaimer)

    def _documents_overview(self, quoted: set[str], most: int = 5) -> list[str]:
        if len(self.documents) <= most:
            return [self._document_line(d) for d in self.documents]
        comments = [c for d in self.documents for c in d.comments]
        names = distinct_names([c.author for c in comments])
        head = (
            f"{len(self.documents)} documents: {_count(len(comments), 'comment')}"
            f"{_from_commenters(len(names))}{_date_span(comments)}. Quoting the largest:"
        )
        return [head, *(self._document_line(d) for d in self.documents if d.id in quoted)]

    def topic(
        self, topic: str, n: int, people: Sequence[str] | None = None, who: str = ""
    ) -> Summary:
        """people: normalized names to keep to (an author summary); who: how to call them."""
        kind: Kind = "author" if people is not None else "topic"
        label = " ".join(topic.split())
        query = self.query(topic)
        if not query.own:
            why = f"“{label}” has no words to search for (only common words or symbols)."
            return self._no_topic(kind, label, why)
        found = self.topic_pool(query, self._base(people))
        if not found.matched:
            if people is not None:
                why = f"Nothing {who} wrote matches “{label}”."
                if self.topic_pool(query, self._base()).matched:
                    why += " Others in the discussion do: ask without the author to see them."
                    return Summary(kind, "", (), self.disclaimer, why, topic=label)
            else:
                why = f"Nothing in the discussion matches “{label}”."
            return self._no_topic(kind, label, why, query.own)
        shown = self._quotes(
            self.select(found.comments, n, found.relevance, found.requires, found.quotable)
        )
        matched = set(found.matched)
        quoted = sum(1 for q in shown if q.position in matched)
        around = len(shown) - quoted
        commenters = {normalize_name(self.candidates[i].author or "") for i in matched}
        commenters.discard("")
        where = _join([f"“{d.title}”" for d in self._documents_of(found.matched)])
        which = (
            f"all {quoted} quoted"
            if quoted == len(matched)
            else f"the {quoted} most relevant quoted"
        )
        if len(matched) == 1:
            which = "quoted"
        them = "it" if quoted == 1 else "them"
        with_context = f", with {_count(around, 'sentence')} around {them}" if around else ""
        verb = "matches" if len(matched) == 1 else "match"
        overview = (
            f"“{label}” in {where}: {_count(len(matched), 'sentence')}"
            f"{_from_commenters(len(commenters))} {verb}; {which}{with_context}, "
            "in discussion order:"
        )
        return Summary(kind, overview, shown, self.disclaimer, topic=label)

    def author(self, name: str, n: int, topic: str | None = None) -> Summary:
        wanted = " ".join(name.split())
        comments = [(d, c) for d in self.documents for c in d.comments]
        match = match_authors(wanted, [c.author for _, c in comments])
        if not match.people:
            names = [c.author for _, c in comments]
            if match.suggestions:
                suggestions = list(match.suggestions)
                hint = f" Did you mean {_join(suggestions, 'or')}?"
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
        lines = [self._person_line(p, theirs) for p in match.people]
        note = _author_note(match, comments)
        if topic is not None:
            result = self.topic(topic, n, people, _join(list(match.people), "or"))
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
            )
        pool = self._base(people)
        shown = self._quotes(self.select(pool, n, spread=True))
        total = len(pool)
        if total == 1:
            lines.append("Their 1 sentence:")
        else:
            amount = "all of them" if len(shown) >= total else f"the {len(shown)} that sum them up"
            lines.append(f"{total} sentences in all; {amount}, in discussion order:")
        return Summary("author", "\n".join(lines), shown, self.disclaimer, note, author=wanted)

    # -- pools ----------------------------------------------------------------------------------

    def _base(self, people: Sequence[str] | None = None) -> list[int]:
        """Sentences a summary may quote: the article's too unless it is about people."""
        if people is None and self._everything is not None:
            return self._everything
        if people is not None:
            return [
                c.position
                for c in self.candidates
                if c.kind == "comment" and normalize_name(c.author or "") in people
            ]
        self._everything = [
            c.position
            for c in self.candidates
            if c.kind == "comment" or self.settings.include_article
        ]
        self._everything_set = set(self._everything)
        return self._everything

    def query(self, topic: str) -> TopicQuery:
        own, weights = self.own_terms(topic)
        return topic_query(own, weights, self.synonyms, self.settings.expansion_weight)

    def topic_pool(self, query: TopicQuery, base: Sequence[int]) -> TopicPool:
        """BM25 over sentences; a match needs topic_min_coverage of the topic's idf mass."""
        s = self.settings
        scores = self.index.scores(query.terms, query.weights)
        allowed = self._everything_set if base is self._everything else set(base)
        matched = [
            i
            for i in self.index.matched(query.terms).tolist()
            if i in allowed
            and scores[i] > 0
            and query.coverage(set(self.candidates[i].tokens), self._idf) >= s.topic_min_coverage
        ]
        if not matched:
            return TopicPool([], [], [], {})
        best = float(scores[matched].max())
        relevance = {i: float(scores[i]) / best for i in matched}
        matched_set = set(matched)
        requires: dict[int, list[int]] = {}
        before, after = s.topic_context
        for m in matched:
            near = [(m - d, d) for d in range(1, before + 1)] + [
                (m + d, d) for d in range(1, after + 1)
            ]
            for j, d in near:
                if j in matched_set or j not in allowed:
                    continue
                if self.candidates[j].group != self.candidates[m].group:
                    continue
                # Its own (partial) match plus a share of its match's score.
                near_score = float(scores[j]) / best + s.context_weight * relevance[m] / d
                relevance[j] = min(1.0, max(relevance.get(j, 0.0), near_score))
                requires.setdefault(j, []).append(m)
        groups = {self.candidates[m].group for m in matched}
        comments = [
            i
            for g in sorted({self._group_span[g] for g in groups})
            for i in range(*g)
            if i in allowed
        ]
        return TopicPool(
            matched,
            sorted(relevance),
            comments,
            relevance,
            {j: tuple(r) for j, r in requires.items()},
        )

    def _matches_anything(self, query: TopicQuery) -> bool:
        self._base()
        return any(
            i in self._everything_set
            and query.coverage(set(self.candidates[i].tokens), self._idf)
            >= self.settings.topic_min_coverage
            for i in self.index.matched(query.terms).tolist()
        )

    def pool(self, topic: str | None = None, n: int | None = None) -> list[int]:
        """The sentences a discussion (or topic) summary of n sentences chooses from."""
        if n is None:
            n = self.settings.sentences if topic is None else self.settings.topic_sentences
        if topic is None:
            return _drop_repeats(self._usable(self._base(), n), self.candidates)
        found = self.topic_pool(self.query(topic), self._base())
        usable = self._usable(found.comments, n, exempt=found.matched)
        return _drop_repeats(usable, self.candidates)

    def _usable(self, pool: Sequence[int], n: int, exempt: Sequence[int] = ()) -> list[int]:
        """Quotable sentences; short or run-on ones too when there are fewer than n."""
        s = self.settings
        keep = set(exempt)
        eligible = [
            i
            for i in pool
            if self.candidates[i].words <= s.max_words
            and (i in keep or len(self.candidates[i].tokens) >= s.min_terms)
        ]
        if len(eligible) < n:
            eligible = [i for i in pool if self.candidates[i].tokens]
        return eligible

    # -- selection ------------------------------------------------------------------------------

    def select(
        self,
        pool: Sequence[int],
        n: int,
        topic: dict[int, float] | None = None,
        requires: dict[int, tuple[int, ...]] | None = None,
        quotable: Sequence[int] | None = None,
        spread: bool = False,
        lead: tuple[Sequence[int], int] = ((), 0),
    ) -> list[int]:
        """Up to n candidate positions from the pool, best first.

        spread: every comment gets one sentence before any gets a second (author summaries);
        otherwise max_per_comment applies until the comments run out.
        lead: (positions, k): the first k sentences are chosen among those positions.
        topic: topic scores (missing = 0); quotable: the only positions that may be chosen (the
        rest of the pool still counts for centrality); requires: position → positions one of which
        must be chosen first.
        """
        s = self.settings
        requires = requires or {}
        exempt = [i for i in pool if topic and i in topic and i not in requires]
        eligible = _drop_repeats(self._usable(pool, n, exempt), self.candidates)
        if len(eligible) > s.max_graph:
            eligible = self._typical(eligible, s.max_graph, topic)
        if not eligible:
            return []
        local = {p: k for k, p in enumerate(eligible)}
        tokens = [self.candidates[i].tokens for i in eligible]
        topic_scores = np.array([topic.get(i, 0.0) for i in eligible]) if topic else None
        centrality = self._centrality(tokens, topic_scores)
        relevance = centrality / centrality.max() if centrality.max() > 0 else centrality
        if topic_scores is not None:
            relevance = (1 - s.topic_weight) * relevance + s.topic_weight * topic_scores
        similarity = cosine_matrix(self._vectors(tokens))
        groups = [self.candidates[i].group for i in eligible]
        needs = [tuple(local[r] for r in requires.get(i, ()) if r in local) for i in eligible]
        # A context sentence whose matches all fell out cannot be shown.
        allowed = set(eligible if quotable is None else quotable)
        usable = [
            k for k, i in enumerate(eligible) if i in allowed and (needs[k] or i not in requires)
        ]
        chosen: list[int] = []
        first = [local[i] for i in lead[0] if i in local and i in allowed]
        if first and lead[1] > 0:
            chosen = mmr(
                relevance,
                similarity,
                min(lead[1], n),
                s.mmr_lambda,
                eligible=first,
                max_similarity=s.duplicate,
            )
        cap = 1 if spread else s.max_per_comment
        largest = max(Counter(groups).values())
        while len(chosen) < n:
            before = len(chosen)
            chosen = mmr(
                relevance,
                similarity,
                n,
                s.mmr_lambda,
                eligible=usable,
                max_similarity=s.duplicate,
                groups=groups,
                max_per_group=cap,
                chosen=chosen,
                requires=needs,
            )
            if len(chosen) == before and cap >= largest:
                break
            cap += 1
        return _drop_repeats([eligible[k] for k in chosen], self.candidates)

    def _centrality(self, tokens: list[tuple[str, ...]], topic: np.ndarray | None) -> np.ndarray:
        s = self.settings
        if s.similarity == "bm25":
            weights = bm25_similarity(tokens, "lucene", s.k1, s.b)
        else:
            weights = cosine_matrix(self._vectors(tokens))
            np.fill_diagonal(weights, 0.0)
        bias = topic if (topic is not None and s.topic_bias) else None
        return pagerank(weights, s.damping, bias)

    def _vectors(self, tokens: list[tuple[str, ...]]) -> np.ndarray:
        """tf × idf rows over the pool's own terms, idf from the whole corpus; L2-normalized."""
        vocabulary: dict[str, int] = {}
        for ts in tokens:
            for t in ts:
                vocabulary.setdefault(t, len(vocabulary))
        vectors = np.zeros((len(tokens), max(len(vocabulary), 1)))
        for row, ts in enumerate(tokens):
            for t in ts:
                vectors[row, vocabulary[t]] += self._idf(t)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)

    def _idf(self, term: str) -> float:
        t = self.index.vocabulary.get(term)
        return float(self.index.idf[t]) if t is not None else 1.0

    def _typical(self, pool: list[int], k: int, topic: dict[int, float] | None) -> list[int]:
        """The k sentences closest to the pool's centroid (or best for the topic), page order."""
        if topic:
            return sorted(sorted(pool, key=lambda i: (-topic.get(i, 0.0), i))[:k])
        weights = []
        centroid: Counter[str] = Counter()
        for i in pool:
            tf = Counter(self.candidates[i].tokens)
            w = {t: self._idf(t) * f for t, f in tf.items()}
            norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
            w = {t: v / norm for t, v in w.items()}
            weights.append(w)
            centroid.update(w)
        score = [sum(v * centroid[t] for t, v in w.items()) for w in weights]
        keep = sorted(range(len(pool)), key=lambda j: (-score[j], j))[:k]
        return sorted(pool[j] for j in keep)

    # -- wording --------------------------------------------------------------------------------

    def topic_suggestions(self, k: int = 8) -> list[str]:
        """Topics to offer when one finds nothing: each is checked to find something."""
        if self._topics is None:
            names = distinctive_topics(self.candidates, self.tokenizer.term, self.synonyms, k=2 * k)
            self._topics = [n for n in names if self._matches_anything(self.query(n))]
        return self._topics[:k]

    def _quotes(self, chosen: Sequence[int]) -> tuple[SummarySentence, ...]:
        return tuple(self.candidates[i].quote() for i in sorted(chosen))

    def _documents_of(self, positions: Sequence[int]) -> list[Document]:
        ids = {self.candidates[i].document_id for i in positions}
        return [d for d in self.documents if d.id in ids]

    def _document_line(self, doc: Document) -> str:
        if not doc.comments:
            return f"“{doc.title}”: the article, no comments yet."
        names = distinct_names([c.author for c in doc.comments])
        return (
            f"“{doc.title}”: the article and {_count(len(doc.comments), 'comment')}"
            f"{_from_commenters(len(names))}{_date_span(doc.comments)}."
        )

    def _person_line(self, person: str, theirs: list[tuple[Document, Comment]]) -> str:
        mine = [(d, c) for d, c in theirs if normalize_name(c.author) == normalize_name(person)]
        parts = []
        for doc in self.documents:
            dated = [_dated(c, doc) for d, c in mine if d is doc]
            if dated:
                parts.append(f"on “{doc.title}”, {_join(dated)}")
        return f"{person} wrote {_count(len(mine), 'comment')} {'; '.join(parts)}."

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
            hints.append(f"Did you mean {_join([f'“{w}”' for w in similar], 'or')}?")
        if topics:
            hints.append(f"Try one of these topics: {', '.join(topics)}.")
        suggestions = tuple(dict.fromkeys([*similar, *topics]))
        message = " ".join([why, *hints])
        return Summary(kind, "", (), self.disclaimer, message, suggestions, topic=label)

    def _plain_terms(self, topic: str) -> tuple[list[str], list[float]]:
        own = list(dict.fromkeys(self.tokenizer(topic)))
        return own, [1.0] * len(own)


def _drop_repeats(chosen: list[int], candidates: Sequence[Candidate]) -> list[int]:
    """The same words quoted twice (a comment posted twice) show once."""
    seen: set[str] = set()
    out = []
    for i in chosen:
        key = " ".join(candidates[i].text.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out


def _author_note(match: AuthorMatch, comments: list[tuple[Document, Comment]]) -> str | None:
    asked = " ".join(match.query.split())
    if match.namesakes:
        described = []
        for name in match.namesakes:
            theirs = [c for _, c in comments if normalize_name(c.author) == normalize_name(name)]
            dates = _join([format_date(c.date) for c in theirs])
            described.append(f"{name} ({_count(len(theirs), 'comment')}, {dates})")
        others = _join([f"“{n}”" for n in match.namesakes], "or")
        return (
            f"Only “{match.people[0]}” is shown. Also called {match.people[0].split()[0]}: "
            f"{_join(described)}; "
            f"ask for {others} to see theirs."
        )
    if len(match.people) > 1:
        return (
            f"“{asked}” matches {len(match.people)} commenters by {match.how}: "
            f"{_join(list(match.people))}. They are shown together, each quote with its name; "
            "ask for a full name to see one of them."
        )
    if match.how != "name":
        return f"“{asked}” matches {match.people[0]} by {match.how}."
    return None


def _share(n: int, sizes: dict[str, int]) -> dict[str, int]:
    """n sentences over documents with sizes > 0: one each (largest first) while n lasts, the
    rest in proportion to size (largest remainder), never more than a document has."""
    ids = sorted((d for d, size in sizes.items() if size > 0), key=lambda d: -sizes[d])
    share = dict.fromkeys(ids[:n], 1)
    left = n - len(share)
    total = sum(sizes[d] for d in share)
    if left > 0 and total:
        exact = {d: left * sizes[d] / total for d in share}
        for d in share:
            share[d] += int(exact[d])
        by_remainder = sorted(share, key=lambda d: (-(exact[d] - int(exact[d])), -sizes[d]))
        for d in by_remainder[: n - sum(share.values())]:
            share[d] += 1
    for d in share:  # a small document cannot give more than it has: pass the rest on
        share[d] = min(share[d], sizes[d])
    spare = n - sum(share.values())
    for d in ids:
        if spare <= 0:
            break
        extra = min(spare, sizes[d] - share.get(d, 0))
        if extra > 0:
            share[d] = share.get(d, 0) + extra
            spare -= extra
    return {d: share[d] for d in sizes if share.get(d)}


def _date_span(comments: Sequence[Comment]) -> str:
    dates = sorted(c.date for c in comments if c.date)
    if not dates:
        return ""
    first, last = format_date(dates[0]), format_date(dates[-1])
    return f", {first}" if first == last else f", {first} – {last}"


def _dated(comment: Comment, doc: Document) -> str:
    parent = doc.parent_author(comment)
    reply = f" (replying to {parent})" if parent else ""
    return f"{format_date(comment.date)}{reply}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _from_commenters(n: int) -> str:
    return f" from {_count(n, 'commenter')}" if n else ""


def _join(items: list[str], last: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"

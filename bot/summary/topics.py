"""Topics: which sentences are about one (BM25 over sentences), and what to suggest instead.

Suggestions are concepts several comments share but most do not (df × idf over comments): the
lexicon's synonym groups found in the discussion, else its recurring two-word phrases and words;
each is shown as people wrote it ("loss for words"), most common wording first.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.retrieval.tokenize import NEGATIONS
from bot.summary.candidates import Candidate

_SURFACE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

Phrase = tuple[str, ...]


def term_spans(text: str, term: Callable[[str], str]) -> list[tuple[str, int, int]]:
    """(index term, start, end) of each word that is not a stop word, in order."""
    out = []
    for m in _WORD.finditer(text):
        t = term(m.group())
        if t:
            out.append((t, m.start(), m.end()))
    return out


def distinctive_topics(
    candidates: Sequence[Candidate],
    term: Callable[[str], str],
    synonyms: Sequence[Sequence[Phrase]] = (),
    k: int = 8,
    max_share: float = 0.2,
    max_sentences: int = 5_000,
) -> list[str]:
    """Readable topics that at least two comments share and at most max_share of them."""
    comments = [c for c in candidates if c.kind == "comment"]
    if len(comments) > max_sentences:  # a large corpus: an even sample is enough to suggest
        step = len(comments) / max_sentences
        comments = [comments[int(i * step)] for i in range(max_sentences)]
    spans = [(c, term_spans(c.text, term)) for c in comments]
    total = len({c.group for c in comments})
    if not total:
        return []
    found: dict[object, set[str]] = defaultdict(set)  # concept → comments
    wording: dict[object, Counter[str]] = defaultdict(Counter)

    def see(key: object, c: Candidate, seq: list[tuple[str, int, int]], i: int, n: int) -> None:
        found[key].add(c.group)
        wording[key][" ".join(c.text[seq[i][1] : seq[i + n - 1][2]].casefold().split())] += 1

    if synonyms:
        starting: dict[str, list[tuple[int, Phrase]]] = defaultdict(list)
        for g, group in enumerate(synonyms):
            for phrase in group:
                if phrase:
                    starting[phrase[0]].append((g, tuple(phrase)))
        for c, seq in spans:
            terms = [t for t, _, _ in seq]
            for i, t in enumerate(terms):
                for g, phrase in starting.get(t, ()):
                    if tuple(terms[i : i + len(phrase)]) == phrase:
                        see(g, c, seq, i, len(phrase))
    else:
        for c, seq in spans:
            words = [(t, a, b) for t, a, b in seq if t.isalpha() and t not in NEGATIONS]
            for i, (t, _, b) in enumerate(words):
                if len(t) > 3:
                    see((t,), c, words, i, 1)
                # two words side by side, nothing between them but a space
                if i + 1 < len(words) and c.text[b : words[i + 1][1]] == " ":
                    see((t, words[i + 1][0]), c, words, i, 2)

    def score(key: object) -> float:
        df = len(found[key])
        return df * math.log((total + 1) / df)

    needed = 2 if synonyms else 3
    ranked = sorted(
        (key for key in found if needed <= len(found[key]) <= max(needed, max_share * total)),
        key=lambda key: (-score(key), str(key)),
    )
    chosen: list[str] = []
    for key in ranked:
        name = wording[key].most_common(1)[0][0]
        if any(name in other or other in name for other in chosen):
            continue
        chosen.append(name)
        if len(chosen) >= k:
            break
    return chosen


def close_words(topic: str, vocabulary: Sequence[str], k: int = 3) -> list[str]:
    """Words of the discussion spelled like the topic's words (typos: "cots" → "costs")."""
    out: list[str] = []
    for word in _SURFACE.findall(topic.casefold()):
        for match in difflib.get_close_matches(word, vocabulary, n=k, cutoff=0.75):
            if match not in out and match != word:
                out.append(match)
    return out[:k]


def surface_vocabulary(candidates: Sequence[Candidate]) -> list[str]:
    return sorted({w.casefold() for c in candidates for w in _SURFACE.findall(c.text)})


@dataclass(frozen=True)
class TopicQuery:
    own: tuple[str, ...]  # the topic's own terms, in order
    own_weights: tuple[float, ...]  # 1, or less for a corrected typo
    alternatives: dict[str, tuple[Phrase, ...]]  # own term → lexicon phrases that stand in for it
    terms: tuple[str, ...]  # BM25 query: own terms, then the alternatives' terms
    weights: tuple[float, ...]
    kinds: tuple[str, ...] = ()  # expressions the topic asks about (asks.py): "time"

    def coverage(
        self, tokens: set[str], idf: Callable[[str], float], kinds: frozenset[str] = frozenset()
    ) -> float:
        """Share of the topic's idf mass a sentence matches; a synonym phrase counts in full.

        A kind the topic asks about (a question of time) is required and weighs as much as the
        topic's own words together: what is asked comes first, the words say about what.
        """
        if any(k not in kinds for k in self.kinds):
            return 0.0
        total = matched = 0.0
        for term in self.own:
            weight = idf(term)
            total += weight
            if term in tokens or any(
                all(t in tokens for t in alt) for alt in self.alternatives.get(term, ())
            ):
                matched += weight
        if self.kinds:
            asked = len(self.kinds) * (total or 1.0)
            return (matched + asked) / (total + asked)
        return matched / total if total else 0.0


def topic_query(
    own: Sequence[str],
    own_weights: Sequence[float],
    groups: Sequence[Sequence[Phrase]] = (),
    expansion_weight: float = 0.5,
    kinds: Sequence[str] = (),
) -> TopicQuery:
    """Expand the topic with lexicon synonym groups, longest match first.

    A lexicon phrase found inside a longer matched phrase is ignored ("side effects" is one
    phrase: the single word "effect", which the stemmer shares with "effective", does not pull in
    effective's synonyms).
    """
    own = list(own)
    matches: list[tuple[int, int, int, Phrase]] = []  # group, start, end, phrase
    for g, group in enumerate(groups):
        for phrase in group:
            n = len(phrase)
            for start in range(len(own) - n + 1):
                if tuple(own[start : start + n]) == tuple(phrase):
                    matches.append((g, start, start + n, tuple(phrase)))
    kept = [
        m
        for m in matches
        if not any(o[1] <= m[1] and m[2] <= o[2] and o[2] - o[1] > m[2] - m[1] for o in matches)
    ]
    alternatives: dict[str, list[Phrase]] = {t: [] for t in own}
    for g, start, end, phrase in kept:
        for term in own[start:end]:
            for alt in groups[g]:
                if tuple(alt) != phrase and tuple(alt) not in alternatives[term]:
                    alternatives[term].append(tuple(alt))
    extra: list[str] = []
    for alts in alternatives.values():
        for alt in alts:
            extra.extend(t for t in alt if t not in own and t not in extra)
    return TopicQuery(
        own=tuple(own),
        own_weights=tuple(own_weights),
        alternatives={t: tuple(a) for t, a in alternatives.items() if a},
        terms=(*own, *extra),
        weights=(*own_weights, *([expansion_weight] * len(extra))),
        kinds=tuple(kinds),
    )

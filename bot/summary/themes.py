"""Theme headings for a summary's quotes, in the commenters' own words.

A summary is read, not scored: its quotes are grouped under short headings such as "Topamax" or
"blurred vision", each saying how many comments of the whole discussion use it. A heading is a
word, two words side by side, or a lexicon phrase ("side effects") that several comments share
but not most ("Botox" or "migraine" would head everything and say nothing), that is rarer than
everyday English ("neck", "Topamax", not "month" or "come") and names a thing rather than an act
("vision", not "noted"). Each comment's quotes stay together; headings are chosen greedily, each
covering the most comments weighted by that rarity and by how many comments use it, and shown as
people most often wrote them. Quotes with no such word go under "Also said", the article's under
"The article".
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Sequence

from bot.retrieval.spelling import english_frequency
from bot.retrieval.tokenize import NEGATIONS
from bot.summary.candidates import Candidate
from bot.summary.model import Theme
from bot.summary.topics import Phrase, term_spans

ARTICLE = "The article"
OTHER = "Also said"
GROUP = "lexicon:"
_SURFACE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_ENGLISH_TOTAL = 1.6e9  # words behind the frequency list (pyspellchecker's, ~1.6 billion)
_SMOOTHING = 1_000.0  # a word the list lacks (a drug name) counts as this rare
_COMMON = math.log(_ENGLISH_TOTAL / 80_000)  # "neck" (52,000) is a theme, "month" (88,000) not


def themes(
    quoted: Sequence[Candidate],
    scope: Sequence[Candidate],
    term: Callable[[str], str],
    synonyms: Sequence[Sequence[Phrase]] = (),
    max_share: float = 0.25,
    max_themes: int = 6,
    exclude: Collection[str] = (),
) -> tuple[Theme, ...]:
    """Group `quoted` under headings drawn from `scope`, the sentences summarized (the whole
    discussion, a topic's comments, or an author's). exclude: index terms that may not head a
    theme (a topic's own words: every quote of a topic summary has them)."""
    comments = {c.group for c in scope if c.kind == "comment"}
    concepts, wording = _concepts([*scope, *quoted], term, synonyms)
    users: dict[str, set[str]] = defaultdict(set)
    for c in scope:
        if c.kind == "comment":
            for key in concepts.get(c.position, ()):
                users[key].add(c.group)
    most = max(2, int(max_share * len(comments)))

    def shared(key: str) -> bool:
        """By several comments, not most; a pair's words too ("Botox works" is not a theme)."""
        if key in exclude:
            return False
        parts = [key] if key.startswith(GROUP) else key.split()
        return len(users[key]) >= 2 and all(len(users[p]) <= most for p in parts)

    weight = {k: _keyness(wording[k]) * math.log(1 + len(users[k])) for k in users if shared(k)}
    weight = {k: w for k, w in weight.items() if w > 0 and _names_a_thing(wording[k])}

    article = [c.position for c in quoted if c.kind == "article"]
    # A comment's quotes stay together: the unit is the comment, its concepts those of its quotes.
    units: dict[str, list[int]] = defaultdict(list)
    for c in quoted:
        if c.kind != "article":
            units[c.group].append(c.position)
    own = {
        g: set().union(*(concepts.get(p, set()) for p in ps)) & weight.keys()
        for g, ps in units.items()
    }
    left = set(units)
    found: list[Theme] = []
    while left and len(found) < max_themes:
        covered = Counter(k for g in left for k in own[g])
        if not covered:
            break
        best = max(covered, key=lambda k: (covered[k] * weight[k], k))
        members = sorted(p for g in left if best in own[g] for p in units[g])
        found.append(Theme(_heading(wording[best]), len(users[best]), tuple(members)))
        left -= {g for g in left if best in own[g]}
    found.sort(key=lambda t: (-(t.comments or 0), t.sentences[0]))
    out = [Theme(ARTICLE, None, tuple(article))] if article else []
    out += found
    if left:
        out.append(Theme(OTHER, None, tuple(sorted(p for g in left for p in units[g]))))
    return tuple(out)


def _keyness(wording: Counter[str]) -> float:
    """How much more a word belongs to this discussion than to everyday English: the log of its
    rarity in an English word-frequency list beyond that of a common word, ≤ 0 for words as
    common as "month", "last" or "come". A phrase adds up its words' ("side effects")."""
    if not wording:
        return 0.0
    surface = _surface(wording).casefold()
    rarity = [
        math.log(_ENGLISH_TOTAL / (english_frequency(w) + _SMOOTHING)) - _COMMON
        for w in _SURFACE.findall(surface)
    ]
    return sum(r for r in rarity if r > 0)


def _concepts(
    scope: Sequence[Candidate], term: Callable[[str], str], synonyms: Sequence[Sequence[Phrase]]
) -> tuple[dict[int, set[str]], dict[str, Counter[str]]]:
    """Per sentence, its concepts: its words (one key per index term), pairs of words side by
    side, and the lexicon's phrases
    of several words (one key per synonym group, so "side effects" and "adverse reaction"
    count together); with the words people used for each."""
    starting: dict[str, list[tuple[int, Phrase]]] = defaultdict(list)
    for g, group in enumerate(synonyms):
        for phrase in group:
            if len(phrase) > 1:
                starting[phrase[0]].append((g, tuple(phrase)))
    concepts: dict[int, set[str]] = {}
    wording: dict[str, Counter[str]] = defaultdict(Counter)
    for c in scope:
        spans = term_spans(c.text, term)
        terms = [t for t, _, _ in spans]
        keys: set[str] = set()
        for i, (t, start, end) in enumerate(spans):
            nxt = spans[i + 1] if i + 1 < len(spans) else None
            if _wordlike(t):
                keys.add(t)
                wording[t][c.text[start:end]] += 1
                if nxt and _wordlike(nxt[0]) and c.text[end : nxt[1]] == " ":  # "blurred vision"
                    pair = f"{t} {nxt[0]}"
                    keys.add(pair)
                    wording[pair][c.text[start : nxt[2]]] += 1
            for g, phrase in starting.get(t, ()):
                if tuple(terms[i : i + len(phrase)]) == phrase:
                    key = f"{GROUP}{g}"
                    keys.add(key)
                    surface = c.text[start : spans[i + len(phrase) - 1][2]]
                    wording[key][" ".join(surface.split())] += 1
        concepts[c.position] = keys
    return concepts, wording


def _names_a_thing(wording: Counter[str]) -> bool:
    """Headings name things ("vision", "blurred vision"), not what was done or how ("noted",
    "completed", "definitely"): a rough test on the ending of the last word, English only."""
    return not _surface(wording).casefold().endswith(("ed", "ing", "ly"))


def _wordlike(t: str) -> bool:
    return len(t) > 2 and t.isalpha() and t not in NEGATIONS


def _heading(wording: Counter[str]) -> str:
    """The most common wording, spelled as most people spelled it ("SPG blocks"), first letter
    raised."""
    text = _surface(wording)
    return text[:1].upper() + text[1:]


def _surface(wording: Counter[str]) -> str:
    """The most common wording, case aside, in its most common spelling."""
    if not wording:
        return ""
    folded: Counter[str] = Counter()
    for text, n in wording.items():
        folded[text.casefold()] += n
    best = folded.most_common(1)[0][0]
    return max((t for t in wording if t.casefold() == best), key=lambda t: (wording[t], t))

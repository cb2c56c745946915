"""A synthetic forum archive in the JSONL corpus format, to time `check` on a large corpus.

Threads of English-like comments: real function words ("the", "I", "don’t", …) mixed with a
Zipf-distributed vocabulary of content words, in sentences of 6–24 words ending in . ? or !, so
the real sentence splitter and passage grouping (bot/retrieval/passages.py) do the work they do
on real text. About half the comments are replies, named by
id or by author, to one of the few comments just above them. Seeded: same arguments, same files.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.retrieval.passages import DEFAULT_MAX_CHARS, DEFAULT_MAX_SENTENCES, group_sentences
from bot.text.sentences import sentence_spans
from tools.bench.synthetic import DEFAULT_SEED, pseudo_words, zipf_probabilities

# Common English words, roughly most frequent first (drawn Zipf-wise), curly apostrophes included.
FUNCTION_WORDS = """
the i and to a of it my was in that is for have but with on not this had be so they me at been
you as after it’s or all from if about what when no one just can are we he she an do did would
there get got also i’ve don’t by some were up out more than very now then any because only much
still really even how its too can’t didn’t which has could other first over same since before
until back again most where why who every never each both few many little while i’m won’t
""".split()
CONTENT_WORDS = """
migraine headache botox injection neurologist pain doctor relief treatment month year week day
dose shot neck shoulder aura nausea triptan topamax imitrex insurance side effect weakness relief
forehead temple eyelid sleep caffeine trigger hormone period chronic episode frequency severity
""".split()
TOPICS = ["Migraine", "Botox", "Sleep", "Triptans", "Neck pain", "Insurance", "Aura", "Diet"]
_ENDINGS = np.array([".", ".", ".", ".", ".", ".", ".", "?", "?", "!"])


@dataclass(frozen=True)
class ForumSummary:
    files: int
    documents: int
    comments: int
    replies: int
    passages: int  # as bot.retrieval.passages will split them
    bytes: int


class _Words:
    """Seeded word stream: function words with probability 0.45, else a Zipf content word."""

    def __init__(self, rng: np.random.Generator, vocabulary: int) -> None:
        self.rng = rng
        self.function = np.array(FUNCTION_WORDS, dtype=object)
        content = CONTENT_WORDS + [w for w in pseudo_words(vocabulary, DEFAULT_SEED) if len(w) > 2]
        self.content = np.array(content, dtype=object)
        self.function_cdf = np.cumsum(zipf_probabilities(len(self.function)))
        self.content_cdf = np.cumsum(zipf_probabilities(len(self.content)))
        self.buffer: list[str] = []

    def _refill(self, n: int = 200_000) -> None:
        u = self.rng.random(n)
        is_function = self.rng.random(n) < 0.45
        f = np.searchsorted(self.function_cdf, u, side="right").clip(0, len(self.function) - 1)
        c = np.searchsorted(self.content_cdf, u, side="right").clip(0, len(self.content) - 1)
        self.buffer = np.where(is_function, self.function[f], self.content[c]).tolist()
        self.buffer.reverse()

    def take(self, n: int) -> list[str]:
        if len(self.buffer) < n:
            self._refill()
        out = self.buffer[-n:]
        del self.buffer[-n:]
        return out


def _sentence(words: _Words, rng: np.random.Generator) -> str:
    tokens = words.take(int(rng.integers(6, 25)))
    tokens = ["I" if t == "i" else "I" + t[1:] if t.startswith("i’") else t for t in tokens]
    if rng.random() < 0.3:
        at = int(rng.integers(2, len(tokens) - 1))
        tokens[at] += ","
    if rng.random() < 0.02:
        tokens[int(rng.integers(0, len(tokens) - 1))] += " Dr. Mauskop"
    first = tokens[0]
    tokens[0] = first[:1].upper() + first[1:]
    return " ".join(tokens) + str(rng.choice(_ENDINGS))


def _text(words: _Words, rng: np.random.Generator, sentences: int) -> str:
    parts = [_sentence(words, rng) for _ in range(sentences)]
    out = parts[0]
    for part in parts[1:]:
        out += ("\n\n" if rng.random() < 0.15 else " ") + part
    return out


def _passages(text: str) -> int:
    return len(group_sentences(sentence_spans(text), DEFAULT_MAX_CHARS, DEFAULT_MAX_SENTENCES))


def forum_lines(
    passages: int,
    seed: int = DEFAULT_SEED,
    vocabulary: int = 20_000,
    thread_comments: tuple[int, int] = (20, 500),
) -> Iterator[tuple[int, str, str, int]]:
    """(thread number, "article" | "comment" | "reply", JSON line, passages it adds), until the
    threads hold `passages` passages."""
    rng = np.random.default_rng([seed, 3])
    words = _Words(rng, vocabulary)
    authors = [
        w.capitalize() + (str(i % 97) if i % 3 else "")
        for i, w in enumerate(pseudo_words(3000, seed + 1))
    ]
    total = 0
    thread = 0
    while total < passages:
        thread += 1
        title = f"{TOPICS[thread % len(TOPICS)]}: thread {thread}"
        article = _text(words, rng, int(rng.integers(2, 9)))
        count = _passages(article)
        total += count
        line = {
            "document": title,
            "article": article,
            "source": f"https://forum.example/t/{thread}",
        }
        yield thread, "article", json.dumps(line, ensure_ascii=False), count
        day = dt.date(2010, 1, 1) + dt.timedelta(days=int(rng.integers(0, 3000)))
        recent: list[tuple[str | None, str]] = []  # (explicit id, author) of the last comments
        for n in range(int(rng.integers(*thread_comments))):
            if total >= passages:
                break
            author = authors[int(rng.integers(0, len(authors)))]
            day += dt.timedelta(days=int(rng.integers(0, 3)))
            text = _text(words, rng, int(rng.choice([1, 1, 2, 2, 3, 3, 4, 5, 6, 8])))
            record: dict[str, object] = {"document": title, "author": author}
            cid = f"t{thread}-c{n}" if rng.random() < 0.7 else None
            if cid:
                record["id"] = cid
            record["date"] = day.isoformat()
            reply_to = None
            if recent and rng.random() < 0.5:
                parent_id, parent_author = recent[-int(rng.integers(1, len(recent) + 1))]
                reply_to = parent_id if parent_id and rng.random() < 0.6 else parent_author
            record["reply_to"] = reply_to
            record["text"] = text
            recent = [*recent[-14:], (cid, author)]
            count = _passages(text)
            total += count
            kind = "reply" if reply_to else "comment"
            yield thread, kind, json.dumps(record, ensure_ascii=False), count


def write_forum(
    folder: Path,
    passages: int,
    seed: int = DEFAULT_SEED,
    threads_per_file: int = 25,
    thread_comments: tuple[int, int] = (20, 500),
) -> ForumSummary:
    """Write forum-NNN.jsonl files into `folder` holding about `passages` passages, in threads
    of thread_comments[0] to thread_comments[1] − 1 comments."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[int, list[str]] = {}
    kinds = {"article": 0, "comment": 0, "reply": 0}
    total = 0
    for thread, kind, line, count in forum_lines(passages, seed, thread_comments=thread_comments):
        files.setdefault((thread - 1) // threads_per_file, []).append(line)
        kinds[kind] += 1
        total += count
    size = 0
    for number, lines in files.items():
        data = ("\n".join(lines) + "\n").encode("utf-8")
        (folder / f"forum-{number:03d}.jsonl").write_bytes(data)
        size += len(data)
    comments = kinds["comment"] + kinds["reply"]
    return ForumSummary(len(files), kinds["article"], comments, kinds["reply"], total, size)

"""`python -m tools.evaluation --summaries`: the project's summaries against sumy's, by ROUGE.

For each human reference in tests/eval/summaries.yaml (the whole discussion, and the topics
"side effects" and "cost") the project writes its summary at its default length; then sumy's
LexRank, TextRank, LSA, Luhn and KL summarize the same candidate sentences and are cut to the
same number of words. ROUGE-1 and ROUGE-2 F (rouge-score, Porter stemming) against the reference.

Fairness: every method gets the same sentences. For the whole discussion that is the project's
candidate pool (every sentence of the article and the comments that is quotable: at least two
index terms, at most 60 words). For a topic it is every quotable sentence of the comments BM25
retrieves for the topic (those with a sentence matching it): the set-up of query-focused
summarization benchmarks (DUC 2005–7), where generic summarizers get the topic's documents. The
project quotes only the matching sentences and their neighbours from that pool; sumy, being
generic, may pick any of it. A narrower pool (only the matches and their neighbours) would leave
sumy as many sentences as the summary has, making every method tie by construction. sumy ranks the
pool; its best sentences are taken until the word budget is met, the last one cut to fit exactly,
and shown in discussion order.

Ablations (the project with one part switched off) show what each part is worth, same run.

sumy's PlaintextParser needs NLTK's punkt data, which cannot be downloaded here: its document is
built directly from the project's sentence splitter and a regular-expression word tokenizer, and
its stemmer is NLTK's Snowball (pure code, no data). Nothing here downloads anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.summary.summarizer import Summarizer
from bot.text.sentences import sentence_spans

REFERENCES = Path(__file__).resolve().parents[2] / "tests" / "eval" / "summaries.yaml"
SUMY_METHODS = ("LexRank", "TextRank", "LSA", "Luhn", "KL")
PROJECT = "project"
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ROUGE_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Reference:
    kind: str
    topic: str | None
    text: str

    @property
    def label(self) -> str:
        return self.topic or "whole discussion"


@dataclass(frozen=True)
class Score:
    rouge1: float
    rouge2: float
    words: int


@dataclass
class Row:
    reference: Reference
    words: int  # the project's summary length: every method is cut to it
    pool: int  # sentences every method chose from
    scores: dict[str, Score] = field(default_factory=dict)
    ablations: dict[str, Score] = field(default_factory=dict)  # own length each


def load_references(path: Path = REFERENCES) -> list[Reference]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Reference(d["kind"], d.get("topic"), d["text"]) for d in data]


# -- sumy without NLTK data -----------------------------------------------------------------------


class PlainTokenizer:
    """sumy's tokenizer interface, from the project's sentence splitter and a word regex."""

    language = "english"

    @staticmethod
    def to_sentences(text: str) -> tuple[str, ...]:
        return tuple(text[s:e] for s, e in sentence_spans(text))

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(text))


def sumy_document(texts: Sequence[str], groups: Sequence[str]) -> Any:
    """One sumy paragraph per comment (consecutive sentences sharing a group), one sentence each."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    tokenizer = PlainTokenizer()
    paragraphs: list[list[Any]] = []
    last = None
    for text, group in zip(texts, groups, strict=True):
        if group != last or not paragraphs:
            paragraphs.append([])
            last = group
        paragraphs[-1].append(Sentence(text, tokenizer))
    return ObjectDocumentModel([Paragraph(p) for p in paragraphs])


def sumy_summarizer(method: str) -> Any:
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    classes = {
        "LexRank": LexRankSummarizer,
        "TextRank": TextRankSummarizer,
        "LSA": LsaSummarizer,
        "Luhn": LuhnSummarizer,
        "KL": KLSummarizer,
    }
    summarizer = classes[method](Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return summarizer


def sumy_ranking(method: str, texts: Sequence[str], groups: Sequence[str]) -> list[int]:
    """Indices of `texts`, best first, as the sumy method rates them."""
    if not texts:
        return []
    document = sumy_document(texts, groups)
    order: list[Any] = []

    def take_all(infos: list[Any]) -> list[Any]:  # sumy hands these over best first
        order.extend(infos)
        return infos

    sumy_summarizer(method)(document, take_all)
    where = {id(s): i for i, s in enumerate(document.sentences)}
    return [where[id(info.sentence)] for info in order]


# -- lengths and ROUGE -----------------------------------------------------------------------------


def rouge_tokens(text: str) -> list[str]:
    """Words as ROUGE counts them (rouge-score's tokenizer, before stemming)."""
    return _ROUGE_TOKEN.findall(text.lower())


def cut_to_words(ranked: Sequence[int], texts: Sequence[str], budget: int) -> str:
    """Best-ranked texts until `budget` words, the last one cut to fit; shown in input order."""
    taken: dict[int, str] = {}
    used = 0
    for i in ranked:
        if used >= budget:
            break
        words = rouge_tokens(texts[i])
        if not words:
            continue
        if used + len(words) <= budget:
            taken[i] = texts[i]
        else:
            taken[i] = " ".join(words[: budget - used])
        used += min(len(words), budget - used)
    return " ".join(taken[i] for i in sorted(taken))


def rouge_scorer() -> Any:
    from rouge_score import rouge_scorer as rs

    return rs.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)


def score(scorer: Any, reference: str, text: str) -> Score:
    result = scorer.score(reference, text)
    return Score(result["rouge1"].fmeasure, result["rouge2"].fmeasure, len(rouge_tokens(text)))


# -- the comparison --------------------------------------------------------------------------------


def compare(
    summarizer: Summarizer,
    references: Sequence[Reference],
    sentences: int | None = None,
    methods: Sequence[str] = SUMY_METHODS,
    ablations: dict[str, Summarizer] | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Row]:
    scorer = rouge_scorer()
    rows = []
    for ref in references:
        if progress:
            progress(ref.label)
        summary = summarizer.summarize(topic=ref.topic, sentences=sentences)
        ours = " ".join(s.text for s in summary.sentences)
        pool = summarizer.pool(ref.topic, sentences)
        texts = [summarizer.candidates[i].text for i in pool]
        groups = [summarizer.candidates[i].group for i in pool]
        budget = len(rouge_tokens(ours))
        row = Row(ref, budget, len(pool))
        row.scores[PROJECT] = score(scorer, ref.text, ours)
        for method in methods:
            ranked = sumy_ranking(method, texts, groups)
            row.scores[method] = score(scorer, ref.text, cut_to_words(ranked, texts, budget))
        for name, variant in (ablations or {}).items():
            text = " ".join(s.text for s in variant.summarize(ref.topic, None, sentences).sentences)
            row.ablations[name] = score(scorer, ref.text, text)
        rows.append(row)
    return rows


def behind(rows: Sequence[Row]) -> list[str]:
    """Cells where a sumy method is level with or ahead of the project."""
    behind = []
    for row in rows:
        ours = row.scores[PROJECT]
        for method, s in row.scores.items():
            if method == PROJECT:
                continue
            for name, a, b in (
                ("ROUGE-1", ours.rouge1, s.rouge1),
                ("ROUGE-2", ours.rouge2, s.rouge2),
            ):
                if a <= b:
                    behind.append(f"{row.reference.label} {name}: {method} {b:.4f} ≥ {a:.4f}")
    return behind


def table(rows: Sequence[Row]) -> str:
    methods = [PROJECT, *[m for m in rows[0].scores if m != PROJECT]] if rows else []
    head = f"{'reference':<18} {'words':>5} {'pool':>4}  " + "  ".join(f"{m:>13}" for m in methods)
    lines = [
        "ROUGE-1 F / ROUGE-2 F against the human references (same candidate sentences, "
        "same length in words)",
        head,
        "-" * len(head),
    ]
    for row in rows:
        best1 = max(s.rouge1 for s in row.scores.values())
        best2 = max(s.rouge2 for s in row.scores.values())
        cells = []
        for m in methods:
            s = row.scores[m]
            mark = "*" if (s.rouge1 == best1 and s.rouge2 == best2) else " "
            cells.append(f"{s.rouge1:.3f}/{s.rouge2:.3f}{mark}")
        lines.append(
            f"{row.reference.label:<18} {row.words:>5} {row.pool:>4}  "
            + "  ".join(f"{c:>13}" for c in cells)
        )
    lines.append("* best on both")
    if rows and rows[0].ablations:
        lines += ["", "Ablations: the project with one part switched off (own length)"]
        names = list(rows[0].ablations)
        width = max(len(n) for n in [*names, PROJECT])
        lines.append(f"{'':<{width}}  " + "  ".join(f"{r.reference.label:>18}" for r in rows))
        for name in [PROJECT, *names]:
            cells = [r.scores[PROJECT] if name == PROJECT else r.ablations[name] for r in rows]
            lines.append(
                f"{name:<{width}}  "
                + "  ".join(f"{f'{c.rouge1:.3f}/{c.rouge2:.3f} ({c.words}w)':>18}" for c in cells)
            )
    return "\n".join(lines)


def as_json(rows: Sequence[Row]) -> dict[str, Any]:
    return {
        "references": [
            {
                "reference": row.reference.label,
                "kind": row.reference.kind,
                "topic": row.reference.topic,
                "words": row.words,
                "pool": row.pool,
                "scores": {
                    m: {
                        "rouge1_f": round(s.rouge1, 4),
                        "rouge2_f": round(s.rouge2, 4),
                        "words": s.words,
                    }
                    for m, s in row.scores.items()
                },
            }
            for row in rows
        ],
        "project_behind": behind(rows),
    }


def _score_json(s: Score) -> dict[str, Any]:
    return {"rouge1_f": round(s.rouge1, 4), "rouge2_f": round(s.rouge2, 4), "words": s.words}

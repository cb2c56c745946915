"""sumy and ROUGE for `python -m tools.evaluation --summaries` (summary_refs.py compares).

sumy's LexRank, TextRank, LSA, Luhn and KL rank the same candidate sentences the project chooses
from; `cut_to_words` takes a ranking's best sentences until the project's length in words is met,
the last one cut to fit exactly, shown in discussion order. ROUGE-1 and ROUGE-2 F come from
rouge-score with Porter stemming.

sumy's PlaintextParser needs NLTK's punkt data, which cannot be downloaded here: its document is
built directly from the project's sentence splitter and a regular-expression word tokenizer, and
its stemmer is NLTK's Snowball (pure code, no data). Nothing here downloads anything.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.text.sentences import sentence_spans

SUMY_METHODS = ("LexRank", "TextRank", "LSA", "Luhn", "KL")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ROUGE_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Score:
    rouge1: float
    rouge2: float
    words: int


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

"""`python -m tools.evaluation --summaries --variants`: what each change tried while tuning was
worth.

Each variant is the settings before issue 19 (`BEFORE`) with one thing changed, up to the settings
of the first round (`ROUND_1`), then the second round's changes one at a time up to those now
shipped (`NOW`); the table gives the mean ROUGE-1/-2 F over the whole-discussion references at
every length and over the topic and author references, and the margin over the best sumy method
(KL-Sum for topics and authors). Run on the tuning references only: the test references are scored
once, frozen; a set that has been scored and studied joins them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from bot.summary.summarizer import SummarySettings
from tools.evaluation.summary_refs import LENGTHS, PROJECT, Row, mean_rows

NOW = SummarySettings()
# The settings after the first tuning round (before the second: issue 19's held-out misses).
ROUND_1 = replace(NOW, topic_kinds=False, author_min_terms=2)
# The settings before issue 19: TextRank + MMR everywhere, an article lead of ≤ 3 (≤ half).
BEFORE = replace(
    ROUND_1,
    discussion_objective="mmr",
    lead_objective="mmr",
    article_sentences=3,
    article_share=0.5,
    author_vectors=0.0,
    concept_length_exponent=0.0,
)
_CONCEPTS = replace(
    BEFORE, discussion_objective="concepts", lead_objective="concepts", concept_length_exponent=0
)
_LED = replace(
    _CONCEPTS, article_sentences=5, article_share=0.75, author_vectors=NOW.author_vectors
)
_COVER = replace(
    BEFORE, discussion_objective="coverage", topic_objective="coverage", author_objective="coverage"
)
VARIANTS: dict[str, SummarySettings] = {
    "before (TextRank + MMR)": BEFORE,
    "coverage α=5/N λ=6 (Lin-Bilmes)": _COVER,
    "coverage α=10/N": replace(_COVER, saturation=10.0),
    "coverage α=2/N": replace(_COVER, saturation=2.0),
    "coverage λ=0": replace(_COVER, diversity=0.0),
    "coverage λ=12": replace(_COVER, diversity=12.0),
    "coverage + centrality prior": replace(_COVER, prior_weight=1.0),
    "sentence vectors 0.5 (all kinds)": replace(
        BEFORE, discussion_vectors=0.5, topic_vectors=0.5, author_vectors=0.5
    ),
    "sentence vectors 1.0 (all kinds)": replace(
        BEFORE, discussion_vectors=1.0, topic_vectors=1.0, author_vectors=1.0
    ),
    "MMR λ=0.5": replace(BEFORE, mmr_lambda=0.5),
    "concepts (whole)": _CONCEPTS,
    "concepts, unigrams only": replace(_CONCEPTS, concept_ngrams=1),
    "concepts, ≥3 comments": replace(_CONCEPTS, concept_min_comments=3),
    "concepts + centrality prior .03": replace(_CONCEPTS, prior_weight=0.03),
    "concepts, 2 per comment": replace(_CONCEPTS, max_per_comment=2),
    "concepts, no article lead": replace(_CONCEPTS, article_sentences=0),
    "concepts, lead ≤4 (≤ half)": replace(_CONCEPTS, article_sentences=4),
    "concepts, lead ≤4, trigrams": replace(_CONCEPTS, article_sentences=4, concept_ngrams=3),
    "concepts, lead ≤5 (≤ half)": replace(_CONCEPTS, article_sentences=5),
    "concepts, lead ≤6 (≤ half)": replace(_CONCEPTS, article_sentences=6),
    "concepts, lead ≤5 (≤ 0.6)": replace(_CONCEPTS, article_sentences=5, article_share=0.6),
    "concepts, lead ≤5 (≤ 3/4)": replace(_CONCEPTS, article_sentences=5, article_share=0.75),
    "MMR, lead ≤5 (≤ 3/4)": replace(BEFORE, article_sentences=5, article_share=0.75),
    "lead by MMR, rest by concepts (≤5, ≤ 3/4)": replace(
        _CONCEPTS, lead_objective="mmr", article_sentences=5, article_share=0.75
    ),
    "concepts, lead ≤5 (≤ 3/4), authors vectors .5": _LED,
    "  … gain per length^0.3": replace(_LED, concept_length_exponent=0.3),
    "  … gain per length^0.7": replace(_LED, concept_length_exponent=0.7),
    "  … gain per length^1": replace(_LED, concept_length_exponent=1.0),
    "  … and topics by concepts": replace(_LED, topic_objective="concepts"),
    "  … topics by concepts, prior .05 (all kinds)": replace(
        _LED, topic_objective="concepts", prior_weight=0.05
    ),
    "  … and authors by concepts": replace(_LED, author_objective="concepts"),
    "  … and authors by coverage": replace(_LED, author_objective="coverage"),
    "round 1: … gain per length^0.5": ROUND_1,
    # Round 2: topics asking about time, and what the author summaries quote.
    "  … a question of time matches time": replace(ROUND_1, topic_kinds=True),
    "  … authors: relevance × length^0.25": replace(ROUND_1, author_length=0.25),
    "  … authors: relevance × length^0.5": replace(ROUND_1, author_length=0.5),
    "  … authors: ≥ 3 index terms": replace(ROUND_1, author_min_terms=3),
    "  … authors: ≥ 4 index terms": replace(ROUND_1, author_min_terms=4),
    "  … authors: ≥ 3 terms, × len^0.15": replace(ROUND_1, author_min_terms=3, author_length=0.15),
    "  … authors: ≥ 3 terms, 7 sentences": replace(ROUND_1, author_min_terms=3, author_sentences=7),
    "  … topics: relevance × length^0.25": replace(ROUND_1, topic_length=0.25),
    "  … topics: context 1 before/2 after": replace(ROUND_1, topic_context=(1, 2)),
    "  … topics: sentence vectors ½": replace(ROUND_1, topic_vectors=0.5),
    "now: time topics, authors ≥ 3 terms": NOW,
}


def variant_table(results: Mapping[str, Sequence[Row]]) -> str:
    """Per variant: mean ROUGE-1/-2 F, and its margin over the best sumy method at the same
    length in words (whole discussion) or over KL-Sum (topics, authors)."""
    head = f"{'variant':<36}" + "".join(f"{f'{n} sent.':>14}" for n in LENGTHS)
    head += f"{'topics':>14}{'authors':>14}"
    lines = [
        "Mean ROUGE-1 F / ROUGE-2 F (first line) and the margin over the best sumy method at "
        "the same length in words, KL-Sum for topics and authors (second line)",
        head,
        "-" * len(head),
    ]
    for name, rows in results.items():
        cells, margins = [], []
        for n in LENGTHS:
            row = next((r for r in rows if r.kind == "whole" and r.sentences == n), None)
            if row is None:
                cells.append("–")
                margins.append("–")
                continue
            ours = row.methods[PROJECT].mean()
            others = [c.mean() for m, c in row.methods.items() if m != PROJECT]
            cells.append(_pair(ours))
            margins.append(_margin(ours, others))
        for kind in ("topic", "author"):
            means = mean_rows(rows, kind)
            cells.append(_pair(means[PROJECT]) if means else "–")
            margins.append(_margin(means[PROJECT], [means["KL"]]) if "KL" in means else "–")
        lines.append(f"{name[:36]:<36}" + "".join(f"{c:>14}" for c in cells))
        lines.append(f"{'':<36}" + "".join(f"{c:>14}" for c in margins))
    return "\n".join(lines)


def _pair(values: tuple[float, float]) -> str:
    return f"{values[0]:.3f}/{values[1]:.3f}"


def _margin(ours: tuple[float, float], others: Sequence[tuple[float, float]]) -> str:
    if not others:
        return "–"
    best1 = max(o[0] for o in others)
    best2 = max(o[1] for o in others)
    return f"{ours[0] - best1:+.3f}/{ours[1] - best2:+.3f}"

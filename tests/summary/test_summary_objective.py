"""The selection objectives: coverage with diversity (Lin & Bilmes) and concept coverage."""

from __future__ import annotations

import numpy as np

from bot.summary.objective import concept_select, concept_weights, coverage_select

# Sentences 0–2 share a theme, 3–4 another; 5 stands alone.
SIMILARITY = np.array(
    [
        [1.0, 0.9, 0.8, 0.0, 0.0, 0.0],
        [0.9, 1.0, 0.8, 0.0, 0.1, 0.0],
        [0.8, 0.8, 1.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0, 0.7, 0.0],
        [0.0, 0.1, 0.0, 0.7, 1.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    ]
)


def test_coverage_takes_one_sentence_per_theme_before_a_second() -> None:
    chosen = coverage_select(SIMILARITY, 3, saturation=1.0, diversity=0.0)
    assert chosen[0] in (0, 1, 2)  # the largest theme first
    assert {_theme(i) for i in chosen} == {"a", "b", "c"}


def test_coverage_keeps_what_was_chosen_and_honours_every_constraint() -> None:
    groups = ["g1", "g1", "g2", "g3", "g3", "g4"]
    chosen = coverage_select(
        SIMILARITY,
        5,
        eligible=[0, 1, 2, 3, 4],
        chosen=[3],
        groups=groups,
        max_per_group=1,
        requires=[(), (), (), (), (), ()],
    )
    assert chosen[0] == 3 and 5 not in chosen
    assert len({groups[i] for i in chosen}) == len(chosen)  # one per comment
    needs = [(), (), (), (), (), (3,)]
    assert 5 not in coverage_select(SIMILARITY, 6, eligible=[0, 1, 2, 5], requires=needs)
    near = coverage_select(SIMILARITY, 6, max_similarity=0.75)
    assert not any(SIMILARITY[i, j] >= 0.75 for i in near for j in near if i != j)


def test_concept_weights_count_comments_not_repetitions() -> None:
    concepts = [["neck", "pain"], ["neck", "neck"], ["cost"], ["neck", "cost"], ["rare"]]
    groups = ["c1", "c1", "c2", "c3", "c4"]
    weights = concept_weights(concepts, groups, min_groups=2)
    assert weights == {"neck": 2.0, "cost": 2.0}


def test_concept_selection_covers_new_concepts_first() -> None:
    concepts = [["neck", "pain"], ["neck", "pain", "stiff"], ["cost", "pound"], ["neck"]]
    weights = {"neck": 3.0, "pain": 2.0, "stiff": 1.0, "cost": 2.0, "pound": 1.0}
    chosen = concept_select(concepts, 3, weights)
    assert chosen[:2] == [1, 2]  # most weight first, then what it left uncovered
    # a cap per comment and a required match hold here too
    capped = concept_select(concepts, 3, weights, groups=["a", "a", "b", "c"], max_per_group=1)
    assert not {0, 1} <= set(capped)
    needs = [(), (), (0,), ()]
    assert 2 not in concept_select(concepts, 4, weights, eligible=[1, 2, 3], requires=needs)


def _theme(i: int) -> str:
    return "a" if i <= 2 else "b" if i <= 4 else "c"

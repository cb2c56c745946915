"""The greedy loop shared by MMR and the coverage objectives keeps the same rules for all."""

from __future__ import annotations

import numpy as np

from bot.summary.greedy import greedy


def test_takes_the_best_gain_first_and_ties_go_to_the_earlier_sentence() -> None:
    gains = [0.2, 0.9, 0.9, 0.5]
    assert greedy(4, 3, lambda j, _: gains[j]) == [1, 2, 3]


def test_the_rules_near_duplicates_groups_and_required_matches() -> None:
    similarity = np.eye(4)
    similarity[0, 1] = similarity[1, 0] = 0.9  # 1 repeats 0
    gains = [0.9, 0.8, 0.7, 0.6]
    picked = greedy(
        4,
        4,
        lambda j, _: gains[j],
        similarity=similarity,
        max_similarity=0.6,
        groups=["a", "b", "a", "c"],
        max_per_group=1,
        requires=[(), (), (), (2,)],  # 3 is context for 2, which its group's cap keeps out
    )
    assert picked == [0]


def test_what_is_taken_changes_the_next_gains_and_chosen_stay_first() -> None:
    words = [{"a", "b"}, {"a", "b"}, {"c"}]
    covered: set[str] = set()

    def new_words(j: int, _: np.ndarray) -> float:
        return len(words[j] - covered)

    # 0 is already chosen and counts as taken: 1 adds nothing new after it, 2 adds "c"
    assert greedy(3, 3, new_words, lambda j: covered.update(words[j]), chosen=[0]) == [0, 2, 1]
    covered.clear()
    assert greedy(3, 3, new_words, chosen=[0]) == [0, 1, 2]  # nothing taken: gains never change


def test_closest_similarity_is_handed_to_the_gain() -> None:
    similarity = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]])
    relevance = [1.0, 0.9, 0.6]
    # MMR with λ = 0.5: after 0, sentence 1 scores 0.45 − 0.25, sentence 2 0.3 − 0
    picked = greedy(
        3, 2, lambda j, closest: 0.5 * relevance[j] - 0.5 * closest[j], similarity=similarity
    )
    assert picked == [0, 2]

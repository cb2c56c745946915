from __future__ import annotations

import itertools

from bot.text.sentences import sentence_spans


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


def test_splits_at_sentence_ends_and_line_breaks() -> None:
    text = "I get shots. They help! Do they?\nYes… mostly 🙂"
    assert sentences(text) == ["I get shots.", "They help!", "Do they?", "Yes… mostly 🙂"]


def test_titles_and_lowercase_continuations_do_not_split() -> None:
    text = "Dr. Mauskop said so. I have an appt. with my doctor. Fine."
    assert sentences(text) == ["Dr. Mauskop said so.", "I have an appt. with my doctor.", "Fine."]


def test_spans_are_verbatim_and_in_order() -> None:
    text = "  One “quoted.” Two.\n\nThree  "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["One “quoted.”", "Two.", "Three"]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_empty_text_has_no_sentences() -> None:
    assert sentence_spans("") == [] and sentence_spans("  \n ") == []


def test_a_run_on_sentence_is_cut_at_word_boundaries_into_bounded_spans() -> None:
    from bot.text.sentences import MAX_SENTENCE_CHARS

    words = " ".join(f"w{i}" for i in range(3000))  # ~17,000 characters, no full stop
    text = words + ". Next one."
    spans = sentence_spans(text)
    pieces = [text[s:e] for s, e in spans]
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces) and len(pieces) > 17
    assert " ".join(pieces) == text  # nothing lost, no word split
    assert pieces[-1] == "Next one."
    assert sentence_spans("x" * 2500) == [(0, 1000), (1000, 2000), (2000, 2500)]

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.text.clean import BIDI_CONTROLS, clean_text, replace_lone_surrogates, strip_bidi_controls


def test_lone_surrogates_become_replacement_characters() -> None:
    assert replace_lone_surrogates("caf\udcc3\udca9 \ud800x") == "caf\ufffd\ufffd \ufffdx"
    assert replace_lone_surrogates("emoji 😀 stays") == "emoji 😀 stays"


def test_bidi_controls_are_removed_and_nothing_else() -> None:
    assert strip_bidi_controls("evil\u202e2102 ,71 beF") == "evil2102 ,71 beF"
    assert strip_bidi_controls("שלום עולם, hello") == "שלום עולם, hello"


@given(st.text())
def test_clean_text_can_always_be_encoded_and_shows_no_bidi_control(text: str) -> None:
    cleaned = clean_text(text)
    cleaned.encode("utf-8")
    assert not set(cleaned) & set(BIDI_CONTROLS)

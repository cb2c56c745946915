from __future__ import annotations

import pytest

from bot.config import PhraseRule
from bot.retrieval.phrases import PhraseMatcher
from bot.retrieval.tokenize import Tokenizer


def matcher(*rules: PhraseRule) -> PhraseMatcher:
    return PhraseMatcher(rules, Tokenizer())


SWALLOW = PhraseRule("swallowing", (("not", "barely"), ("swallow",)), within=4)


@pytest.mark.parametrize(
    "text",
    [
        "I can't swallow",
        "i cant swallow",
        "I CANNOT SWALLOW!!!",
        "cant swalow since my shots",  # typo repaired towards the rule's words
        "i can barely swallowing",  # stems: swallowing = swallow
        "i can not swallow rn",
    ],
)
def test_normalised_words_match(text: str) -> None:
    fired = matcher(SWALLOW).fired(text)
    assert [f.rule.name for f in fired] == ["swallowing"]


@pytest.mark.parametrize(
    "text",
    [
        "swallowing pills is easy",  # one group only
        "i can't say how much I liked to swallow",  # groups too far apart (within 4)
    ],
)
def test_every_group_within_the_window(text: str) -> None:
    assert matcher(SWALLOW).fired(text) == []


def test_unless_cancels_a_rule() -> None:
    rule = PhraseRule("seizure", (("seizure*",),), unless=("anti seizure", "seizure med"))
    m = matcher(rule)
    assert m.fired("had a seizure yesterday")
    assert m.fired("seizures again") and m.fired("SEIZURE")
    assert not m.fired("is topamax an anti-seizure drug?")
    assert not m.fired("isnt topamax also a seizure med")


def test_numbers_below_and_above() -> None:
    child = PhraseRule("children", (("<18 year old",),))
    old = PhraseRule("elderly", ((">74 year old",),))
    m = matcher(child, old)
    assert [f.rule.name for f in m.fired("my 9 year old kid")] == ["children"]
    assert [f.rule.name for f in m.fired("my 14yo daughter")] == ["children"]  # 14yo = 14 year old
    assert [f.rule.name for f in m.fired("my 82 yr old dad")] == ["elderly"]
    assert m.fired("i am 40 years old") == []
    assert m.fired("migraines for 12 years") == []  # a duration, not an age


def test_prefix_words() -> None:
    m = matcher(PhraseRule("weak", (("paraly*",), ("arm", "leg")), within=5))
    assert m.fired("my arm feels paralysed")
    assert m.fired("leg is paralyzed")
    assert not m.fired("analysis of my arm")


def test_english_words_are_not_repaired() -> None:
    # "breath" and "breadth" are both English: neither becomes the other; "breth" is a typo.
    m = matcher(PhraseRule("breathing", (("breath",),)))
    assert m.fired("cant catch my breth")
    assert not m.fired("the breadth of it")
    assert [t.surface for t in m.tokens("hedache")] == ["hedache"]  # no rule word near it


def test_typos_are_repaired_towards_the_rule_words() -> None:
    m = matcher(PhraseRule("worst", (("worst",), ("headache",), ("life",)), within=6))
    assert m.fired("worst hedache of my life")
    assert m.fired("WORST HEADACH OF MY LIFE")


def test_mentions_needs_every_group_anywhere() -> None:
    rule = PhraseRule("swallowing", (("not", "barely"), ("swallow",)), within=2)
    m = matcher(rule)
    assert m.mentions("I could not, at first, swallow the pills whole", rule)
    assert not m.mentions("swallowing is fine", rule)

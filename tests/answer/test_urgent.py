"""The urgent-care detector with the shipped config.yaml: every sign, typed the way people type,
and ordinary questions that share its words. Examples written here, not taken from the
annotated sets (tests/eval/urgent_tune.yaml is scored by `python -m bot eval --urgent`)."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answer.urgent import UrgentDetector
from bot.config import Config, load_config
from tests.helpers import CONFIG, write

EMERGENCIES = {
    "thunderclap": [
        "headache came on suddenly like a thunderclap",
        "out of nowhere the worst pain in my head, it exploded in seconds",
        "a headache hit me like a truck out of the blue",
        "my head felt like it split open",
    ],
    "worst_ever": [
        "worst hedache of my life",
        "this is the most painful migraine i have ever had",
    ],
    "stroke": ["i think im having a stroke rn", "I THINK I AM HAVING A STROKE", "is this a stroke"],
    "face_droop": ["my face is drooping", "one side of my mouth is sagging and wont move"],
    "one_sided_weakness": [
        "my left arm went numb and weak",
        "cant lift my right leg at all",
    ],
    "slurred_speech": ["my speech is slurred since this morning", "im slurring"],
    "confusion": [
        "mom is disoriented and doesnt know where she is",
        "i dont know what day it is",
        "my dad is confused and not making sense",
    ],
    "vision_loss": ["lost the vision in my left eye", "cant see out of my right eye"],
    "fever_stiff_neck": ["high fever and my neck is so stiff", "temperature 39 and stiff neck"],
    "fainting": [
        "i fainted after my shots",
        "passed out on the floor just now",
        "i woke up on the bathroom floor",
    ],
    "head_injury": ["hit my head on the door and now the headache is awful"],
    "pregnancy_new_headache": ["im 30 weeks pregnant and have a terrible headache"],
    "seizure": ["had a seizure yesterday", "he is convulsing", "he was foaming at the mouth"],
    "swallowing": [
        "can't swallow since my botox shots",
        "cant swalow anything today",
        "food keeps getting stuck in my throat",
        "difficulty swallowing after botox",
        "it feels like my throat is closing",
    ],
    "breathing": [
        "having trouble breathing after botox injection",
        "cant breth properly",
        "short of breath since the shots",
        "feel like im suffocating",
    ],
    "speaking": ["its hard to get words out since my injections", "trouble speaking since botox"],
    "hoarseness": ["my voice is hoarse and weak since botox", "i lost my voice after the shots"],
    "double_vision": ["seeing double since my injections", "i have double vision"],
    "eyelid_droop": ["my eyelid is drooping over my eye since botox", "i think i have ptosis"],
    "general_weakness": ["no strength in my arms or legs since the shots", "too weak to walk"],
}

ORDINARY = [
    "did botox make anyone's neck stiff?",
    "blurred vision after shots?",
    "how sudden was the relief?",
    "what was the worst side effect people had?",
    "did anyone get droopy eyebrows?",
    "is numbness a migraine symptom?",
    "does topamax cause word finding problems?",
    "im confused about how botox works",
    "did anyone have a fever after the shots?",
    "do the shots in the back of the head hurt?",
    "is topamax an anti seizure medication?",
    "are the pills hard to swallow?",
    "are breathing exercises helpful?",
    "did anyone need double the dose?",
    "can botox cause trouble swallowing?",
    "botox knocked out my migraines completely",
    "i was out for a walk when the migraine started",
    "i came to the conclusion botox works",
    "the pain relief was unreal, never thought it would work",
    "botox is not working for my face pain",
    "does the neck injection make it hard to swallow?",
    "do you have to be pregnant to get headaches",
    "my headache started suddenly improving after botox",
    "i get headaches every time i hit the gym",
    "does botox help headaches that started after a concussion?",
    "How often do people get injections?",
    "did it help with neck pain?",
    "hello",
]


@pytest.fixture(scope="module")
def detector(config: Config) -> UrgentDetector:
    return UrgentDetector(config.urgent_care)


@pytest.mark.parametrize(
    ("flag", "text"), [(flag, text) for flag, texts in EMERGENCIES.items() for text in texts]
)
def test_every_sign_is_recognised_as_people_type_it(
    detector: UrgentDetector, flag: str, text: str
) -> None:
    urgent = detector.detect(text)
    assert urgent is not None, text
    assert flag in urgent.flags


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_questions_raise_no_alarm(detector: UrgentDetector, text: str) -> None:
    assert detector.detect(text) is None


def test_a_question_reporting_what_a_commenter_wrote_is_no_emergency(
    detector: UrgentDetector,
) -> None:
    commenters = frozenset({"glenn", "patti"})
    named = frozenset({"christina"})  # named by a commenter, not one
    assert detector.detect("glenn said he collapses with migraines", named, commenters) is None
    assert detector.detect("glenn has collapsed", named, commenters) is None
    assert (
        detector.detect("like patti did you think you were having a stroke", commenters=commenters)
        is None
    )
    assert detector.detect("christina said she slurs her words", named, commenters) is None
    assert detector.detect("christina has slurred speech", named, commenters) is not None
    # Someone here and now is not a commenter: still an emergency.
    assert detector.detect("my husband says he collapsed", named, commenters) is not None


def test_re2_patterns_run_in_linear_time(tmp_path, config: Config) -> None:
    path = write(
        tmp_path / "config.yaml",
        CONFIG.read_text(encoding="utf-8").replace("  patterns: []", '  patterns: ["(a+)+$"]'),
    )
    detector = UrgentDetector(load_config(path).urgent_care)
    started = time.perf_counter()
    assert detector.detect("a" * 28 + "!") is None
    assert detector.detect("a" * 900 + "!") is None
    # Python's backtracking engine takes ~20 s on 28 characters; RE2 microseconds. Generous.
    assert time.perf_counter() - started < 5
    assert detector.detect("aaaa").flags == ("pattern",)
    assert detector.detect("lone surrogate \udcff aaa") is not None  # no UnicodeEncodeError


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_is_checked_without_error(detector: UrgentDetector, text: str) -> None:
    urgent = detector.detect(text, frozenset({"glenn"}))
    assert urgent is None or urgent.flags

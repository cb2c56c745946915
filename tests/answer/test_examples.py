"""The urgent-care example bank: loading the admin's file (bad entries reported with their line,
good ones kept), clauses, and the veto by meaning with the real sentence model."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.answer.compose import compose_reply
from bot.answer.example_bank import examples_cache_path, urgent_examples
from bot.answer.examples import (
    MAX_CLAUSES,
    MAX_EXAMPLE_CHARS,
    MAX_EXAMPLES,
    ExampleBank,
    Examples,
    build_bank,
    clauses,
    load_examples,
)
from bot.config import Config, load_config
from bot.engine import Engine, build_snapshot
from bot.errors import ConfigError
from bot.retrieval.semantic import Encoder
from tests.helpers import CONFIG, write


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder.load()


def test_a_good_file_loads_both_lists(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ex.yaml",
        'emergency:\n  - "my face is drooping"\nordinary:\n  - "face dropped at the bill lol"\n',
    )
    examples, errors = load_examples(path)
    assert errors == []
    assert examples == Examples(("my face is drooping",), ("face dropped at the bill lol",))


def test_a_bad_entry_is_reported_with_its_line_and_the_rest_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path / "ex.yaml",
        "emergency:\n"
        '  - "cant swallow since botox"\n'
        "  - {text: not a string}\n"
        f'  - "{"x" * (MAX_EXAMPLE_CHARS + 1)}"\n'
        "ordinary:\n"
        '  - "pills are hard to swallow"\n'
        '  - ""\n',
    )
    examples, errors = load_examples(path)
    assert examples == Examples(("cant swallow since botox",), ("pills are hard to swallow",))
    assert [(e.path, e.line) for e in errors] == [(str(path), 3), (str(path), 4), (str(path), 7)]
    assert "expected a message as text" in errors[0].message
    assert f"at most {MAX_EXAMPLE_CHARS} characters" in errors[1].message
    assert "x" * 100 not in str(errors[1])  # never the long bad value itself


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- just a list\n", "expected a mapping"),
        ("emergency: [a b]\n", "'ordinary:' expected a non-empty list"),
        ("emergency: [\n", "not valid YAML"),
    ],
)
def test_a_file_of_the_wrong_shape_gives_no_examples(
    tmp_path: Path, text: str, expected: str
) -> None:
    examples, errors = load_examples(write(tmp_path / "ex.yaml", text))
    assert examples == Examples()
    assert errors and expected in errors[0].message and errors[0].path.endswith("ex.yaml")


def test_a_missing_file_is_one_error(tmp_path: Path) -> None:
    examples, errors = load_examples(tmp_path / "none.yaml")
    assert examples == Examples() and len(errors) == 1 and "cannot be read" in str(errors[0])


def test_too_many_examples_are_cut_at_the_cap(tmp_path: Path) -> None:
    items = "".join(f'  - "message {i}"\n' for i in range(MAX_EXAMPLES + 3))
    path = write(tmp_path / "ex.yaml", f'emergency:\n{items}ordinary:\n  - "fine"\n')
    examples, errors = load_examples(path)
    assert len(examples.emergency) == MAX_EXAMPLES
    assert len(errors) == 1 and errors[0].line == MAX_EXAMPLES + 2


def test_clauses_split_chit_chat_from_the_emergency() -> None:
    text = "loving this thread btw, my face is drooping on one side. anyway what do u pay"
    assert clauses(text) == [
        text,
        "loving this thread",
        "my face is drooping on one side",
        "anyway what do u pay",
    ]  # "btw" alone is too short to weigh


def _bank(encoder: Encoder, margin: float = 0.1) -> ExampleBank:
    examples = Examples(
        (
            "my face is drooping on one side and my speech is slurred",
            "i had a seizure just now and cant stop shaking",
            "having trouble breathing and swallowing since my botox",
        ),
        (
            "my laptop had a total seizure when i opened the forum lol",
            "my face dropped when i saw the bill for the injections lol",
            "what does a seizure mean in general, just curious",
        ),
    )
    bank = build_bank(examples, lambda _text: True, encoder.encode, margin)
    assert bank is not None
    return bank


def test_a_joke_near_an_ordinary_example_reads_as_ordinary(encoder: Encoder) -> None:
    bank = _bank(encoder)
    assert bank.reads_as_ordinary("my laptop basically had a seizure when i opened the app lol")
    assert not bank.reads_as_ordinary("my husband just had a seizure and hes shaking on the floor")


def test_an_emergency_clause_in_chit_chat_is_not_vetoed(encoder: Encoder) -> None:
    bank = _bank(encoder)
    text = "my laptop had a seizure lol. but seriously my face is drooping on one side rn"
    assert not bank.reads_as_ordinary(text)


def test_a_message_of_too_many_clauses_keeps_its_notice(encoder: Encoder) -> None:
    bank = _bank(encoder)
    joke = "my laptop basically had a seizure when i opened the app lol"
    assert bank.reads_as_ordinary(joke)
    assert not bank.reads_as_ordinary(
        ", ".join([joke] + [f"line {i} here" for i in range(MAX_CLAUSES)])
    )


def test_a_wider_margin_vetoes_less(encoder: Encoder) -> None:
    text = "my laptop basically had a seizure when i opened the app lol"
    assert _bank(encoder, 0.0).reads_as_ordinary(text)
    assert not _bank(encoder, 1.0).reads_as_ordinary(text)


def test_a_wording_the_rules_miss_can_read_as_an_emergency(encoder: Encoder) -> None:
    examples = _bank(encoder).examples
    bank = build_bank(examples, lambda _t: True, encoder.encode, 0.1, None, 0.5, 0.05)
    assert bank is not None
    assert bank.reads_as_emergency("my dads face is drooping on one side and hes slurring")
    # An emergency clause in chit-chat counts; an ordinary look-alike does not.
    assert bank.reads_as_emergency("loving this thread, my face is drooping on one side")
    assert not bank.reads_as_emergency("my laptop had a seizure when i opened the forum lol")
    assert not bank.reads_as_emergency("how many units do people get in the forehead")
    # Closer than match_similarity is needed, and match_margin nearer than any ordinary example.
    strict = build_bank(examples, lambda _t: True, encoder.encode, 0.1, None, 0.99, 0.05)
    wide = build_bank(examples, lambda _t: True, encoder.encode, 0.1, None, 0.5, 0.9)
    assert strict is not None and wide is not None
    assert not strict.reads_as_emergency("my dads face is drooping on one side and hes slurring")
    assert not wide.reads_as_emergency("my dads face is drooping on one side and hes slurring")


def test_without_match_similarity_the_examples_only_veto(encoder: Encoder) -> None:
    bank = _bank(encoder)
    assert bank.match_similarity is None
    assert not bank.reads_as_emergency("my face is drooping on one side and my speech is slurred")


def test_no_bank_without_both_lists(encoder: Encoder) -> None:
    assert build_bank(Examples(("a b",), ()), lambda _t: True, encoder.encode, 0.1) is None


def test_veto_margin_is_checked_in_config(tmp_path: Path) -> None:
    text = CONFIG.read_text(encoding="utf-8").replace("veto_margin: 0.1", "veto_margin: 3")
    with pytest.raises(ConfigError, match="veto_margin"):
        load_config(write(tmp_path / "config.yaml", text))


@pytest.mark.parametrize(
    ("key", "value"), [("match_similarity", "1.5"), ("match_margin", "-0.1"), ("match_margin", "x")]
)
def test_match_thresholds_are_checked_in_config(tmp_path: Path, key: str, value: str) -> None:
    lines = [
        f"  {key}: {value}" if line.startswith(f"  {key}:") else line
        for line in CONFIG.read_text(encoding="utf-8").split("\n")
    ]
    with pytest.raises(ConfigError, match=key):
        load_config(write(tmp_path / "config.yaml", "\n".join(lines)))


# Missed by the rules alone, read as emergencies by the shipped examples (written here).
READ_AS_EMERGENCY = [
    "my husband is suddenly not making any sense and keeps staring at the wall",
    "i feel like im breathing through a straw since my shots",
]


@pytest.mark.parametrize("text", READ_AS_EMERGENCY)
def test_shipped_examples_catch_what_the_rules_miss(
    text: str, config: Config, engine: Engine
) -> None:
    assert compose_reply(text, engine.snapshot.searcher, config).notice is None  # rules alone
    reply = engine.ask(text)
    assert reply.notice
    # Quotes follow only as what people wrote, introduced as such.
    assert not reply.quotes or reply.note == config.urgent_care.quotes_note


def test_shipped_examples_give_no_notice_to_ordinary_questions(engine: Engine) -> None:
    for text in (
        "how many units do people get in the forehead?",
        "does botox help with neck pain from migraines?",
        "how long did it take before botox started working for you?",
    ):
        assert engine.ask(text).notice is None, text


# Set off by the rules alone, read as ordinary by the shipped examples (written here).
READ_AS_ORDINARY = [
    "is slurred speech ever part of a migraine aura? my neuro mentioned it",
    "does topamax also get used for epilepsy seizures?",
    "my eyelids droop by the end of the day cuz im so tired haha",
]


@pytest.mark.parametrize("text", READ_AS_ORDINARY)
def test_shipped_examples_veto_what_reads_as_ordinary(
    text: str, config: Config, engine: Engine
) -> None:
    assert engine.snapshot.examples is not None  # sentence vectors are on in config.yaml
    assert compose_reply(text, engine.snapshot.searcher, config).notice  # the rules alone
    assert engine.ask(text).notice is None


def test_shipped_examples_keep_emergencies(engine: Engine) -> None:
    for text in (
        "my wife is having a seizure right now, shaking all over",
        "my speech is slurred since this morning and my arm is weak",
        "cant swallow since my botox shots",
    ):
        assert engine.ask(text).notice, text


def test_an_administrators_pattern_is_never_vetoed(config: Config, engine: Engine) -> None:
    import re2

    care = dataclasses.replace(config.urgent_care, patterns=(re2.compile("epilepsy"),))
    text = READ_AS_ORDINARY[1]
    with_pattern = dataclasses.replace(config, urgent_care=care)
    reply = compose_reply(
        text, engine.snapshot.searcher, with_pattern, examples=engine.snapshot.examples
    )
    assert reply.notice


def test_without_sentence_vectors_the_rules_decide_alone(config: Config, engine: Engine) -> None:
    joke = READ_AS_ORDINARY[0]
    assert compose_reply(joke, engine.snapshot.searcher, config, examples=None).notice

    bank, errors = urgent_examples(config, engine.snapshot.searcher, encoder=None)
    assert bank is None and errors == ()


def test_a_broken_examples_file_is_reported_and_rules_still_work(
    tmp_path: Path, config: Config, engine: Engine, encoder: Encoder
) -> None:
    path = write(tmp_path / "ex.yaml", 'emergency:\n  - "a b c"\n  - [1]\nordinary: 3\n')
    care = dataclasses.replace(config.urgent_care, examples=path)
    broken = dataclasses.replace(config, urgent_care=care)
    bank, errors = urgent_examples(broken, engine.snapshot.searcher, encoder)
    assert bank is None
    assert [e.line for e in errors] == [3, 4]
    assert all(str(e).startswith(f"{path}:") for e in errors)
    # `check` prints a snapshot's errors: the broken file is among them, the corpus still loads.
    snapshot = build_snapshot(broken, encoder=encoder)
    assert snapshot.examples is None and snapshot.passages
    assert [e.line for e in snapshot.errors if e.path == str(path)] == [3, 4]


def test_the_bank_is_embedded_once_on_first_use(encoder: Encoder) -> None:
    embedded: list[list[str]] = []

    def counting(texts: Sequence[str]) -> np.ndarray:
        embedded.append(list(texts))
        return encoder.encode(texts)

    examples = Examples(
        ("loving this thread, my face is drooping on one side",),
        ("how much do you all pay",),
    )
    bank = build_bank(examples, lambda t: "drooping" in t, encoder.encode, 0.1, counting)
    assert bank is not None and embedded == []
    bank.reads_as_ordinary("my face is drooping")
    bank.reads_as_ordinary("how much do you pay")
    assert len(embedded) == 1
    # An emergency example whole and the clauses the rules fire on; its chit-chat is left out.
    assert embedded[0] == [
        "loving this thread, my face is drooping on one side",
        "my face is drooping on one side",
        "how much do you all pay",
    ]


def test_the_examples_vectors_are_kept_beside_the_passage_vectors(config: Config) -> None:
    path = examples_cache_path(config)
    assert config.retrieval.semantic_cache is not None and path is not None
    assert path.parent == config.retrieval.semantic_cache.parent
    assert path != config.retrieval.semantic_cache


def test_the_whole_question_is_embedded_once_and_its_clauses_in_one_batch(
    config: Config, encoder: Encoder
) -> None:
    """Retrieval embeds the question too: the bank asks for it by the same route, so an ask
    embeds it once, and the clauses go to the model together."""
    engine = Engine(config)
    batches: list[list[list[int]]] = []
    embed_ids = engine.encoder._embed_ids  # type: ignore[union-attr]

    def spying(ids: list[list[int]]) -> np.ndarray:
        batches.append(ids)
        return embed_ids(ids)

    engine.encoder._embed_ids = spying  # type: ignore[union-attr,method-assign]
    question = "got my shots tuesday, loving it so far, how long did it take to kick in for u"
    engine.ask(question)
    whole = engine.encoder._tokenizer.encode(question).ids  # type: ignore[union-attr]
    assert sum(row == whole for batch in batches for row in batch) == 1
    assert len(batches) == 2  # the whole question, then its three clauses in one batch
    assert sorted(len(batch) for batch in batches) == [1, len(clauses(question)) - 1]


SETS = sorted(Path("tests/eval").glob("urgent_*.yaml"))


def test_embedding_the_question_once_changes_no_decision(engine: Engine) -> None:
    """Every text of every set gets the same notice decision whether the whole message's vector
    comes from the question route (shared with retrieval) or from the clauses' batch."""
    from tools.evaluation.safety import load_safety_set

    shared = engine.snapshot.examples
    assert shared is not None and shared._embed_message is not None
    batched = ExampleBank(
        shared.examples,
        shared._fires,
        shared._embed_examples,
        shared._embed,
        shared.veto_margin,
        shared.match_similarity,
        shared.match_margin,
    )
    batched._vectors = shared.ready()
    assert len(SETS) >= 7
    texts = [
        item.text
        for path in SETS
        for section in ("emergency", "ordinary")
        for item in load_safety_set(path, section)
    ]
    fires = shared._fires
    for text in texts:  # as compose_reply asks: the veto after a rule's hit, else a match
        if fires(text):
            assert shared.reads_as_ordinary(text) == batched.reads_as_ordinary(text), text
        else:
            assert shared.reads_as_emergency(text) == batched.reads_as_emergency(text), text

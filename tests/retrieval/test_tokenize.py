from __future__ import annotations

from bot.retrieval.tokenize import Tokenizer, TokenizerSettings


def test_curly_apostrophes_case_and_negations() -> None:
    tok = Tokenizer()
    assert tok("It DIDN’T help") == tok("it didn't help") == ["not", "help"]
    assert "not" in tok("I won’t do it again") and "no" in tok("no relief")


def test_stemming_joins_word_forms_and_question_filler_goes() -> None:
    tok = Tokenizer()
    assert tok("injections") == tok("injection") == tok("injected")
    assert tok("Does anyone know what people think?") == []


def test_settings_switch_choices_off() -> None:
    raw = Tokenizer(TokenizerSettings(stem=False, stop_words=False))
    assert raw("Does it help migraines") == ["does", "it", "help", "migraines"]


def test_non_words_give_no_tokens() -> None:
    assert Tokenizer()("?!… 🙂🙂 ***") == []


def test_names_are_capitalized_words_inside_a_sentence() -> None:
    tokenizer = Tokenizer()
    assert tokenizer.names("has anyone tried Nurtec? Or Ubrelvy") == {"nurtec", "ubrelvy"}
    assert tokenizer.names("Does it help? I'm asking for my Mum") == {"mum"}
    assert tokenizer.names("Botox worked. Topamax didn't") == set()
    assert tokenizer.names("WHY DOES NOTHING WORK") == set()

"""Shared fixtures: the seed corpus, the real config, and an engine over them."""

from __future__ import annotations

import pytest

from bot.config import Config, load_config
from bot.corpus.model import Document
from bot.corpus.textpage import parse_text_page
from bot.engine import Engine
from bot.summary import Summarizer
from tests.helpers import CONFIG, SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_doc(seed_text: str) -> Document:
    return parse_text_page(seed_text, str(SEED), SEED.stem)


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(CONFIG)


@pytest.fixture(scope="session")
def engine(config: Config) -> Engine:
    return Engine(config)


@pytest.fixture(scope="session")
def disclaimer(config: Config) -> str:
    return config.disclaimer


@pytest.fixture(scope="session")
def seed_summarizer(engine: Engine) -> Summarizer:
    return engine.summarizer()

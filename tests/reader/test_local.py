"""The local cross-encoder: the numpy encoder against transformers' logits for a tiny model."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.config import Config, ReaderSettings
from bot.engine import Engine
from bot.reader.local import CrossEncoder
from bot.retrieval.semantic import ModelError

DATA = Path(__file__).parent / "data"
MODEL = DATA / "tiny-cross-encoder"


@pytest.fixture(scope="module")
def cross_encoder() -> CrossEncoder:
    return CrossEncoder.load(MODEL)


def test_logits_match_the_reference_implementation(cross_encoder: CrossEncoder) -> None:
    cases = json.loads((DATA / "reference.json").read_text(encoding="utf-8"))
    assert len(cases) == 3
    for case in cases:
        got = cross_encoder.scores(case["question"], case["passages"])
        np.testing.assert_allclose(got, case["logits"], atol=1e-5, rtol=0)


def test_one_batch_scores_like_one_pair_at_a_time(cross_encoder: CrossEncoder) -> None:
    # Padding must not leak into the scores: a long passage beside short ones changes nothing.
    case = json.loads((DATA / "reference.json").read_text(encoding="utf-8"))[0]
    alone = [cross_encoder.scores(case["question"], [p])[0] for p in case["passages"]]
    batch = cross_encoder.scores(case["question"], case["passages"])
    np.testing.assert_allclose(batch, alone, atol=1e-5, rtol=0)


def test_the_reading_orders_by_logit(cross_encoder: CrossEncoder) -> None:
    case = json.loads((DATA / "reference.json").read_text(encoding="utf-8"))[1]
    reading = cross_encoder.read(case["question"], case["passages"])
    assert list(reading.order) == sorted(
        range(len(case["logits"])), key=lambda i: -case["logits"][i]
    )
    assert reading.verdict == pytest.approx(max(case["logits"]), abs=1e-5)


def copy_model(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(MODEL, folder)
    return folder


def test_a_changed_file_is_refused(tmp_path: Path) -> None:
    folder = copy_model(tmp_path)
    with (folder / "model.safetensors").open("r+b") as handle:
        handle.seek(-4, 2)
        handle.write(b"\0\0\0\1")
    with pytest.raises(ModelError, match=r"model.safetensors: SHA-256 .* refusing"):
        CrossEncoder.load(folder)


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        (None, "SHA256SUMS: cannot be read"),
        ("not a digest line\n", "SHA256SUMS:1: expected"),
        ("", "no SHA-256 listed for config.json"),
    ],
)
def test_the_manifest_must_list_every_file(
    tmp_path: Path, manifest: str | None, expected: str
) -> None:
    folder = copy_model(tmp_path)
    if manifest is None:
        (folder / "SHA256SUMS").unlink()
    else:
        (folder / "SHA256SUMS").write_text(manifest, encoding="utf-8")
    with pytest.raises(ModelError, match=expected):
        CrossEncoder.load(folder)


def test_the_engine_runs_the_local_reader(config: Config, engine: Engine) -> None:
    question = "How often do people get Botox injections?"
    settings = ReaderSettings(model_dir=MODEL, candidates=10)
    reader_engine = Engine(replace(config, reader=settings))
    assert reader_engine.reader is not None
    ranking = engine.snapshot.searcher.rank(question)
    logits = CrossEncoder.load(MODEL).scores(question, [h.passage.text for h in ranking.hits[:10]])
    best = ranking.hits[int(np.argmax(logits))].passage.comment_id
    reply = reader_engine.ask(question)
    assert reply.answered and reply.quotes[0].passage.comment_id == best


def test_a_broken_model_folder_leaves_todays_ranking(
    config: Config, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = ReaderSettings(model_dir=tmp_path / "nowhere")
    reader_engine = Engine(replace(config, reader=settings))
    assert reader_engine.reader is None
    assert "reader off" in caplog.text
    assert reader_engine.ask("How often do people get Botox injections?").answered

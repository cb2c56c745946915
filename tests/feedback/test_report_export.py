"""`python -m bot feedback report|export`, and the export read back by the evaluation."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bot.feedback import FeedbackStore, QuotedComment, ReplyRecord
from bot.feedback.export import to_yaml
from bot.feedback.report import build_report
from tests.helpers import CONFIG, ROOT, run_bot

GOOD = "how often do you go back for the shots?"
LIKED = "How often do people get Botox injections?"
BAD = 'the "worst" question: why?'  # quotes and a colon survive the YAML


def config_for(tmp_path: Path, keep_text: bool) -> Path:
    """config.yaml in tmp_path beside a copy of the corpus (paths stay inside its folder); the
    feedback store is then tmp_path/data/feedback.db."""
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus", dirs_exist_ok=True)
    shutil.copy(ROOT / "lexicon.yaml", tmp_path / "lexicon.yaml")
    text = CONFIG.read_text(encoding="utf-8")
    assert "log_question_text: false" in text and "path: data/feedback.db" in text
    text = text.replace(
        "log_question_text: false", f"log_question_text: {'true' if keep_text else 'false'}", 1
    )
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def store_in(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(tmp_path / "data" / "feedback.db")


def fill(store: FeedbackStore) -> None:
    helen, patti, glenn = "helen-2012-02-17", "patti-2012-12-14", "glenn-2012-12-17"
    store.record_reply(
        ReplyRecord(
            1,
            5,
            "answered",
            False,
            (QuotedComment(helen, 9.0, 1), QuotedComment(glenn, 4.0, 2)),
            GOOD,
        )
    )
    store.record_reply(ReplyRecord(2, 5, "answered", True, (QuotedComment(patti, 3.0, 1),), GOOD))
    store.record_reply(ReplyRecord(3, 5, "answered", False, (QuotedComment(glenn, 2.0, 1),), BAD))
    store.record_reply(ReplyRecord(4, 5, "answered", False, (QuotedComment(glenn, 2.0, 1),)))
    store.vote(1, 100, 1)
    store.vote(1, 101, 1)
    store.vote(1, 102, -1)
    store.vote(2, 100, 1)
    store.vote(3, 100, -1)
    store.vote(4, 100, -1)  # no text kept: counted, never exported


def test_report_counts_shares_and_worst(tmp_path: Path) -> None:
    store = store_in(tmp_path)
    fill(store)
    report = build_report(store.votes())
    assert report.votes == 6 and report.down_share == 0.5
    assert sum(d.up + d.down for d in report.days) == 6
    worst = report.comments_voted_down[0]
    assert (worst.name, worst.down, worst.up) == ("glenn-2012-12-17", 3, 2)
    assert [(q.name, q.down, q.up) for q in report.worst_questions] == [(BAD, 1, 0), (GOOD, 1, 3)]


def test_cli_report_json_matches(tmp_path: Path) -> None:
    config = config_for(tmp_path, keep_text=True)
    fill(store_in(tmp_path))
    done = run_bot("--config", str(config), "feedback", "report", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["votes"] == 6 and data["down_share"] == 0.5
    assert data["worst_questions"][0]["name"] == BAD
    text = run_bot("--config", str(config), "feedback", "report")
    assert "6 votes, 50% 👎" in text.stdout and "glenn-2012-12-17: 👎 3 · 👍 2" in text.stdout


def test_cli_without_a_store_says_so(tmp_path: Path) -> None:
    config = config_for(tmp_path, keep_text=False)
    done = run_bot("--config", str(config), "feedback", "report")
    assert done.returncode == 1 and "no feedback store" in done.stderr
    assert not (tmp_path / "data").exists()  # a report never creates one


def test_export_then_evaluate(tmp_path: Path, engine) -> None:
    config = config_for(tmp_path, keep_text=True)
    store = store_in(tmp_path)
    fill(store)
    # a reader liked a real answer: its top quote becomes gold, so the evaluation scores S@1 = 1
    liked = engine.ask(LIKED)
    quotes = tuple(
        QuotedComment(q.passage.comment_id or "article", q.score, rank)
        for rank, q in enumerate(liked.quotes, 1)
    )
    store.record_reply(ReplyRecord(10, 5, liked.status, False, quotes, LIKED))
    store.vote(10, 100, 1)
    out = tmp_path / "round6.yaml"
    done = run_bot("--config", str(config), "feedback", "export", str(out))
    assert done.returncode == 0, done.stderr
    assert "wrote 3 unreviewed questions" in done.stdout

    from bot.yamlsource import load_yaml

    entries = load_yaml(out.read_text(encoding="utf-8"), str(out))
    by_text = {e["question"]: e for e in entries}
    assert set(by_text) == {GOOD, BAD, LIKED}
    good = by_text[GOOD]
    assert good["reviewed"] is False and good["split"] == "test"
    # helen: 👍 2, 👎 1 → gold; patti: 👍 1 → gold; glenn: 👍 2, 👎 1 → gold on this question
    assert good["gold"] == {"helen-2012-02-17": 2, "patti-2012-12-14": 2, "glenn-2012-12-17": 2}
    assert by_text[BAD]["gold"] == {} and by_text[BAD]["not_gold"] == ["glenn-2012-12-17"]

    again = run_bot("--config", str(config), "feedback", "export", str(out))
    assert again.returncode == 2 and "--force" in again.stderr

    assert set(by_text[LIKED]["gold"]) == {q.comment for q in quotes}

    whole = run_bot("--questions", str(out), "--json", module="tools.evaluation")
    assert whole.returncode == 0, whole.stderr[-2000:]
    assert json.loads(whole.stdout)["splits"]["test"]["project"]["questions"] == 3

    kept = [e for e in entries if e["question"] == LIKED]
    one = tmp_path / "liked.yaml"
    one.write_text(to_yaml(kept), encoding="utf-8")
    scored = run_bot("--questions", str(one), "--json", module="tools.evaluation")
    assert scored.returncode == 0, scored.stderr[-2000:]
    project = json.loads(scored.stdout)["splits"]["test"]["project"]
    assert project["questions"] == 1 and project["S@1"] == 1.0


def test_cli_purge_deletes_what_keep_days_says(tmp_path: Path) -> None:
    config = config_for(tmp_path, keep_text=False)
    text = config.read_text(encoding="utf-8")
    assert "keep_days: 180" in text
    config.write_text(text.replace("keep_days: 180", "keep_days: 10", 1), encoding="utf-8")
    store = store_in(tmp_path)
    store.record_reply(ReplyRecord(1, 5, "answered", False, (), None, 1.0))  # long expired
    store.record_reply(ReplyRecord(2, 5, "answered", False, ()))
    done = run_bot("--config", str(config), "feedback", "purge")
    assert done.returncode == 0, done.stderr
    assert "deleted 1 replies older than 10 days" in done.stdout
    assert store.vote(1, 100, 1) == "unknown_reply" and store.vote(2, 100, 1) == "recorded"

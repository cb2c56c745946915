"""`feedback report [--json]` (what /feedback shows), `feedback export FILE` (voted questions as
unreviewed evaluation questions, in the format of tests/eval/questions.yaml), `feedback purge`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.config import load_config
from bot.feedback import FeedbackStore, FeedbackUnavailable, Vote
from bot.feedback.export import candidates, to_yaml
from bot.feedback.report import build_report, report_lines


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("feedback", help="readers' votes on answers: report or export")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    report = actions.add_parser("report", help="votes by day, share of 👎, worst comments")
    report.add_argument("--json", action="store_true", help="print the report as JSON")
    export = actions.add_parser(
        "export", help="write voted questions (text kept) as unreviewed evaluation questions"
    )
    export.add_argument("file", metavar="FILE", help="the YAML file to write")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")
    actions.add_parser("purge", help="delete replies and votes older than feedback.keep_days now")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    path = config.feedback.path
    if path is None or not path.exists():
        print(f"error: no feedback store at {path} (no votes yet?)", file=sys.stderr)
        return 1
    store = FeedbackStore(path, config.feedback.busy_timeout, config.feedback.keep_days)
    try:
        if args.action == "purge":
            return purge(store)
        # a read must not create anything: the file exists, and migrate() writes only when old
        votes = store.votes()
    except FeedbackUnavailable as exc:
        print(f"error: feedback store {path}: {exc}", file=sys.stderr)
        return 1
    if args.action == "report":
        report = build_report(votes)
        if args.json:
            print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            print("\n".join(report_lines(report, config.log_question_text)))
        return 0
    return export(args, votes)


def purge(store: FeedbackStore) -> int:
    if not store.keep_days:
        print("feedback.keep_days is 0: everything is kept, nothing deleted")
        return 0
    gone = store.purge()
    print(f"deleted {gone} replies older than {store.keep_days} days, with their votes")
    return 0


def export(args: argparse.Namespace, votes: list[Vote]) -> int:
    target = Path(args.file)
    if target.exists() and not args.force:
        print(f"error: {target} exists; add --force to replace it", file=sys.stderr)
        return 2
    entries = candidates(votes)
    target.write_text(to_yaml(entries), encoding="utf-8")
    with_gold = sum(1 for e in entries if e["gold"])
    print(
        f"wrote {len(entries)} unreviewed questions to {target} ({with_gold} with candidate gold);"
        " review them before adding them as a new round (README, Feedback)"
    )
    if not entries:
        print("no voted question has its text kept (log_question_text: false)", file=sys.stderr)
    return 0

"""`eval --urgent` and `eval --near-miss`: the urgent-care notice and the "not covered" answers
on a blind-written set (tests/eval/urgent_tune.yaml, or any file in the same shape):

    emergency: [{text, flag}]            the notice must fire; recall per flag
    ordinary:  [{text, near}]            it must not; each false alarm listed
    near_miss: [{text, expect, why, where?}]
               expect: not_covered       about someone or a drug the discussion never mentions
               expect: answered          controls that look alike but are covered
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.answer.compose import Reply
from bot.errors import SourceError
from bot.presentation.quotes import quote_attribution
from bot.yamlsource import LineMap, load_yaml

DEFAULT_SAFETY_SET = Path("tests/eval/urgent_tune.yaml")
MAX_ITEMS = 10_000
Ask = Callable[[str], Reply]


@dataclass(frozen=True)
class Item:
    text: str
    label: str  # flag, near, or expect
    why: str = ""
    where: str = ""
    line: int | None = None


def load_safety_set(path: Path, section: str) -> list[Item]:
    """One section of the file; a broken item is an error naming its line."""
    data = load_yaml(path.read_text(encoding="utf-8"), str(path))
    if not isinstance(data, LineMap) or section not in data:
        raise SourceError(str(path), getattr(data, "line", 1), f"expected a '{section}:' list")
    raw = data[section]
    if not isinstance(raw, list) or len(raw) > MAX_ITEMS:
        raise SourceError(str(path), data.line_of(section), f"{section}: expected a list")
    label_key = {"emergency": "flag", "ordinary": "near", "near_miss": "expect"}[section]
    items = []
    lines = getattr(raw, "item_lines", [data.line_of(section)] * len(raw))
    for entry, line in zip(raw, lines, strict=True):
        if not isinstance(entry, LineMap) or not isinstance(entry.get("text"), str):
            raise SourceError(str(path), line, f"{section}: expected {{text, {label_key}}}")
        label = str(entry.get(label_key, ""))
        if section == "near_miss" and label not in {"not_covered", "answered"}:
            raise SourceError(str(path), entry.line_of("expect"), "expect: not_covered or answered")
        items.append(
            Item(
                entry["text"],
                label,
                str(entry.get("why", "")),
                str(entry.get("where", "")),
                entry.line,
            )
        )
    return items


def urgent_figures(ask: Ask, emergency: list[Item], ordinary: list[Item]) -> dict[str, Any]:
    """Recall of the notice per flag, and false alarms on ordinary questions."""
    per_flag: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # flag → [caught, total]
    misses = []
    for item in emergency:
        caught = ask(item.text).notice is not None
        per_flag[item.label][0] += caught
        per_flag[item.label][1] += 1
        if not caught:
            misses.append({"text": item.text, "flag": item.label, "line": item.line})
    alarms = [
        {"text": i.text, "near": i.label, "line": i.line}
        for i in ordinary
        if ask(i.text).notice is not None
    ]
    caught = sum(c for c, _ in per_flag.values())
    return {
        "emergency": len(emergency),
        "recall": caught / len(emergency) if emergency else 1.0,
        "recall_per_flag": {f: c / n for f, (c, n) in sorted(per_flag.items())},
        "flag_counts": {f: n for f, (_, n) in sorted(per_flag.items())},
        "ordinary": len(ordinary),
        "false_alarms": len(alarms),
        "false_alarm_rate": len(alarms) / len(ordinary) if ordinary else 0.0,
        "misses": misses,
        "false_alarm_list": alarms,
    }


def near_miss_figures(ask: Ask, items: list[Item]) -> dict[str, Any]:
    """Share of out-of-scope questions answered "not covered", share of controls answered."""
    failures = []
    refused = answered = 0
    by_why: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in items:
        reply = ask(item.text)
        ok = reply.answered == (item.label == "answered")
        if item.label == "answered":
            answered += reply.answered
        else:
            refused += not reply.answered
        by_why[item.why or item.label][0] += ok
        by_why[item.why or item.label][1] += 1
        if not ok:
            failures.append(
                {
                    "text": item.text,
                    "expect": item.label,
                    "why": item.why,
                    "line": item.line,
                    "got": reply.status,
                    "quoted": [f"{quote_attribution(q)}: {q.text[:80]}" for q in reply.quotes],
                }
            )
    uncovered = sum(i.label == "not_covered" for i in items)
    controls = len(items) - uncovered
    return {
        "not_covered_questions": uncovered,
        "not_covered_rate": refused / uncovered if uncovered else 1.0,
        "controls": controls,
        "answered_rate": answered / controls if controls else 1.0,
        "correct_per_why": {w: c / n for w, (c, n) in sorted(by_why.items())},
        "failures": failures,
    }


def format_urgent(path: Path, f: dict[str, Any]) -> str:
    out = [
        f"urgent-care notice on {path}",
        f"recall: {f['recall']:.3f} ({round(f['recall'] * f['emergency'])} of {f['emergency']})",
    ]
    for flag, recall in f["recall_per_flag"].items():
        out.append(f"  {flag:<24} {recall:.3f} of {f['flag_counts'][flag]}")
    out.append(
        f"false alarms: {f['false_alarms']} of {f['ordinary']} ordinary questions "
        f"({f['false_alarm_rate']:.3f})"
    )
    out += [f"  missed [{m['flag']}] line {m['line']}: {m['text']}" for m in f["misses"]]
    out += [
        f"  false alarm [{a['near']}] line {a['line']}: {a['text']}" for a in f["false_alarm_list"]
    ]
    return "\n".join(out)


def format_near_miss(path: Path, f: dict[str, Any]) -> str:
    out = [
        f"near-miss questions on {path}",
        f"not covered, as expected: {f['not_covered_rate']:.3f} of {f['not_covered_questions']}",
        f"controls answered: {f['answered_rate']:.3f} of {f['controls']}",
    ]
    for why, rate in f["correct_per_why"].items():
        out.append(f"  {why:<16} {rate:.3f} right")
    for x in f["failures"]:
        out.append(f"  expected {x['expect']}, got {x['got']} (line {x['line']}): {x['text']}")
        out += [f"      quoted {q}" for q in x["quoted"]]
    return "\n".join(out)

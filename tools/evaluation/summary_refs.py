"""`python -m tools.evaluation --summaries`: every length, every reference, every sumy method.

References come from YAML files in one of two shapes:
- the blind sets (`tests/eval/summary_refs_tune.yaml`, `tests/eval/summary_refs_test.yaml`; a fresh
  held-out set has the same shape):
  `whole: [{id, text}]`, `topics: [{id, topic, text}]`, `authors: [{id, author, text}]`;
- the first references (`tests/eval/summaries.yaml`): a list of `{kind, topic, text}`.

Whole-discussion summaries are scored at 4, 6, 8, 10 and 14 sentences against every whole
reference; each sumy method summarizes the same candidate sentences and is cut to the project's
length in words (`summaries.cut_to_words`). Topic and author summaries are scored at their default
length beside sumy run on just the sentences of that topic's comments (those with a sentence
matching it) or of that author. Figures are ROUGE-1/-2 F (rouge-score, Porter stemming), per
reference and as means.

Fairness: every method gets the same sentences. For the whole discussion that is the project's
candidate pool (every quotable sentence of the article and the comments: at least two index terms,
at most 60 words). For a topic it is every quotable sentence of the comments BM25 retrieves for it,
the set-up of query-focused summarization benchmarks (DUC 2005–7), where generic summarizers get
the topic's documents: the project quotes only the matches and their neighbours, sumy may pick any
of it. A narrower pool would leave sumy as many sentences as the summary has, so every method would
tie by construction — as happens for an author with no more sentences than the summary asks for.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from bot.errors import SourceError
from bot.summary.summarizer import Summarizer
from bot.yamlsource import LineList, LineMap, load_yaml
from tools.evaluation.summaries import (
    SUMY_METHODS,
    Score,
    cut_to_words,
    rouge_scorer,
    rouge_tokens,
    score,
    sumy_ranking,
)

EVAL_DIR = Path(__file__).resolve().parents[2] / "tests" / "eval"
# Every reference the method may be tuned on: the first three, the first blind set, and the
# second blind set (held out once, scored, then studied: tuning data since).
TUNE_REFERENCES = (
    EVAL_DIR / "summaries.yaml",
    EVAL_DIR / "summary_refs_tune.yaml",
    EVAL_DIR / "summary_refs_test.yaml",
)
LENGTHS = (4, 6, 8, 10, 14)
PROJECT = "project"
MAX_FILE_BYTES = 2_000_000
MAX_REFERENCES = 500
MAX_TEXT_CHARS = 20_000


@dataclass(frozen=True)
class Reference:
    id: str
    kind: str  # "whole", "topic" or "author"
    text: str
    topic: str | None = None
    author: str | None = None
    source: str = ""  # file:line

    @property
    def label(self) -> str:
        return self.topic or self.author or self.id


@dataclass
class Cell:
    """One summary (project or sumy) scored against each reference."""

    words: int
    per_reference: dict[str, Score] = field(default_factory=dict)

    def mean(self) -> tuple[float, float]:
        scores = list(self.per_reference.values())
        if not scores:
            return (0.0, 0.0)
        return (
            sum(s.rouge1 for s in scores) / len(scores),
            sum(s.rouge2 for s in scores) / len(scores),
        )


@dataclass
class Row:
    """One summary request: a length of the whole discussion, a topic or an author."""

    kind: str
    label: str
    sentences: int
    pool: int  # sentences every method chose from
    methods: dict[str, Cell] = field(default_factory=dict)  # project first
    note: str | None = None


# -- references ----------------------------------------------------------------------------------


def load_references(paths: Sequence[Path]) -> list[Reference]:
    out: list[Reference] = []
    seen: set[str] = set()
    for path in paths:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SourceError(str(path), None, f"expected at most {MAX_FILE_BYTES} bytes")
        data = load_yaml(path.read_text(encoding="utf-8"), str(path))
        for ref in _references(data, str(path)):
            key = ref.id
            if key in seen:  # two files may use the same id: keep both, told apart by file
                key = f"{path.stem}:{ref.id}"
            seen.add(key)
            out.append(Reference(key, ref.kind, ref.text, ref.topic, ref.author, ref.source))
            if len(out) > MAX_REFERENCES:
                raise SourceError(str(path), None, f"expected at most {MAX_REFERENCES} references")
    return out


def _references(data: Any, path: str) -> list[Reference]:
    if isinstance(data, LineList):  # the first shape: [{kind, topic, text}]
        out = []
        for item, line in zip(data, data.item_lines, strict=True):
            item = _mapping(item, path, line)
            kind = item.get("kind")
            if kind not in ("discussion", "topic"):
                where = item.line_of("kind")
                raise SourceError(path, where, "expected kind: discussion or topic")
            topic = _text(item, "topic", path) if kind == "topic" else None
            ref_kind = "whole" if kind == "discussion" else "topic"
            ref_id = f"first-{ref_kind}" + (f"-{topic}" if topic else "")
            out.append(Reference(ref_id, ref_kind, _text(item, "text", path), topic, None))
            out[-1] = _with_source(out[-1], path, line)
        return out
    if not isinstance(data, LineMap):
        raise SourceError(path, 1, "expected `whole:`, `topics:` and `authors:` lists")
    unknown = sorted(set(data) - {"whole", "topics", "authors"})
    if unknown:
        key = unknown[0]
        raise SourceError(
            path, data.line_of(key), f"expected whole, topics or authors, got {key[:40]!r}"
        )
    out = []
    for key, kind, extra in (
        ("whole", "whole", None),
        ("topics", "topic", "topic"),
        ("authors", "author", "author"),
    ):
        if key not in data or data[key] is None:
            continue
        items = data[key]
        if not isinstance(items, LineList):
            raise SourceError(path, data.line_of(key), f"expected a list under {key}:")
        for item, line in zip(items, items.item_lines, strict=True):
            item = _mapping(item, path, line)
            ref_id = _text(item, "id", path)
            value = _text(item, extra, path) if extra else None
            out.append(
                Reference(
                    ref_id,
                    kind,
                    _text(item, "text", path),
                    topic=value if kind == "topic" else None,
                    author=value if kind == "author" else None,
                    source=f"{path}:{line}",
                )
            )
    return out


def _with_source(ref: Reference, path: str, line: int) -> Reference:
    return Reference(ref.id, ref.kind, ref.text, ref.topic, ref.author, f"{path}:{line}")


def _mapping(item: Any, path: str, line: int) -> LineMap:
    if not isinstance(item, LineMap):
        raise SourceError(path, line, "expected a mapping with id and text")
    return item


def _text(item: LineMap, key: str, path: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SourceError(path, item.line_of(key), f"expected {key}: some text")
    if len(value) > MAX_TEXT_CHARS:
        raise SourceError(path, item.line_of(key), f"expected {key} under {MAX_TEXT_CHARS} chars")
    return " ".join(value.split())


# -- scoring -------------------------------------------------------------------------------------


class _Rankings:
    """sumy's rankings, computed once per pool and method (a ranking does not depend on length)."""

    # Shared by the variants of one run: the same pool gets the same ranking.
    _cache: ClassVar[dict[tuple[str, tuple[str, ...]], list[int]]] = {}

    def __init__(self, summarizer: Summarizer) -> None:
        self.summarizer = summarizer

    def ranked(self, method: str, pool: Sequence[int]) -> list[int]:
        c = self.summarizer.candidates
        texts = [c[i].text for i in pool]
        key = (method, tuple(f"{c[i].group}\x00{c[i].text}" for i in pool))
        if key not in self._cache:
            self._cache[key] = sumy_ranking(method, texts, [c[i].group for i in pool])
        return self._cache[key]


def _row(
    kind: str,
    label: str,
    n: int,
    ours: str,
    pool: Sequence[int],
    refs: Sequence[Reference],
    methods: Sequence[str],
    rankings: _Rankings | None,
    scorer: Any,
) -> Row:
    row = Row(kind, label, n, len(pool))
    budget = len(rouge_tokens(ours))
    texts = {PROJECT: ours}
    if rankings is not None:
        candidates = rankings.summarizer.candidates
        pool_texts = [candidates[i].text for i in pool]
        for method in methods:
            ranked = rankings.ranked(method, pool)
            texts[method] = cut_to_words(ranked, pool_texts, budget)
    for name, text in texts.items():
        cell = Cell(len(rouge_tokens(text)))
        for ref in refs:
            cell.per_reference[ref.id] = score(scorer, ref.text, text)
        row.methods[name] = cell
    return row


def compare(
    summarizer: Summarizer,
    references: Sequence[Reference],
    lengths: Sequence[int] = LENGTHS,
    methods: Sequence[str] = SUMY_METHODS,
    baselines: bool = True,
    progress: Callable[[str], None] | None = None,
) -> list[Row]:
    """baselines=False scores the project alone (for comparing the project's variants)."""
    scorer = rouge_scorer()
    rankings = _Rankings(summarizer) if baselines else None
    rows: list[Row] = []
    whole = [r for r in references if r.kind == "whole"]
    if whole:
        for n in lengths:
            if progress:
                progress(f"whole discussion, {n} sentences")
            summary = summarizer.summarize(sentences=n)
            ours = " ".join(s.text for s in summary.sentences)
            pool = summarizer.pool(None, n)
            rows.append(_row("whole", "whole", n, ours, pool, whole, methods, rankings, scorer))
    for ref in references:
        if ref.kind == "whole":
            continue
        if progress:
            progress(ref.label)
        if ref.kind == "topic":
            summary = summarizer.summarize(topic=ref.topic)
            pool = summarizer.pool(ref.topic, len(summary.sentences) or 1)
        else:
            summary = summarizer.summarize(author=ref.author)
            pool = summarizer.author_pool(ref.author or "", len(summary.sentences) or 1)
        ours = " ".join(s.text for s in summary.sentences)
        row = _row(
            ref.kind,
            ref.label,
            len(summary.sentences),
            ours,
            pool,
            [ref],
            methods,
            rankings,
            scorer,
        )
        if not summary.sentences:
            row.note = summary.message or "nothing summarized"
        rows.append(row)
    return rows


# -- reporting -----------------------------------------------------------------------------------


def mean_rows(rows: Sequence[Row], kind: str) -> dict[str, tuple[float, float]]:
    """Mean ROUGE-1/-2 F per method over the rows of one kind (topics or authors)."""
    chosen = [r for r in rows if r.kind == kind]
    if not chosen:
        return {}
    out = {}
    for method in chosen[0].methods:
        means = [r.methods[method].mean() for r in chosen]
        out[method] = (
            sum(m[0] for m in means) / len(means),
            sum(m[1] for m in means) / len(means),
        )
    return out


def behind(rows: Sequence[Row], topic_baseline: str = "KL") -> list[str]:
    """Where the targets are missed: whole summaries (means) behind any sumy method; topic and
    author summaries behind KL-Sum (each, and on the mean)."""
    out = []
    for row in rows:
        ours = row.methods[PROJECT].mean()
        if row.kind == "whole":
            others = [m for m in row.methods if m != PROJECT]
        else:
            others = [topic_baseline] if topic_baseline in row.methods else []
        for method in others:
            theirs = row.methods[method].mean()
            for name, a, b in (("ROUGE-1", ours[0], theirs[0]), ("ROUGE-2", ours[1], theirs[1])):
                if a <= b:
                    what = f"{row.sentences} sentences" if row.kind == "whole" else row.label
                    out.append(f"{row.kind} {what} {name}: {method} {b:.3f} ≥ {a:.3f}")
    for kind in ("topic", "author"):
        means = mean_rows(rows, kind)
        if topic_baseline in means:
            ours, theirs = means[PROJECT], means[topic_baseline]
            for name, a, b in (("ROUGE-1", ours[0], theirs[0]), ("ROUGE-2", ours[1], theirs[1])):
                if a <= b:
                    out.append(f"{kind} mean {name}: {topic_baseline} {b:.3f} ≥ {a:.3f}")
    return out


def _pair(values: tuple[float, float]) -> str:
    return f"{values[0]:.3f}/{values[1]:.3f}"


def table(rows: Sequence[Row], references: Sequence[Reference]) -> str:
    if not rows:
        return "No references to score."
    methods = list(rows[0].methods)
    width = 13
    lines = [
        "ROUGE-1 F / ROUGE-2 F (rouge-score, stemmed); every sumy method chooses from the same "
        "sentences and is cut to the project's length in words. * = best on both.",
    ]
    whole = [r for r in rows if r.kind == "whole"]
    if whole:
        refs = [r for r in references if r.kind == "whole"]
        lines += ["", f"Whole discussion, mean over {len(refs)} references ({_ids(refs)}):"]
        head = f"{'sentences':>9} {'words':>5} {'pool':>4}  " + "  ".join(
            f"{m:>{width}}" for m in methods
        )
        lines += [head, "-" * len(head)]
        for row in whole:
            lines.append(_line(f"{row.sentences:>9}", row, methods, width))
        lines += ["", "Whole discussion, per reference (project vs best sumy method by ROUGE-1):"]
        for ref in refs:
            cells = []
            for row in whole:
                ours = row.methods[PROJECT].per_reference[ref.id]
                best = max(
                    (m for m in methods if m != PROJECT),
                    key=lambda m: row.methods[m].per_reference[ref.id].rouge1,
                    default=None,
                )
                cell = f"{row.sentences}: {ours.rouge1:.3f}/{ours.rouge2:.3f}"
                if best:
                    b = row.methods[best].per_reference[ref.id]
                    cell += f" vs {best} {b.rouge1:.3f}/{b.rouge2:.3f}"
                cells.append(cell)
            lines.append(f"  {ref.id}: " + "; ".join(cells))
    for kind, title in (("topic", "Topics"), ("author", "Authors")):
        chosen = [r for r in rows if r.kind == kind]
        if not chosen:
            continue
        lines += ["", f"{title} (one reference each; sumy given only that {kind}'s sentences):"]
        head = f"{kind:<34} {'sent':>4} {'words':>5} {'pool':>4}  " + "  ".join(
            f"{m:>{width}}" for m in methods
        )
        lines += [head, "-" * len(head)]
        for row in chosen:
            label = f"{row.label[:34]:<34} {row.sentences:>4}"
            lines.append(
                _line(label, row, methods, width) + (f"  ({row.note})" if row.note else "")
            )
        means = mean_rows(rows, kind)
        cells = "  ".join(f"{_pair(means[m]):>{width}}" for m in methods)
        lines.append(f"{'mean':<34} {'':>4} {'':>5} {'':>4}  {cells}")
    return "\n".join(lines)


def _line(label: str, row: Row, methods: Sequence[str], width: int) -> str:
    means = {m: row.methods[m].mean() for m in methods}
    best1 = max(v[0] for v in means.values())
    best2 = max(v[1] for v in means.values())
    cells = []
    for m in methods:
        mark = "*" if means[m][0] == best1 and means[m][1] == best2 else " "
        cells.append(f"{_pair(means[m]) + mark:>{width}}")
    return f"{label} {row.methods[PROJECT].words:>5} {row.pool:>4}  " + "  ".join(cells)


def _ids(refs: Sequence[Reference]) -> str:
    return ", ".join(r.id for r in refs)


def as_json(rows: Sequence[Row], references: Sequence[Reference]) -> dict[str, Any]:
    def cell(c: Cell) -> dict[str, Any]:
        r1, r2 = c.mean()
        return {
            "words": c.words,
            "rouge1_f": round(r1, 4),
            "rouge2_f": round(r2, 4),
            "per_reference": {
                ref: {"rouge1_f": round(s.rouge1, 4), "rouge2_f": round(s.rouge2, 4)}
                for ref, s in c.per_reference.items()
            },
        }

    return {
        "references": [
            {"id": r.id, "kind": r.kind, "topic": r.topic, "author": r.author, "source": r.source}
            for r in references
        ],
        "rows": [
            {
                "kind": row.kind,
                "label": row.label,
                "sentences": row.sentences,
                "pool": row.pool,
                "note": row.note,
                "methods": {m: cell(c) for m, c in row.methods.items()},
            }
            for row in rows
        ],
        "means": {
            kind: {
                m: {"rouge1_f": round(v[0], 4), "rouge2_f": round(v[1], 4)}
                for m, v in means.items()
            }
            for kind in ("topic", "author")
            if (means := mean_rows(rows, kind))
        },
        "project_behind": behind(rows),
    }

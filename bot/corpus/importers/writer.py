"""Imported documents → a corpus file (.jsonl or .yaml), checked by the corpus's own parser and
written atomically: a temporary file beside it, then one rename."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

from bot.corpus.importers.model import ImportedDocument, ImportFailed
from bot.corpus.jsonl import parse_jsonl
from bot.corpus.yamldoc import parse_yaml_document
from bot.errors import CorpusError

SUFFIXES = (".jsonl", ".yaml", ".yml")


def render(documents: tuple[ImportedDocument, ...], out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix == ".jsonl":
        return render_jsonl(documents)
    if suffix in (".yaml", ".yml"):
        if len(documents) != 1:
            raise ImportFailed(
                str(out),
                None,
                f"a YAML corpus file holds one document and this export has {len(documents)}; "
                "write .jsonl instead",
            )
        return render_yaml(documents[0])
    raise ImportFailed(str(out), None, f"expected an output file ending in {', '.join(SUFFIXES)}")


def render_jsonl(documents: tuple[ImportedDocument, ...]) -> str:
    lines = []
    for doc in documents:
        head: dict[str, Any] = {"document": doc.title, "article": doc.article}
        if doc.source:
            head["source"] = doc.source
        lines.append(head)
        for c in doc.comments:
            lines.append(
                {
                    "document": doc.title,
                    "id": c.id,
                    "author": c.author,
                    "date": c.date.isoformat() if c.date else None,
                    "reply_to": c.reply_to,
                    "text": c.text,
                }
            )
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


class _BlockDumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None  # paragraphs stay readable
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _text)


def render_yaml(doc: ImportedDocument) -> str:
    data: dict[str, Any] = {"title": doc.title}
    if doc.source:
        data["source"] = doc.source
    data["article"] = doc.article
    data["comments"] = [
        {"id": c.id, "author": c.author, "date": c.date, "reply_to": c.reply_to, "text": c.text}
        for c in doc.comments
    ]
    return yaml.dump(data, Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=100)


def write_corpus_file(text: str, out: Path, *, force: bool) -> None:
    """Check that the corpus reads it back, then write it in one rename; never half a file."""
    try:
        if out.suffix.lower() == ".jsonl":
            parse_jsonl(text, str(out), out.stem)
        else:
            parse_yaml_document(text, str(out), out.stem)
    except CorpusError as exc:  # a bug of ours, not the export's: say so, write nothing
        raise ImportFailed(str(out), None, f"the converted file would not load: {exc}") from None
    if out.exists() and not force:
        raise ImportFailed(str(out), None, "already exists; use --force to replace it")
    if out.is_dir():
        raise ImportFailed(str(out), None, "is a folder; expected a file name ending in .jsonl")
    try:
        replace_file(out, text.encode("utf-8"))
    except OSError as exc:
        raise ImportFailed(str(out), None, f"cannot be written: {exc.strerror}") from None


def replace_file(out: Path, data: bytes) -> None:
    """Write `data` to `out` in one rename. The temporary name starts with a dot, which the
    corpus loader ignores, so a reload never sees half a file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

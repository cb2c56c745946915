"""Load every document in a corpus folder; a broken file is reported, the others still load."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.jsonl import parse_jsonl
from bot.corpus.model import Document
from bot.corpus.textpage import parse_text_page
from bot.corpus.yamldoc import parse_yaml_document
from bot.errors import CorpusError
from bot.progress import Progress

Parser = Callable[[str, str, str], list[Document]]

PARSERS: dict[str, Parser] = {
    ".txt": lambda text, path, doc_id: [parse_text_page(text, path, doc_id)],
    ".yaml": lambda text, path, doc_id: [parse_yaml_document(text, path, doc_id)],
    ".yml": lambda text, path, doc_id: [parse_yaml_document(text, path, doc_id)],
    ".jsonl": parse_jsonl,
}


@dataclass(frozen=True)
class CorpusLoad:
    documents: tuple[Document, ...]
    errors: tuple[CorpusError, ...]


def corpus_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise CorpusError(str(root), None, "expected a corpus folder or file; nothing is there")
    return sorted(p for p in root.iterdir() if p.is_file() and not p.name.startswith("."))


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CorpusError(str(path), line, "expected UTF-8 text") from None


def load_file(path: Path, progress: Callable[[int], None] | None = None) -> list[Document]:
    """progress(n): n more characters of a big JSON Lines file read."""
    suffix = path.suffix.lower()
    parser = PARSERS.get(suffix)
    if parser is None:
        raise CorpusError(
            str(path), None, f"unsupported file type; expected one of {', '.join(PARSERS)}"
        )
    if suffix == ".jsonl":
        return parse_jsonl(read_text(path), str(path), path.stem, progress)
    return parser(read_text(path), str(path), path.stem)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when it is read
        return 0


def load_corpus(root: Path) -> CorpusLoad:
    documents: list[Document] = []
    errors: list[CorpusError] = []
    seen: set[str] = set()
    files = corpus_files(root)
    sizes = [_size(p) for p in files]
    # A bar (or log lines) only when reading takes more than a second: a big archive.
    with Progress("loading the corpus", sum(sizes), "B") as progress:
        for path, size in zip(files, sizes, strict=True):
            read = 0

            def advance(count: int) -> None:
                nonlocal read
                read += count
                progress.update(count)

            try:
                loaded = load_file(path, advance)
            except CorpusError as exc:
                errors.append(exc)
                continue
            except OSError as exc:
                errors.append(CorpusError(str(path), None, f"cannot be read: {exc.strerror}"))
                continue
            finally:
                progress.update(max(0, size - read))  # the rest of the file (bytes ≥ characters)
            _add(loaded, path, documents, errors, seen)
    return CorpusLoad(tuple(documents), tuple(errors))


def _add(
    loaded: list[Document],
    path: Path,
    documents: list[Document],
    errors: list[CorpusError],
    seen: set[str],
) -> None:
    for doc in loaded:
        if doc.id in seen:
            errors.append(CorpusError(str(path), None, f"document id {doc.id!r} is used twice"))
            continue
        seen.add(doc.id)
        documents.append(doc)

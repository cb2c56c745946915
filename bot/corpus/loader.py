"""Load every document in a corpus folder; a broken file is reported, the others still load.

Only regular files directly in the folder are read, and a symbolic link only when it points at
a file inside the folder: a link to /etc/passwd would otherwise be indexed and quoted to anyone.
Bad lines and comments inside a file are reported one by one (up to MAX_ERRORS_PER_FILE) while
the rest of the file loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.jsonl import read_jsonl
from bot.corpus.limits import MAX_ERRORS_PER_FILE, MAX_FILE_BYTES
from bot.corpus.model import Document
from bot.corpus.textpage import parse_text_page
from bot.corpus.yamldoc import parse_yaml_document
from bot.errors import CorpusError
from bot.progress import Progress
from bot.text.excerpt import excerpt

Progressed = Callable[[int], None]  # progress(n): n more bytes of a file read
Parser = Callable[[Path, str, list[CorpusError], Progressed | None], list[Document]]


def _whole(parse: Callable[[str, str, str, list[CorpusError]], Document]) -> Parser:
    return lambda path, doc_id, problems, _progress: [
        parse(read_text(path), str(path), doc_id, problems)
    ]


PARSERS: dict[str, Parser] = {
    ".txt": _whole(lambda text, path, doc_id, _problems: parse_text_page(text, path, doc_id)),
    ".yaml": _whole(parse_yaml_document),
    ".yml": _whole(parse_yaml_document),
    ".jsonl": read_jsonl,
}


@dataclass(frozen=True)
class CorpusLoad:
    documents: tuple[Document, ...]
    errors: tuple[CorpusError, ...]


class _Problems(list[CorpusError]):
    """The first MAX_ERRORS_PER_FILE problems of one file; the rest are only counted, so a
    million broken lines cost a counter, not a million messages."""

    def __init__(self) -> None:
        super().__init__()
        self.more = 0

    def append(self, error: CorpusError) -> None:
        if len(self) < MAX_ERRORS_PER_FILE:
            super().append(error)
        else:
            self.more += 1


def corpus_files(root: Path, skipped: list[CorpusError] | None = None) -> list[Path]:
    """The files to load, sorted; links that leave the folder are reported in `skipped`."""
    if root.is_file():
        return [root]
    if not root.is_dir():
        raise CorpusError(str(root), None, "expected a corpus folder or file; nothing is there")
    inside = root.resolve()
    files = []
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        target = path.resolve()
        if path.is_symlink() and not target.is_relative_to(inside):
            if skipped is not None:
                skipped.append(
                    CorpusError(
                        str(path),
                        None,
                        "is a link to a file outside the corpus folder; skipped "
                        "(copy the file into the folder instead)",
                    )
                )
            continue
        files.append(path)
    return files


def read_text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise CorpusError(
            str(path),
            None,
            f"is {size:,} bytes; expected at most {MAX_FILE_BYTES:,} "
            "(split it, or use JSON Lines for large imports)",
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CorpusError(str(path), line, "expected UTF-8 text", column) from None


def load_file(
    path: Path, progress: Progressed | None = None, problems: list[CorpusError] | None = None
) -> list[Document]:
    """A file's documents; without `problems`, any bad line or comment is raised.
    progress(n): n more bytes of a big JSON Lines file read."""
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        raise CorpusError(
            str(path), None, f"unsupported file type; expected one of {', '.join(PARSERS)}"
        )
    if problems is None:
        strict: list[CorpusError] = []
        documents = parser(path, path.stem, strict, progress)
        if strict:
            raise strict[0]
        return documents
    return parser(path, path.stem, problems, progress)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reported when it is read
        return 0


def load_corpus(root: Path) -> CorpusLoad:
    documents: list[Document] = []
    errors: list[CorpusError] = []
    seen: set[str] = set()
    files = corpus_files(root, errors)
    sizes = [_size(p) for p in files]
    # A bar (or log lines) only when reading takes more than a second: a big archive.
    with Progress("loading the corpus", sum(sizes), "B") as progress:
        for path, size in zip(files, sizes, strict=True):
            read = 0

            def advance(count: int) -> None:
                nonlocal read
                read += count
                progress.update(count)

            problems = _Problems()
            try:
                loaded = load_file(path, advance, problems)
            except CorpusError as exc:
                loaded = []
                problems.append(exc)
            except OSError as exc:
                loaded = []
                problems.append(CorpusError(str(path), None, f"cannot be read: {exc.strerror}"))
            finally:
                progress.update(max(0, size - read))  # the rest of the file
            errors.extend(problems)
            if problems.more:
                errors.append(
                    CorpusError(str(path), None, f"{problems.more:,} more problems not listed")
                )
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
            errors.append(
                CorpusError(str(path), None, f"document id {excerpt(doc.id)} is used twice")
            )
            continue
        seen.add(doc.id)
        documents.append(doc)

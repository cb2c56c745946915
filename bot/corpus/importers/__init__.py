"""Comment exports from other systems → corpus documents. One module per format; `import_export`
is the one entry point for the CLI and Discord."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bot.config import Config, ImportSettings
from bot.corpus.importers.discourse import parse_discourse
from bot.corpus.importers.disqus import parse_disqus
from bot.corpus.importers.model import ImportFailed, ImportResult, RawDocument, Tally
from bot.corpus.importers.threads import build_documents
from bot.corpus.importers.writer import render, write_corpus_file
from bot.corpus.importers.wxr import parse_wxr
from bot.corpus.model import slug
from bot.progress import Progress

Parser = Callable[[bytes, Tally], list[RawDocument]]


def parse_wordpress_html(data: bytes, tally: Tally) -> list[RawDocument]:
    # Imported on first use: trafilatura and lxml add ~0.1 s to every command's start.
    from bot.corpus.importers.wordpress_html import parse_wordpress_html as parse

    return parse(data, tally)


FORMATS: dict[str, tuple[str, Parser]] = {
    "wxr": ("WordPress WXR", parse_wxr),
    "disqus": ("Disqus XML", parse_disqus),
    "wordpress-html": ("saved WordPress page", parse_wordpress_html),
    "discourse-json": ("Discourse topic JSON", parse_discourse),
}
HEAD = 4096  # bytes looked at to tell the formats apart


def read_export(path: Path, limits: ImportSettings) -> bytes:
    """The file's bytes; one bigger than imports.max_bytes is refused before it is read."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise _too_big(str(path), size, limits)
        with path.open("rb") as stream:
            data = stream.read(limits.max_bytes + 1)  # it may have grown since
    except FileNotFoundError:
        raise ImportFailed(str(path), None, "no such file") from None
    except IsADirectoryError:
        raise ImportFailed(str(path), None, "is a folder; expected an export file") from None
    except OSError as exc:
        raise ImportFailed(str(path), None, f"cannot be read: {exc.strerror}") from None
    if len(data) > limits.max_bytes:
        raise _too_big(str(path), len(data), limits)
    return data


def _too_big(path: str, size: int, limits: ImportSettings) -> ImportFailed:
    return ImportFailed(
        path,
        None,
        f"is {size:,} bytes, more than imports.max_bytes ({limits.max_bytes:,}) in config.yaml",
    )


def detect_format(data: bytes, name: str) -> str:
    head = data[:HEAD].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"{", b"[")):
        return "discourse-json"
    if b"<disqus" in head:
        return "disqus"
    if b"<rss" in head and b"wordpress.org/export" in head:
        return "wxr"
    if re.search(rb"<(!doctype html|html)[\s>]", head):
        return "wordpress-html"
    if b"<rss" in head or name.lower().endswith(".xml"):
        return "wxr"  # its namespace may come later: the parser says if it is not one
    raise ImportFailed(
        name,
        1,
        "does not look like a WordPress export, a Disqus export, a saved web page or a "
        f"Discourse topic; expected one of them (or name it with --format {'/'.join(FORMATS)})",
    )


def import_export(data: bytes, name: str, fmt: str, limits: ImportSettings) -> ImportResult:
    """Parse one export (`name` is how messages refer to it); nothing is written here."""
    if len(data) > limits.max_bytes:
        raise _too_big(name, len(data), limits)
    chosen = detect_format(data, name) if fmt == "auto" else fmt
    if chosen not in FORMATS:
        raise ImportFailed(name, None, f"unknown format {fmt!r}; expected one of {list(FORMATS)}")
    label, parser = FORMATS[chosen]
    # A bar on a terminal, log lines otherwise (/import on Discord), nothing under a second.
    with Progress(f"importing {label}", None, "comments") as progress:
        tally = Tally(name, limits, progress=progress.update)
        documents, orphans = build_documents(parser(data, tally), tally)
    if not documents:
        raise ImportFailed(
            name, None, f"has no comments to import ({_skipped(tally)}); nothing was written"
        )
    return ImportResult(name, label, tuple(documents), dict(tally.skipped), orphans)


def _skipped(tally: Tally) -> str:
    if not tally.skipped:
        return "it holds none"
    return "skipped: " + ", ".join(f"{reason}: {n}" for reason, n in tally.skipped.items())


MAX_NAME_CHARS = 80  # of a default output file's name, before ".jsonl"


def default_output(corpus: Path, result: ImportResult) -> Path:
    """corpus/<slug>.jsonl: the document's title, or the export's file name when it has several."""
    if corpus.exists() and not corpus.is_dir():
        raise ImportFailed(str(corpus), None, "the corpus is a single file; name the output file")
    if len(result.documents) == 1:
        name = slug(result.documents[0].title)
    else:
        name = slug(Path(result.path).stem)
    # A title may run to 300 characters; a file name may not (255 bytes on most systems).
    return corpus / f"{name[:MAX_NAME_CHARS].rstrip('-') or 'import'}.jsonl"


def import_into_corpus(
    data: bytes, name: str, fmt: str, config: Config, out: Path | None = None, *, force: bool
) -> tuple[ImportResult, Path]:
    """Parse, convert and write atomically (to `out` or the default corpus file); on any failure
    nothing is written. Returns the result and the file written."""
    result = import_export(data, name, fmt, config.imports)
    target = out or default_output(config.corpus, result)
    write_corpus_file(render(result.documents, target), target, force=force)
    return result, target

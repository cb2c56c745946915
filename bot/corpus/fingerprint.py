"""A short content fingerprint of the corpus folder and the lexicon, cheap to check again.

Each scan stats every file; a file is read and hashed again only when its (size, mtime_ns, inode)
changed since the last scan, so checking an unchanged corpus costs one stat per file. Processes
that serve the same files get the same fingerprint, whatever their paths or clocks.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.loader import corpus_files
from bot.errors import CorpusError

FINGERPRINT_HEX = 12  # shown to admins; 48 bits tell corpora apart well enough
CHUNK = 1 << 20
# A file modified this recently may change again within the clock's resolution without its stat
# changing, so its hash is not trusted for the next scan (git's "racy clean" rule).
RACY_NS = 2_000_000_000
ABSENT = "absent"


@dataclass(frozen=True)
class FileStat:
    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, result: os.stat_result) -> FileStat:
        return cls(result.st_size, result.st_mtime_ns, result.st_ino)


class Fingerprinter:
    """Fingerprints of one corpus (a folder or a file) and its lexicon; safe across threads."""

    def __init__(self, corpus: Path, lexicon: Path | None = None) -> None:
        self.corpus = corpus
        self.lexicon = lexicon
        self.rehashed = 0  # files read by the latest scan
        self._known: dict[Path, tuple[FileStat, str]] = {}
        self._lock = threading.Lock()

    def files(self) -> list[tuple[str, Path]]:
        """(name, path) of every file that makes up what the engine serves."""
        try:
            found = [(p.name, p) for p in corpus_files(self.corpus)]
        except CorpusError:
            found = []  # no folder: the reload that follows says so
        if self.lexicon is not None:
            found.append(("\0lexicon", self.lexicon))  # a name no corpus file can have
        return found

    def scan(self) -> str:
        with self._lock:
            now = time.time_ns()
            digest = hashlib.sha256()
            known: dict[Path, tuple[FileStat, str]] = {}
            self.rehashed = 0
            for name, path in self.files():
                content = self._content_hash(path, now, known)
                digest.update(f"{name}\0{content}\n".encode("utf-8", "surrogateescape"))
            self._known = known  # files that went away are forgotten
            return digest.hexdigest()[:FINGERPRINT_HEX]

    def _content_hash(self, path: Path, now: int, known: dict[Path, tuple[FileStat, str]]) -> str:
        try:
            stat = FileStat.of(path.stat())
        except OSError:
            return ABSENT
        held = self._known.get(path)
        if held is not None and held[0] == stat:
            known[path] = held
            return held[1]
        try:
            content = _hash_file(path)
        except OSError:
            return ABSENT
        self.rehashed += 1
        if now - stat.mtime_ns > RACY_NS:
            known[path] = (stat, content)
        return content


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()

"""Which clauses of the urgent-care examples the phrase rules fire on, kept on disk.

Building the example bank runs the rules on every clause of every emergency example (about a
thousand, ~1 s): a `bot ask` or the first question after a start or a reload would wait for it.
The answers depend only on the rules (config.yaml `urgent_care`, the matching code) and on the
corpus's commenters' names, so they are kept in a JSON file beside the vector cache under a key
made of those, and recomputed when any of them changes. Like the vector cache, the file is only
ever replaced when the bot wrote it: a link or another program's file is left alone, and a
damaged or foreign file is ignored (the rules simply run again).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger("bot.answer.fires_memo")

FORMAT = "discussion-bot urgent clause memo 1"
MAX_BYTES = 20_000_000  # far above a real bank's (~200 kB); a bigger file is not ours
_SOURCES = ("answer", "retrieval", "text")  # the packages whose code decides what fires
MAX_KEYS = 4  # answers kept in memory for this many rules keys (an engine across reloads)


def rules_key(settings: object, names: Iterable[str]) -> str:
    """A digest of what decides the rules' answers: the settings' repr (every sign, cue and
    threshold), the commenters' names the rules treat as reports, and the matching code."""
    digest = hashlib.sha256(FORMAT.encode())
    digest.update(repr(settings).encode("utf-8", "surrogatepass"))
    digest.update("\0".join(sorted(names)).encode("utf-8", "surrogatepass"))
    package = Path(__file__).resolve().parent.parent
    for folder in _SOURCES:
        for source in sorted((package / folder).glob("*.py")):
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()


class FiresMemo:
    """The answers by rules key; an engine keeps one across reloads (a reload with the same
    rules and names asks the rules nothing), the file holds the latest key's."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._by_key: dict[str, dict[str, bool]] = {}
        self._dirty: set[str] = set()
        self._writable = path is not None and not path.is_symlink() and not path.exists()
        if path is not None and path.is_file() and not path.is_symlink():
            self._read(path)

    def _read(self, path: Path) -> None:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ValueError(f"over {MAX_BYTES} bytes")
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != FORMAT:
                raise ValueError("not a file this bot wrote")
            self._writable = True
            key, fired, quiet = data.get("key"), data.get("fired"), data.get("quiet")
            if not isinstance(key, str):
                raise ValueError("no key")
            if not isinstance(fired, list) or not isinstance(quiet, list):
                raise ValueError("fired and quiet must be lists")
            if not all(isinstance(t, str) for t in (*fired, *quiet)):
                raise ValueError("fired and quiet must hold texts")
            self._by_key[key] = {**dict.fromkeys(quiet, False), **dict.fromkeys(fired, True)}
        except (OSError, ValueError) as exc:  # json errors are ValueErrors
            what = "replaced" if self._writable else "left alone"
            log.warning(
                "ignoring the urgent-care clause memo %s (%s); it will be %s", path, exc, what
            )

    def fires(self, key: str, text: str, rules: Callable[[str], bool]) -> bool:
        """The rules' answer for this text under these rules, from memory or the file when
        known."""
        answers = self._by_key.get(key)
        if answers is None:
            answers = self._by_key[key] = {}
            while len(self._by_key) > MAX_KEYS:  # rules or names changed many times
                del self._by_key[next(iter(self._by_key))]
        answer = answers.get(text)
        if answer is None:
            answer = answers[text] = rules(text)
            self._dirty.add(key)
        return answer

    def save(self, key: str) -> None:
        """Write this key's answers (atomically) when new ones came, and the file is the bot's
        own or does not exist."""
        if key not in self._dirty or self.path is None or not self._writable:
            return
        answers = self._by_key.get(key, {})
        data = {
            "format": FORMAT,
            "key": key,
            "fired": [t for t, fired in answers.items() if fired],
            "quiet": [t for t, fired in answers.items() if not fired],
        }
        draft = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            draft.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(draft, self.path)
            self._dirty.discard(key)
        except OSError as exc:
            log.warning("could not keep the urgent-care clause memo %s: %s", self.path, exc)
            draft.unlink(missing_ok=True)

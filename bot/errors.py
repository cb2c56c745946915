"""Errors that point at the file and line a person has to fix (the bottom layer: no imports)."""

from __future__ import annotations


class SourceError(Exception):
    """Bad input in a file: says which file, which line and what was expected."""

    def __init__(
        self, path: str, line: int | None, message: str, column: int | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        where = f"{path}:{line}" if line else path
        where = f"{where}:{column}" if line and column else where
        super().__init__(f"{where}: {message}")


class CorpusError(SourceError):
    pass


class ConfigError(SourceError):
    """A wrong setting in config.yaml."""


class NoCorpusError(Exception):
    """Nothing usable to answer from: every file failed, or the folder is empty."""

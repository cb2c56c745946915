"""Caps on what one corpus file may hold: past them a file, line or comment is refused with a
clear error instead of taking minutes and gigabytes (the README lists them under Reliability).

Text pages and YAML are read whole, so the file itself is capped; JSON Lines are streamed one
line at a time, so only each line is. None of these is configurable: they are far above any real
discussion (the seed article is 2,107 characters, its longest comment 1,102).
"""

from __future__ import annotations

from bot.errors import CorpusError

MAX_FILE_BYTES = 10_000_000  # a .txt or .yaml document, read and parsed whole
MAX_LINE_BYTES = 1_000_000  # one JSON line (a comment or an article)
MAX_ARTICLE_CHARS = 200_000
MAX_COMMENT_CHARS = 20_000
MAX_TITLE_CHARS = 300  # shown in every reply's heading and in Discord's 256-character title
MAX_AUTHOR_CHARS = 100  # part of every attribution and Discord field name
MAX_ERRORS_PER_FILE = 20  # bad lines reported one by one; the rest are counted


def check_length(text: str, limit: int, what: str, path: str, line: int | None) -> None:
    if len(text) > limit:
        raise CorpusError(
            path, line, f"{what} is {len(text):,} characters; expected at most {limit:,}"
        )

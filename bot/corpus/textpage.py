"""Parse a discussion page pasted as plain text: title, article, then a bulleted comment thread.

Title line
[Source: https://…]
article paragraphs …
• Author Mon D, YYYY          ← a comment header; deeper indentation = a reply
    comment paragraphs …
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.corpus.limits import (
    MAX_ARTICLE_CHARS,
    MAX_AUTHOR_CHARS,
    MAX_COMMENT_CHARS,
    MAX_TITLE_CHARS,
    check_length,
)
from bot.corpus.model import Comment, Document, comment_ids
from bot.errors import CorpusError
from bot.text.clean import clean_text

_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
HEADER = re.compile(
    rf"^(?P<indent>[ \t]*)•\s*(?P<author>\S.*?)\s+"
    rf"(?P<month>(?:{_MONTHS})[a-z]*)\.?\s+(?P<day>\d{{1,2}}),\s*(?P<year>\d{{4}})\s*$"
)
BULLET = re.compile(r"^[ \t]*•")
SOURCE = re.compile(r"^(?:Source|URL):\s*(?P<url>https?://\S+)\s*$", re.IGNORECASE)
# Share buttons and footers pasted along with the page: not part of anyone's words.
BOILERPLATE = (
    re.compile(r"^\s*Be Sociable, Share!\s*$", re.IGNORECASE),
    re.compile(r"^\s*\d+\s+comments?\s*(?:…|\.\.\.)?\s*(?:add one)?\s*$", re.IGNORECASE),
    re.compile(r"^\s*Leave a (?:Comment|Reply)\s*$", re.IGNORECASE),
)
# A flat comment that opens by addressing someone: "Amber, I go to an NMD now…"
ADDRESS = re.compile(r"^@?(?P<name>[^\W\d_][\w'.-]*(?: [^\W\d_][\w'.-]*)?)\s*[,:]\s")


@dataclass
class _Raw:
    author: str
    date: dt.date
    indent: int
    line: int
    body: list[str]


def is_boilerplate(line: str) -> bool:
    return any(p.match(line) for p in BOILERPLATE)


def join_paragraphs(lines: list[str]) -> str:
    """Dedent lines and join them: blank lines separate paragraphs, characters are kept as-is."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        stripped = line.strip()
        if stripped:
            paragraphs[-1].append(stripped)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(p) for p in paragraphs if p)


def _parse_date(m: re.Match[str], path: str, lineno: int) -> dt.date:
    month = _MONTHS.split("|").index(m["month"][:3]) + 1
    try:
        return dt.date(int(m["year"]), month, int(m["day"]))
    except ValueError:
        raise CorpusError(
            path, lineno, f"{m['month']} {m['day']}, {m['year']} is not a real date"
        ) from None


def parse_text_page(text: str, path: str, doc_id: str) -> Document:
    # Bidi controls are invisible but reorder a line on screen (a name or date can be spoofed):
    # removed before anything is read, like in every other format.
    lines = clean_text(text).lstrip("\ufeff").splitlines()
    if not lines or not lines[0].strip():
        raise CorpusError(path, 1, "expected the title on the first line")
    title = lines[0].strip()
    check_length(title, MAX_TITLE_CHARS, "the title", path, 1)
    if HEADER.match(lines[0]) or BULLET.match(lines[0]):
        raise CorpusError(path, 1, "expected the title on the first line, found a comment header")

    source = None
    article: list[str] = []
    raws: list[_Raw] = []
    for lineno, line in enumerate(lines[1:], start=2):
        if is_boilerplate(line):
            continue
        header = HEADER.match(line)
        if header:
            indent = len(header["indent"].expandtabs(4))
            date = _parse_date(header, path, lineno)
            check_length(header["author"].strip(), MAX_AUTHOR_CHARS, "the author", path, lineno)
            raws.append(_Raw(header["author"].strip(), date, indent, lineno, []))
        elif BULLET.match(line):
            raise CorpusError(path, lineno, "expected a comment header like '• Author Mon D, YYYY'")
        elif raws:
            raws[-1].body.append(line)
        elif not article and not source and (m := SOURCE.match(line.strip())):
            source = m["url"]
        else:
            article.append(line)

    article_text = join_paragraphs(article)
    if not article_text:
        raise CorpusError(path, 2, "expected the article's text after the title")
    check_length(article_text, MAX_ARTICLE_CHARS, "the article", path, 2)
    return Document(
        id=doc_id,
        title=title,
        article=article_text,
        comments=_thread(raws, path),
        source=source,
        path=path,
    )


def _thread(raws: list[_Raw], path: str) -> tuple[Comment, ...]:
    ids = comment_ids([(r.author, r.date) for r in raws])
    comments: list[Comment] = []
    stack: list[tuple[int, str]] = []  # (indent, id) of the open ancestors
    for raw, cid in zip(raws, ids, strict=True):
        text = join_paragraphs(raw.body)
        if not text:
            raise CorpusError(path, raw.line, f"expected the text of {raw.author}'s comment")
        check_length(text, MAX_COMMENT_CHARS, "the comment's text", path, raw.line)
        while stack and stack[-1][0] >= raw.indent:
            stack.pop()
        parent = stack[-1][1] if stack else None
        depth = len(stack)
        if parent is None and (parent := _addressed(text, comments, raw.author)):
            depth = next(c.depth for c in comments if c.id == parent) + 1
        comments.append(Comment(cid, raw.author, raw.date, text, depth, parent, raw.line))
        stack.append((raw.indent, cid))
    return tuple(comments)


def _addressed(text: str, earlier: list[Comment], author: str) -> str | None:
    """The latest earlier comment by the person a flat comment opens by addressing, if any."""
    m = ADDRESS.match(text)
    if not m:
        return None
    name = m["name"].casefold()
    for c in reversed(earlier):
        names = {c.author.casefold(), c.author.split()[0].casefold()}
        if name in names and c.author.casefold() != author.casefold():
            return c.id
    return None

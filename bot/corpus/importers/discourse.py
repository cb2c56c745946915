"""Discourse topic JSON (/t/ID.json): the first post is the article, the rest are comments."""

from __future__ import annotations

import json
from typing import Any

from bot.corpus.importers import model as m
from bot.corpus.importers.dates import utc_date
from bot.corpus.importers.htmltext import html_to_text

REGULAR = 1  # post_type: 2 moderator action, 3 small action, 4 whisper


def parse_discourse(data: bytes, tally: m.Tally) -> list[m.RawDocument]:
    path = tally.path
    try:
        topic: Any = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise m.ImportFailed(path, line, "expected UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise m.ImportFailed(
            path, exc.lineno, f"not valid JSON (column {exc.colno}): {exc.msg}"
        ) from None
    except RecursionError:
        raise m.ImportFailed(path, None, "not valid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. a number of more digits than Python converts
        raise m.ImportFailed(path, None, f"not valid JSON: {m.short(str(exc), 80)}") from None
    stream = topic.get("post_stream") if isinstance(topic, dict) else None
    posts = stream.get("posts") if isinstance(stream, dict) else None
    if not isinstance(posts, list):
        raise m.ImportFailed(
            path, None, "expected a Discourse topic (/t/ID.json) with post_stream.posts as a list"
        )
    title = _text(topic, "title", "the topic", path) or ""
    article, comments, numbers = "", [], set()
    for index, post in enumerate(posts):
        where = f"post_stream.posts[{index}]"
        if not isinstance(post, dict):
            raise m.ImportFailed(
                path, None, f"{where}: expected a post object, got {m.short(post)}"
            )
        number = post.get("post_number")
        if isinstance(number, bool) or not isinstance(number, int):
            raise m.ImportFailed(
                path, None, f"{where}: expected 'post_number' as a number, got {m.short(number)}"
            )
        where = f"post {number}"
        numbers.add(number)
        tally.comment(where)
        comment = _post(post, where, tally, keep_quotes=number == 1)
        if comment is None:
            continue
        if number == 1:
            article = comment.text  # the topic's opening post
        else:
            comments.append(comment)
    listed = stream.get("stream")
    if isinstance(listed, list):
        listed_ids = {i for i in listed if isinstance(i, int) and not isinstance(i, bool)}
        tally.skip(m.NOT_INCLUDED, len(listed_ids) - len(posts))
    return [m.RawDocument(title, None, article, comments, "the topic")]


def _text(obj: dict[str, Any], key: str, where: str, path: str) -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise m.ImportFailed(path, None, f"{where}: expected {key!r} as text, got {m.short(value)}")
    return value


def _post(
    post: dict[str, Any], where: str, tally: m.Tally, *, keep_quotes: bool
) -> m.RawComment | None:
    path = tally.path
    kind = post.get("post_type", REGULAR)
    if kind != REGULAR:
        tally.skip(m.NOT_REGULAR)
        return None
    if post.get("hidden") is True:
        tally.skip(m.HIDDEN)
        return None
    if post.get("deleted_at") or post.get("user_deleted") is True:
        tally.skip(m.DELETED)
        return None
    text = html_to_text(_text(post, "cooked", where, path) or "", keep_quotes=keep_quotes)
    if not text:
        tally.skip(m.EMPTY)
        return None
    parent = post.get("reply_to_post_number")
    if parent is not None and (isinstance(parent, bool) or not isinstance(parent, int)):
        raise m.ImportFailed(
            path, None, f"{where}: expected 'reply_to_post_number' as a number or null"
        )
    return m.RawComment(
        key=str(post["post_number"]),
        parent=str(parent) if parent not in (None, 1) else None,  # a reply to post 1: top level
        author=_text(post, "username", where, path) or "",
        date=utc_date(_text(post, "created_at", where, path) or ""),
        text=text,
        where=where,
    )

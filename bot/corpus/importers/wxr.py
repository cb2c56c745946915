"""WordPress WXR (Tools → Export): one document per published post or page with comments."""

from __future__ import annotations

import datetime as dt
import html
import re
from xml.etree.ElementTree import Element

from bot.corpus.importers import model as m
from bot.corpus.importers.dates import wordpress_stamp
from bot.corpus.importers.htmltext import html_to_text
from bot.corpus.importers.xmlsafe import (
    child,
    children,
    local,
    namespace,
    parse_xml,
    text_of,
    texts,
)

# The wp: namespace differs by WXR version (1.0–1.2) and some exports use https.
WXR_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/1\.\d+/$")
CONTENT_NAMESPACE = re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/$")
SKIPPED_TYPES = {"pingback": m.PINGBACK, "trackback": m.TRACKBACK}
SKIPPED_APPROVAL = {"spam": m.SPAM, "trash": m.TRASH, "0": m.UNAPPROVED}


def parse_wxr(data: bytes, tally: m.Tally) -> list[m.RawDocument]:
    root = parse_xml(data, tally.path)
    channel = child(root, "channel") if local(root.tag) == "rss" else None
    wp = _namespace(root, WXR_NAMESPACE)
    if channel is None or wp is None:
        raise m.ImportFailed(
            tally.path,
            None,
            f"expected a WordPress export (<rss> with a wordpress.org/export namespace), "
            f"found <{local(root.tag)[:40]}>",
        )
    content = _namespace(root, CONTENT_NAMESPACE)
    documents = []
    for number, item in enumerate(children(channel, "item"), start=1):
        where = f"item {number} (post {text_of(item, 'post_id', wp) or '?'})"
        documents.append(_document(item, wp, content, where, tally))
    return documents


def _namespace(root: Element, pattern: re.Pattern[str]) -> str | None:
    for element in root.iter():
        if isinstance(element.tag, str) and pattern.match(namespace(element.tag)):
            return namespace(element.tag)
    return None


def _document(
    item: Element, wp: str, content: str | None, where: str, tally: m.Tally
) -> m.RawDocument:
    title = html.unescape(text_of(item, "title"))
    fields = texts(item, wp)
    raw = children(item, "comment", wp)
    for element in raw:
        tally.comment(f"comment {text_of(element, 'comment_id', wp) or '?'} in {where}")
    status = fields.get("status", "")
    skip_all = None
    if fields.get("post_password"):
        skip_all = m.PROTECTED  # its text and comments were meant for a few readers only
    elif status not in ("", "publish", "inherit"):
        skip_all = m.NOT_PUBLISHED
    if skip_all:
        tally.skip(skip_all, len(raw))
        return m.RawDocument(title, None, "", [], where)
    body = child(item, "encoded", content) if content else None
    offset = _site_offset(fields)
    comments = []
    for element in raw:
        comment = _comment(element, wp, offset, where, tally)
        if comment is not None:
            comments.append(comment)
    article = ""
    if body is not None:
        article = html_to_text(body.text or "", newlines_are_breaks=True, keep_quotes=True)
    return m.RawDocument(title, text_of(item, "link") or None, article, comments, where)


def _site_offset(fields: dict[str, str]) -> dt.timedelta | None:
    """The site's offset from UTC, from the post's local and GMT dates (when both are known)."""
    local_time = wordpress_stamp(fields.get("post_date", ""))
    gmt = wordpress_stamp(fields.get("post_date_gmt", ""))
    if not (local_time and gmt) or abs(local_time - gmt) > dt.timedelta(hours=14):
        return None  # unknown, or no real time zone
    return local_time - gmt


def _comment(
    element: Element, wp: str, offset: dt.timedelta | None, where: str, tally: m.Tally
) -> m.RawComment | None:
    fields = texts(element, wp)
    key = fields.get("comment_id", "")
    kind = fields.get("comment_type", "").lower()
    approved = fields.get("comment_approved", "").lower()
    if kind in SKIPPED_TYPES:
        tally.skip(SKIPPED_TYPES[kind])
        return None
    if kind not in ("", "comment"):
        tally.skip(m.OTHER_TYPE)
        return None
    if approved != "1":
        tally.skip(SKIPPED_APPROVAL.get(approved, m.UNAPPROVED))
        return None
    text = html_to_text(fields.get("comment_content", ""), newlines_are_breaks=True)
    if not text:
        tally.skip(m.EMPTY)
        return None
    parent = fields.get("comment_parent", "")
    return m.RawComment(
        key=key or f"#{id(element)}",
        parent=parent if parent not in ("", "0") else None,
        author=html.unescape(fields.get("comment_author", "")),
        date=_date(fields, offset),
        text=text,
        where=f"comment {key or '?'} in {where}",
    )


def _date(fields: dict[str, str], offset: dt.timedelta | None) -> dt.date | None:
    gmt = wordpress_stamp(fields.get("comment_date_gmt", ""))
    if gmt:
        return gmt.date()
    local_time = wordpress_stamp(fields.get("comment_date", ""))  # site-local time
    if local_time is None:
        return None
    try:
        return (local_time - offset).date() if offset is not None else local_time.date()
    except OverflowError:  # year 1 or 9999 moved past the calendar's end
        return local_time.date()

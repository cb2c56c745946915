"""A WordPress post page as a browser saves it: the article through trafilatura, the comments
from the comment list's markup.

Tested markups (tests/corpus/importers/data/): the core HTML5 comment list of the classic default
themes (Twenty Fifteen to Twenty Twenty-One: ol.comment-list, article.comment-body, b.fn,
time[datetime], div.comment-content), the older one (Twenty Ten/Eleven: ol.commentlist, cite.fn,
the date only as text, div.comment-body) and block themes' comment template (Twenty Twenty-Two
onwards: ol.wp-block-comment-template, .wp-block-comment-author-name, .wp-block-comment-date,
.wp-block-comment-content). Replies are nested ol.children (or ul.children) in all of them.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterator

import lxml.html
import trafilatura
from lxml import etree

from bot.corpus.importers import model as m
from bot.corpus.importers.dates import text_date, utc_date
from bot.corpus.importers.htmltext import html_to_text

LIST_CLASSES = ("comment-list", "commentlist", "wp-block-comment-template")
AUTHOR_CLASSES = ("fn", "wp-block-comment-author-name")
CONTENT_CLASSES = ("comment-content", "wp-block-comment-content")
DATE_TEXT_CLASSES = ("comment-meta", "commentmetadata", "comment-metadata", "wp-block-comment-date")
# Inside an old theme's div.comment-body these are not what the commenter wrote.
NOT_WORDS = ("comment-author", "comment-meta", "commentmetadata", "reply", "vcard")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def parse_wordpress_html(data: bytes, tally: m.Tally) -> list[m.RawDocument]:
    path = tally.path
    try:
        text = XML_DECLARATION.sub("", data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise m.ImportFailed(path, line, "expected a page saved as UTF-8") from None
    parser = lxml.html.HTMLParser(no_network=True)
    try:
        page = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise m.ImportFailed(path, None, f"not an HTML page: {exc}") from None
    for error in parser.error_log:
        if "Excessive depth" in error.message:  # libxml2 stops there and drops the rest
            raise m.ImportFailed(
                path, error.line, "elements nested deeper than 256 levels; expected a saved page"
            )
    comment_list = next(
        (element for element in page.iter("ol", "ul") if _classes(element) & set(LIST_CLASSES)),
        None,
    )
    if comment_list is None:
        raise m.ImportFailed(
            path,
            None,
            "found no WordPress comment list (ol.comment-list, ol.commentlist or a block "
            "theme's ol.wp-block-comment-template); expected a saved WordPress post page",
        )
    comments = list(_comments(comment_list, tally))
    metadata = trafilatura.extract_metadata(text)
    title = (metadata.title if metadata else None) or _first_text(page, "h1") or ""
    source = (metadata.url if metadata else None) or None
    _drop_comment_area(comment_list)  # trafilatura misses block themes' comments …
    _drop_site_chrome(page)  # … and their site header
    extracted = trafilatura.extract(
        lxml.html.tostring(page, encoding="unicode"), include_comments=False, include_tables=False
    )
    article = "\n\n".join(line for line in (extracted or "").splitlines() if line.strip())
    return [m.RawDocument(title, source, article, comments, "the page")]


def _drop_comment_area(comment_list: etree._Element) -> None:
    area = next(
        (
            e
            for e in comment_list.iterancestors()
            if e.get("id") == "comments" or _classes(e) & {"comments-area", "wp-block-comments"}
        ),
        comment_list,
    )
    if area.getparent() is not None:
        area.getparent().remove(area)


def _drop_site_chrome(page: etree._Element) -> None:
    """Headers, menus and footers of the site around the post (not the post's own)."""
    for element in list(page.iter("header", "nav", "footer")):
        inside_post = any(a.tag in ("article", "main") for a in element.iterancestors())
        if not inside_post and element.getparent() is not None:
            element.getparent().remove(element)


def _first_text(page: etree._Element, tag: str) -> str | None:
    found = next(page.iter(tag), None)
    return " ".join(found.text_content().split()) if found is not None else None


def _is_replies(element: etree._Element) -> bool:
    return element.tag in ("ol", "ul") and "children" in _classes(element)


def _own(item: etree._Element) -> Iterator[etree._Element]:
    """The comment's own elements in page order, without its nested replies."""
    stack = list(reversed(item))
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or _is_replies(element):
            continue
        yield element
        stack.extend(reversed(element))


def _comments(comment_list: etree._Element, tally: m.Tally) -> Iterator[m.RawComment]:
    stack: list[tuple[etree._Element, str | None]] = [(comment_list, None)]
    count = 0
    while stack:
        replies, parent = stack.pop()
        for item in replies:
            if item.tag != "li":
                continue
            classes = _classes(item)
            if classes & {"pingback", "trackback"}:
                tally.skip(m.PINGBACK if "pingback" in classes else m.TRACKBACK)
                continue
            count += 1
            key = item.get("id") or f"#{count}"
            where = f"comment {key}"
            tally.comment(where)
            own = list(_own(item))
            for nested in item.iter("ol", "ul"):
                if _is_replies(nested) and next(nested.iterancestors("li"), None) is item:
                    stack.append((nested, key))
            comment = _comment(own, key, parent, where, tally)
            if comment is not None:
                yield comment


def _comment(
    own: list[etree._Element], key: str, parent: str | None, where: str, tally: m.Tally
) -> m.RawComment | None:
    if any("comment-awaiting-moderation" in _classes(e) for e in own):
        tally.skip(m.UNAPPROVED)  # shown only to its author, who saved the page
        return None
    body = _find(own, CONTENT_CLASSES)
    if body is None:
        body = _find(own, ("comment-body",))
    text = html_to_text(_words_of(body)) if body is not None else ""
    if not text:
        tally.skip(m.EMPTY)
        return None
    author = _find(own, AUTHOR_CLASSES)
    return m.RawComment(
        key=key,
        parent=parent,
        author=" ".join(author.text_content().split()) if author is not None else "",
        date=_date(own),
        text=text,
        where=where,
    )


def _find(own: list[etree._Element], classes: tuple[str, ...]) -> etree._Element | None:
    return next((e for e in own if _classes(e) & set(classes)), None)


def _words_of(body: etree._Element) -> str:
    body = copy.deepcopy(body)
    for element in list(body.iter()):
        if element is not body and (_classes(element) & set(NOT_WORDS) or _is_replies(element)):
            element.drop_tree()
    return lxml.html.tostring(body, encoding="unicode")


def _date(own: list[etree._Element]) -> dt.date | None:
    stamp = next((e.get("datetime") for e in own if e.tag == "time" and e.get("datetime")), None)
    if stamp and (date := utc_date(stamp)):
        return date
    shown = _find(own, DATE_TEXT_CLASSES)
    return text_date(shown.text_content()) if shown is not None else None

"""Disqus XML export: <thread>s and <post>s linked by dsq:id; one document per thread with posts."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from bot.corpus.importers import model as m
from bot.corpus.importers.dates import utc_date
from bot.corpus.importers.htmltext import html_to_text
from bot.corpus.importers.xmlsafe import child, children, local, parse_xml, text_of


def _dsq_id(element: Element | None) -> str | None:
    """The dsq:id attribute, whatever the exact namespace URI of this export."""
    if element is None:
        return None
    for name, value in element.attrib.items():
        if local(name) == "id" and name.startswith("{"):
            return value.strip() or None
    return None


def _true(element: Element, name: str) -> bool:
    return text_of(element, name).lower() == "true"


def parse_disqus(data: bytes, tally: m.Tally) -> list[m.RawDocument]:
    root = parse_xml(data, tally.path)
    if local(root.tag) != "disqus":
        raise m.ImportFailed(
            tally.path, None, f"expected a Disqus export (<disqus>), found <{local(root.tag)[:40]}>"
        )
    threads: dict[str, tuple[m.RawDocument, bool]] = {}
    for number, thread in enumerate(children(root, "thread"), start=1):
        key = _dsq_id(thread) or f"#{number}"
        link = text_of(thread, "link") or None
        document = m.RawDocument(text_of(thread, "title"), link, "", [], f"thread {key}")
        threads.setdefault(key, (document, _true(thread, "isDeleted")))
    for number, post in enumerate(children(root, "post"), start=1):
        key = _dsq_id(post) or f"#{number}"
        where = f"post {key}"
        tally.comment(where)
        found = threads.get(_dsq_id(child(post, "thread")) or "")
        if _true(post, "isSpam"):
            tally.skip(m.SPAM)
        elif _true(post, "isDeleted"):
            tally.skip(m.DELETED)
        elif found is None:
            tally.skip(m.NO_THREAD)
        elif found[1]:
            tally.skip(m.THREAD_DELETED)
        elif not (text := html_to_text(text_of(post, "message"))):
            tally.skip(m.EMPTY)
        else:
            author = child(post, "author")
            name = ""
            if author is not None:
                name = text_of(author, "name") or text_of(author, "username")
            found[0].comments.append(
                m.RawComment(
                    key=key,
                    parent=_dsq_id(child(post, "parent")),
                    author=name,
                    date=utc_date(text_of(post, "createdAt")),
                    text=text,
                    where=where,
                )
            )
    return [document for document, _ in threads.values()]

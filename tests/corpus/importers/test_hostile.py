"""Exports are attacker-controlled: each kind of hostile file is refused with the file and, where
known, the line; nothing is ever fetched."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from bot.config import ImportSettings
from bot.corpus.importers import import_export, read_export
from bot.corpus.importers.model import ImportFailed
from tests.corpus.importers.helpers import DATA

HOSTILE = DATA / "hostile"


def _refusal(path: Path, fmt: str = "auto", **limits: int) -> str:
    with pytest.raises(ImportFailed) as caught:
        import_export(path.read_bytes(), str(path), fmt, ImportSettings(**limits))
    message = str(caught.value)
    assert message.startswith(str(path))
    assert "Traceback" not in message and len(message) < 400
    return message


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("billion-laughs.xml", ":2: refused a DTD"),
        ("external-entity.xml", ":2: refused a DTD"),
        ("malformed.xml", ":8: not well-formed XML (column 24): undefined entity"),
        ("notes.txt", ":1: does not look like a WordPress export, a Disqus export"),
    ],
)
def test_hostile_files_are_refused_with_file_and_line(name: str, expected: str) -> None:
    assert expected in _refusal(HOSTILE / name)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/xml-dtd")
        self.end_headers()
        self.wfile.write(b'<!ENTITY leaked "from the network">')

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def url_server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every request made to it."""
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_dtd_and_entity_urls_are_never_fetched(
    url_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, hits = url_server
    dtd = tmp_path / "dtd-url.xml"
    dtd.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss SYSTEM "{base}/evil.dtd">\n'
        '<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel/></rss>\n',
        encoding="utf-8",
    )
    entity = tmp_path / "entity-url.xml"
    entity.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE disqus [<!ENTITY e SYSTEM "{base}/e.xml">]>\n'
        '<disqus xmlns="http://disqus.com"><post><message>&e;</message></post></disqus>\n',
        encoding="utf-8",
    )
    assert ":2: refused a DTD" in _refusal(dtd)
    assert ":2: refused a DTD" in _refusal(entity, "disqus")
    assert hits == []


def test_urls_in_a_saved_page_are_never_fetched(
    url_server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, hits = url_server
    page = (DATA / "wordpress-page-twentytwentyone.html").read_text(encoding="utf-8")
    page = page.replace(
        "</head>",
        f'<link rel="stylesheet" href="{base}/style.css"><script src="{base}/x.js"></script>'
        f'<meta http-equiv="refresh" content="0; url={base}/go"></head>',
    ).replace(
        "<p>12&ndash;15 litres a minute.</p>",
        f'<p>12&ndash;15 litres a minute.<img src="{base}/pixel.gif" alt="x">'
        f'<iframe src="{base}/frame"></iframe></p>',
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    [doc] = import_export(path.read_bytes(), str(path), "auto", ImportSettings()).documents
    assert [c.text for c in doc.comments if c.author == "Tom & Jerry"][
        1
    ] == "12–15 litres a minute."
    assert hits == []


def _wxr(comments: list[tuple[int, int]]) -> str:
    """A WXR export with comments given as (id, parent id)."""
    body = "".join(
        f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
        f"<wp:comment_author>Person {cid}</wp:comment_author>"
        "<wp:comment_date_gmt>2020-05-05 12:00:00</wp:comment_date_gmt>"
        f"<wp:comment_content>Comment number {cid}.</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved>"
        f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n"
        for cid, parent in comments
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel><item>'
        f"<title>Generated</title><wp:status>publish</wp:status>\n{body}</item></channel></rss>\n"
    )


def test_too_many_comments(tmp_path: Path) -> None:
    path = tmp_path / "many.xml"
    path.write_text(_wxr([(i, 0) for i in range(1, 52)]), encoding="utf-8")
    message = _refusal(path, max_comments=50)
    assert "more than 50 comments (at comment 51 in item 1 (post ?))" in message
    assert "imports.max_comments" in message
    assert len(import_export(path.read_bytes(), "many.xml", "auto", ImportSettings()).documents)


def test_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_text(_wxr([(i, i - 1) for i in range(1, 53)]), encoding="utf-8")  # depth 51
    message = _refusal(path)  # the default limit, 50
    assert "comment 52 in item 1 (post ?) in “Generated” is a reply 51 levels deep" in message
    assert "imports.max_depth (50)" in message
    [doc] = import_export(
        path.read_bytes(), "deep.xml", "auto", ImportSettings(max_depth=51)
    ).documents
    assert [c.reply_to for c in doc.comments[1:]] == [c.id for c in doc.comments[:-1]]


def test_a_loop_of_parents_is_cut_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "loop.xml"
    path.write_text(_wxr([(1, 2), (2, 1), (3, 0)]), encoding="utf-8")
    [doc] = import_export(path.read_bytes(), "loop.xml", "auto", ImportSettings()).documents
    assert [(c.author, c.reply_to) for c in doc.comments] == [
        ("Person 3", None),
        ("Person 1", None),
        ("Person 2", "person-1-2020-05-05"),
    ]


def test_oversize_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.xml"
    with path.open("wb") as stream:
        stream.truncate(25_000_000)  # sparse: 25 MB on paper
    with pytest.raises(ImportFailed, match=r"huge\.xml: is 25,000,000 bytes, more than "):
        read_export(path, ImportSettings())
    small = tmp_path / "small.xml"
    small.write_bytes(b"x" * 101)
    with pytest.raises(ImportFailed, match=r"more than imports\.max_bytes \(100\)"):
        read_export(small, ImportSettings(max_bytes=100))


@pytest.mark.parametrize(
    ("export", "fmt", "expected"),
    [
        ("wordpress-1.2.xml", "disqus", "expected a Disqus export (<disqus>), found <rss>"),
        ("disqus.xml", "wxr", "expected a WordPress export (<rss> with a wordpress.org/export"),
        ("discourse-topic.json", "wxr", ":1: not well-formed XML"),
        ("wordpress-1.2.xml", "discourse-json", ":1: not valid JSON"),
        ("disqus.xml", "wordpress-html", "found no WordPress comment list"),
    ],
)
def test_wrong_format(export: str, fmt: str, expected: str) -> None:
    assert expected in _refusal(DATA / export, fmt)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[" * 200_000, "not valid JSON: nested too deeply"),
        (b'{"post_stream": {"posts": [{"post_number": "one"}]}}', "expected 'post_number' as a"),
        (b'{"post_stream": {"posts": [1]}}', "post_stream.posts[0]: expected a post object"),
        (b'{"title": 5, "post_stream": {"posts": []}}', "expected 'title' as text, got 5"),
        (b'{"posts": []}', "expected a Discourse topic (/t/ID.json) with post_stream.posts"),
        (b'{"post_stream": {"posts": []}}\n\xff', ":2: expected UTF-8 text"),
        (b"", "does not look like"),
    ],
)
def test_broken_json(content: bytes, expected: str, tmp_path: Path) -> None:
    path = tmp_path / "topic.json"
    path.write_bytes(content)
    assert expected in _refusal(path)


def test_deeply_nested_html_is_refused_not_cut_short() -> None:
    page = (DATA / "wordpress-page-block-theme.html").read_text(encoding="utf-8")
    deep = "<span>" * 20_000 + "Deep words." + "</span>" * 20_000
    path = Path("deep.html")
    data = page.replace("<p>Careful: too much and you get the rebound.</p>", deep).encode()
    with pytest.raises(ImportFailed, match=r"^deep\.html:\d+: elements nested deeper than 256"):
        import_export(data, str(path), "auto", ImportSettings())


def test_a_file_with_nothing_to_import(tmp_path: Path) -> None:
    path = tmp_path / "pings.xml"
    path.write_text(
        _wxr([(1, 0)]).replace(
            "<wp:comment_parent>", "<wp:comment_type>pingback</wp:comment_type><wp:comment_parent>"
        ),
        encoding="utf-8",
    )
    assert "has no comments to import (skipped: pingback: 1)" in _refusal(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'<?xml version="1.0" encoding="bogus"?><rss/>', "f.xml:1: not readable XML"),
        (b'{"post_stream": {"posts": [{"post_number": ' + b"1" * 5000 + b"}]}}", "not valid JSON"),
    ],
)
def test_odd_encodings_and_numbers_are_refused(content: bytes, expected: str) -> None:
    with pytest.raises(ImportFailed, match=re.escape(expected)):
        import_export(content, "f.xml", "auto", ImportSettings())


def test_dates_at_the_ends_of_the_calendar_are_kept_undated_or_as_written() -> None:
    page = (
        '<html><body><ol class="comment-list"><li class="comment"><b class="fn">Al</b>'
        '<time datetime="0001-01-01T00:00:00+14:00"></time>'
        '<div class="comment-content">Hi</div></li></ol></body></html>'
    )
    [doc] = import_export(page.encode(), "p.html", "auto", ImportSettings()).documents
    assert [(c.author, c.date, c.text) for c in doc.comments] == [("Al", None, "Hi")]

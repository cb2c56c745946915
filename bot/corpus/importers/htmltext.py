"""HTML bodies as plain text: entities decoded once, tags dropped, paragraphs and line breaks
kept, links as their text. The standard library's streaming parser builds no tree, so a hostile
body cannot nest its way into a recursion limit."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that start and end a paragraph of their own.
BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
# Elements whose content is not text a person wrote.
HIDDEN = {"script", "style", "template", "noscript", "iframe", "object", "svg", "head", "title"}
# Other people's words inside a comment: a quote (Discourse wraps it in aside.quote) or a link
# preview (aside.onebox). Dropped, so that nobody is quoted under another person's name.
QUOTED = {"blockquote", "aside"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
PARAGRAPH = "\x00"  # stands for a paragraph break while text is collected
# WordPress shortcodes that wrap media, not words: [caption id="…"]…[/caption], [embed]…
SHORTCODE = re.compile(r"\[/?(?:caption|gallery|embed|audio|video|playlist)\b[^\]]*\]")


class _Flattener(HTMLParser):
    def __init__(self, newlines_are_breaks: bool, keep_quotes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.newlines_are_breaks = newlines_are_breaks
        self.hidden_tags = HIDDEN if keep_quotes else HIDDEN | QUOTED
        self.parts: list[str] = []
        self.hidden = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.hidden_tags:
            self.hidden += tag not in VOID
        elif tag == "br":
            self.parts.append("\n")
        elif tag in BLOCKS:
            self.parts.append(PARAGRAPH)
            self.pre += tag == "pre"
        elif tag == "img":
            found = dict(attrs)
            if "emoji" in (found.get("class") or "") and found.get("alt"):
                self.parts.append(found["alt"] or "")  # WordPress turns emoji into images

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)  # <br/> and <img … /> carry no end tag

    def handle_endtag(self, tag: str) -> None:
        if tag in self.hidden_tags:
            self.hidden = max(0, self.hidden - 1)
        elif tag in BLOCKS:
            self.parts.append(PARAGRAPH)
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.pre:
            self.parts.append(data)
        elif self.newlines_are_breaks:
            # WordPress stores comments and posts as typed: a blank line is a paragraph break.
            data = re.sub(r"[ \t]*\n[ \t]*\n\s*", PARAGRAPH, data)
            self.parts.append(re.sub(r"[ \t\r\f\v]+", " ", data))
        else:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str, *, newlines_are_breaks: bool = False, keep_quotes: bool = False) -> str:
    """Plain text of an HTML fragment. newlines_are_breaks: for text stored as typed (WordPress),
    where a newline is a line break and a blank line a paragraph break, as wpautop renders it.
    keep_quotes: keep blockquote/aside (an article's own quotes); a comment's are dropped."""
    parser = _Flattener(newlines_are_breaks, keep_quotes)
    parser.feed(SHORTCODE.sub("", html))
    parser.close()
    text = "".join(parser.parts)
    paragraphs = []
    for block in text.split(PARAGRAPH):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)

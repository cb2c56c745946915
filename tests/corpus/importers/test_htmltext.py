from __future__ import annotations

import pytest

from bot.corpus.importers.htmltext import html_to_text


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>One</p><p>Two<br>three</p>", "One\n\nTwo\nthree"),
        ("Fish &amp;amp; chips &lt;3 &eacute;", "Fish &amp; chips <3 é"),  # decoded once only
        ('See <a href="https://x.example">the study</a>.', "See the study."),
        ("<script>alert(1)</script><style>p{}</style>Kept", "Kept"),
        ("<blockquote>Someone else</blockquote><p>Mine</p>", "Mine"),
        ('<img class="emoji" alt="😀" src="x.svg"> hi <img alt="photo" src="y.jpg">', "😀 hi"),
        ("  lots   of\n  space  ", "lots of space"),
        ('[caption id="a"]<img src="x.jpg"> A photo[/caption] [sic]', "A photo [sic]"),
        ("<ul><li>a</li><li>b</li></ul>", "a\n\nb"),
        ("<p>unclosed <b>bold", "unclosed bold"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_wordpress_text_keeps_typed_line_and_paragraph_breaks() -> None:
    typed = "First line\nsecond line\n\n\nNew paragraph"
    assert (
        html_to_text(typed, newlines_are_breaks=True) == "First line\nsecond line\n\nNew paragraph"
    )
    assert html_to_text(typed) == "First line second line New paragraph"


def test_article_keeps_its_quotes() -> None:
    assert html_to_text("<blockquote>Cited</blockquote>", keep_quotes=True) == "Cited"

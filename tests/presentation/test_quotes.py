"""The shared pieces: one ellipsis, one quote block, one attribution line."""

from __future__ import annotations

import datetime as dt

from bot.presentation.quotes import ELLIPSIS, attribution, quote_block, source_heading


def test_a_quote_block_marks_cuts_and_keeps_blank_lines_inside_the_quote() -> None:
    assert quote_block("One.\n\nTwo.") == "> One.\n>\n> Two."
    assert quote_block("Mid.", cut_before=True, cut_after=True) == f"> {ELLIPSIS}Mid.{ELLIPSIS}"
    assert quote_block("  \nx") == ">\n> x"  # a line of spaces is a blank line too


def test_escaping_touches_the_text_not_the_marks() -> None:
    shout = quote_block("a\nb", cut_after=True, escape=str.upper)
    assert shout == f"> A\n> B{ELLIPSIS}"


def test_attribution_lines() -> None:
    day = dt.date(2012, 2, 17)
    assert attribution("comment", "Doc", "helen", day) == "helen · Feb 17, 2012"
    assert (
        attribution("comment", "Doc", "helen", day, "Barbara", name_document=True)
        == "helen · Feb 17, 2012 · replying to Barbara · on “Doc”"
    )
    assert attribution("comment", "Doc", None, None) == "anonymous · undated"
    assert attribution("article", "Botox for Migraine", None, None) == "Botox for Migraine"


def test_source_heading() -> None:
    assert source_heading(("Doc",)) == "From “Doc”"
    assert source_heading(("A", "B")) == "From the discussions"

from __future__ import annotations

import datetime as dt

from tests.corpus.importers.helpers import imported, rows

D = dt.date


def test_core_html5_markup_twenty_twenty_one() -> None:
    result = imported("wordpress-page-twentytwentyone.html")
    assert result.format == "saved WordPress page"
    [doc] = result.documents
    assert doc.title == "Cluster headaches at night"
    assert doc.source == "https://headaches.example.org/2020/01/cluster-headaches-at-night/"
    assert doc.article.startswith("Cluster headaches often strike an hour or two after falling")
    assert "Oxygen therapy through a non-rebreather mask" in doc.article
    assert "Tom" not in doc.article and "Proudly powered" not in doc.article
    assert rows(doc) == [
        (
            "tom-jerry-2020-01-10",
            "Tom & Jerry",
            D(2020, 1, 10),  # 00:30 at +01:00 is still the 10th in UTC
            None,
            "Oxygen changed everything for me 🙏\n\nFirst line\nsecond line.",
        ),
        (
            "editor-2020-01-11",
            "Editor",
            D(2020, 1, 11),
            "tom-jerry-2020-01-10",
            "How high a flow rate, Tom?",
        ),
        (
            "tom-jerry-2020-01-11",
            "Tom & Jerry",
            D(2020, 1, 11),
            "editor-2020-01-11",
            "12–15 litres a minute.",
        ),
        (
            "vera-2020-01-14",
            "Vera",
            D(2020, 1, 14),  # 23:50 at -05:00
            None,
            "Verapamil helped me more than oxygen. <Not medical advice!>",
        ),
    ]
    assert result.skipped == {"not approved": 1, "pingback": 1}  # "awaiting moderation"


def test_older_markup_twenty_eleven_with_dates_only_as_text() -> None:
    [doc] = imported("wordpress-page-twentyeleven.html", fmt="wordpress-html").documents
    assert doc.title == "Hormones and migraine"
    assert doc.article.startswith("Many women notice that their migraines follow their cycle")
    assert rows(doc) == [
        (
            "wendy-2011-06-02",
            "Wendy",
            D(2011, 6, 2),
            None,
            "Mine always come two days before. Frovatriptan as a mini-prevention helped.",
        ),
        (
            "xena-2011-06-03",
            "Xena",
            D(2011, 6, 3),
            "wendy-2011-06-02",
            "Thanks Wendy, I’ll ask my GP about that.",
        ),
    ]


def test_block_theme_comment_template() -> None:
    [doc] = imported("wordpress-page-block-theme.html").documents
    assert doc.title == "Caffeine: friend or foe?"
    assert doc.article.startswith("A cup of coffee can stop a migraine early on")
    assert "espresso" not in doc.article  # comments are not part of the article
    assert rows(doc) == [
        (
            "yara-2023-08-31",
            "Yara",
            D(2023, 8, 31),
            None,
            "One espresso at the first sign works for me.",
        ),
        (
            "zeno-2023-09-01",
            "Zeno",
            D(2023, 9, 1),
            "yara-2023-08-31",
            "Careful: too much and you get the rebound.",
        ),
    ]

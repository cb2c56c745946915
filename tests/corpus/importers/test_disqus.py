from __future__ import annotations

import datetime as dt

from tests.corpus.importers.helpers import imported, rows

D = dt.date


def test_disqus_one_document_per_thread_with_posts() -> None:
    result = imported("disqus.xml")
    assert result.format == "Disqus XML"
    [doc] = result.documents  # the deleted thread and the one nobody commented on are left out
    assert doc.title == "Cold weather & migraines"
    assert doc.source == "https://blog.example.com/2019/12/cold-weather-migraines/"
    assert doc.article == ""
    assert rows(doc) == [
        (
            "frida-k-2019-12-31",
            "Frida K.",
            D(2019, 12, 31),  # one second before midnight UTC
            None,
            "The first frost always sets mine off.\n\nScarf over the neck & ears helps a bit.\n"
            "Not always.",
        ),
        (
            "georg-w-2020-01-01",
            "georg_w",  # no name: the username stands in
            D(2020, 1, 1),
            "frida-k-2019-12-31",
            "Same! Barometric pressure, I think. 🌧️",
        ),
        (
            "anon-2020-01-01",
            "נועה",
            D(2020, 1, 1),
            "georg-w-2020-01-01",
            "עוזר לי לשתות מים חמים. Hot water helps me.",
        ),
        # Its parent was deleted: now top-level; the link becomes its text.
        (
            "ilse-2020-01-01",
            "Ilse",
            D(2020, 1, 1),
            None,
            "@Hanne what did you say? I use a heat pad now.",
        ),
    ]
    assert result.skipped == {
        "spam": 1,
        "deleted": 1,
        "its thread is deleted": 1,
        "its thread is not in the file": 1,
    }
    assert result.orphans == 1

from __future__ import annotations

import datetime as dt

from tests.corpus.importers.helpers import imported, rows

D = dt.date


def test_discourse_first_post_is_the_article_and_replies_follow_reply_to_post_number() -> None:
    result = imported("discourse-topic.json")
    assert result.format == "Discourse topic JSON"
    [doc] = result.documents
    assert doc.title == "Magnesium for migraine prevention?"
    assert doc.article == (
        "Several of you asked about magnesium. What has your experience been?\n\n"
        "Please share doses & brands."
    )
    assert rows(doc) == [
        (
            "olu-a-2022-06-30",
            "olu_a",
            D(2022, 6, 30),
            None,
            "400 mg every evening for a year. Fewer attacks, and milder.",
        ),
        # The quoted words are Olu's, not Petra's: they are left out of her comment.
        ("petra-2022-07-01", "petra", D(2022, 7, 1), "olu-a-2022-06-30", "Which form? @olu_a"),
        (
            "olu-a-2022-07-01",
            "olu_a",
            D(2022, 7, 1),
            "petra-2022-07-01",
            "Glycinate. The oxide upset my stomach :face_vomiting:",
        ),
        # It replied to a post its author deleted: now top-level.
        (
            "sam-2022-07-01",
            "sam",
            D(2022, 7, 1),
            None,
            "Replying to rafa: which doctor suggested it?",
        ),
    ]
    assert result.skipped == {
        "not a regular post (moderator or system action, whisper)": 2,
        "hidden": 1,
        "deleted": 1,
        "listed in post_stream.stream but not in the file": 2,
    }
    assert result.orphans == 1

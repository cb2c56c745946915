"""A synthetic WordPress export for timing `python -m bot import` (developer tool, not the bot).

    python -m tools.make_wxr POSTS COMMENTS_PER_POST > big.xml

Deterministic (seeded); about a third of the comments reply to an earlier one in the same post.
"""

from __future__ import annotations

import random
import sys

WORDS = "migraine sleep aura triptan botox neck pain doctor dose week month better worse".split()


def wxr(posts: int, per_post: int) -> str:
    rng = random.Random(1)
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel>',
    ]
    cid = 0
    for post in range(posts):
        body = " ".join(rng.choices(WORDS, k=200))
        out.append(
            f"<item><title>Post {post}</title><link>https://example.org/{post}</link>"
            f"<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded>"
            f"<wp:post_id>{post}</wp:post_id><wp:status>publish</wp:status>"
        )
        first = cid + 1
        for _ in range(per_post):
            cid += 1
            parent = rng.choice([0, 0, rng.randint(first, cid - 1)]) if cid > first else 0
            text = (
                " ".join(rng.choices(WORDS, k=60))
                + ".\n\nAnd "
                + " ".join(rng.choices(WORDS, k=20))
            )
            out.append(
                f"<wp:comment><wp:comment_id>{cid}</wp:comment_id>"
                f"<wp:comment_author>Person {rng.randint(1, 500)}</wp:comment_author>"
                f"<wp:comment_date_gmt>2020-0{rng.randint(1, 9)}-1{rng.randint(0, 9)} 12:00:00"
                f"</wp:comment_date_gmt><wp:comment_content><![CDATA[{text}.]]>"
                "</wp:comment_content><wp:comment_approved>1</wp:comment_approved>"
                "<wp:comment_type>comment</wp:comment_type>"
                f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
            )
        out.append("</item>")
    out.append("</channel></rss>\n")
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(wxr(int(sys.argv[1]), int(sys.argv[2])))

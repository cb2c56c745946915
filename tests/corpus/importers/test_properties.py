"""Malformed variants of every fixture: each is imported or refused with one clear message that
names the file; never a traceback, never a half-written or unloadable corpus file."""

from __future__ import annotations

import copy
import json
import re
import tempfile
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import ImportSettings, load_config
from bot.corpus.importers import import_export, import_into_corpus
from bot.corpus.importers.model import ImportFailed
from bot.corpus.loader import load_file
from tests.corpus.importers.helpers import DATA
from tests.helpers import CONFIG

EXPORTS = sorted(p for p in DATA.iterdir() if p.is_file())
CONFIG_LOADED = load_config(CONFIG)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    path = draw(st.sampled_from(EXPORTS))
    data = path.read_bytes()
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        end = draw(st.integers(at, min(len(data), at + 200)))
        kind = draw(st.sampled_from(["cut", "insert", "replace", "truncate", "duplicate"]))
        noise = draw(
            st.one_of(
                st.binary(max_size=20),
                st.sampled_from([b"<", b">", b"&", b"]]>", b"<!--", b'"', b"{", b"}", b"\x00"]),
                st.text(max_size=10).map(lambda t: t.encode()),
            )
        )
        if kind == "cut":
            data = data[:at] + data[end:]
        elif kind == "insert":
            data = data[:at] + noise + data[at:]
        elif kind == "replace":
            data = data[:at] + noise + data[end:]
        elif kind == "truncate":
            data = data[:at]
        else:
            data = data[:end] + data[at:end] + data[end:]
    return path.name, data


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated(), st.sampled_from(["auto", "wxr", "disqus", "wordpress-html", "discourse-json"]))
def test_malformed_exports_import_cleanly_or_fail_cleanly(
    variant: tuple[str, bytes], fmt: str
) -> None:
    name, data = variant
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder)
        config = replace(CONFIG_LOADED, corpus=corpus)
        try:
            _, written = import_into_corpus(data, name, fmt, config, force=False)
        except ImportFailed as exc:
            assert str(exc).startswith(name)
            assert len(str(exc)) < 600
            assert list(corpus.iterdir()) == []  # nothing written, no temporary left behind
        else:
            assert [p.name for p in corpus.iterdir()] == [written.name]
            assert load_file(written)  # what was written loads as a corpus document


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
DISCOURSE = json.loads((DATA / "discourse-topic.json").read_text(encoding="utf-8"))
POST_KEYS = sorted({key for post in DISCOURSE["post_stream"]["posts"] for key in post})


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 8), st.sampled_from(POST_KEYS), JSON_VALUES)
def test_any_value_in_any_discourse_field(index: int, key: str, value: object) -> None:
    topic = copy.deepcopy(DISCOURSE)
    topic["post_stream"]["posts"][index][key] = value
    data = json.dumps(topic).encode()
    try:
        result = import_export(data, "topic.json", "auto", ImportSettings())
    except ImportFailed as exc:
        assert str(exc).startswith("topic.json")
    else:
        assert all(c.author and c.text for d in result.documents for c in d.comments)


WXR_FIELDS = ["comment_id", "comment_parent", "comment_date_gmt", "comment_date", "comment_author"]


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(WXR_FIELDS), st.text(max_size=40))
def test_any_text_in_wxr_comment_fields(name: str, value: str) -> None:
    text = (DATA / "wordpress-1.2.xml").read_text(encoding="utf-8")
    cut = re.sub(f"<wp:{name}>[^<]*(<!\\[CDATA\\[[^]]*\\]\\]>)?</wp:{name}>", "", text, count=3)
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    changed = cut.replace(
        "<wp:comment_approved>", f"<wp:{name}>{escaped}</wp:{name}><wp:comment_approved>"
    )
    try:
        result = import_export(changed.encode(), "w.xml", "wxr", ImportSettings())
    except ImportFailed as exc:
        assert str(exc).startswith("w.xml")
    else:
        assert result.comments >= 1

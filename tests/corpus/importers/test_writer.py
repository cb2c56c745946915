from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.importers.model import ImportedDocument, ImportFailed
from bot.corpus.importers.writer import render, write_corpus_file
from bot.corpus.loader import load_file
from tests.corpus.importers.helpers import DATA, imported

EXPORTS = [
    "wordpress-1.2.xml",
    "wordpress-1.0-https.xml",
    "disqus.xml",
    "discourse-topic.json",
    "wordpress-page-twentytwentyone.html",
    "wordpress-page-twentyeleven.html",
    "wordpress-page-block-theme.html",
]


def _loaded_as_imported(doc: ImportedDocument, out: Path) -> None:
    [loaded] = load_file(out)
    assert loaded.title == doc.title
    assert loaded.source == doc.source
    assert loaded.article == doc.article
    assert [(c.id, c.author, c.date, c.in_reply_to, c.text) for c in loaded.comments] == [
        (c.id, c.author, c.date, c.reply_to, c.text) for c in doc.comments
    ]
    depth = {c.id: c.depth for c in loaded.comments}
    for c in loaded.comments:
        assert c.depth == (depth[c.in_reply_to] + 1 if c.in_reply_to else 0)


@pytest.mark.parametrize("export", EXPORTS)
@pytest.mark.parametrize("suffix", [".jsonl", ".yaml"])
def test_what_is_written_loads_back_exactly(export: str, suffix: str, tmp_path: Path) -> None:
    """Ids, reply links (two comments by one author on one day included), dates and text."""
    result = imported(export)
    out = tmp_path / f"imported{suffix}"
    write_corpus_file(render(result.documents, out), out, force=False)
    _loaded_as_imported(result.documents[0], out)


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "sleep.jsonl"
    out.write_text("kept\n", encoding="utf-8")
    text = render(imported("wordpress-1.2.xml").documents, out)
    with pytest.raises(ImportFailed, match=r"sleep\.jsonl: already exists; use --force"):
        write_corpus_file(text, out, force=False)
    assert out.read_text(encoding="utf-8") == "kept\n"
    write_corpus_file(text, out, force=True)
    assert out.read_text(encoding="utf-8") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sleep.jsonl"]  # no temporary left


def test_yaml_holds_one_document_only(tmp_path: Path) -> None:
    result = imported("wordpress-1.2.xml")
    two = (result.documents[0], result.documents[0])
    with pytest.raises(ImportFailed, match="holds one document and this export has 2"):
        render(two, tmp_path / "x.yaml")
    with pytest.raises(ImportFailed, match=r"expected an output file ending in \.jsonl"):
        render(result.documents, tmp_path / "x.txt")


def test_an_unwritable_place_is_one_clear_error(tmp_path: Path) -> None:
    text = render(imported("disqus.xml").documents, tmp_path / "x.jsonl")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"x\.jsonl: cannot be written: "):
        write_corpus_file(text, blocker / "x.jsonl", force=False)
    folder = tmp_path / "folder.jsonl"
    folder.mkdir()
    with pytest.raises(ImportFailed, match="is a folder"):
        write_corpus_file(text, folder, force=True)


def test_a_long_title_still_makes_a_file_name_the_system_accepts(tmp_path: Path) -> None:
    """Titles may run to 300 characters; file names may not (found by the property test)."""
    import json
    from dataclasses import replace

    from bot.config import load_config
    from bot.corpus.importers import import_into_corpus
    from bot.corpus.loader import load_file

    topic = json.loads((DATA / "discourse-topic.json").read_text(encoding="utf-8"))
    topic["title"] = "migraine " * 33  # 297 characters
    config = replace(load_config(Path("config.yaml")), corpus=tmp_path)
    data = json.dumps(topic).encode()
    _, written = import_into_corpus(data, "topic.json", "discourse-json", config, force=False)
    assert written.parent == tmp_path and len(written.name) <= 86
    assert written.name.startswith("migraine-migraine") and load_file(written)

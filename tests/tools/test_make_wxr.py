from __future__ import annotations

from bot.config import ImportSettings
from bot.corpus.importers import import_export
from tools.make_wxr import wxr


def test_the_synthetic_export_imports_with_its_threads() -> None:
    result = import_export(wxr(3, 40).encode(), "big.xml", "wxr", ImportSettings())
    assert [len(d.comments) for d in result.documents] == [40, 40, 40]
    assert result.skipped == {} and result.orphans == 0
    for doc in result.documents:
        ids = [c.id for c in doc.comments]
        assert all(ids.index(c.reply_to) < ids.index(c.id) for c in doc.comments if c.reply_to)
    assert 0 < result.replies < result.comments

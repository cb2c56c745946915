"""The imports: section of config.yaml (caps on exports given to `import` and /import)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, ImportSettings, load_config
from tests.helpers import CONFIG, write


def test_shipped_caps_are_the_documented_defaults() -> None:
    assert load_config(CONFIG).imports == ImportSettings(20_000_000, 50_000, 50)


def test_the_section_may_be_left_out(tmp_path: Path) -> None:
    text = CONFIG.read_text(encoding="utf-8")
    cut = write(tmp_path / "config.yaml", text[: text.index("\nimports:")] + "\n")
    assert load_config(cut).imports == ImportSettings()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  max_bytes: 20000000", "  max_bytes: 0", "imports.max_bytes: expected a whole number"),
        ("  max_comments: 50000", "  max_comments: lots", "imports.max_comments: expected"),
        ("  max_depth: 50", "  max_depth: 5000", "imports.max_depth: expected a whole number"),
        ("  max_depth: 50", "  max_depth: 5\n  max_width: 3", "unknown key 'imports.max_width'"),
    ],
)
def test_bad_caps_are_refused_with_the_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = CONFIG.read_text(encoding="utf-8")
    assert old in text
    path = write(tmp_path / "config.yaml", text.replace(old, new, 1))
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    line = text[: text.index(old)].count("\n") + 1 + ("max_width" in new)
    assert caught.value.line == line

"""The house rule, drawn from the code: every import in `bot/` points down a layer.

Each module of `bot/` is parsed (not imported) and every import it makes is checked, those inside
functions and under TYPE_CHECKING too: a type-only import still ties two packages together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

# Bottom to top. Packages on one floor stand side by side: neither imports the other.
LAYERS: list[tuple[str, ...]] = [
    ("bot", "bot.errors", "bot.text"),  # `bot` is the package's __init__ (one environment setting)
    ("bot.yamlsource", "bot.progress"),  # yamlsource's errors quote bad values via bot.text
    ("bot.config",),
    ("bot.corpus",),
    ("bot.retrieval",),
    ("bot.reader",),  # reorders a retrieval Ranking before the reply is composed
    ("bot.answer", "bot.summary"),
    ("bot.engine",),
    ("bot.presentation", "bot.cluster", "bot.feedback"),
    ("bot.discord_adapter",),
    ("bot.cli",),  # `run` starts the Discord adapter
    ("bot.__main__",),
]
# Third-party packages only one room may use: the core never touches Discord.
ONLY_IN = {"discord": ("bot.discord_adapter", "bot.cli.run"), "redis": ("bot.cluster",)}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, module) for every import in the file; relative imports resolved."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            found.append((node.lineno, base))
            # `from bot import engine` imports bot.engine
            found += [(node.lineno, f"{base}.{a.name}") for a in node.names if base == "bot"]
    return found


def room(module: str) -> tuple[int, str] | None:
    """(floor, the package on that floor) holding `module`, or None outside bot/."""
    best: tuple[int, str] | None = None
    for floor, packages in enumerate(LAYERS):
        for package in packages:
            inside = module.startswith(package + ".") and package != "bot"
            longer = best is None or len(package) > len(best[1])
            if (module == package or inside) and longer:
                best = (floor, package)
    return best


def problems(path: Path, root: Path = ROOT) -> list[str]:
    here = module_name(path, root)
    floor, package = room(here) or (-1, "?")
    where = path.relative_to(root)
    if floor < 0:
        return [f"{where}: {here} is on no floor; add its package to LAYERS"]
    found = []
    for line, target in imports_of(path, root):
        top = target.split(".")[0]
        if top in ("tests", "tools"):
            found.append(f"{where}:{line}: imports {target}: the product never imports {top}/")
            continue
        allowed = ONLY_IN.get(top)
        if allowed and not any(here == a or here.startswith(a + ".") for a in allowed):
            found.append(f"{where}:{line}: imports {target}, which only {allowed} may use")
        if top != "bot":
            continue
        other = room(target)
        if other is None:
            found.append(f"{where}:{line}: imports {target}, which is on no floor")
        elif other[0] > floor:
            found.append(f"{where}:{line}: {here} imports {target} from a floor above")
        elif other[0] == floor and other[1] != package:
            found.append(f"{where}:{line}: {here} imports {target} from beside it")
    return found


MODULES = sorted((ROOT / "bot").rglob("*.py"))


def test_every_module_of_bot_is_checked() -> None:
    assert len(MODULES) > 40
    assert [m for m in MODULES if room(module_name(m)) is None] == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT / "bot")))
def test_imports_point_down(path: Path) -> None:
    assert problems(path) == []


def test_the_checker_catches_what_it_should(tmp_path: Path) -> None:
    """Each kind of wrong import, written into a module that pretends to live in bot/."""
    cases = {
        "bot/corpus/up.py": "from bot.engine import Engine\n",
        "bot/answer/beside.py": "import bot.summary.model\n",
        "bot/summary/typed.py": (
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from bot.engine import X\n"
        ),
        "bot/engine.py": "def f():\n    from tests.helpers import ROOT\n",
        "bot/cli/tool.py": "import tools.bench\n",
        "bot/answer/chat.py": "import discord\n",
        "bot/retrieval/rel.py": "from ..summary import model\n",
        "bot/nowhere.py": "import os\n",
    }
    for name, text in cases.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    found = {name: problems(tmp_path / name, tmp_path) for name in cases}
    assert "from a floor above" in found["bot/corpus/up.py"][0]
    assert "from beside it" in found["bot/answer/beside.py"][0]
    assert "from a floor above" in found["bot/summary/typed.py"][0]
    assert "never imports tests/" in found["bot/engine.py"][0]
    assert "never imports tools/" in found["bot/cli/tool.py"][0]
    assert "only" in found["bot/answer/chat.py"][0]
    assert "bot.summary" in found["bot/retrieval/rel.py"][0]
    assert "on no floor" in found["bot/nowhere.py"][0]
    fine = tmp_path / "bot/answer/fine.py"
    fine.write_text("from bot.retrieval.search import Searcher\nfrom bot.answer import x\n")
    assert problems(fine, tmp_path) == []

"""The command table: every command listed, only the one being run imported."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.helpers import ROOT, run_bot

PROBE = """
import json, sys
from bot.cli import build_parser
args = build_parser(sys.argv[1:]).parse_args(sys.argv[1:])
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("bot.", "discord", "tools")))))
"""


def loaded_by(*argv: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_ask_does_not_load_summaries_discord_or_tools() -> None:
    loaded = loaded_by("ask", "--json", "How often?")
    assert "bot.cli.ask" in loaded
    for heavy in ("bot.summary", "bot.cli.summary", "bot.cli.run", "discord", "tools"):
        assert not any(m == heavy or m.startswith(heavy + ".") for m in loaded), heavy


def test_summary_loads_its_own_command_only() -> None:
    loaded = loaded_by("--config", "config.yaml", "summary", "--topic", "cost")
    assert "bot.cli.summary" in loaded and "bot.cli.ask" not in loaded


def test_help_lists_every_command_and_no_developer_tool() -> None:
    done = run_bot("--help")
    assert done.returncode == 0
    for command in ("ask", "check", "summary", "run"):
        assert command in done.stdout
    assert "bench" not in done.stdout and "eval" not in done.stdout
    assert "--topic" in run_bot("summary", "--help").stdout


def test_the_developer_tools_are_gone_from_the_product_cli() -> None:
    done = run_bot("bench")
    assert done.returncode == 2 and "invalid choice" in done.stderr

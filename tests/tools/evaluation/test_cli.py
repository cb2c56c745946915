from __future__ import annotations

import pytest

from tests.helpers import run_bot


@pytest.mark.parametrize("option", ["--questions", "--reading"])
def test_a_missing_file_is_a_clear_error(option: str) -> None:
    done = run_bot("--split", "test", option, "no/such/file.yaml", module="tools.evaluation")
    assert done.returncode == 2
    assert "error: no/such/file.yaml: no such file" in done.stderr
    assert "Traceback" not in done.stderr

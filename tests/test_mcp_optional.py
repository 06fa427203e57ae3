"""The MCP server is an optional extra: the core, ``sdd --help`` and hooks never load it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

WITHOUT_SDK = "import sys; sys.modules['mcp'] = None\n"


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_sdd_mcp_without_the_extra_exits_2_naming_the_install_command(project: Path) -> None:
    result = _python(
        WITHOUT_SDK + "from sdd.cli.main import run; sys.argv = ['sdd', 'mcp']; run()", project
    )
    assert result.returncode == 2, result.stderr
    assert "pip install '" in result.stderr and "[mcp]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_help_and_the_hooks_do_not_load_the_sdk(project: Path) -> None:
    result = _python(
        "import sys\nfrom sdd.cli.main import app\n"
        "try:\n    app(['--help'], prog_name='sdd')\nexcept SystemExit:\n    pass\n"
        "import sdd.hookrun\n"
        "print(sorted(m for m in sys.modules if m == 'mcp' or m.startswith(('mcp.', 'sdd.mcp'))))",
        project,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"

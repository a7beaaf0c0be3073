"""The layers, as the folders draw them: the faces reach the data through one door.

``coopterm.workspace`` opens every session the app and the command line use; no
screen or widget opens one, builds SQL, or imports the store (issue 12).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "coopterm"
UI = sorted((SRC / "ui").rglob("*.py"))


@pytest.mark.parametrize("path", UI, ids=lambda p: str(p.relative_to(SRC)))
def test_the_app_reaches_the_data_only_through_the_workspace(path: Path) -> None:
    text = path.read_text("utf-8")
    found = [f"{path.name}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
             if re.search(r"\.(read|write)\(\) as session|coopterm\.store|from sqlmodel import|select\(", line)]
    assert not found, "\n".join(found)


def test_the_command_line_opens_no_session_of_its_own() -> None:
    text = (SRC / "cli.py").read_text("utf-8")
    assert not re.search(r"\.(read|write)\(\)", text)

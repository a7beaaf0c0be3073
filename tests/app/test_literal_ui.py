"""The app shows data one way only: through ui/literal.py.

A structural check, so that a screen written next year cannot bring markup back:
``Static``, ``Label`` and markup parsers are used in ui/literal.py alone, and the
places Textual reads as markup (a border title, a tooltip) are given literal text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "src" / "coopterm" / "ui"
FILES = sorted(p for p in UI.rglob("*.py") if p.name != "literal.py")

FORBIDDEN = {
    r"(?<![\w.])(Static|Label)\(": "a Static or Label parses markup: use Literal or LiteralLabel",
    r"from_markup|markup=True|render_markup|Text\.from_ansi": "a markup parser",
    r"\.(border_title|border_subtitle|tooltip)\s*=\s*(?=\S)(?!literal\(|None$|t\(\"[\w.]+\"\)$)": (
        "Textual reads a plain string here as markup: pass literal(...)"),
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(UI)))
def test_screens_show_data_only_through_literal(path: Path) -> None:
    problems = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        code = line.split("#", 1)[0]
        for pattern, why in FORBIDDEN.items():
            if re.search(pattern, code.strip()):
                problems.append(f"{path.name}:{number}: {why}: {line.strip()}")
    assert not problems, "\n".join(problems)

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


SCREENS_AND_FORMS = sorted(p for folder in ("screens", "forms") for p in (SRC / "ui" / folder).rglob("*.py"))


def _domain_imports(path: Path) -> list[tuple[int, str, str]]:
    """(line, module, name) of every ``from coopterm.domain… import name``, function-local ones too."""
    import ast

    tree = ast.parse(path.read_text("utf-8"))
    return [(node.lineno, node.module, alias.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("coopterm.domain")
            for alias in node.names]


@pytest.mark.parametrize("path", SCREENS_AND_FORMS, ids=lambda p: str(p.relative_to(SRC)))
def test_screens_and_forms_call_no_domain_function_that_needs_a_session(path: Path) -> None:
    """They import the domain's dataclasses, enums and constants (and pure helpers such as a
    label of an enum), never a function that works in a session: those are the workspace's."""
    import importlib
    import inspect

    found = []
    for line, module, name in _domain_imports(path):
        value = getattr(importlib.import_module(module), name)
        if inspect.isfunction(value) and "session" in inspect.signature(value).parameters:
            found.append(f"{path.name}:{line}: {module}.{name}")
    text = path.read_text("utf-8")
    found += [f"{path.name}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
              if re.search(r"\bdata\.(read|write)\(", line)]
    assert not found, "\n".join(found)


SOURCES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_a_private_name_of_another(path: Path) -> None:
    """A leading underscore says "only this module relies on it": what another module needs
    is made public under a name that says what it is (issue 12), so that renaming or
    changing a private helper never breaks a module that was not looked at."""
    import ast

    tree = ast.parse(path.read_text("utf-8"))
    found = [f"{path.relative_to(SRC)}:{node.lineno}: from {'.' * node.level}{node.module or ''} import {alias.name}"
             for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] == "coopterm")
             for alias in node.names
             if alias.name.startswith("_") and not (alias.name.startswith("__") and alias.name.endswith("__"))]
    assert not found, "\n".join(found)

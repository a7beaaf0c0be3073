"""Reusable widgets: ``VirtualTable`` (millions of rows, fetched a window at a time)
and ``Picker`` (filtered single or ordered multiple choice).

Imported lazily so that ``import coopterm.ui.widgets`` costs nothing until a
widget is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coopterm.ui.widgets.picker import Picker, normalize
    from coopterm.ui.widgets.virtual_table import (
        Column,
        LocatingRowSource,
        Row,
        RowSource,
        SequenceSource,
        VirtualTable,
    )

__all__ = ["Column", "LocatingRowSource", "Picker", "Row", "RowSource", "SequenceSource", "VirtualTable", "normalize"]

_WHERE = {
    "Column": "virtual_table",
    "LocatingRowSource": "virtual_table",
    "Row": "virtual_table",
    "RowSource": "virtual_table",
    "SequenceSource": "virtual_table",
    "VirtualTable": "virtual_table",
    "Picker": "picker",
    "normalize": "picker",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(name)
    from importlib import import_module

    return getattr(import_module(f"coopterm.ui.widgets.{module}"), name)

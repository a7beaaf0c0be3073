"""Files made for partners and funders from a coopterm database.

``export_tables`` writes the plan's tables as csv (a zip), json or xlsx, with the
readable column names of the data dictionary (``dictionary``); ``format_from_path``
guesses the format from a file name.  Names are imported on first use, so that
importing the package costs nothing until an export is asked for.
"""

from importlib import import_module
from typing import TYPE_CHECKING

_EXPORTS = {
    "TablesExport": "coopterm.exports.tables",
    "export_tables": "coopterm.exports.tables",
    "format_from_path": "coopterm.exports.tables",
    "TABLE_FORMATS": "coopterm.exports.tables",
    "render_tables_markdown": "coopterm.exports.dictionary",
}

__all__ = ["TABLE_FORMATS", "TablesExport", "export_tables", "format_from_path",
           "render_tables_markdown"]  # the keys of _EXPORTS, written out for the checkers

if TYPE_CHECKING:
    from coopterm.exports.dictionary import render_tables_markdown
    from coopterm.exports.tables import TABLE_FORMATS, TablesExport, export_tables, format_from_path


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)

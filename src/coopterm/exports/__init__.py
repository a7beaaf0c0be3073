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
    "format_from_path": "coopterm.exports.tables",
    "TABLE_FORMATS": "coopterm.exports.tables",
    "render_tables_markdown": "coopterm.exports.dictionary",
}

__all__ = sorted([*_EXPORTS, "export_tables"])

if TYPE_CHECKING:
    from coopterm.exports.dictionary import render_tables_markdown
    from coopterm.exports.tables import TABLE_FORMATS, TablesExport, format_from_path


def __getattr__(name: str):  # noqa: ANN202
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)


def export_tables(*args, **kwargs):  # noqa: ANN002, ANN003, ANN201
    """:func:`coopterm.exports.tables.export_tables`; when it fails, the files its writer
    left open (openpyxl's zip on a full disk) are closed now, quietly: their own error
    was already reported in the refusal, and would otherwise print a traceback when
    Python collects them at exit."""
    from coopterm.exports.tables import export_tables as export

    try:
        return export(*args, **kwargs)
    except Exception as exc:
        _release(exc)
        raise


def _release(exc: BaseException) -> None:
    import gc
    import sys
    import traceback

    previous = sys.unraisablehook

    def quiet(unraisable):  # noqa: ANN001, ANN202
        if not isinstance(unraisable.exc_value, OSError):
            previous(unraisable)

    sys.unraisablehook = quiet
    try:
        seen = set()
        error: BaseException | None = exc
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            # the frames the error went through (the writer's, and contextlib's that hold
            # the original error) keep the open zip alive: let go of their variables
            traceback.clear_frames(error.__traceback__)
            error = error.__context__ or error.__cause__
        gc.collect()
    finally:
        sys.unraisablehook = previous

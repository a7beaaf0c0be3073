"""The progress report for partners and funders, as Markdown or one HTML file.

``domain.report.build_report`` gathers the data; ``render_markdown`` and
``render_html`` turn it into text (pure functions, easy to test); this module's
:func:`write_report` is the one call the command line and the app make.

A report file is written as the store writes its files: to a temporary file in
the target folder, flushed to disk, then moved over the name asked for in one
step, so the user's file is either the old one or the complete new report.  An
existing file is replaced only with ``force`` (``--force``; the app asks for it
when the user chose the name); a folder, a missing folder, and any SQLite file
(a database typed by mistake after ``-o``) are refused with a plain message and
nothing is written.  A report is never more open than the database it is made from.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING

from coopterm.errors import CooptermError

if TYPE_CHECKING:
    from coopterm.domain.report import Report
    from coopterm.store.database import Database

FORMATS = ("md", "html")
SUFFIXES = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
_SQLITE_MAGIC = b"SQLite format 3\x00"


def render_markdown(report: Report, lang: str) -> str:
    from coopterm.report.markdown import render_markdown as render

    return render(report, lang)


def render_html(report: Report, lang: str) -> str:
    from coopterm.report.html import render_html as render

    return render(report, lang)


def render(report: Report, fmt: str, lang: str) -> str:
    """The report as text in format ``fmt`` ("md" or "html") and language ``lang``."""
    if fmt == "md":
        return render_markdown(report, lang)
    if fmt == "html":
        return render_html(report, lang)
    raise CooptermError("report.bad_format", format=fmt, choices=", ".join(FORMATS))


def choose_format(fmt: str | None, output: str | os.PathLike[str] | None) -> str:
    """``fmt`` when given; else from the output's suffix (".html" → html); else Markdown."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise CooptermError("report.bad_format", format=fmt, choices=", ".join(FORMATS))
        return fmt
    if output is not None:
        return SUFFIXES.get(Path(output).suffix.lower(), "md")
    return "md"


def load_report(db: Database, today: dt.date) -> Report:
    """The current plan's report as of ``today``; refused when the file holds no plan."""
    from coopterm.domain.plans import current_plan
    from coopterm.domain.report import build_report

    with db.read() as session:
        plan = current_plan(session)
        if plan is None:
            raise CooptermError("report.no_plan", path=db.path)
        return build_report(session, plan, today)


def _check_target(target: Path, db_path: Path | None, force: bool = True) -> Path:
    """The folder to write in, or a refusal naming what is wrong with ``target``."""
    if target.is_dir():
        raise CooptermError("report.target_is_directory", path=target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CooptermError("report.no_folder", path=target)
    if db_path is not None and target.exists() and target.resolve() == db_path.resolve():
        raise CooptermError("report.would_replace_database", path=target)
    if target.exists():
        try:
            with open(target, "rb") as fh:
                head = fh.read(len(_SQLITE_MAGIC))
        except OSError as exc:
            raise CooptermError("file.cannot_write", path=target, reason=exc.strerror or str(exc)) from None
        if head == _SQLITE_MAGIC:
            raise CooptermError("report.would_replace_database", path=target)
    if not force and os.path.lexists(target):
        raise CooptermError("report.exists", path=target)
    return folder


def save_text(text: str, target: str | os.PathLike[str], *, db_path: Path | None = None,
              force: bool = True) -> Path:
    """Write ``text`` (UTF-8) to ``target`` whole or not at all; returns the path written.

    An existing file is replaced only with ``force``; the file gets no permission
    the database ``db_path`` lacks."""
    from coopterm.atomic import written_atomically

    target = Path(target)
    folder = _check_target(target, db_path, force)
    with written_atomically(target, folder, force=force, source=db_path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return target


def write_report(db: Database, fmt: str | None, lang: str | None, today: dt.date,
                 output: str | os.PathLike[str] | None = None, *, force: bool = False) -> str | Path:
    """Make the current plan's report: the text when ``output`` is ``None`` (for stdout),
    else the path of the file written; an existing file is replaced only with ``force``.

    ``fmt`` "md" or "html" (``None``: from the output's suffix, else Markdown);
    ``lang`` "fr" or "en" (``None``: the language in use).  Refusals are
    :class:`CooptermError` and leave any existing file as it was.
    """
    from coopterm.i18n import language

    fmt = choose_format(fmt, output)
    lang = lang or language()
    if output is not None:
        _check_target(Path(output), db.path, force)  # refuse before the work, not after
    text = render(load_report(db, today), fmt, lang)
    if output is None:
        return text
    return save_text(text, output, db_path=db.path, force=force)


__all__ = ["FORMATS", "choose_format", "load_report", "render", "render_html", "render_markdown",
           "save_text", "write_report"]

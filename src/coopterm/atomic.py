"""Write a file under the user's name only once it is whole: exports, copies, reports.

The file is written to a temporary file in the target's folder (same disk, so
the final rename is atomic), flushed to disk, then linked to the name asked for
(``os.link`` never replaces a file that appeared meanwhile) or, with ``force``,
moved over the old file with ``os.replace``.  On any error the temporary file is
removed and the target is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

from coopterm.errors import CooptermError


def fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """Make a new name in ``path`` durable (not every platform can fsync a folder)."""
    with contextlib.suppress(OSError):
        fsync(path)


def check_target(target: Path, database: Path, *, force: bool) -> Path:
    """Refuse a target that cannot or must not be written; returns its folder."""
    if target.is_dir():
        raise CooptermError("export.target_is_directory", path=target)
    if target.exists() and not force:
        raise CooptermError("export.exists", path=target)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise CooptermError("export.no_folder", path=target)
    if target.resolve() == database.resolve():
        raise CooptermError("export.same_file", path=target)
    return folder


@contextlib.contextmanager
def written_atomically(target: Path, folder: Path, *, force: bool) -> Iterator[Path]:
    """A temporary path to write; when the block succeeds it becomes ``target``."""
    # Not mkstemp: its files are private (0600), and this one is made to be shared,
    # so it gets the permissions the user's umask gives any new file.
    tmp = folder / f".{target.name}.{uuid.uuid4().hex[:12]}.part"
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise CooptermError("file.cannot_write", path=target, reason=_reason(exc)) from None
    try:
        yield tmp
        fsync(tmp)
        if force:
            with contextlib.suppress(OSError):  # a file made again keeps its permissions
                os.chmod(tmp, target.stat().st_mode & 0o777)
            os.replace(tmp, target)
        else:
            _link(tmp, target)
        fsync_dir(folder)
    except FileExistsError:
        raise CooptermError("export.exists", path=target) from None
    except OSError as exc:
        raise CooptermError("file.cannot_write", path=target, reason=_reason(exc)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


# What a folder that cannot hold hard links answers (FAT and exFAT USB keys, some
# network shares): Linux says EPERM, others ENOTSUP or ENOSYS.
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


def _link(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target`` without replacing a file that appeared meanwhile.

    ``os.link`` does that atomically; where the folder cannot hold links, the name is
    checked once more just before ``os.replace`` (a much smaller window, same result
    unless another program writes that very name in between)."""
    try:
        os.link(tmp, target)
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno not in _NO_LINKS:
            raise
        if target.exists() or target.is_symlink():
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
        os.replace(tmp, target)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)

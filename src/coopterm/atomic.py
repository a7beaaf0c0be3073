"""Write a file under the user's name only once it is whole: exports, copies, reports.

The file is written to a temporary file in the target's folder (same disk, so
the final rename is atomic), flushed to disk, then linked to the name asked for
(``os.link`` never replaces a file that appeared meanwhile) or, with ``force``,
moved over the old file with ``os.replace``.  On any error the temporary file is
removed and the target is left exactly as it was.

Temporary files and folders carry the id of the process that made them
(``.NAME.coopterm-PID-RANDOM.part`` beside the target, ``coopterm-merge-PID-RANDOM``
in the system's temporary folder).  A process killed with SIGKILL cannot remove
them; the next coopterm that writes in that folder removes those whose process is
no longer running, and never those of a process still at work.

A file derived from a database (an export, a report, a backup) is never more open
than that database: a database readable only by its owner gives exports
readable only by their owner, whatever the umask.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from coopterm.errors import CooptermError

if TYPE_CHECKING:
    import sqlite3

_TAG = "coopterm"
_LEFTOVER = re.compile(r"^\..+\.coopterm-(\d+)-[0-9a-f]+\.part(-journal|-wal|-shm)?$")
_LEFTOVER_DIR = re.compile(r"^coopterm-[a-z]+-(\d+)-[0-9a-z_]+$")


def temporary_name(target: Path, folder: Path | None = None) -> Path:
    """A free-looking name beside ``target`` for a file being made, tagged with this process's id."""
    folder = target.parent if folder is None else folder
    return folder / f".{target.name}.{_TAG}-{os.getpid()}-{uuid.uuid4().hex[:12]}.part"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process, or not allowed to ask: assume it runs
        return True
    return True


def clean_leftovers(folder: Path) -> None:
    """Remove the temporary files a killed coopterm left in ``folder`` (see the module)."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            match = _LEFTOVER.match(entry.name)
            if match and not _alive(int(match.group(1))):
                with contextlib.suppress(OSError):
                    if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid():
                        os.unlink(entry.path)


def clean_temporary_folders() -> None:
    """Remove the private folders (``coopterm-merge-PID-…``) of killed runs from the temporary folder."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(tempfile.gettempdir()):
            match = _LEFTOVER_DIR.match(entry.name)
            if match and not _alive(int(match.group(1))):
                with contextlib.suppress(OSError):
                    if entry.is_dir(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_uid == os.getuid():
                        shutil.rmtree(entry.path, ignore_errors=True)


@contextlib.contextmanager
def private_folder(kind: str) -> Iterator[Path]:
    """A private temporary folder ``coopterm-KIND-PID-RANDOM``, removed at the end; those
    of killed runs are removed first."""
    clean_temporary_folders()
    folder = Path(tempfile.mkdtemp(prefix=f"coopterm-{kind}-{os.getpid()}-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def derived_mode(source: Path | None, wanted: int = 0o666) -> int:
    """The permission bits for a new file made from ``source``: ``wanted`` without any
    bit the source lacks (the umask is applied on top by the system)."""
    if source is None:
        return wanted
    try:
        return wanted & stat.S_IMODE(os.stat(source).st_mode) & 0o666
    except OSError:
        return wanted & 0o600


def restrict_to(path: Path, source: Path | None) -> None:
    """Take away from ``path`` every permission ``source`` does not have."""
    if source is None:
        return
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        narrowed = mode & derived_mode(source)
        if narrowed != mode:
            os.chmod(path, narrowed)


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
    try:
        same = target.resolve() == database.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links (RuntimeError before Python 3.13)
        raise CooptermError("file.cannot_write", path=target, reason=os.strerror(errno.ELOOP)) from None
    if same:
        raise CooptermError("export.same_file", path=target)
    return folder


@contextlib.contextmanager
def written_atomically(target: Path, folder: Path, *, force: bool, source: Path | None) -> Iterator[Path]:
    """A temporary path to write; when the block succeeds it becomes ``target``.

    ``source`` is the database the file is made from: the file gets no permission
    that database lacks (``None`` for a file made from nothing of the user's)."""
    clean_leftovers(folder)
    # Not mkstemp: its files are private (0600), and this one is made to be shared,
    # so it gets the permissions the user's umask gives any new file (no more than its source's).
    tmp = temporary_name(target, folder)
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, derived_mode(source)))
    except OSError as exc:
        raise CooptermError("file.cannot_write", path=target, reason=_reason(exc)) from None
    try:
        yield tmp
        restrict_to(tmp, source)  # a writer that made the file anew (SQLite does) made it 0644
        fsync(tmp)
        if force:
            with contextlib.suppress(OSError):  # a file made again keeps its permissions, no more than its source's
                os.chmod(tmp, target.stat().st_mode & 0o777 & (derived_mode(source) | 0o111))
            os.replace(tmp, target)
        else:
            name_without_replacing(tmp, target)
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
NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS}


def name_without_replacing(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target`` without replacing a file that appeared meanwhile.

    ``os.link`` does that atomically; where the folder cannot hold links, the name is
    checked once more just before ``os.replace`` (a much smaller window, same result
    unless another program writes that very name in between)."""
    try:
        os.link(tmp, target)
    except OSError as exc:
        if isinstance(exc, FileExistsError) or exc.errno not in NO_HARD_LINKS:
            raise
        if target.exists() or target.is_symlink():
            raise FileExistsError(errno.EEXIST, "exists", str(target)) from None
        os.replace(tmp, target)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def install_whole(tmp: Path, target: Path) -> None:
    """Flush ``tmp`` and give it the name ``target``, which must be free (see :func:`name_without_replacing`);
    ``tmp`` is gone afterwards."""
    fsync(tmp)
    try:
        name_without_replacing(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    fsync_dir(target.parent)


def vacuum_into(conn: sqlite3.Connection, target: Path, source: Path) -> None:
    """Write a compact copy of ``conn``'s database (``VACUUM INTO``) to the new name
    ``target``; it appears under that name only complete and flushed to disk, with no
    permission ``source`` lacks.  A crash leaves at most a tagged temporary file,
    removed by the next run."""
    clean_leftovers(target.parent)
    tmp = temporary_name(target)
    try:
        # VACUUM INTO accepts an empty file: made here, it has the right permissions
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, derived_mode(source)))
        conn.execute("VACUUM INTO ?", (str(tmp),))
        install_whole(tmp, target)
    finally:
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()

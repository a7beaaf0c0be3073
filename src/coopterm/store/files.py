"""Recognise a coopterm database from its first bytes, before SQLite touches it.

Opening a file with SQLite may write to it (journal recovery, WAL files).  A file
that is not ours must be left byte for byte as it was, so it is judged here from
the 100-byte SQLite header alone, read without opening it as a database
(https://www.sqlite.org/fileformat.html#the_database_header).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coopterm.errors import DatabaseRefused

APPLICATION_ID = 0x436F6F70  # "Coop", stored at offset 68 of the header
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100


@dataclass(frozen=True)
class Header:
    page_size: int
    page_count: int
    application_id: int
    in_header_size_valid: bool
    wal: bool
    """Written in WAL mode (file format versions 2 at offsets 18 and 19)."""


def read_header(data: bytes) -> Header:
    page_size = int.from_bytes(data[16:18], "big")
    if page_size == 1:
        page_size = 65536
    change_counter = int.from_bytes(data[24:28], "big")
    valid_for = int.from_bytes(data[92:96], "big")
    return Header(
        page_size=page_size,
        page_count=int.from_bytes(data[28:32], "big"),
        application_id=int.from_bytes(data[68:72], "big"),
        in_header_size_valid=change_counter == valid_for,
        wal=data[18:20] == b"\x02\x02",
    )


def complete_without_wal(path: Path) -> bool:
    """True when ``path`` is a WAL-mode database that has no ``-wal`` file beside it:
    every commit is then in the file itself, and it can be read as an immutable file,
    which creates no ``-wal`` or ``-shm`` next to somebody else's copy."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(HEADER_SIZE)
    except OSError:
        return False
    return len(data) == HEADER_SIZE and read_header(data).wal and not os.path.lexists(f"{path}-wal")


WAL_MAGIC = (0x377F0682, 0x377F0683)
WAL_HEADER_SIZE = 32
WAL_FRAME_HEADER_SIZE = 24


def _wal_checksum(data: bytes, big_endian: bool) -> bytes:
    """SQLite's checksum of a WAL header (https://www.sqlite.org/fileformat.html#checksum_algorithm)."""
    order: Literal["big", "little"] = "big" if big_endian else "little"
    s0 = s1 = 0
    for i in range(0, len(data), 8):
        s0 = (s0 + int.from_bytes(data[i:i + 4], order) + s1) & 0xFFFFFFFF
        s1 = (s1 + int.from_bytes(data[i + 4:i + 8], order) + s0) & 0xFFFFFFFF
    return s0.to_bytes(4, "big") + s1.to_bytes(4, "big")


def wal_page_size(path: Path) -> int | None:
    """The page size of the frames SQLite would read from ``path``-wal, or ``None`` when
    it holds none (no file, an empty one, or a header or first frame SQLite ignores)."""
    try:
        with open(f"{path}-wal", "rb") as fh:
            data = fh.read(WAL_HEADER_SIZE + WAL_FRAME_HEADER_SIZE)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DatabaseRefused("db.unreadable", path=f"{path}-wal", reason=exc.strerror) from None
    if len(data) < WAL_HEADER_SIZE + WAL_FRAME_HEADER_SIZE:
        return None
    magic = int.from_bytes(data[0:4], "big")
    if magic not in WAL_MAGIC or _wal_checksum(data[:24], magic & 1 == 1) != data[24:32]:
        return None
    if data[WAL_HEADER_SIZE + 8:WAL_HEADER_SIZE + 16] != data[16:24]:  # the first frame's salts
        return None
    return int.from_bytes(data[8:12], "big")


def check_wal(path: Path, header: Header | None = None) -> None:
    """Refuse a ``-wal`` file that does not belong to ``path``, before SQLite replays it.

    SQLite replays the frames of any valid ``-wal`` beside a database into it, even
    when they come from another version of the file: a backup copied by hand over
    the database, with the old ``-wal`` still there, would be silently damaged.  Two
    signs are certain: the database is not in WAL mode (coopterm's backups and
    exports are not), or the frames are not of the database's page size.  A ``-wal``
    with no database at all is refused too (SQLite would build a database from it).
    """
    if not os.path.lexists(path):
        if os.path.lexists(f"{path}-wal"):
            raise DatabaseRefused("db.lone_wal", path=path)
        return
    if header is None:
        try:
            with open(path, "rb") as fh:
                data = fh.read(HEADER_SIZE)
        except OSError:
            return  # said by check_coopterm_file
        if len(data) < HEADER_SIZE or not data.startswith(SQLITE_MAGIC):
            return
        header = read_header(data)
    frames = wal_page_size(path)
    if frames is None:
        return
    if not header.wal or frames != header.page_size:
        raise DatabaseRefused("db.stale_wal", path=path)


def check_coopterm_file(path: Path) -> None:
    """Refuse, with the reason in plain words, anything that is not a coopterm database.

    Only reads: a refused file keeps every byte, and no -wal or -shm file is made.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise DatabaseRefused("db.missing", path=path) from None
    except OSError as exc:
        raise DatabaseRefused("db.unreadable", path=path, reason=exc.strerror) from None
    if stat.S_ISDIR(st.st_mode):
        raise DatabaseRefused("db.is_directory", path=path)
    if not stat.S_ISREG(st.st_mode):
        raise DatabaseRefused("db.not_regular", path=path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(HEADER_SIZE)
    except OSError as exc:
        raise DatabaseRefused("db.unreadable", path=path, reason=exc.strerror) from None
    if not data:
        raise DatabaseRefused("db.empty", path=path)
    if not data.startswith(SQLITE_MAGIC):
        raise DatabaseRefused("db.not_sqlite", path=path)
    if len(data) < HEADER_SIZE:
        raise DatabaseRefused("db.truncated", path=path)
    header = read_header(data)
    valid_page_size = 512 <= header.page_size <= 65536 and header.page_size & (header.page_size - 1) == 0
    if not valid_page_size:
        raise DatabaseRefused("db.damaged", path=path)
    if header.application_id != APPLICATION_ID:
        raise DatabaseRefused("db.foreign_sqlite", path=path)
    if header.in_header_size_valid and st.st_size < header.page_count * header.page_size:
        raise DatabaseRefused("db.truncated", path=path)
    if st.st_size % header.page_size:
        raise DatabaseRefused("db.truncated", path=path)
    check_wal(path, header)


def read_only_uri(path: Path) -> str:
    """The URI that opens ``path`` for reading only, never writing to it or its ``-wal``.

    With a ``-wal`` beside it, SQLite reads the file and the ``-wal`` (it may create a
    ``-shm`` index, never changes the other two).  Without one, the file holds every
    commit and is read as immutable, so no ``-wal`` or ``-shm`` appears beside it.
    """
    uri = f"{Path(os.path.abspath(path)).as_uri()}?mode=ro"
    quiet = not os.path.lexists(f"{path}-wal") and not os.path.lexists(f"{path}-journal")
    return uri + "&immutable=1" if quiet else uri

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

"""Time, identifiers and revision stamps shared by every replica of a database.

Copies of a database are edited offline on several laptops and merged later, so
every row carries an identifier that no other laptop can produce (UUIDv7: unique
and ordered by creation time) and every change a revision from a hybrid logical
clock.  The clock keeps moving forward even when a laptop's wall clock is set
back, so a laptop with a wrong date cannot make its edit look older than one it
has already seen.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
import uuid
from dataclasses import dataclass

_uuid_lock = threading.Lock()
_last_uuid_ms = 0
_last_uuid_seq = 0


def utcnow() -> dt.datetime:
    """The current time, timezone-aware in UTC (naive datetimes are refused at flush)."""
    return dt.datetime.now(dt.timezone.utc)


def as_utc(value: dt.datetime) -> dt.datetime:
    """``value`` timezone-aware in UTC: a naive datetime (as SQLite gives them back) is
    taken as UTC, an aware one is converted."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight UTC at the start of ``day``: the bound of every filter on a day of stored times."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.timezone.utc)


def uuid7(now_ms: int | None = None) -> uuid.UUID:
    """A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then randomness.

    Within one process ids are strictly increasing: when two are made in the same
    millisecond, the 12-bit ``rand_a`` field is used as a counter (RFC 9562, method 1),
    and when it overflows the timestamp is advanced by one millisecond.
    """
    global _last_uuid_ms, _last_uuid_seq
    with _uuid_lock:
        ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
        if ms <= _last_uuid_ms:
            ms = _last_uuid_ms
            seq = _last_uuid_seq + 1
            if seq > 0xFFF:
                ms += 1
                seq = 0
        else:
            seq = int.from_bytes(os.urandom(2), "big") & 0x3FF  # leave room to count up
        _last_uuid_ms, _last_uuid_seq = ms, seq
    rand_b = int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | seq << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)


@dataclass(frozen=True, order=True)
class Revision:
    """A hybrid logical clock reading: wall milliseconds, a counter, the replica.

    Revisions compare in that order, and their text form sorts the same way, so a
    database can compare them as plain strings.
    """

    millis: int
    counter: int
    replica: str

    def __str__(self) -> str:
        return f"{self.millis:015d}-{self.counter:06d}-{self.replica}"

    @classmethod
    def parse(cls, text: str) -> "Revision":
        millis, counter, replica = text.split("-", 2)
        return cls(int(millis), int(counter), replica)


def next_revision(last: Revision | None, replica: str, now_ms: int | None = None) -> Revision:
    """The revision after ``last`` (the highest one this database has seen).

    Standard HLC send/local event: take the wall clock unless the last revision is
    ahead of it, in which case keep the last time and count up.
    """
    wall = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    if last is None or wall > last.millis:
        return Revision(wall, 0, replica)
    return Revision(last.millis, last.counter + 1, replica)
